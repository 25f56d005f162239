//! The U4SSC self-assessment of a year: every KPI of `ontologies/u4ssc.ttl` (as loaded into
//! the store) with its value, unit, status (computed, reported or missing) and evidence.

use super::assessments::{Assessment, Status};
use crate::core::config::BaseIri;
use crate::core::vocab;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use serde::Serialize;

const NS: &str = "https://w3id.org/citykg/ns#";

/// One KPI of the U4SSC list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiInfo {
    pub iri: String,
    /// The last segment of the IRI: `EN-EN-AQ-1C`.
    pub slug: String,
    /// The code as U4SSC writes it: `EN: EN: AQ: 1C`.
    pub code: String,
    pub name: String,
    pub dimension: String,
    pub sub_dimension: String,
    pub category: String,
    /// `core` or `advanced`.
    pub kind: String,
    pub definition: String,
}

/// Every U4SSC KPI of the shipped list (`graph/ontology/u4ssc`, which only the ontology sync
/// writes), by dimension then code.
pub fn catalogue(reader: &impl ReadQuads, base: &BaseIri) -> Result<Vec<KpiInfo>, StoreError> {
    let Ok(graph) = crate::core::graphs::ontology_graph(base, "u4ssc") else {
        return Ok(Vec::new());
    };
    let g = Some(graph.as_ref().into());
    let mut out: Vec<KpiInfo> = Vec::new();
    for quad in reader.read(None, Some(vocab::SKOS_NOTATION), None, g) {
        let quad = quad?;
        let NamedOrBlankNode::NamedNode(node) = &quad.subject else {
            continue;
        };
        let Some(slug) = node.as_str().strip_prefix(vocab::KPI_SCHEME) else {
            continue;
        };
        if slug.is_empty() || out.iter().any(|k| k.iri == node.as_str()) {
            continue;
        }
        let Term::Literal(code) = &quad.object else {
            continue;
        };
        let text = |predicate: &str| -> Result<String, StoreError> {
            let predicate = NamedNodeRef::new_unchecked(predicate);
            for quad in reader.read(Some(node.as_ref().into()), Some(predicate), None, g) {
                if let Term::Literal(l) = quad?.object {
                    return Ok(l.value().to_owned());
                }
            }
            Ok(String::new())
        };
        out.push(KpiInfo {
            iri: node.as_str().to_owned(),
            slug: slug.to_owned(),
            code: code.value().to_owned(),
            name: text(vocab::SKOS_PREF_LABEL.as_str())?,
            dimension: text(&format!("{NS}kpiDimension"))?,
            sub_dimension: text(&format!("{NS}kpiSubDimension"))?,
            category: text(&format!("{NS}kpiCategory"))?,
            kind: text(&format!("{NS}kpiType"))?,
            definition: text("http://www.w3.org/2004/02/skos/core#definition")?,
        });
    }
    out.sort_by(|a, b| (&a.dimension, &a.code).cmp(&(&b.dimension, &b.code)));
    Ok(out)
}

/// The KPI with code `code`, written as the IRI's last segment (`EN-EN-AQ-1C`) or as U4SSC
/// writes it (`EN: EN: AQ: 1C`).
pub fn find_kpi(
    reader: &impl ReadQuads,
    base: &BaseIri,
    code: &str,
) -> Result<Option<KpiInfo>, StoreError> {
    let wanted: String = code
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == ':' {
                '-'
            } else {
                c.to_ascii_uppercase()
            }
        })
        .collect();
    Ok(catalogue(reader, base)?
        .into_iter()
        .find(|k| k.slug == wanted))
}

/// How a KPI stands in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Standing {
    Computed,
    Reported,
    Missing,
}

/// One line of the self-assessment.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub kpi: KpiInfo,
    pub standing: Standing,
    /// The assessments that give its value (several for air pollution: one per pollutant);
    /// for a missing KPI, the computed ones that found no value, with their notes.
    pub assessments: Vec<Assessment>,
}

/// Every KPI for `year`, by dimension and code.
pub fn rows(catalogue: Vec<KpiInfo>, stored: &[Assessment], year: i32) -> Vec<Row> {
    catalogue
        .into_iter()
        .map(|kpi| {
            let of_year: Vec<&Assessment> = stored
                .iter()
                .filter(|a| a.kpi == kpi.iri && a.year == year)
                .collect();
            let computed: Vec<Assessment> = of_year
                .iter()
                .filter(|a| a.status == Status::Computed)
                .map(|a| (*a).clone())
                .collect();
            let reported: Vec<Assessment> = of_year
                .iter()
                .filter(|a| a.status == Status::Reported)
                .map(|a| (*a).clone())
                .collect();
            let (standing, assessments) = if computed.iter().any(|a| a.value.is_some()) {
                (Standing::Computed, computed)
            } else if !reported.is_empty() {
                (Standing::Reported, reported)
            } else {
                (Standing::Missing, computed)
            };
            Row {
                kpi,
                standing,
                assessments,
            }
        })
        .collect()
}

/// The KPI IRI of a slug.
pub fn kpi_iri(slug: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{slug}", vocab::KPI_SCHEME))
}
