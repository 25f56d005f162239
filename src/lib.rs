//! citykg: smart-city and IoT data made interoperable as RDF. See ARCHITECTURE.md for the map.

pub mod assessment;
pub mod auth;
pub mod capped;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod core;
pub mod digest;
pub mod durable;
pub mod engine;
pub mod feed;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod harvest;
pub mod http;
pub mod ingest;
pub mod jsonld;
pub mod kit;
pub mod mapping;
pub mod ontology;
pub mod ontology_catalog;
pub mod payload;
pub mod quads;
pub mod rdf_file;
pub mod shacl;
pub mod shapes;
pub mod sparql;
pub mod stack;
pub mod storage;
pub mod telemetry;
pub mod vocab;
