//! What one data graph holds, read in one pass over its triples (plus one SHACL validation of it
//! in place): the distinct classes and predicates it uses, its observations and how many carry a
//! unit and a time, its sensors, platforms and features and how many are placed, and the SHACL
//! results by severity. Several use cases may share a graph, so facts are per graph and a
//! use case's figures are the sums over its graphs.

use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasher;

use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, Term, TermRef};

use crate::core::vocab as v;
use crate::standards::shacl::{Severity, Shapes, StoreGraph};

/// The figures of one data graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GraphFacts {
    pub triples: u64,
    /// Distinct classes (objects of `rdf:type`) used.
    pub classes: BTreeSet<NamedNode>,
    /// Distinct predicates used.
    pub predicates: BTreeSet<NamedNode>,
    /// `sosa:Observation` and `saref:Measurement` nodes.
    pub observations: u64,
    pub with_unit: u64,
    pub with_time: u64,
    /// Sensors, platforms and features of interest.
    pub placeable: u64,
    pub placed: u64,
    /// Nodes the shapes target: observations, measurements, sensors.
    pub validated: u64,
    pub violations: u64,
    pub warnings: u64,
    pub infos: u64,
}

// Flags per node.
const OBSERVATION: u16 = 1;
const PLACEABLE: u16 = 1 << 2;
const UNIT: u16 = 1 << 3;
const TIME: u16 = 1 << 4;
const GEOMETRY: u16 = 1 << 5;
const RESULT_UNIT: u16 = 1 << 6;
const SHAPE_TARGET: u16 = 1 << 7;

/// Nodes are keyed by a 64-bit hash of the term (a fixed seed, so runs agree): a graph of a
/// million nodes costs a few megabytes, and a collision (odds about 1 in 10^7 at that size)
/// would move one count by one.
fn key(term: TermRef<'_>) -> u64 {
    foldhash::quality::FixedState::with_seed(0x0c17_4b9a).hash_one(term)
}

/// Reads `graph` once and validates it against `shapes`.
pub fn graph_facts(
    store: &Storage,
    graph: NamedNodeRef<'_>,
    shapes: &Shapes,
) -> Result<GraphFacts, StoreError> {
    let mut facts = scan(store, graph)?;
    if facts.triples > 0 {
        let data = StoreGraph::graph(store, GraphNameRef::NamedNode(graph));
        let report = crate::standards::shacl::validate(shapes, &data)?;
        for result in &report.results {
            match result.severity {
                Severity::Violation => facts.violations += 1,
                Severity::Warning => facts.warnings += 1,
                Severity::Info => facts.infos += 1,
                Severity::Other(_) => {}
            }
        }
    }
    Ok(facts)
}

/// The one pass over the graph's triples.
pub fn scan(store: &Storage, graph: NamedNodeRef<'_>) -> Result<GraphFacts, StoreError> {
    let mut facts = GraphFacts::default();
    let mut flags: HashMap<u64, u16> = HashMap::new();
    let mut results: Vec<(u64, u64)> = Vec::new();
    let mut set = |term: TermRef<'_>, flag: u16| *flags.entry(key(term)).or_insert(0) |= flag;
    for quad in store.quads(None, None, None, Some(GraphNameRef::NamedNode(graph))) {
        let quad = quad?;
        facts.triples += 1;
        let subject = TermRef::from(quad.subject.as_ref());
        let predicate = quad.predicate.as_ref();
        let object = quad.object.as_ref();
        if !facts.predicates.contains(&quad.predicate) {
            facts.predicates.insert(quad.predicate.clone());
        }
        if predicate == rdf::TYPE {
            if let Term::NamedNode(class) = &quad.object {
                if !facts.classes.contains(class) {
                    facts.classes.insert(class.clone());
                }
                let class = class.as_ref();
                if class == v::SOSA_OBSERVATION || class == v::SAREF_MEASUREMENT {
                    set(subject, OBSERVATION | SHAPE_TARGET);
                } else if class == v::SOSA_SENSOR {
                    set(subject, PLACEABLE | SHAPE_TARGET);
                } else if class == v::SAREF_DEVICE
                    || class == v::SOSA_PLATFORM
                    || class == v::SOSA_FEATURE
                {
                    set(subject, PLACEABLE);
                }
            }
        } else if predicate == v::SOSA_MADE_BY_SENSOR
            || predicate == v::SAREF_MADE_BY
            || predicate == v::SOSA_HAS_FEATURE
            || predicate == v::SOSA_IS_HOSTED_BY
        {
            set(object, PLACEABLE);
        } else if predicate == v::SOSA_HAS_RESULT {
            results.push((key(subject), key(object)));
        } else if predicate == v::QUDT_UNIT || predicate == v::SAREF_IS_MEASURED_IN {
            if matches!(object, TermRef::NamedNode(unit) if unit.as_str().starts_with(v::QUDT_UNITS))
            {
                set(subject, UNIT);
            }
        } else if predicate == v::SOSA_RESULT_TIME || predicate == v::SAREF_HAS_TIMESTAMP {
            if is_date_time(object) {
                set(subject, TIME);
            }
        } else if predicate == v::GEO_HAS_GEOMETRY || predicate == v::GEO_HAS_DEFAULT_GEOMETRY {
            set(subject, GEOMETRY);
        }
    }
    for (observation, result) in results {
        if flags.get(&result).is_some_and(|f| f & UNIT != 0) {
            *flags.entry(observation).or_insert(0) |= RESULT_UNIT;
        }
    }
    for node in flags.values() {
        let count = |flag: u16| u64::from(node & flag != 0);
        if node & OBSERVATION != 0 {
            facts.observations += 1;
            facts.with_unit += count(UNIT | RESULT_UNIT);
            facts.with_time += count(TIME);
        }
        if node & PLACEABLE != 0 {
            facts.placeable += 1;
            facts.placed += count(GEOMETRY);
        }
        facts.validated += count(SHAPE_TARGET);
    }
    Ok(facts)
}

/// A literal typed `xsd:dateTime` whose text is a valid one.
fn is_date_time(term: TermRef<'_>) -> bool {
    match term {
        TermRef::Literal(literal) => {
            literal.datatype() == xsd::DATE_TIME
                && literal.value().parse::<oxsdatatypes::DateTime>().is_ok()
        }
        _ => false,
    }
}
