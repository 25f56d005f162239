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

/// Every method, in file order of their IRIs (sorted). Panics only if the shipped file is
/// broken, which the unit test below catches.
pub fn all() -> Vec<Method> {
    parse(TEXT)
}

fn parse(text: &str) -> Vec<Method> {
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        graph.insert(&oxigraph::model::Triple::from(
            quad.expect("kpi-methods.ttl parses"),
        ));
    }
    let class = NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#KpiMethod");
    let mut methods: Vec<Method> = graph
        .subjects_for_predicate_object(rdf::TYPE, class)
        .filter_map(|s| match s {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        })
        .map(|node| {
            let iri = node.as_str();
            let named = |p: &str| match term(&graph, node, p) {
                Some(TermRef::NamedNode(n)) => n.into_owned(),
                _ => panic!("KPI method {iri} lacks {p}"),
            };
            Method {
                iri: node.into_owned(),
                slug: iri.rsplit('/').next().unwrap_or(iri).to_owned(),
                label: text_of(term(&graph, node, vocab::RDFS_LABEL.as_str())).unwrap_or_default(),
                kpi: named(&format!("{NS}forKpi")),
                calculation: Calculation::from_iri(named(&format!("{NS}calculation")).as_str())
                    .unwrap_or_else(|| panic!("KPI method {iri}: unknown calculation")),
                properties: named_all(&graph, node, &format!("{NS}inputProperty")),
                figures: named_all(&graph, node, &format!("{NS}inputFigure")),
                unit: named(&format!("{NS}unit")),
                guideline: number_of(term(&graph, node, &format!("{NS}guidelineValue"))),
                min_capture: number_of(term(&graph, node, &format!("{NS}minDataCapture"))),
                formula: text_of(term(&graph, node, &format!("{NS}formula"))).unwrap_or_default(),
            }
        })
        .collect();
    methods.sort_by(|a, b| a.iri.cmp(&b.iri));
    methods
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_methods_cover_the_kpis_the_issue_lists() {
        let methods = all();
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
