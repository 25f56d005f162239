//! The instance-wide nodes of every page: the `dcat:Catalog`, its publisher, the SPARQL data
//! service. They are stored at start by the catalogue (usecase-model.md); when they are not
//! (yet), the feed describes them itself so that every page stays DCAT-AP conformant. The
//! per-dataset links (`dcat:dataset`, `dcat:record`, `dcat:servesDataset`) are added here for
//! the items of the page only.

use crate::storage::StoreError;
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Literal, NamedNode, Term, Triple};

use super::describe::Describer;
use super::index::Item;
use crate::core::config::BaseIri;
use crate::core::vocab::*;

pub struct Nodes {
    pub catalog: NamedNode,
    pub publisher: NamedNode,
    pub service: NamedNode,
    pub homepage: NamedNode,
    pub endpoint: NamedNode,
}

impl Nodes {
    pub fn new(base: &BaseIri) -> Result<Self, oxigraph::model::IriParseError> {
        Ok(Self {
            catalog: NamedNode::new(base.join("id/catalog"))?,
            publisher: NamedNode::new(base.join("id/catalog/publisher"))?,
            service: NamedNode::new(base.join("id/service/sparql"))?,
            homepage: NamedNode::new(base.as_str())?,
            endpoint: NamedNode::new(base.join("query"))?,
        })
    }
}

fn en(text: &str) -> Literal {
    Literal::new_language_tagged_literal_unchecked(text, "en")
}

/// The catalogue, its publisher and the data service: stored, or the defaults.
pub fn describe(out: &mut Describer<'_>, nodes: &Nodes) -> Result<(), StoreError> {
    if !out.stored_node(nodes.catalog.as_ref())? {
        let c = &nodes.catalog;
        for (p, o) in [
            (rdf::TYPE, Term::from(DCAT_CATALOG)),
            (DCT_TITLE, en("citykg IoT use-case catalogue").into()),
            (
                DCT_DESCRIPTION,
                en("IoT use cases with their interoperability assessment, harvestable as DCAT-AP 3.")
                    .into(),
            ),
            (DCT_PUBLISHER, nodes.publisher.clone().into()),
            (DCAT_SERVICE, nodes.service.clone().into()),
            (FOAF_HOMEPAGE, nodes.homepage.clone().into()),
        ] {
            out.insert(Triple::new(c.clone(), p, o));
        }
        out.insert(Triple::new(
            nodes.homepage.clone(),
            rdf::TYPE,
            FOAF_DOCUMENT,
        ));
    }
    if !out.stored_node(nodes.publisher.as_ref())? {
        out.insert(Triple::new(nodes.publisher.clone(), rdf::TYPE, FOAF_AGENT));
        out.insert(Triple::new(
            nodes.publisher.clone(),
            FOAF_NAME,
            Literal::new_simple_literal("citykg"),
        ));
    }
    if !out.stored_node(nodes.service.as_ref())? {
        let s = &nodes.service;
        out.insert(Triple::new(s.clone(), rdf::TYPE, DCAT_DATA_SERVICE));
        out.insert(Triple::new(s.clone(), DCT_TITLE, en("SPARQL endpoint")));
        out.insert(Triple::new(
            s.clone(),
            DCAT_ENDPOINT_URL,
            nodes.endpoint.clone(),
        ));
        out.insert(Triple::new(
            s.clone(),
            DCAT_ENDPOINT_DESCRIPTION,
            nodes.endpoint.clone(),
        ));
    }
    // DCAT-AP's class constraints see a node as an instance of its types' superclasses only
    // when the data graph says so: records point to dcat:Resource, contact points to vcard:Kind.
    for (sub, sup) in [
        (DCAT_DATASET, DCAT_RESOURCE),
        (DCAT_DATA_SERVICE, DCAT_RESOURCE),
        (DCAT_CATALOG, DCAT_RESOURCE),
        (VCARD_ORGANIZATION, VCARD_KIND),
        (VCARD_INDIVIDUAL, VCARD_KIND),
    ] {
        out.insert(Triple::new(sub, rdfs::SUB_CLASS_OF, sup));
    }
    Ok(())
}

/// The page's links to one item.
pub fn link(out: &mut Describer<'_>, nodes: &Nodes, item: &Item, harvested: bool) {
    out.insert(Triple::new(
        nodes.catalog.clone(),
        DCAT_DATASET_LINK,
        item.dataset.clone(),
    ));
    out.insert(Triple::new(
        nodes.catalog.clone(),
        DCAT_RECORD,
        item.record.clone(),
    ));
    // Our endpoint serves our own use cases' data; a harvested one's data stays remote.
    if !harvested {
        out.insert(Triple::new(
            nodes.service.clone(),
            DCAT_SERVES_DATASET,
            item.dataset.clone(),
        ));
    }
}
