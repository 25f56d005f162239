//! The pipeline a vendor payload goes through: `payload` readers produce records, `mapping`
//! parses and checks RML and YARRRML into one model, `engine` runs a checked mapping over
//! records into quads, `ingest` commits them with provenance (or keeps the payload in the
//! quarantine) and keeps the mapping registry.

pub mod engine;
pub mod ingest;
pub mod mapping;
pub mod payload;
pub mod quads;
