//! An in-memory index of `graph/catalog` for listing: one entry per use case with what the
//! filters compare and the summary a page shows, sorted by IRI. Reading 10,000 use cases
//! straight from the store costs tens of milliseconds per request (decoding every quad), so the
//! index is built once from one scan of the graph and dropped whenever a change event says the
//! graph may have changed, whoever wrote it (use-case writes, harvests, kits, assessments,
//! SPARQL Update, the Graph Store Protocol): the cache is a consumer of the storage's changes.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

use crate::storage::{Change, Consumer, Storage, StoreError};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};

use super::list::{Summary, pick_text, slug};
use crate::core::config::BaseIri;
use crate::core::ids::id_of;
use crate::core::vocab as v;

/// One use case as the list sees it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub verticals: Vec<String>,
    pub sdgs: Vec<String>,
    pub kpis: Vec<String>,
    pub standards: Vec<String>,
    pub maturity: Vec<String>,
    /// Upper-case ISO codes of its place(s).
    pub countries: Vec<String>,
    /// Titles and descriptions, lowercase, one per line.
    pub text: String,
    pub summary: Summary,
}

pub struct Index {
    /// Sorted by IRI.
    pub entries: Vec<Entry>,
}

/// The cached index of one catalogue graph, and its generation: bumped by every change that
/// may have touched the graph, so caches built from it can tell they are stale.
pub struct Cache {
    graph: NamedNode,
    current: RwLock<Option<Arc<Index>>>,
    generation: AtomicU64,
}

impl Consumer for Cache {
    fn name(&self) -> &'static str {
        "use-case list index"
    }

    fn committed(&self, change: &Change) {
        if change.graphs.may_include(self.graph.as_ref().into()) {
            self.invalidate();
        }
    }
}

impl Cache {
    pub fn new(graph: NamedNode) -> Self {
        Self {
            graph,
            current: RwLock::new(None),
            generation: AtomicU64::new(0),
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut current) = self.current.write() {
            *current = None;
        }
    }

    pub fn get(
        &self,
        store: &Storage,
        graph: GraphNameRef<'_>,
        base: &BaseIri,
    ) -> Result<Arc<Index>, StoreError> {
        if let Ok(current) = self.current.read() {
            if let Some(index) = current.as_ref() {
                return Ok(index.clone());
            }
        }
        let generation = self.generation.load(Ordering::SeqCst);
        let index = Arc::new(build(store, graph, base)?);
        // A write that happened while building made this index stale: use it for this
        // request (it saw the store as it was when the request came), but do not keep it.
        if self.generation.load(Ordering::SeqCst) == generation {
            if let Ok(mut current) = self.current.write() {
                *current = Some(index.clone());
            }
        }
        Ok(index)
    }
}

type Properties = Vec<(String, Term)>;

fn build(store: &Storage, graph: GraphNameRef<'_>, base: &BaseIri) -> Result<Index, StoreError> {
    let mut by_subject: HashMap<NamedOrBlankNode, Properties> = HashMap::new();
    let mut use_cases = Vec::new();
    let mut records: HashMap<Term, Vec<NamedOrBlankNode>> = HashMap::new();
    for quad in store.quads(None, None, None, Some(graph)) {
        let quad = quad?;
        if quad.predicate == rdf::TYPE && quad.object == Term::from(v::USE_CASE.into_owned()) {
            use_cases.push(quad.subject.clone());
        }
        if quad.predicate == v::FOAF_PRIMARY_TOPIC {
            records
                .entry(quad.object.clone())
                .or_default()
                .push(quad.subject.clone());
        }
        by_subject
            .entry(quad.subject)
            .or_default()
            .push((quad.predicate.into_string(), quad.object));
    }
    let empty = Properties::new();
    let values = |subject: &NamedOrBlankNode, predicate: &str| -> Vec<Term> {
        by_subject
            .get(subject)
            .unwrap_or(&empty)
            .iter()
            .filter(|(p, _)| p == predicate)
            .map(|(_, o)| o.clone())
            .collect()
    };
    let iris = |subject: &NamedOrBlankNode, predicate: &str| -> Vec<String> {
        let mut all: Vec<String> = values(subject, predicate)
            .into_iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.into_string()),
                _ => None,
            })
            .collect();
        all.sort();
        all.dedup();
        all
    };
    let literal = |t: &Term| match t {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    };
    let mut entries = Vec::with_capacity(use_cases.len());
    for subject in use_cases {
        let iri = match &subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        let titles = values(&subject, v::DCT_TITLE.as_str());
        let descriptions = values(&subject, v::DCT_DESCRIPTION.as_str());
        let text = titles
            .iter()
            .chain(&descriptions)
            .filter_map(literal)
            .map(|t| t.to_lowercase())
            .collect::<Vec<_>>()
            .join("\n");
        let (mut countries, mut place) = (Vec::new(), None);
        for spatial in values(&subject, v::DCT_SPATIAL.as_str()) {
            let node = match spatial {
                Term::NamedNode(n) => NamedOrBlankNode::from(n),
                Term::BlankNode(b) => b.into(),
                _ => continue,
            };
            countries.extend(
                values(&node, v::COUNTRY_CODE.as_str())
                    .iter()
                    .filter_map(literal)
                    .map(|c| c.to_ascii_uppercase()),
            );
            place = place.or_else(|| pick_text(&values(&node, v::SKOS_PREF_LABEL.as_str())));
        }
        let (mut modified, mut harvested_from) = (None, None);
        for record in records
            .get(&Term::from(subject.clone()))
            .map_or(&[][..], Vec::as_slice)
        {
            modified = modified.or_else(|| {
                values(record, v::DCT_MODIFIED.as_str())
                    .iter()
                    .find_map(literal)
            });
            harvested_from = harvested_from
                .or_else(|| iris(record, v::HARVESTED_FROM.as_str()).into_iter().next());
        }
        let verticals = iris(&subject, v::VERTICAL.as_str());
        let maturity = iris(&subject, v::MATURITY.as_str());
        let identifier = values(&subject, v::DCT_IDENTIFIER.as_str())
            .iter()
            .find_map(literal);
        let summary = Summary {
            id: id_of(base, &iri)
                .map(|id| id.to_string())
                .or(identifier)
                .unwrap_or_else(|| iri.clone()),
            title: pick_text(&titles).unwrap_or_default(),
            description: pick_text(&descriptions)
                .map(|d| shorten(&d, 280))
                .unwrap_or_default(),
            verticals: verticals
                .iter()
                .filter_map(|i| {
                    slug(
                        &Term::from(oxigraph::model::NamedNode::new_unchecked(i.as_str())),
                        v::VERTICAL_SCHEME,
                    )
                })
                .collect(),
            place,
            country: countries.first().cloned(),
            maturity: maturity
                .first()
                .and_then(|m| m.strip_prefix(v::MATURITY_SCHEME))
                .map(str::to_owned),
            modified,
            harvested_from,
            iri,
        };
        entries.push(Entry {
            sdgs: iris(&subject, v::SDG.as_str()),
            kpis: iris(&subject, v::SUPPORTS_KPI.as_str()),
            standards: iris(&subject, v::DCT_CONFORMS_TO.as_str()),
            verticals,
            maturity,
            countries,
            text,
            summary,
        });
    }
    entries.sort_by(|a, b| a.summary.iri.cmp(&b.summary.iri));
    Ok(Index { entries })
}

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}
