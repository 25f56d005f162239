//! Data stewards' services, with no HTTP types: the mapping registry, ingest (payload -> mapped
//! quads -> one store transaction with its provenance record), and the quarantine of payloads
//! that could not be mapped. `src/edge/http/mappings.rs`, `ingest.rs` and `quarantine.rs` are thin
//! handlers over these.

pub mod deliver;
pub mod lint;
pub mod model;
pub mod provenance;
pub mod quarantine;
pub mod registry;
pub mod run;
