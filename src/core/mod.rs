//! The domain core, a leaf every other wing may use: identifiers and the IRIs minted from them,
//! the one vocabulary of IRIs, the clock, the typed settings, and small I/O helpers (bounded
//! reads, durable files, digests, RDF files, a large stack for recursive parsers).

pub mod background;
pub mod capped;
pub mod clock;
pub mod config;
pub mod digest;
pub mod durable;
pub mod graphs;
pub mod ids;
pub mod rdf_file;
pub mod stack;
pub mod vocab;
