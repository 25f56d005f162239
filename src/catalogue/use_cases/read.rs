//! Reading one use case back: its description as quads (the use case, the nodes under its IRI
//! and blank nodes reachable from it, its catalogue records), and a view for its HTML page with
//! labels from the loaded code lists and the assessment's measurements.

use crate::storage::StoreError;
use crate::storage::describe::owned_quads;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};
use serde::Serialize;

use super::list::pick_text;
use super::{Catalog, CatalogError};
use crate::core::ids::{UseCaseId, use_case_iri};
use crate::core::vocab as v;

/// The use case's node: the local IRI, else a harvested use case with that identifier.
pub(super) fn find(
    catalog: &Catalog,
    id: &UseCaseId,
) -> Result<Option<NamedOrBlankNode>, StoreError> {
    let graph: GraphNameRef<'_> = catalog.graph().as_ref().into();
    let store = catalog.store();
    let local = use_case_iri(catalog.base(), id);
    let is_use_case = |s: &NamedOrBlankNode| {
        store.contains(oxigraph::model::QuadRef::new(
            s.as_ref(),
            rdf::TYPE,
            v::USE_CASE,
            graph,
        ))
    };
    let local = NamedOrBlankNode::from(local);
    if is_use_case(&local)? {
        return Ok(Some(local));
    }
    let literal = Literal::new_simple_literal(id.as_str());
    for quad in store.quads(
        None,
        Some(v::DCT_IDENTIFIER),
        Some(literal.as_ref().into()),
        Some(graph),
    ) {
        let subject = quad?.subject;
        if is_use_case(&subject)? {
            return Ok(Some(subject));
        }
    }
    Ok(None)
}

pub(super) fn describe(
    catalog: &Catalog,
    id: &UseCaseId,
) -> Result<Option<Vec<Quad>>, CatalogError> {
    let Some(node) = find(catalog, id)? else {
        return Ok(None);
    };
    Ok(Some(quads_of(catalog, &node)?))
}

/// Every quad of the use case's description: itself, its records, and what they own.
pub fn quads_of(catalog: &Catalog, node: &NamedOrBlankNode) -> Result<Vec<Quad>, StoreError> {
    let graph: GraphNameRef<'_> = catalog.graph().as_ref().into();
    let store = catalog.store();
    let mut roots = vec![node.clone()];
    let node_term = Term::from(node.clone());
    for quad in store.quads(
        None,
        Some(v::FOAF_PRIMARY_TOPIC),
        Some(node_term.as_ref()),
        Some(graph),
    ) {
        roots.push(quad?.subject);
    }
    owned_quads(store, graph, roots)
}

/// A labelled link for the page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub iri: String,
    pub label: String,
    /// A local page for it, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TextValue {
    pub language: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Measurement {
    pub metric: String,
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
}

/// What the HTML page of a use case shows.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, Default)]
pub struct UseCaseView {
    pub id: String,
    pub iri: String,
    pub title: String,
    pub titles: Vec<TextValue>,
    pub description: String,
    pub descriptions: Vec<TextValue>,
    pub verticals: Vec<Link>,
    pub sdgs: Vec<Link>,
    pub kpis: Vec<Link>,
    pub properties: Vec<Link>,
    pub maturity: Option<Link>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub centroid: Option<String>,
    pub publisher: Option<String>,
    pub contact: Option<String>,
    pub contact_email: Option<String>,
    pub stakeholders: Vec<Link>,
    pub standards: Vec<Link>,
    pub device_types: Vec<String>,
    pub vendor_formats: Vec<String>,
    pub mappings: Vec<Link>,
    pub data_graphs: Vec<Link>,
    pub license: Option<Link>,
    pub issued: Option<String>,
    pub modified: Option<String>,
    pub keywords: Vec<String>,
    pub measurements: Vec<Measurement>,
    pub harvested_from: Option<String>,
}

pub fn view(catalog: &Catalog, id: &UseCaseId) -> Result<Option<UseCaseView>, CatalogError> {
    let Some(node) = find(catalog, id)? else {
        return Ok(None);
    };
    let quads = quads_of(catalog, &node)?;
    let graph: oxigraph::model::Graph = quads
        .iter()
        .map(|q| oxigraph::model::TripleRef::from(q.as_ref()))
        .collect();
    let objects = |s: &NamedOrBlankNode, p: NamedNodeRef<'_>| -> Vec<Term> {
        graph
            .objects_for_subject_predicate(s, p)
            .map(|t| t.into_owned())
            .collect()
    };
    let first_text = |s: &NamedOrBlankNode, p: NamedNodeRef<'_>| pick_text(&objects(s, p));
    let texts = |p: NamedNodeRef<'_>| -> Vec<TextValue> {
        let mut all: Vec<TextValue> = objects(&node, p)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(TextValue {
                    language: l.language().unwrap_or_default().to_owned(),
                    value: l.value().to_owned(),
                }),
                _ => None,
            })
            .collect();
        all.sort_by(|a, b| {
            (a.language != "en", &a.language).cmp(&(b.language != "en", &b.language))
        });
        all
    };
    let labels = Labels { catalog };
    let links = |p: NamedNodeRef<'_>| -> Result<Vec<Link>, StoreError> {
        let mut links: Vec<Link> = objects(&node, p)
            .iter()
            .filter_map(|t| match t {
                Term::NamedNode(n) => Some(n.clone()),
                _ => None,
            })
            .map(|n| labels.link(&n))
            .collect::<Result<_, _>>()?;
        links.sort_by(|a, b| a.iri.cmp(&b.iri));
        Ok(links)
    };
    let sub = |p: NamedNodeRef<'_>| -> Option<NamedOrBlankNode> {
        objects(&node, p).into_iter().find_map(|t| match t {
            Term::NamedNode(n) => Some(n.into()),
            Term::BlankNode(b) => Some(b.into()),
            _ => None,
        })
    };
    let literals = |p: NamedNodeRef<'_>| -> Vec<String> {
        let mut all: Vec<String> = objects(&node, p)
            .into_iter()
            .filter_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            })
            .collect();
        all.sort();
        all
    };
    let mut view = UseCaseView {
        id: id.to_string(),
        iri: match &node {
            NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
            other => other.to_string(),
        },
        title: first_text(&node, v::DCT_TITLE).unwrap_or_default(),
        titles: texts(v::DCT_TITLE),
        description: first_text(&node, v::DCT_DESCRIPTION).unwrap_or_default(),
        descriptions: texts(v::DCT_DESCRIPTION),
        verticals: links(v::VERTICAL)?,
        sdgs: links(v::SDG)?,
        kpis: links(v::SUPPORTS_KPI)?,
        properties: links(v::REQUIRES_PROPERTY)?,
        standards: links(v::DCT_CONFORMS_TO)?,
        device_types: literals(v::DEVICE_TYPE),
        vendor_formats: literals(v::VENDOR_FORMAT),
        keywords: literals(v::DCAT_KEYWORD),
        issued: literals(v::DCT_ISSUED).into_iter().next(),
        modified: literals(v::DCT_MODIFIED).into_iter().next(),
        ..UseCaseView::default()
    };
    view.maturity = links(v::MATURITY)?.into_iter().next();
    view.license = links(v::DCT_LICENSE)?.into_iter().next();
    let base = catalog.base();
    view.mappings = links(v::USES_MAPPING)?
        .into_iter()
        .map(|mut l| {
            if let Some(id) = crate::core::ids::mapping_id_of(base, &l.iri) {
                l.label = id.to_string();
                l.href = Some(format!("/mappings/{id}"));
            }
            l
        })
        .collect();
    view.data_graphs = objects(&node, v::DATA_GRAPH)
        .into_iter()
        .filter_map(|t| match t {
            Term::NamedNode(n) => Some(Link {
                label: n.as_str().to_owned(),
                href: Some(format!(
                    "/store?graph={}",
                    form_urlencoded::byte_serialize(n.as_str().as_bytes()).collect::<String>()
                )),
                iri: n.into_string(),
                note: None,
            }),
            _ => None,
        })
        .collect();
    if let Some(place) = sub(v::DCT_SPATIAL) {
        view.place = first_text(&place, v::SKOS_PREF_LABEL);
        view.country = objects(&place, v::COUNTRY_CODE)
            .iter()
            .find_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
        view.centroid = objects(&place, v::DCAT_CENTROID)
            .iter()
            .find_map(|t| match t {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
    }
    if let Some(publisher) = sub(v::DCT_PUBLISHER) {
        view.publisher = first_text(&publisher, v::FOAF_NAME);
    }
    if let Some(contact) = sub(v::DCAT_CONTACT_POINT) {
        view.contact = first_text(&contact, v::VCARD_FN);
        view.contact_email = objects(&contact, v::VCARD_HAS_EMAIL)
            .iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => Some(n.as_str().trim_start_matches("mailto:").to_owned()),
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
    }
    for stakeholder in objects(&node, v::STAKEHOLDER) {
        let Some(s) = (match stakeholder {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n)),
            Term::BlankNode(b) => Some(b.into()),
            _ => None,
        }) else {
            continue;
        };
        view.stakeholders.push(Link {
            iri: s.to_string(),
            label: first_text(&s, v::FOAF_NAME).unwrap_or_default(),
            href: None,
            note: first_text(&s, v::STAKEHOLDER_ROLE),
        });
    }
    view.stakeholders.sort_by(|a, b| a.label.cmp(&b.label));
    for measurement in objects(&node, v::DQV_HAS_QUALITY_MEASUREMENT) {
        let Some(m) = (match measurement {
            Term::NamedNode(n) => Some(NamedOrBlankNode::from(n)),
            Term::BlankNode(b) => Some(b.into()),
            _ => None,
        }) else {
            continue;
        };
        let metric = objects(&m, v::DQV_IS_MEASUREMENT_OF)
            .into_iter()
            .find_map(|t| match t {
                Term::NamedNode(n) => Some(n),
                _ => None,
            });
        let value = objects(&m, v::DQV_VALUE).into_iter().find_map(|t| match t {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        });
        let level = objects(&m, v::LEVEL).into_iter().find_map(|t| match t {
            Term::NamedNode(n) => {
                Some(n.as_str().rsplit('/').next().unwrap_or_default().to_owned())
            }
            _ => None,
        });
        if let (Some(metric), Some(value)) = (metric, value) {
            view.measurements.push(Measurement {
                metric: labels.label(&metric)?,
                value,
                level,
            });
        }
    }
    view.measurements.sort_by(|a, b| a.metric.cmp(&b.metric));
    let node_term = Term::from(node.clone());
    view.harvested_from = graph
        .subjects_for_predicate_object(v::FOAF_PRIMARY_TOPIC, &node_term)
        .flat_map(|r| graph.objects_for_subject_predicate(r, v::HARVESTED_FROM))
        .find_map(|t| match t {
            oxigraph::model::TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        });
    Ok(Some(view))
}

/// Labels from every graph of the store (the code lists live in `graph/ontology/*`).
struct Labels<'a> {
    catalog: &'a Catalog,
}

impl Labels<'_> {
    fn label(&self, iri: &NamedNode) -> Result<String, StoreError> {
        for predicate in [v::SKOS_PREF_LABEL, v::RDFS_LABEL, v::DCT_TITLE] {
            let found: Vec<Term> = self
                .catalog
                .store()
                .quads(Some(iri.as_ref().into()), Some(predicate), None, None)
                .map(|q| q.map(|q| q.object))
                .collect::<Result<_, _>>()?;
            if let Some(text) = pick_text(&found) {
                return Ok(text);
            }
        }
        Ok(iri
            .as_str()
            .trim_end_matches('/')
            .rsplit(['/', '#'])
            .next()
            .unwrap_or(iri.as_str())
            .to_owned())
    }

    fn link(&self, iri: &NamedNode) -> Result<Link, StoreError> {
        let notation = self
            .catalog
            .store()
            .quads(
                Some(iri.as_ref().into()),
                Some(v::SKOS_NOTATION),
                None,
                None,
            )
            .next()
            .transpose()?
            .and_then(|q| match q.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            });
        Ok(Link {
            iri: iri.as_str().to_owned(),
            label: self.label(iri)?,
            href: None,
            note: notation,
        })
    }
}
