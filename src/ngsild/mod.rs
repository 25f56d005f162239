//! The NGSI-LD API (ETSI GS CIM 009) over citykg's store: entities are RDF in one named graph
//! each (`rdf.rs`), mirrored in memory per tenant (`broker.rs`); requests are read and answered
//! without HTTP types (`api.rs`), so `edge::http::ngsi_ld` only converts.
//!
//! - `context.rs`: the core context and term expansion/compaction; `contexts.rs`: resolving a
//!   request's contexts (remote ones allow-listed, cached)
//! - `entity.rs`: the information model, parsed from and rendered to NGSI-LD JSON
//! - `query.rs`: the `q` and type query languages; `geo.rs`: geo-queries
//! - `ops.rs`: the entity, attribute and batch operations
//! - `subscriptions.rs`: subscriptions and what they match; `notify.rs`: sending notifications
//! - `sensors.rs`: the sensors of mapping ingest as read-only entities, from the live city
//! - `error.rs`: the NGSI-LD ProblemDetails types

pub mod api;
pub mod broker;
pub mod context;
pub mod contexts;
pub mod entity;
pub mod error;
pub mod geo;
pub mod notify;
pub mod ops;
pub mod query;
pub mod rdf;
pub mod sensors;
pub mod subscriptions;

pub use api::{Accept, NgsiLd, Reply, Request};

/// Now, as NGSI-LD writes times (clause 4.6.3): UTC, milliseconds.
pub fn now() -> String {
    let now = crate::core::clock::now();
    let Some((seconds, fraction)) = now.split_once('.') else {
        return now.replace('Z', ".000Z");
    };
    let digits: String = fraction
        .trim_end_matches('Z')
        .chars()
        .chain(std::iter::repeat('0'))
        .take(3)
        .collect();
    format!("{seconds}.{digits}Z")
}
pub use broker::Broker;
pub use error::{ErrorType, NgsiError};
