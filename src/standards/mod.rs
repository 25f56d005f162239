//! The W3C standards citykg speaks, with no HTTP types: SPARQL 1.1 (parsing, policy,
//! evaluation on the storage, results), SHACL Core (and the shipped shape sets), JSON-LD 1.1,
//! and the shipped ontologies kept in their graphs.

pub mod jsonld;
pub mod ontologies;
pub mod shacl;
pub mod sparql;
