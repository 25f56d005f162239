//! HTTP behaviour of the real service, one binary for every area.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod abuse;
mod architecture;
mod assessment;
mod auth;
mod builtins;
mod builtins_datex2;
mod builtins_ngsild;
mod builtins_ngsiv2;
mod builtins_sensorcommunity;
mod builtins_sensorthings;
mod builtins_wottd;
mod cli;
mod clients;
mod corpus;
mod crash;
mod crash_writes;
mod disk_full;
mod feed;
mod graph_store;
mod harvest;
mod helpers;
mod ingest;
mod jsonld;
mod kits;
mod limits;
mod map_cli;
mod mappings;
mod ontologies;
mod ontologies_content;
mod pages;
mod shacl;
mod sparql;
mod update;
mod use_cases;
mod use_cases_jsonld;
