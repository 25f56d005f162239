//! What state and rollups read from an observation: its sensor (or feature of interest), the
//! observed property, the result time and the simple result, as [`Reading`]s. An observation
//! with several values for one of these gives one reading per combination, the way a SPARQL
//! join over them would.

use crate::core::vocab;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Term};
use oxsdatatypes::{DateTime, TimezoneOffset};
use std::str::FromStr;

/// Whose current value or rollup a reading counts for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Sensor(NamedNode),
    /// An observation without a sensor counts for its feature of interest.
    Feature(NamedNode),
}

impl Key {
    pub fn node(&self) -> &NamedNode {
        match self {
            Self::Sensor(n) | Self::Feature(n) => n,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub observation: NamedNode,
    pub key: Key,
    pub property: NamedNode,
    /// The result time in UTC.
    pub time: DateTime,
    /// The result time as written.
    pub time_literal: Literal,
    pub result: Literal,
}

impl Reading {
    /// The result as a number, when it is one.
    pub fn number(&self) -> Option<f64> {
        numeric(&self.result)
    }

    /// Whether this reading is newer than `other` for the same key and property: later result
    /// time, then (for equal times) the larger observation IRI and result, so that the choice
    /// does not depend on the order of arrival.
    pub fn is_newer_than(&self, other: &Reading) -> bool {
        match self.time.partial_cmp(&other.time) {
            Some(std::cmp::Ordering::Greater) => true,
            Some(std::cmp::Ordering::Less) => false,
            _ => {
                (self.observation.as_str(), self.result.to_string())
                    > (other.observation.as_str(), other.result.to_string())
            }
        }
    }
}

/// The predicates whose quads make readings.
pub fn is_reading_predicate(predicate: NamedNodeRef<'_>) -> bool {
    predicate == vocab::SOSA_MADE_BY_SENSOR
        || predicate == vocab::SOSA_HAS_FEATURE
        || predicate == vocab::SOSA_OBSERVED_PROPERTY
        || predicate == vocab::SOSA_RESULT_TIME
        || predicate == vocab::SOSA_HAS_SIMPLE_RESULT
}

/// The reading-relevant facts of one observation node.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Facts {
    sensors: Vec<NamedNode>,
    features: Vec<NamedNode>,
    properties: Vec<NamedNode>,
    times: Vec<Literal>,
    results: Vec<Literal>,
}

fn push<T: PartialEq>(values: &mut Vec<T>, value: T) {
    if !values.contains(&value) {
        values.push(value);
    }
}

impl Facts {
    /// Takes one triple of the observation into account (others are ignored).
    pub fn note(&mut self, predicate: NamedNodeRef<'_>, object: &Term) {
        match object {
            Term::NamedNode(node) if predicate == vocab::SOSA_MADE_BY_SENSOR => {
                push(&mut self.sensors, node.clone());
            }
            Term::NamedNode(node) if predicate == vocab::SOSA_HAS_FEATURE => {
                push(&mut self.features, node.clone());
            }
            Term::NamedNode(node) if predicate == vocab::SOSA_OBSERVED_PROPERTY => {
                push(&mut self.properties, node.clone());
            }
            Term::Literal(time) if predicate == vocab::SOSA_RESULT_TIME => {
                push(&mut self.times, time.clone());
            }
            Term::Literal(result) if predicate == vocab::SOSA_HAS_SIMPLE_RESULT => {
                push(&mut self.results, result.clone());
            }
            _ => {}
        }
    }

    /// The facts of `observation` in every graph.
    pub fn read(reader: &impl ReadQuads, observation: &NamedNode) -> Result<Self, StoreError> {
        let mut facts = Self::default();
        for quad in reader.read(Some(observation.as_ref().into()), None, None, None) {
            let quad = quad?;
            facts.note(quad.predicate.as_ref(), &quad.object);
        }
        Ok(facts)
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// Every reading the facts make (none without a key, property, valid time and result).
    pub fn readings(&self, observation: &NamedNode) -> Vec<Reading> {
        let keys: Vec<Key> = if self.sensors.is_empty() {
            self.features.iter().cloned().map(Key::Feature).collect()
        } else {
            self.sensors.iter().cloned().map(Key::Sensor).collect()
        };
        let mut out = Vec::new();
        for key in &keys {
            for property in &self.properties {
                for time_literal in &self.times {
                    let Some(time) = utc_time(time_literal) else {
                        continue;
                    };
                    for result in &self.results {
                        out.push(Reading {
                            observation: observation.clone(),
                            key: key.clone(),
                            property: property.clone(),
                            time,
                            time_literal: time_literal.clone(),
                            result: result.clone(),
                        });
                    }
                }
            }
        }
        out
    }
}

/// An `xsd:dateTime` (or `xsd:dateTimeStamp`) literal in UTC; a time without a zone is UTC.
pub fn utc_time(literal: &Literal) -> Option<DateTime> {
    let datatype = literal.datatype();
    if datatype != xsd::DATE_TIME && datatype != xsd::DATE_TIME_STAMP {
        return None;
    }
    DateTime::from_str(literal.value())
        .ok()?
        .adjust(Some(TimezoneOffset::UTC))
}

/// The value of a numeric literal (`xsd:double`, `float`, `decimal`, `integer` and its kinds).
pub fn numeric(literal: &Literal) -> Option<f64> {
    let datatype = literal.datatype().as_str();
    let xsd_name = datatype.strip_prefix("http://www.w3.org/2001/XMLSchema#")?;
    let is_number = matches!(
        xsd_name,
        "double"
            | "float"
            | "decimal"
            | "integer"
            | "int"
            | "long"
            | "short"
            | "byte"
            | "nonNegativeInteger"
            | "nonPositiveInteger"
            | "positiveInteger"
            | "negativeInteger"
            | "unsignedLong"
            | "unsignedInt"
            | "unsignedShort"
            | "unsignedByte"
    );
    if !is_number {
        return None;
    }
    literal.value().trim().parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(text: &str) -> NamedNode {
        NamedNode::new(text).unwrap()
    }

    #[test]
    fn an_observation_gives_one_reading_per_combination_and_none_when_incomplete() {
        let obs = iri("http://e/o");
        let mut facts = Facts::default();
        facts.note(vocab::SOSA_MADE_BY_SENSOR, &iri("http://e/s").into());
        facts.note(vocab::SOSA_OBSERVED_PROPERTY, &iri("http://e/p").into());
        facts.note(
            vocab::SOSA_HAS_SIMPLE_RESULT,
            &Literal::new_typed_literal("19.5", xsd::DOUBLE).into(),
        );
        assert!(facts.readings(&obs).is_empty(), "no time yet");
        facts.note(
            vocab::SOSA_RESULT_TIME,
            &Literal::new_typed_literal("2025-03-03T10:00:00+01:00", xsd::DATE_TIME).into(),
        );
        facts.note(
            vocab::SOSA_HAS_SIMPLE_RESULT,
            &Literal::new_typed_literal("20", xsd::INTEGER).into(),
        );
        let readings = facts.readings(&obs);
        assert_eq!(readings.len(), 2);
        assert_eq!(readings[0].key, Key::Sensor(iri("http://e/s")));
        assert_eq!(readings[0].number(), Some(19.5));
        assert_eq!(readings[1].number(), Some(20.0));
        assert_eq!(
            readings[0].time,
            DateTime::from_str("2025-03-03T09:00:00Z").unwrap()
        );
        assert_eq!(numeric(&Literal::new_simple_literal("3")), None);
    }
}
