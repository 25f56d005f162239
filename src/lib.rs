//! citykg: smart-city and IoT data made interoperable as RDF. See ARCHITECTURE.md for the map.
//!
//! The wings, from the leaves up (a wing uses only the ones before it):
//! `core` (ids, vocabulary, clock, settings, small I/O helpers) < `storage` (the store and its
//! change events) < `standards` (SPARQL, SHACL, JSON-LD, ontologies) < `pipeline` (payloads,
//! mappings, the engine, ingest) < `catalogue` (use cases, assessment, feed, harvest, kits) <
//! `city` (current values and rollups kept with every write) < `edge` (HTTP, command line,
//! tokens).

pub mod catalogue;
pub mod city;
pub mod core;
pub mod edge;
#[doc(hidden)]
pub mod fuzz_targets;
pub mod ngsild;
pub mod pipeline;
pub mod standards;
pub mod storage;
