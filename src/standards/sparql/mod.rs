//! SPARQL 1.1 as citykg runs it, with no HTTP types: parsing with line and column in errors
//! (bracket nesting bounded before the parser runs, on a stack sized for it), the protocol's
//! dataset rules on top of the union default graph, the request policy (SERVICE and LOAD only to
//! allow-listed hosts, algebra depth bounded), cancellation, and result serialisation.

mod dataset;
mod error;
mod nesting;
mod policy;
mod prepare;
mod serialize;
mod touched;

pub use dataset::ProtocolDataset;
pub use error::SparqlError;
pub use prepare::{
    ParsedQuery, ParsedUpdate, QueryKind, RunOptions, parse_query, parse_update, run_update,
};
pub use serialize::{ResultFormat, write_results};
