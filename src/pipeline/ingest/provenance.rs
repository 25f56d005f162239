//! One PROV-O activity per ingest, in `graph/provenance`, written in the same atomic commit as the
//! data it describes: if the data is there, so is its record, and the other way round.

use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, Quad, Term};

use super::model::RegisteredMapping;
use crate::core::config::BaseIri;
use crate::core::graphs::provenance_graph;
use crate::core::ids::{MappingId, mapping_iri};

const PROV: &str = "http://www.w3.org/ns/prov#";
const CITYKG: &str = crate::core::vocab::CITYKG_NAMESPACE;

fn prov(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{PROV}{local}"))
}

fn citykg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{CITYKG}{local}"))
}

/// What an ingest did, as its record says.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    /// The activity's IRI.
    pub activity: String,
    pub mapping: String,
    pub mapping_version: u32,
    pub records: u64,
    pub quads: u64,
    pub target_graph: String,
    pub payload_sha256: String,
    pub payload_size: u64,
    pub started: String,
    pub ended: String,
    pub agent: String,
}

pub struct Activity<'a> {
    pub base: &'a BaseIri,
    pub mapping: &'a RegisteredMapping,
    pub agent: &'a str,
    pub payload_sha256: &'a str,
    pub payload_size: u64,
    pub records: u64,
    pub quads: u64,
    pub started: &'a str,
    pub ended: &'a str,
    pub idempotency_key: Option<&'a str>,
}

/// A fresh activity IRI: `{base}provenance/{128 random bits in hex}`.
pub fn new_activity_iri(base: &BaseIri) -> NamedNode {
    let mut bytes = [0u8; 16];
    // Without randomness, fall back to the clock; uniqueness within this store is what matters.
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    NamedNode::new_unchecked(base.join(&format!("provenance/{hex}")))
}

impl Activity<'_> {
    /// The activity's quads, in `graph/provenance`.
    pub fn quads(&self, iri: &NamedNode) -> Vec<Quad> {
        let graph = GraphName::NamedNode(provenance_graph(self.base));
        let agent =
            NamedNode::new_unchecked(self.base.join(&format!("agents/{}", encode(self.agent))));
        let mapping = mapping_iri(self.base, &self.mapping.id);
        let date_time = |text: &str| Term::from(Literal::new_typed_literal(text, xsd::DATE_TIME));
        let integer = |n: u64| Term::from(Literal::new_typed_literal(n.to_string(), xsd::INTEGER));
        let mut quads = vec![
            (rdf::TYPE.into_owned(), Term::from(prov("Activity"))),
            (rdf::TYPE.into_owned(), citykg("Ingest").into()),
            (prov("startedAtTime"), date_time(self.started)),
            (prov("endedAtTime"), date_time(self.ended)),
            (prov("used"), mapping.into()),
            (
                citykg("mappingVersion"),
                integer(u64::from(self.mapping.version)),
            ),
            (prov("wasAssociatedWith"), agent.into()),
            (prov("generated"), self.mapping.target_graph.clone().into()),
            (
                citykg("payloadSha256"),
                Literal::new_simple_literal(self.payload_sha256).into(),
            ),
            (citykg("payloadSize"), integer(self.payload_size)),
            (citykg("recordCount"), integer(self.records)),
            (citykg("quadCount"), integer(self.quads)),
        ];
        if let Some(key) = self.idempotency_key {
            quads.push((
                citykg("idempotencyKey"),
                Literal::new_simple_literal(key).into(),
            ));
        }
        quads
            .into_iter()
            .map(|(p, o)| Quad::new(iri.clone(), p, o, graph.clone()))
            .collect()
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    crate::pipeline::engine::percent_encode(text, true, &mut out);
    out
}

/// The record of an earlier ingest through `mapping` with `key`, if there is one.
pub fn find_by_key(
    store: &Storage,
    base: &BaseIri,
    mapping: &MappingId,
    key: &str,
) -> Result<Option<Record>, StoreError> {
    let graph = provenance_graph(base);
    let key_literal = Literal::new_simple_literal(key);
    let mapping_node = mapping_iri(base, mapping);
    for quad in store.quads(
        None,
        Some(citykg("idempotencyKey").as_ref()),
        Some(key_literal.as_ref().into()),
        Some(graph.as_ref().into()),
    ) {
        let quad = quad?;
        let oxigraph::model::NamedOrBlankNode::NamedNode(activity) = quad.subject else {
            continue;
        };
        let record = read(store, &graph, &activity)?;
        if record.mapping == mapping_node.as_str() {
            return Ok(Some(record));
        }
    }
    Ok(None)
}

fn read(store: &Storage, graph: &NamedNode, activity: &NamedNode) -> Result<Record, StoreError> {
    let value = |predicate: NamedNode| -> Result<String, StoreError> {
        let found = store
            .quads(
                Some(activity.as_ref().into()),
                Some(predicate.as_ref()),
                None,
                Some(graph.as_ref().into()),
            )
            .next()
            .transpose()?;
        Ok(match found.map(|q| q.object) {
            Some(Term::Literal(l)) => l.value().to_owned(),
            Some(Term::NamedNode(n)) => n.as_str().to_owned(),
            _ => String::new(),
        })
    };
    let number = |predicate: NamedNode| -> Result<u64, StoreError> {
        Ok(value(predicate)?.parse().unwrap_or(0))
    };
    Ok(Record {
        activity: activity.as_str().to_owned(),
        mapping: value(prov("used"))?,
        mapping_version: u32::try_from(number(citykg("mappingVersion"))?).unwrap_or(0),
        records: number(citykg("recordCount"))?,
        quads: number(citykg("quadCount"))?,
        target_graph: value(prov("generated"))?,
        payload_sha256: value(citykg("payloadSha256"))?,
        payload_size: number(citykg("payloadSize"))?,
        started: value(prov("startedAtTime"))?,
        ended: value(prov("endedAtTime"))?,
        agent: value(prov("wasAssociatedWith"))?,
    })
}
