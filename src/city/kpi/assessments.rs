//! KPI assessments as RDF in `graph/kpi`: SAREF4CITY `s4city:KeyPerformanceIndicatorAssessment`
//! nodes with the value (`saref:hasValue`), unit (`saref:isMeasuredIn`), period
//! (`s4city:hasCalculationPeriod`, a reference.data.gov.uk year), the city assessed, the KPI
//! (`s4city:quantifiesKPI`), whether it was computed or reported, and its evidence: the
//! formula, data capture, notes, and `prov:wasDerivedFrom` the rollup datasets and profile
//! version (computed) or `dcterms:source` (reported).

use crate::core::config::BaseIri;
use crate::core::vocab::{self, city};
use crate::storage::describe::ReadQuads;
use crate::storage::{StoreError, Tx};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Computed,
    Reported,
}

/// One assessment, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    pub iri: String,
    pub kpi: String,
    /// The method's slug (`EN-EN-AQ-1C-pm25`) for a computed one.
    pub method: Option<String>,
    pub label: String,
    pub year: i32,
    pub status: Status,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub assesses: String,
    pub capture: Option<f64>,
    pub guideline: Option<f64>,
    pub pollutant: Option<String>,
    pub formula: Option<String>,
    pub source: Option<String>,
    pub notes: Vec<String>,
    pub derived_from: Vec<String>,
    pub created: String,
}

/// `{base}id/kpi/{slug}/{year}`: a computed assessment.
pub fn computed_node(base: &BaseIri, slug: &str, year: i32) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("id/kpi/{slug}/{year}")))
}

/// `{base}id/kpi/{code}/{year}/reported`: a reported assessment (`code` as in the KPI IRI).
pub fn reported_node(base: &BaseIri, code: &str, year: i32) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("id/kpi/{code}/{year}/reported")))
}

/// `http://reference.data.gov.uk/id/year/{year}`.
pub fn year_interval(year: i32) -> NamedNode {
    NamedNode::new_unchecked(format!("{}year/{year}", vocab::INTERVALS))
}

fn decimal(value: f64) -> Term {
    Literal::new_typed_literal(format!("{value}"), xsd::DOUBLE).into()
}

fn text(value: &str) -> Term {
    Literal::new_simple_literal(value).into()
}

/// The quads of an assessment in `graph`.
pub fn quads(assessment: &Assessment, graph: &NamedNode) -> Vec<Quad> {
    let node = NamedNode::new_unchecked(assessment.iri.clone());
    let g = GraphName::from(graph.clone());
    let at = |p: NamedNodeRef<'_>, o: Term| Quad::new(node.clone(), p, o, g.clone());
    let mut out = vec![
        at(rdf::TYPE, vocab::S4CITY_KPI_ASSESSMENT.into_owned().into()),
        at(
            vocab::S4CITY_QUANTIFIES_KPI,
            NamedNode::new_unchecked(assessment.kpi.clone()).into(),
        ),
        at(
            vocab::S4CITY_ASSESSES,
            NamedNode::new_unchecked(assessment.assesses.clone()).into(),
        ),
        at(
            vocab::S4CITY_HAS_CALCULATION_PERIOD,
            year_interval(assessment.year).into(),
        ),
        at(
            vocab::S4CITY_HAS_CREATION_DATE,
            Literal::new_typed_literal(&assessment.created, xsd::DATE_TIME).into(),
        ),
        at(
            city::KPI_STATUS,
            match assessment.status {
                Status::Computed => city::COMPUTED,
                Status::Reported => city::REPORTED,
            }
            .into_owned()
            .into(),
        ),
        at(vocab::RDFS_LABEL, text(&assessment.label)),
    ];
    if let Some(value) = assessment.value {
        out.push(at(vocab::SAREF_HAS_VALUE, decimal(value)));
    }
    if let Some(unit) = &assessment.unit {
        out.push(at(
            vocab::SAREF_IS_MEASURED_IN,
            NamedNode::new_unchecked(unit.clone()).into(),
        ));
    }
    if let Some(method) = &assessment.method {
        out.push(at(
            vocab::DCT_CONFORMS_TO,
            NamedNode::new_unchecked(format!("https://w3id.org/citykg/kpi-method/{method}")).into(),
        ));
    }
    for (predicate, value) in [
        (city::DATA_CAPTURE, assessment.capture),
        (city::GUIDELINE_VALUE, assessment.guideline),
    ] {
        if let Some(value) = value {
            out.push(at(predicate, decimal(value)));
        }
    }
    if let Some(pollutant) = &assessment.pollutant {
        out.push(at(
            city::POLLUTANT,
            NamedNode::new_unchecked(pollutant.clone()).into(),
        ));
    }
    if let Some(formula) = &assessment.formula {
        out.push(at(city::FORMULA, text(formula)));
    }
    if let Some(source) = &assessment.source {
        out.push(at(vocab::DCT_SOURCE, text(source)));
    }
    for note in &assessment.notes {
        out.push(at(city::KPI_NOTE, text(note)));
    }
    for from in &assessment.derived_from {
        out.push(at(
            vocab::PROV_WAS_DERIVED_FROM,
            NamedNode::new_unchecked(from.clone()).into(),
        ));
    }
    out
}

/// Replaces the stored assessment with the same IRI by `assessment`.
pub fn put(tx: &mut Tx<'_>, assessment: &Assessment, graph: &NamedNode) -> Result<(), StoreError> {
    remove(tx, &NamedNode::new_unchecked(assessment.iri.clone()), graph)?;
    for quad in quads(assessment, graph) {
        tx.insert(&quad)?;
    }
    Ok(())
}

/// Removes an assessment; whether there was one.
pub fn remove(tx: &mut Tx<'_>, node: &NamedNode, graph: &NamedNode) -> Result<bool, StoreError> {
    let old: Vec<Quad> = tx
        .quads(
            Some(node.as_ref().into()),
            None,
            None,
            Some(graph.as_ref().into()),
        )
        .collect::<Result<_, _>>()?;
    for quad in &old {
        tx.remove(quad)?;
    }
    Ok(!old.is_empty())
}

/// Every stored assessment, by KPI, year and IRI.
pub fn all(reader: &impl ReadQuads, graph: &NamedNode) -> Result<Vec<Assessment>, StoreError> {
    let g = Some(graph.as_ref().into());
    let mut out = Vec::new();
    for quad in reader.read(
        None,
        Some(rdf::TYPE),
        Some(vocab::S4CITY_KPI_ASSESSMENT.into()),
        g,
    ) {
        let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
            continue;
        };
        let mut a = Assessment {
            iri: node.as_str().to_owned(),
            kpi: String::new(),
            method: None,
            label: String::new(),
            year: 0,
            status: Status::Computed,
            value: None,
            unit: None,
            assesses: String::new(),
            capture: None,
            guideline: None,
            pollutant: None,
            formula: None,
            source: None,
            notes: Vec::new(),
            derived_from: Vec::new(),
            created: String::new(),
        };
        for quad in reader.read(Some(node.as_ref().into()), None, None, g) {
            let quad = quad?;
            let p = quad.predicate.as_ref();
            match &quad.object {
                Term::NamedNode(n) => {
                    let v = n.as_str().to_owned();
                    if p == vocab::S4CITY_QUANTIFIES_KPI {
                        a.kpi = v;
                    } else if p == vocab::S4CITY_ASSESSES {
                        a.assesses = v;
                    } else if p == vocab::S4CITY_HAS_CALCULATION_PERIOD {
                        a.year = v
                            .rsplit('/')
                            .next()
                            .and_then(|y| y.parse().ok())
                            .unwrap_or(0);
                    } else if p == city::KPI_STATUS {
                        a.status = if n.as_ref() == city::REPORTED {
                            Status::Reported
                        } else {
                            Status::Computed
                        };
                    } else if p == vocab::SAREF_IS_MEASURED_IN {
                        a.unit = Some(v);
                    } else if p == vocab::DCT_CONFORMS_TO {
                        a.method = v.rsplit('/').next().map(str::to_owned);
                    } else if p == city::POLLUTANT {
                        a.pollutant = Some(v);
                    } else if p == vocab::PROV_WAS_DERIVED_FROM {
                        a.derived_from.push(v);
                    }
                }
                Term::Literal(l) => {
                    let v = l.value();
                    if p == vocab::SAREF_HAS_VALUE {
                        a.value = v.parse().ok();
                    } else if p == city::DATA_CAPTURE {
                        a.capture = v.parse().ok();
                    } else if p == city::GUIDELINE_VALUE {
                        a.guideline = v.parse().ok();
                    } else if p == city::FORMULA {
                        a.formula = Some(v.to_owned());
                    } else if p == vocab::DCT_SOURCE {
                        a.source = Some(v.to_owned());
                    } else if p == city::KPI_NOTE {
                        a.notes.push(v.to_owned());
                    } else if p == vocab::RDFS_LABEL {
                        a.label = v.to_owned();
                    } else if p == vocab::S4CITY_HAS_CREATION_DATE {
                        a.created = v.to_owned();
                    }
                }
                Term::BlankNode(_) => {}
            }
        }
        a.notes.sort();
        a.derived_from.sort();
        out.push(a);
    }
    out.sort_by(|a, b| (&a.kpi, a.year, &a.iri).cmp(&(&b.kpi, b.year, &b.iri)));
    Ok(out)
}
