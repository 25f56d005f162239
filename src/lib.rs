//! citykg: smart-city and IoT data made interoperable as RDF. See ARCHITECTURE.md for the map.

pub mod assessment;
pub mod auth;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod digest;
pub mod engine;
pub mod feed;
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
pub mod store;
pub mod telemetry;
pub mod vocab;
