//! Rollups: per sensor and per area, per property, per UTC hour, day and month, the count,
//! sum, minimum, maximum, mean and sum of squares of the numeric results, as RDF Data Cube
//! observations in `graph/rollups/{size}`.

use super::accumulator::Accumulator;
use super::layout::{self, Period, Scope, Size};
use super::readings::{Key, Reading};
use super::world::{World, node_quads, object};
use crate::core::config::BaseIri;
use crate::core::vocab::{self, city};
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, Term};
use std::collections::HashMap;

/// One bucket: what it aggregates, over which period.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bucket {
    pub scope: Scope,
    pub subject: NamedNode,
    pub property: NamedNode,
    pub period: Period,
}

impl Bucket {
    pub fn node(&self, base: &BaseIri) -> NamedNode {
        layout::bucket_node(
            base,
            self.scope,
            self.subject.as_str(),
            self.property.as_str(),
            &self.period,
        )
    }

    pub fn graph(&self, base: &BaseIri) -> NamedNode {
        layout::rollup_graph(base, self.period.size)
    }
}

/// The buckets a reading counts in (none when its result is not a number it can roll up).
pub fn buckets_of(reading: &Reading, areas: &[NamedNode]) -> Vec<Bucket> {
    let Some(value) = reading.number() else {
        return Vec::new();
    };
    if !Accumulator::accepts(value) {
        return Vec::new();
    }
    let mut subjects: Vec<(Scope, &NamedNode)> = Vec::new();
    if let Key::Sensor(sensor) = &reading.key {
        subjects.push((Scope::Sensor, sensor));
    }
    subjects.extend(areas.iter().map(|a| (Scope::Area, a)));
    let mut out = Vec::new();
    for size in Size::ALL {
        let Some(period) = Period::of(size, reading.time) else {
            continue;
        };
        for (scope, subject) in &subjects {
            out.push(Bucket {
                scope: *scope,
                subject: (*subject).clone(),
                property: reading.property.clone(),
                period: period.clone(),
            });
        }
    }
    out
}

fn quad(node: &NamedNode, predicate: NamedNodeRef<'_>, object: Term, graph: &NamedNode) -> Quad {
    Quad::new(node.clone(), predicate.into_owned(), object, graph.clone())
}

/// The quads that say what a bucket is (written with its first value).
pub fn structure(base: &BaseIri, bucket: &Bucket) -> Vec<Quad> {
    let node = bucket.node(base);
    let graph = bucket.graph(base);
    let subject_predicate = match bucket.scope {
        Scope::Sensor => city::REF_SENSOR,
        Scope::Area => vocab::SDMX_REF_AREA,
    };
    vec![
        quad(
            &node,
            rdf::TYPE,
            vocab::QB_OBSERVATION.into_owned().into(),
            &graph,
        ),
        quad(
            &node,
            vocab::QB_IN_DATA_SET,
            layout::dataset(base, bucket.scope, bucket.period.size).into(),
            &graph,
        ),
        quad(
            &node,
            subject_predicate,
            bucket.subject.clone().into(),
            &graph,
        ),
        quad(
            &node,
            city::REF_PROPERTY,
            bucket.property.clone().into(),
            &graph,
        ),
        quad(
            &node,
            vocab::SDMX_REF_PERIOD,
            bucket.period.iri().into(),
            &graph,
        ),
        quad(
            &node,
            city::PERIOD_START,
            Literal::new_typed_literal(bucket.period.start(), xsd::DATE_TIME).into(),
            &graph,
        ),
    ]
}

/// The measure quads of a bucket.
pub fn measures(base: &BaseIri, bucket: &Bucket, acc: &Accumulator) -> Vec<Quad> {
    let node = bucket.node(base);
    let graph = bucket.graph(base);
    let double = |v: f64| Term::from(Literal::from(v));
    vec![
        quad(
            &node,
            city::COUNT,
            Literal::from(acc.count as i64).into(),
            &graph,
        ),
        quad(&node, city::SUM, double(acc.sum()), &graph),
        quad(&node, city::MIN, double(acc.min), &graph),
        quad(&node, city::MAX, double(acc.max), &graph),
        quad(&node, city::MEAN, double(acc.mean()), &graph),
        quad(
            &node,
            city::SUM_OF_SQUARES,
            double(acc.sum_of_squares()),
            &graph,
        ),
        quad(
            &node,
            city::ACCUMULATOR,
            Literal::new_simple_literal(acc.encode()).into(),
            &graph,
        ),
    ]
}

/// A bucket as stored: its measures and every quad it has.
pub struct Stored {
    pub acc: Accumulator,
    pub quads: Vec<Quad>,
}

fn literal<'q>(quads: &'q [Quad], predicate: NamedNodeRef<'_>) -> Option<&'q str> {
    match object(quads, predicate) {
        Some(Term::Literal(l)) => Some(l.value()),
        _ => None,
    }
}

fn number(quads: &[Quad], predicate: NamedNodeRef<'_>) -> Option<f64> {
    literal(quads, predicate)?.parse().ok()
}

pub fn read(
    reader: &impl ReadQuads,
    base: &BaseIri,
    bucket: &Bucket,
) -> Result<Option<Stored>, StoreError> {
    let quads = node_quads(reader, &bucket.node(base), &bucket.graph(base))?;
    if quads.is_empty() {
        return Ok(None);
    }
    let sums = literal(&quads, city::ACCUMULATOR);
    let acc = match (
        number(&quads, city::COUNT),
        number(&quads, city::MIN),
        number(&quads, city::MAX),
        sums,
    ) {
        (Some(count), Some(min), Some(max), Some(sums)) => {
            Accumulator::decode(count as u64, min, max, sums)
        }
        _ => None,
    };
    // A bucket whose measures cannot be read is recounted from its values.
    Ok(Some(Stored {
        acc: acc.unwrap_or_default(),
        quads,
    }))
}

/// The buckets of one subject and size, by property and period.
type Tally = HashMap<(NamedNode, Period), Accumulator>;

/// Recounts buckets from every reading they cover. One pass over a sensor's (or an area's)
/// readings tallies all its buckets of one size, so a write that must recount many buckets of
/// one sensor (a source graph deleted) reads its readings once.
pub struct Recounter<'a> {
    after: &'a dyn World,
    tallies: HashMap<(Scope, NamedNode, Size), Tally>,
}

impl<'a> Recounter<'a> {
    pub fn new(after: &'a dyn World) -> Self {
        Self {
            after,
            tallies: HashMap::new(),
        }
    }

    pub fn recount(&mut self, bucket: &Bucket) -> Result<Accumulator, StoreError> {
        let key = (bucket.scope, bucket.subject.clone(), bucket.period.size);
        if !self.tallies.contains_key(&key) {
            let tally = self.tally(bucket.scope, &bucket.subject, bucket.period.size)?;
            self.tallies.insert(key.clone(), tally);
        }
        Ok(self
            .tallies
            .get(&key)
            .and_then(|t| t.get(&(bucket.property.clone(), bucket.period.clone())))
            .copied()
            .unwrap_or_default())
    }

    fn tally(&self, scope: Scope, subject: &NamedNode, size: Size) -> Result<Tally, StoreError> {
        let unavailable = || StoreError::Consumer {
            consumer: "city rollups",
            message: "a bucket must be recounted where only additions are known".into(),
        };
        let keys: Vec<Key> = match scope {
            Scope::Sensor => vec![Key::Sensor(subject.clone())],
            Scope::Area => self
                .after
                .placed_in(subject)
                .ok_or_else(unavailable)??
                .into_iter()
                .flat_map(|n| [Key::Sensor(n.clone()), Key::Feature(n)])
                .collect(),
        };
        let mut tally = Tally::new();
        for key in keys {
            for reading in self.after.readings_of(&key).ok_or_else(unavailable)?? {
                let (Some(period), Some(v)) = (
                    Period::of(size, reading.time),
                    reading.number().filter(|v| Accumulator::accepts(*v)),
                ) else {
                    continue;
                };
                tally.entry((reading.property, period)).or_default().add(v);
            }
        }
        Ok(tally)
    }
}

/// The description of the six datasets and their two structures, in each rollup graph.
pub fn datasets(base: &BaseIri) -> Vec<Quad> {
    let mut out = Vec::new();
    for scope in Scope::ALL {
        let structure =
            NamedNode::new_unchecked(base.join(&format!("id/rollups/structure/{}", scope.name())));
        let subject_dimension = match scope {
            Scope::Sensor => city::REF_SENSOR,
            Scope::Area => vocab::SDMX_REF_AREA,
        };
        for size in Size::ALL {
            let graph = layout::rollup_graph(base, size);
            let ds = layout::dataset(base, scope, size);
            out.push(quad(
                &ds,
                rdf::TYPE,
                vocab::QB_DATA_SET.into_owned().into(),
                &graph,
            ));
            out.push(quad(
                &ds,
                rdfs::LABEL,
                Literal::new_language_tagged_literal_unchecked(
                    format!("{} rollups per {} and property", size.name(), scope.name()),
                    "en",
                )
                .into(),
                &graph,
            ));
            out.push(quad(
                &ds,
                vocab::QB_STRUCTURE,
                structure.clone().into(),
                &graph,
            ));
            out.push(quad(
                &ds,
                vocab::DCT_IDENTIFIER,
                Literal::new_simple_literal(format!("{}-{}", scope.name(), size.name())).into(),
                &graph,
            ));
            out.push(quad(
                &structure,
                rdf::TYPE,
                vocab::QB_DATA_STRUCTURE_DEFINITION.into_owned().into(),
                &graph,
            ));
            let components: [(NamedNodeRef<'_>, NamedNodeRef<'_>); 10] = [
                (vocab::QB_DIMENSION, subject_dimension),
                (vocab::QB_DIMENSION, city::REF_PROPERTY),
                (vocab::QB_DIMENSION, vocab::SDMX_REF_PERIOD),
                (vocab::QB_ATTRIBUTE, city::PERIOD_START),
                (vocab::QB_MEASURE, city::COUNT),
                (vocab::QB_MEASURE, city::SUM),
                (vocab::QB_MEASURE, city::MIN),
                (vocab::QB_MEASURE, city::MAX),
                (vocab::QB_MEASURE, city::MEAN),
                (vocab::QB_MEASURE, city::SUM_OF_SQUARES),
            ];
            for (role, property) in components {
                let component = NamedNode::new_unchecked(format!(
                    "{}#{}",
                    structure.as_str(),
                    property
                        .as_str()
                        .rsplit(['#', '/'])
                        .next()
                        .unwrap_or("component")
                ));
                out.push(quad(
                    &structure,
                    vocab::QB_COMPONENT,
                    component.clone().into(),
                    &graph,
                ));
                out.push(quad(&component, role, property.into_owned().into(), &graph));
            }
        }
    }
    out
}
