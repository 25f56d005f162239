//! Current values: for every sensor (or feature of interest) and observed property, the latest
//! reading, as one node in `graph/state`.

use super::layout;
use super::readings::{Key, Reading, utc_time};
use super::world::{World, node_quads, object};
use crate::core::config::BaseIri;
use crate::core::vocab::city;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{NamedNode, Quad, Term};

/// A current value as stored: the reading it copies, and its quads.
pub struct Stored {
    pub reading: Reading,
    pub quads: Vec<Quad>,
}

/// The quads of the current value `reading` (keyed by its key and property).
pub fn quads(base: &BaseIri, reading: &Reading) -> Vec<Quad> {
    let node = layout::state_node(base, reading.key.node().as_str(), reading.property.as_str());
    let graph = layout::state_graph(base);
    let key_predicate = match reading.key {
        Key::Sensor(_) => city::REF_SENSOR,
        Key::Feature(_) => city::REF_FEATURE,
    };
    let triples: [(oxigraph::model::NamedNodeRef<'_>, Term); 6] = [
        (rdf::TYPE, city::CURRENT_VALUE.into_owned().into()),
        (key_predicate, reading.key.node().clone().into()),
        (city::REF_PROPERTY, reading.property.clone().into()),
        (city::LATEST_OBSERVATION, reading.observation.clone().into()),
        (city::VALUE, reading.result.clone().into()),
        (city::RESULT_TIME, reading.time_literal.clone().into()),
    ];
    triples
        .into_iter()
        .map(|(p, o)| Quad::new(node.clone(), p.into_owned(), o, graph.clone()))
        .collect()
}

/// The current value of `key` and `property`, if there is one.
pub fn read(
    reader: &impl ReadQuads,
    base: &BaseIri,
    key: &Key,
    property: &NamedNode,
) -> Result<Option<Stored>, StoreError> {
    let node = layout::state_node(base, key.node().as_str(), property.as_str());
    let quads = node_quads(reader, &node, &layout::state_graph(base))?;
    Ok(parse(&quads)
        .filter(|r| &r.key == key && &r.property == property)
        .map(|reading| Stored { reading, quads }))
}

fn same(a: &Reading, b: &Reading) -> bool {
    a.observation == b.observation && a.time_literal == b.time_literal && a.result == b.result
}

fn newest<'r>(readings: impl IntoIterator<Item = &'r Reading>) -> Option<&'r Reading> {
    readings
        .into_iter()
        .fold(None, |best: Option<&Reading>, r| match best {
            Some(b) if !r.is_newer_than(b) => Some(b),
            _ => Some(r),
        })
}

/// What one key and property's current value becomes: the quads to remove, and the reading it
/// copies now (none when no reading is left).
pub fn follow(
    current: Option<Stored>,
    removed: &[&Reading],
    added: &[&Reading],
    after: &dyn World,
    key: &Key,
    property: &NamedNode,
) -> Result<(Vec<Quad>, Option<Reading>), StoreError> {
    let gone = current
        .as_ref()
        .is_some_and(|c| removed.iter().any(|r| same(r, &c.reading)));
    let next: Option<Reading> = if gone {
        let all = after
            .readings_of(key)
            .ok_or_else(|| StoreError::Consumer {
                consumer: "city state",
                message: "a current value must be recounted where only additions are known".into(),
            })??;
        newest(all.iter().filter(|r| &r.property == property)).cloned()
    } else {
        let candidate = newest(added.iter().copied());
        match (&current, candidate) {
            (Some(c), Some(n)) if n.is_newer_than(&c.reading) => Some(n.clone()),
            (None, Some(n)) => Some(n.clone()),
            (Some(c), _) => Some(c.reading.clone()),
            (None, None) => None,
        }
    };
    let old = current.map(|c| c.quads).unwrap_or_default();
    Ok((old, next))
}

/// Every current value in `graph/state` (one scan of the graph; the memory store does not
/// return a graph's quads grouped by subject, so they are grouped here).
pub fn all(reader: &impl ReadQuads, base: &BaseIri) -> Result<Vec<Reading>, StoreError> {
    let graph = layout::state_graph(base);
    let mut nodes: std::collections::HashMap<oxigraph::model::NamedOrBlankNode, Vec<Quad>> =
        std::collections::HashMap::new();
    for quad in reader.read(None, None, None, Some(graph.as_ref().into())) {
        let quad = quad?;
        nodes.entry(quad.subject.clone()).or_default().push(quad);
    }
    Ok(nodes.values().filter_map(|quads| parse(quads)).collect())
}

/// A current value from its node's quads.
fn parse(quads: &[Quad]) -> Option<Reading> {
    let object = |predicate| object(quads, predicate).cloned();
    let key = match (object(city::REF_SENSOR), object(city::REF_FEATURE)) {
        (Some(Term::NamedNode(s)), _) => Key::Sensor(s),
        (None, Some(Term::NamedNode(f))) => Key::Feature(f),
        _ => return None,
    };
    let (
        Some(Term::NamedNode(property)),
        Some(Term::NamedNode(observation)),
        Some(Term::Literal(result)),
        Some(Term::Literal(time_literal)),
    ) = (
        object(city::REF_PROPERTY),
        object(city::LATEST_OBSERVATION),
        object(city::VALUE),
        object(city::RESULT_TIME),
    )
    else {
        return None;
    };
    Some(Reading {
        observation,
        key,
        property,
        time: utc_time(&time_literal)?,
        time_literal,
        result,
    })
}
