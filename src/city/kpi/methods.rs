//! The KPI methods, read from `ontologies/kpi-methods.ttl` (compiled in, so that every
//! instance computes the same way; the same file is loaded into `graph/ontology/kpi-methods`
//! for SPARQL clients).

use crate::core::vocab;
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, TermRef};

const TEXT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/ontologies/kpi-methods.ttl"
));

const NS: &str = "https://w3id.org/citykg/ns#";

/// The calculations citykg knows (`citykg:Calculation` individuals).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calculation {
    AnnualMeanOfSensors,
    VolumePerCapitaPerDay,
    EnergyPerCapita,
    EnergyPerFloorArea,
    TravelTimeIndex,
    SupplyLoss,
    MonitoredStreetShare,
    SmartMeterShare,
    PopulationAboveLevel,
}

impl Calculation {
    fn from_iri(iri: &str) -> Option<Self> {
        Some(match iri.strip_prefix(NS)? {
            "AnnualMeanOfSensors" => Self::AnnualMeanOfSensors,
            "VolumePerCapitaPerDay" => Self::VolumePerCapitaPerDay,
            "EnergyPerCapita" => Self::EnergyPerCapita,
            "EnergyPerFloorArea" => Self::EnergyPerFloorArea,
            "TravelTimeIndex" => Self::TravelTimeIndex,
            "SupplyLoss" => Self::SupplyLoss,
            "MonitoredStreetShare" => Self::MonitoredStreetShare,
            "SmartMeterShare" => Self::SmartMeterShare,
            "PopulationAboveLevel" => Self::PopulationAboveLevel,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Method {
    pub iri: NamedNode,
    /// The last segment of the IRI (`EN-EN-AQ-1C-pm25`).
    pub slug: String,
    pub label: String,
    pub kpi: NamedNode,
    pub calculation: Calculation,
    pub properties: Vec<NamedNode>,
    pub figures: Vec<NamedNode>,
    pub unit: NamedNode,
    pub guideline: Option<f64>,
    pub min_capture: Option<f64>,
    pub formula: String,
}

fn term<'a>(graph: &'a Graph, subject: NamedNodeRef<'_>, predicate: &str) -> Option<TermRef<'a>> {
    graph.object_for_subject_predicate(
        NamedOrBlankNodeRef::from(subject),
        NamedNodeRef::new_unchecked(predicate),
    )
}

fn named_all(graph: &Graph, subject: NamedNodeRef<'_>, predicate: &str) -> Vec<NamedNode> {
    let mut out: Vec<NamedNode> = graph
        .objects_for_subject_predicate(subject, NamedNodeRef::new_unchecked(predicate))
        .filter_map(|t| match t {
            TermRef::NamedNode(n) => Some(n.into_owned()),
            _ => None,
        })
        .collect();
    out.sort();
    out
}

fn text_of(term: Option<TermRef<'_>>) -> Option<String> {
    match term {
        Some(TermRef::Literal(l)) => Some(l.value().to_owned()),
        _ => None,
    }
}

fn number_of(term: Option<TermRef<'_>>) -> Option<f64> {
    text_of(term)?.parse().ok()
}

/// The shipped file is broken (a test keeps it from happening; a start says so if it does).
#[derive(Debug, thiserror::Error)]
#[error("ontologies/kpi-methods.ttl: {0}")]
pub struct MethodsError(String);

/// Every method, sorted by IRI.
pub fn all() -> Result<Vec<Method>, MethodsError> {
    parse(TEXT)
}

fn parse(text: &str) -> Result<Vec<Method>, MethodsError> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        let quad = quad.map_err(|e| MethodsError(e.to_string()))?;
        graph.insert(&oxigraph::model::Triple::from(quad));
    }
    let class = NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#KpiMethod");
    let nodes: Vec<NamedNodeRef<'_>> = graph
        .subjects_for_predicate_object(rdf::TYPE, class)
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        })
        .collect();
    let mut methods = Vec::with_capacity(nodes.len());
    for node in nodes {
        let iri = node.as_str();
        let named = |p: &str| match term(&graph, node, p) {
            Some(TermRef::NamedNode(n)) => Ok(n.into_owned()),
            _ => Err(MethodsError(format!("the method {iri} lacks {p}"))),
        };
        let calculation = named(&format!("{NS}calculation"))?;
        let properties = named_all(&graph, node, &format!("{NS}inputProperty"));
        if properties.is_empty() {
            return Err(MethodsError(format!(
                "the method {iri} has no input property"
            )));
        }
        methods.push(Method {
            iri: node.into_owned(),
            slug: iri.rsplit('/').next().unwrap_or(iri).to_owned(),
            label: text_of(term(&graph, node, vocab::RDFS_LABEL.as_str())).unwrap_or_default(),
            kpi: named(&format!("{NS}forKpi"))?,
            calculation: Calculation::from_iri(calculation.as_str()).ok_or_else(|| {
                MethodsError(format!(
                    "the method {iri} names an unknown calculation {calculation}"
                ))
            })?,
            properties,
            figures: named_all(&graph, node, &format!("{NS}inputFigure")),
            unit: named(&format!("{NS}unit"))?,
            guideline: number_of(term(&graph, node, &format!("{NS}guidelineValue"))),
            min_capture: number_of(term(&graph, node, &format!("{NS}minDataCapture"))),
            formula: text_of(term(&graph, node, &format!("{NS}formula"))).unwrap_or_default(),
        });
    }
    methods.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(methods)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_methods_cover_the_kpis_the_issue_lists() {
        let methods = all().unwrap();
        let kpis: std::collections::BTreeSet<&str> =
            methods.iter().map(|m| m.kpi.as_str()).collect();
        for code in [
            "EN-EN-AQ-1C",
            "EN-EN-WS-2C",
            "EN-E-E-2C",
            "EN-E-E-4A",
            "EC-I-T-5A",
            "EC-I-WS-3C",
            "EC-ICT-T-2C",
            "EC-ICT-WS-1C",
            "EC-ICT-ES-1C",
            "EN-EN-EQ-2A",
        ] {
            assert!(
                kpis.contains(format!("https://w3id.org/citykg/kpi/{code}").as_str()),
                "{code}"
            );
        }
        assert_eq!(
            methods
                .iter()
                .filter(|m| m.kpi.as_str().ends_with("AQ-1C"))
                .count(),
            3,
            "one air pollution method per pollutant"
        );
        assert!(
            methods
                .iter()
                .all(|m| !m.formula.is_empty() && !m.properties.is_empty())
        );
    }
}
