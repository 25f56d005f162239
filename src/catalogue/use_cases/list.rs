//! `GET /use-cases`: filters and paging over the catalogue's in-memory index (`index.rs`),
//! never one store query per use case.

use oxigraph::model::{Literal, NamedOrBlankNode, Term, TermRef};
use serde::Serialize;

use super::index::Entry;
use super::{Catalog, CatalogError};
use crate::core::vocab as v;

/// Largest page a client may ask for.
pub const MAX_PAGE_SIZE: usize = 200;
pub const DEFAULT_PAGE_SIZE: usize = 20;

/// Filters: values within one filter are alternatives (OR), filters combine with AND.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// Vertical slugs (`energy`) or concept IRIs.
    pub vertical: Vec<String>,
    /// ISO 3166-1 alpha-2 codes, any case.
    pub country: Vec<String>,
    /// Goal numbers (`7`) or SDG IRIs.
    pub sdg: Vec<String>,
    /// KPI codes as written (`EN: EN: AQ: 1C`), their IRI segment (`EN-EN-AQ-1C`) or IRIs.
    pub kpi: Vec<String>,
    /// Standard IRIs, or their label in the shipped code list (`SAREF`, `LoRaWAN`).
    pub standard: Vec<String>,
    /// Maturity slugs (`pilot`) or IRIs.
    pub maturity: Vec<String>,
    /// Text in a title or description, case-insensitive.
    pub q: Option<String>,
    /// 1-based.
    pub page: usize,
    pub page_size: usize,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListPage {
    pub total: usize,
    pub page: usize,
    pub page_size: usize,
    pub items: Vec<Summary>,
}

impl ListPage {
    pub fn last_page(&self) -> usize {
        self.total.div_ceil(self.page_size.max(1)).max(1)
    }
}

/// What a list shows of one use case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    pub id: String,
    pub iri: String,
    pub title: String,
    pub description: String,
    pub verticals: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maturity: Option<String>,
    /// The catalogue record's `dct:modified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// The remote catalogue, for harvested use cases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub harvested_from: Option<String>,
}

pub(super) fn list(catalog: &Catalog, query: &ListQuery) -> Result<ListPage, CatalogError> {
    let page_size = query.page_size.clamp(1, MAX_PAGE_SIZE);
    let page = query.page.max(1);
    let index = catalog.index()?;
    let wanted =
        |values: &[String], to_iri: &dyn Fn(&str) -> Option<String>| -> Option<Vec<String>> {
            (!values.is_empty()).then(|| values.iter().filter_map(|s| to_iri(s)).collect())
        };
    let verticals = wanted(&query.vertical, &|s| concept(s, v::VERTICAL_SCHEME));
    let sdgs = wanted(&query.sdg, &|s| concept(s, v::SDG_SCHEME));
    let kpis = wanted(&query.kpi, &|s| kpi(s));
    let maturity = wanted(&query.maturity, &|s| concept(s, v::MATURITY_SCHEME));
    let standards = wanted(&query.standard, &|s| standard(catalog, s));
    let countries = wanted(&query.country, &|s| Some(s.trim().to_ascii_uppercase()));
    let text = query
        .q
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_lowercase);
    let any = |filter: &Option<Vec<String>>, have: &[String]| {
        filter
            .as_ref()
            .is_none_or(|wanted| have.iter().any(|h| wanted.contains(h)))
    };
    let matching: Vec<&Entry> = index
        .entries
        .iter()
        .filter(|e| {
            any(&verticals, &e.verticals)
                && any(&sdgs, &e.sdgs)
                && any(&kpis, &e.kpis)
                && any(&maturity, &e.maturity)
                && any(&standards, &e.standards)
                && any(&countries, &e.countries)
                && text.as_deref().is_none_or(|t| e.text.contains(t))
        })
        .collect();
    let items = matching
        .iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .map(|e| e.summary.clone())
        .collect();
    Ok(ListPage {
        total: matching.len(),
        page,
        page_size,
        items,
    })
}

/// `slug` or a full IRI in `scheme`.
fn concept(value: &str, scheme: &str) -> Option<String> {
    let value = value.trim();
    if value.contains("://") {
        Some(value.to_owned())
    } else {
        Some(format!("{scheme}{value}"))
    }
}

fn kpi(value: &str) -> Option<String> {
    let value = value.trim();
    if value.contains("://") {
        return Some(value.to_owned());
    }
    let segment = value.replace(": ", "-").replace(' ', "").replace(':', "-");
    Some(format!("{}{segment}", v::KPI_SCHEME))
}

/// An IRI, or a standard found by its label in the shipped code list (`graph/ontology/verticals`).
fn standard(catalog: &Catalog, value: &str) -> Option<String> {
    let value = value.trim();
    if value.contains("://") {
        return Some(value.to_owned());
    }
    let graph = crate::core::graphs::ontology_graph(catalog.base(), "verticals").ok()?;
    let wanted = value.to_lowercase();
    catalog
        .store()
        .quads(None, Some(v::RDFS_LABEL), None, Some(graph.as_ref().into()))
        .filter_map(Result::ok)
        .find(|q| matches!(&q.object, Term::Literal(l) if l.value().to_lowercase() == wanted))
        .and_then(|q| match q.subject {
            NamedOrBlankNode::NamedNode(n) => Some(n.into_string()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
}

/// The English text if there is one, else the first (by language tag, for stable output).
pub(super) fn pick_text(terms: &[Term]) -> Option<String> {
    let mut literals: Vec<&Literal> = terms
        .iter()
        .filter_map(|t| match t {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    literals.sort_by_key(|l| (l.language() != Some("en"), l.language().map(str::to_owned)));
    literals.first().map(|l| l.value().to_owned())
}

pub(super) fn slug(term: &Term, scheme: &str) -> Option<String> {
    match term.as_ref() {
        TermRef::NamedNode(n) => n.as_str().strip_prefix(scheme).map(str::to_owned),
        _ => None,
    }
}
