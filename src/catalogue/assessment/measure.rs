//! From figures to measurements: the pure part of the assessment. A use case's description and
//! the facts of its data graphs go in; one measurement per metric, with its level, and one level
//! per dimension (the lowest of its metrics') come out.

use oxigraph::model::NamedNode;
use serde::Serialize;

use super::facts::GraphFacts;
use super::rubric::{self, Dimension, Level, Metric, Rule};
use crate::pipeline::ingest::lint::Vocabulary;

/// A metric's value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A share from 0 to 1 (written with four decimals).
    Decimal(f64),
    Integer(u64),
    Boolean(bool),
}

impl Value {
    /// The lexical form of the stored `dqv:value`: shares rounded to four decimals, in the
    /// canonical form the store keeps (`0.75`, `1`).
    pub fn lexical(&self) -> String {
        match self {
            Self::Decimal(share) => {
                let rounded = format!("{share:.4}");
                rounded
                    .parse::<oxsdatatypes::Decimal>()
                    .map_or(rounded, |d| d.to_string())
            }
            Self::Integer(count) => count.to_string(),
            Self::Boolean(flag) => flag.to_string(),
        }
    }
}

/// One metric's measurement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measurement {
    pub metric: Metric,
    pub value: Value,
    pub level: Level,
    /// For shares: the part and the whole (`3` of `4`); absent when read back from the store.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<(u64, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DimensionLevel {
    pub dimension: Dimension,
    pub level: Level,
}

/// The assessment of one use case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub use_case: String,
    /// When it was computed (`xsd:dateTime`, UTC).
    pub generated: String,
    /// One per metric, in the rubric's order.
    pub measurements: Vec<Measurement>,
    /// One per dimension: the lowest level of its metrics.
    pub dimensions: Vec<DimensionLevel>,
}

impl Assessment {
    pub fn measurement(&self, metric: Metric) -> Option<&Measurement> {
        self.measurements.iter().find(|m| m.metric == metric)
    }

    pub fn dimension(&self, dimension: Dimension) -> Option<Level> {
        self.dimensions
            .iter()
            .find(|d| d.dimension == dimension)
            .map(|d| d.level)
    }

    /// An assessment from measurements (computed or read back): dimension levels derived.
    pub fn new(use_case: String, generated: String, mut measurements: Vec<Measurement>) -> Self {
        measurements.sort_by_key(|m| m.metric);
        let dimensions = Dimension::ALL
            .into_iter()
            .map(|dimension| DimensionLevel {
                dimension,
                level: measurements
                    .iter()
                    .filter(|m| m.metric.dimension() == dimension)
                    .map(|m| m.level)
                    .min()
                    .unwrap_or(Level::NONE),
            })
            .collect();
        Self {
            use_case,
            generated,
            measurements,
            dimensions,
        }
    }
}

/// What the assessment needs of a use case's own description.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Mappings it names that exist in the registry.
    pub existing_mappings: u64,
    /// Its licence is marked open.
    pub open_licence: bool,
    /// It has a distribution through this service's SPARQL endpoint or Graph Store.
    pub service_distribution: bool,
}

/// The figures of several data graphs, summed (shares are counted over the sum).
pub fn sum<'a>(graphs: impl IntoIterator<Item = &'a GraphFacts>) -> GraphFacts {
    let mut total = GraphFacts::default();
    for g in graphs {
        total.triples += g.triples;
        total.classes.extend(g.classes.iter().cloned());
        total.predicates.extend(g.predicates.iter().cloned());
        total.observations += g.observations;
        total.with_unit += g.with_unit;
        total.with_time += g.with_time;
        total.placeable += g.placeable;
        total.placed += g.placed;
        total.validated += g.validated;
        total.violations += g.violations;
        total.warnings += g.warnings;
        total.infos += g.infos;
    }
    total
}

/// Every metric of `data` (the summed facts of the data graphs) and `inputs`.
pub fn measure(
    use_case: &NamedNode,
    generated: String,
    data: &GraphFacts,
    inputs: &Inputs,
    vocabulary: &Vocabulary,
) -> Assessment {
    let terms = data.classes.len() as u64 + data.predicates.len() as u64;
    let declared = data
        .classes
        .iter()
        .filter(|c| vocabulary.declares_class(c))
        .count() as u64
        + data
            .predicates
            .iter()
            .filter(|p| vocabulary.declares_property(p))
            .count() as u64;
    let has_data = data.triples > 0;
    let measurements = Metric::ALL
        .into_iter()
        .map(|metric| {
            let rule = metric.rule();
            match metric {
                Metric::VocabularyCoverage => share(metric, declared, terms),
                Metric::UnitCoverage => share(metric, data.with_unit, data.observations),
                Metric::TimeCoverage => share(metric, data.with_time, data.observations),
                Metric::LocationCoverage => share(metric, data.placed, data.placeable),
                Metric::ShapeViolations => results(rule, metric, data.violations, data),
                Metric::ShapeWarnings => results(rule, metric, data.warnings, data),
                Metric::ShapeInfos => results(rule, metric, data.infos, data),
                Metric::VendorFormats => count(metric, inputs.existing_mappings),
                Metric::OpenLicence => flag(metric, inputs.open_licence),
                Metric::MachineReadableAccess => {
                    flag(metric, inputs.service_distribution && has_data)
                }
            }
        })
        .collect();
    Assessment::new(use_case.as_str().to_owned(), generated, measurements)
}

fn share(metric: Metric, part: u64, whole: u64) -> Measurement {
    let Rule::Share { at_least } = metric.rule() else {
        return count(metric, part);
    };
    let value = if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    };
    Measurement {
        metric,
        value: Value::Decimal(value),
        level: rubric::share_level(at_least, part, whole),
        of: Some((part, whole)),
    }
}

/// SHACL result counts: rated per validated node; advice (infos) is level 3 once there are
/// nodes to validate.
fn results(rule: Rule, metric: Metric, count: u64, data: &GraphFacts) -> Measurement {
    let level = match rule {
        Rule::Rate { at_most } => rubric::rate_level(at_most, count, data.validated),
        _ if data.validated > 0 => Level::TOP,
        _ => Level::NONE,
    };
    Measurement {
        metric,
        value: Value::Integer(count),
        level,
        of: None,
    }
}

fn count(metric: Metric, count: u64) -> Measurement {
    let level = match metric.rule() {
        Rule::Count { at_least } => rubric::count_level(at_least, count),
        _ => Level::NONE,
    };
    Measurement {
        metric,
        value: Value::Integer(count),
        level,
        of: None,
    }
}

fn flag(metric: Metric, flag: bool) -> Measurement {
    Measurement {
        metric,
        value: Value::Boolean(flag),
        level: if flag { Level::TOP } else { Level::NONE },
        of: None,
    }
}
