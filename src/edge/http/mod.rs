//! HTTP: SPARQL 1.1 Protocol, Graph Store Protocol, pages, health and metrics. The only module
//! that knows actix-web, HTTP status codes and problem+json.

mod assessment;
mod auth;
mod body;
mod city;
mod dashboard;
mod deadline;
mod disk;
mod feed;
mod graph_store;
mod harvest;
mod health;
mod ingest;
pub(crate) mod jsonld_out;
mod kits;
mod kpis;
mod mappings;
mod metrics;
pub(crate) mod multipart;
mod negotiate;
mod ngsi_ld;
mod ontologies;
mod pages;
mod problem;
mod quarantine;
mod query_page;
mod render;
mod resources;
mod routes;
mod server;
mod service_description;
mod shacl;
mod sparql;
mod state;
mod stats;
mod stream;
mod use_cases;

pub use server::{AppError, Application};
