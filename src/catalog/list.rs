//! `GET /use-cases`: filters and paging over `graph/catalog` without one query per use case.
//! Each filter is one index scan (predicate + object, or predicate alone for text) giving a
//! set of use cases; the sets are intersected, sorted by IRI, and only the page's items are
//! read in full.

use std::collections::HashSet;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef,
};
use oxigraph::store::StorageError;
use serde::Serialize;

use super::id::id_of;
use super::vocab as v;
use super::{Catalog, CatalogError};

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

type Set = HashSet<NamedOrBlankNode>;

pub(super) fn list(catalog: &Catalog, query: &ListQuery) -> Result<ListPage, CatalogError> {
    let page_size = query.page_size.clamp(1, MAX_PAGE_SIZE);
    let page = query.page.max(1);
    let scan = Scan {
        catalog,
        graph: catalog.graph().as_ref().into(),
    };
    let mut matching = scan.subjects(rdf::TYPE, &[v::USE_CASE.into_owned().into()])?;
    let filters: [(&[String], NamedNodeRef<'_>, fn(&Scan<'_>, &str) -> Option<Term>); 5] = [
        (&query.vertical, v::VERTICAL, |_, s| {
            concept(s, v::VERTICAL_SCHEME)
        }),
        (&query.sdg, v::SDG, |_, s| concept(s, v::SDG_SCHEME)),
        (&query.kpi, v::SUPPORTS_KPI, |_, s| kpi(s)),
        (&query.maturity, v::MATURITY, |_, s| {
            concept(s, v::MATURITY_SCHEME)
        }),
        (&query.standard, v::DCT_CONFORMS_TO, |scan, s| scan.standard(s)),
    ];
    for (values, predicate, to_term) in filters {
        if values.is_empty() {
            continue;
        }
        let objects: Vec<Term> = values.iter().filter_map(|s| to_term(&scan, s)).collect();
        let found = scan.subjects(predicate, &objects)?;
        matching.retain(|s| found.contains(s));
    }
    if !query.country.is_empty() {
        let codes: Vec<Term> = query
            .country
            .iter()
            .map(|c| Literal::new_simple_literal(c.trim().to_ascii_uppercase()).into())
            .collect();
        let places: Vec<Term> = scan
            .subjects(v::COUNTRY_CODE, &codes)?
            .into_iter()
            .map(Term::from)
            .collect();
        let found = scan.subjects(v::DCT_SPATIAL, &places)?;
        matching.retain(|s| found.contains(s));
    }
    if let Some(text) = query.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let found = scan.text(text)?;
        matching.retain(|s| found.contains(s));
    }
    let mut sorted: Vec<NamedOrBlankNode> = matching.into_iter().collect();
    sorted.sort_by_cached_key(ToString::to_string);
    let total = sorted.len();
    let items = sorted
        .iter()
        .skip((page - 1).saturating_mul(page_size))
        .take(page_size)
        .map(|s| scan.summary(s))
        .collect::<Result<_, _>>()?;
    Ok(ListPage {
        total,
        page,
        page_size,
        items,
    })
}

/// `slug` or a full IRI in `scheme`.
fn concept(value: &str, scheme: &str) -> Option<Term> {
    let value = value.trim();
    let iri = if value.contains("://") {
        value.to_owned()
    } else {
        format!("{scheme}{value}")
    };
    NamedNode::new(iri).ok().map(Term::from)
}

fn kpi(value: &str) -> Option<Term> {
    let value = value.trim();
    if value.contains("://") {
        return NamedNode::new(value).ok().map(Term::from);
    }
    let segment = value.replace(": ", "-").replace(' ', "").replace(':', "-");
    NamedNode::new(format!("{}{segment}", v::KPI_SCHEME))
        .ok()
        .map(Term::from)
}

struct Scan<'a> {
    catalog: &'a Catalog,
    graph: GraphNameRef<'a>,
}

impl Scan<'_> {
    fn store(&self) -> &oxigraph::store::Store {
        self.catalog.store()
    }

    fn subjects(&self, predicate: NamedNodeRef<'_>, objects: &[Term]) -> Result<Set, StorageError> {
        let mut found = Set::new();
        for object in objects {
            for quad in self.store().quads_for_pattern(
                None,
                Some(predicate),
                Some(object.as_ref()),
                Some(self.graph),
            ) {
                found.insert(quad?.subject);
            }
        }
        Ok(found)
    }

    /// An IRI, or a standard found by its label in the loaded code lists.
    fn standard(&self, value: &str) -> Option<Term> {
        let value = value.trim();
        if value.contains("://") {
            return NamedNode::new(value).ok().map(Term::from);
        }
        let wanted = value.to_lowercase();
        self.store()
            .quads_for_pattern(None, Some(v::RDFS_LABEL), None, None)
            .filter_map(Result::ok)
            .find(|q| matches!(&q.object, Term::Literal(l) if l.value().to_lowercase() == wanted))
            .map(|q| Term::from(q.subject))
    }

    fn text(&self, text: &str) -> Result<Set, StorageError> {
        let wanted = text.to_lowercase();
        let mut found = Set::new();
        for predicate in [v::DCT_TITLE, v::DCT_DESCRIPTION] {
            for quad in self
                .store()
                .quads_for_pattern(None, Some(predicate), None, Some(self.graph))
            {
                let quad = quad?;
                if let Term::Literal(l) = &quad.object {
                    if contains_ignoring_case(l.value(), &wanted) {
                        found.insert(quad.subject);
                    }
                }
            }
        }
        Ok(found)
    }

    fn objects(
        &self,
        subject: &NamedOrBlankNode,
        predicate: NamedNodeRef<'_>,
    ) -> Result<Vec<Term>, StorageError> {
        self.store()
            .quads_for_pattern(Some(subject.as_ref()), Some(predicate), None, Some(self.graph))
            .map(|q| q.map(|q| q.object))
            .collect()
    }

    fn summary(&self, subject: &NamedOrBlankNode) -> Result<Summary, StorageError> {
        let iri = match subject {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        };
        let identifier = self
            .objects(subject, v::DCT_IDENTIFIER)?
            .into_iter()
            .find_map(|t| literal_value(&t));
        let id = id_of(self.catalog.base(), &iri)
            .map(|id| id.to_string())
            .or(identifier)
            .unwrap_or_else(|| iri.clone());
        let title = pick_text(&self.objects(subject, v::DCT_TITLE)?).unwrap_or_default();
        let description = pick_text(&self.objects(subject, v::DCT_DESCRIPTION)?)
            .map(|d| shorten(&d, 280))
            .unwrap_or_default();
        let mut verticals: Vec<String> = self
            .objects(subject, v::VERTICAL)?
            .iter()
            .filter_map(|t| slug(t, v::VERTICAL_SCHEME))
            .collect();
        verticals.sort();
        let maturity = self
            .objects(subject, v::MATURITY)?
            .iter()
            .find_map(|t| slug(t, v::MATURITY_SCHEME));
        let (mut place, mut country) = (None, None);
        if let Some(spatial) = self.objects(subject, v::DCT_SPATIAL)?.into_iter().next() {
            if let Some(node) = as_subject(spatial) {
                place = pick_text(&self.objects(&node, v::SKOS_PREF_LABEL)?);
                country = self
                    .objects(&node, v::COUNTRY_CODE)?
                    .iter()
                    .find_map(literal_value);
            }
        }
        let (mut modified, mut harvested_from) = (None, None);
        let subject_term = Term::from(subject.clone());
        for record in self.store().quads_for_pattern(
            None,
            Some(v::FOAF_PRIMARY_TOPIC),
            Some(subject_term.as_ref()),
            Some(self.graph),
        ) {
            let record = record?.subject;
            modified = self
                .objects(&record, v::DCT_MODIFIED)?
                .iter()
                .find_map(literal_value);
            harvested_from = self
                .objects(&record, v::HARVESTED_FROM)?
                .into_iter()
                .find_map(|t| match t {
                    Term::NamedNode(n) => Some(n.into_string()),
                    _ => None,
                });
        }
        Ok(Summary {
            id,
            iri,
            title,
            description,
            verticals,
            place,
            country,
            maturity,
            modified,
            harvested_from,
        })
    }
}

fn as_subject(term: Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn literal_value(term: &Term) -> Option<String> {
    match term {
        Term::Literal(l) => Some(l.value().to_owned()),
        _ => None,
    }
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

fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

/// Case-insensitive substring test; `wanted` is already lowercase.
fn contains_ignoring_case(haystack: &str, wanted: &str) -> bool {
    if haystack.is_ascii() && wanted.is_ascii() {
        haystack
            .as_bytes()
            .windows(wanted.len().max(1))
            .any(|w| w.eq_ignore_ascii_case(wanted.as_bytes()))
    } else {
        haystack.to_lowercase().contains(wanted)
    }
}
