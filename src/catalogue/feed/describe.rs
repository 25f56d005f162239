//! What the feed says about one node and what it points to:
//! - a dataset *owns* the IRIs under its own (`{uc}/place`, `{uc}/distribution/sparql`,
//!   `{uc}/measurement/...`) and blank nodes; those are described in full, recursively
//!   (the harvester copies and removes datasets by the same rule);
//! - nodes it refers to that `graph/catalog` describes (the data service, a harvested remote
//!   service) are described one level deep;
//! - vocabulary terms (themes, licences, standards, KPIs...) get their `rdf:type` and labels
//!   from the ontology graphs, and the DCAT-AP range class of the property that points to them
//!   (rdfs:range entailment), because DCAT-AP's class constraints look for them in the data.

use crate::storage::describe::{owned_by_subject, owns};
use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple,
};
use std::collections::{HashMap, HashSet};

use crate::core::vocab::*;

/// Predicates that belong to one page of the feed, never copied from a stored node.
const PAGE_LINKS: [NamedNodeRef<'static>; 3] =
    [DCAT_DATASET_LINK, DCAT_RECORD, DCAT_SERVES_DATASET];

/// Label predicates copied with a vocabulary term.
const LABELS: [NamedNodeRef<'static>; 3] = [SKOS_PREF_LABEL, rdfs::LABEL, DCT_TITLE];

/// A page's triples in the order they were added (so a subject's triples mostly stay together
/// for Turtle), each once. Cheaper than an indexed `Graph`, which the feed never queries.
#[derive(Default)]
pub struct Triples {
    list: Vec<Triple>,
    seen: HashSet<Triple>,
}

impl Triples {
    pub fn insert(&mut self, triple: &Triple) {
        if self.seen.insert(triple.clone()) {
            self.list.push(triple.clone());
        }
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Triple> {
        self.list.iter()
    }
}

/// Builds one page's graph, remembering what it already looked up.
pub struct Describer<'a> {
    store: &'a Storage,
    catalog: GraphNameRef<'a>,
    ontology_prefix: String,
    pub graph: Triples,
    described: HashSet<NamedNode>,
    terms: HashMap<NamedNode, Vec<Triple>>,
}

impl<'a> Describer<'a> {
    pub fn new(store: &'a Storage, catalog: GraphNameRef<'a>, ontology_prefix: String) -> Self {
        Self {
            store,
            catalog,
            ontology_prefix,
            graph: Triples::default(),
            described: HashSet::new(),
            terms: HashMap::new(),
        }
    }

    pub fn insert(&mut self, triple: Triple) {
        self.graph.insert(&triple);
    }

    /// The stored triples of `node` (page links left out); false when it has none.
    pub fn stored_node(&mut self, node: NamedNodeRef<'_>) -> Result<bool, StoreError> {
        let mut any = false;
        let mut refs = Vec::new();
        for quad in self
            .store
            .quads(Some(node.into()), None, None, Some(self.catalog))
        {
            let quad = quad?;
            any = true;
            if PAGE_LINKS.contains(&quad.predicate.as_ref()) {
                continue;
            }
            refs.push((quad.predicate.clone(), quad.object.clone()));
            self.graph.insert(&Triple::from(quad));
        }
        self.described.insert(node.into_owned());
        for (predicate, object) in refs {
            self.reference(predicate.as_ref(), object.as_ref())?;
        }
        Ok(any)
    }

    /// A dataset, what it owns, and what those point to.
    pub fn dataset(&mut self, dataset: &NamedOrBlankNode) -> Result<(), StoreError> {
        let subjects = owned_by_subject(self.store, self.catalog, dataset)?;
        let root = dataset.to_string();
        let root = root
            .trim_start_matches('<')
            .trim_end_matches('>')
            .to_owned();
        for (_, triples) in subjects {
            for triple in triples {
                if !owns(&root, triple.object.as_ref()) {
                    self.reference(triple.predicate.as_ref(), triple.object.as_ref())?;
                }
                self.graph.insert(&triple);
            }
        }
        Ok(())
    }

    /// A catalogue record; a harvested one's `dct:source` (the remote record) is typed and
    /// given its topic and modification date, as DCAT-AP's range of `dct:source` asks.
    /// Returns whether the record was harvested.
    pub fn record(
        &mut self,
        record: &NamedOrBlankNode,
        dataset: &NamedOrBlankNode,
    ) -> Result<bool, StoreError> {
        let mut harvested = false;
        let mut source = None;
        let mut remote_modified = None;
        for quad in self
            .store
            .quads(Some(record.as_ref()), None, None, Some(self.catalog))
        {
            let quad = quad?;
            let predicate = quad.predicate.as_ref();
            if predicate == HARVESTED_FROM {
                harvested = true;
            } else if predicate == DCT_SOURCE {
                source = Some(quad.object.clone());
            } else if predicate == REMOTE_MODIFIED {
                remote_modified = Some(quad.object.clone());
            }
            self.graph.insert(&Triple::from(quad));
        }
        if let Some(Term::NamedNode(remote)) = source {
            self.insert(Triple::new(remote.clone(), rdf::TYPE, DCAT_CATALOG_RECORD));
            self.insert(Triple::new(
                remote.clone(),
                FOAF_PRIMARY_TOPIC,
                dataset.clone(),
            ));
            if let Some(modified) = remote_modified {
                self.insert(Triple::new(remote, DCT_MODIFIED, modified));
            }
        }
        Ok(harvested)
    }

    /// Something a described node points to.
    fn reference(
        &mut self,
        predicate: NamedNodeRef<'_>,
        object: TermRef<'_>,
    ) -> Result<(), StoreError> {
        let TermRef::NamedNode(node) = object else {
            return Ok(());
        };
        // Classes are the reader's vocabulary, not terms the data refers to.
        if predicate == rdf::TYPE {
            return Ok(());
        }
        if let Some(class) = range_class(predicate) {
            self.graph
                .insert(&Triple::new(node.into_owned(), rdf::TYPE, class));
            if class == DCT_MEDIA_TYPE || class == DCT_MEDIA_TYPE_OR_EXTENT {
                if let Some(name) = iana_media_type(node.as_str()) {
                    self.insert(Triple::new(
                        node.into_owned(),
                        rdfs::LABEL,
                        Literal::new_simple_literal(name),
                    ));
                }
            }
        }
        if !self.described.contains(&node.into_owned()) && !self.stored_node_shallow(node)? {
            self.term(node)?;
        }
        Ok(())
    }

    /// A node of `graph/catalog` that no dataset owns (a data service, an agent), one level.
    fn stored_node_shallow(&mut self, node: NamedNodeRef<'_>) -> Result<bool, StoreError> {
        self.described.insert(node.into_owned());
        let mut any = false;
        for quad in self
            .store
            .quads(Some(node.into()), None, None, Some(self.catalog))
        {
            let quad = quad?;
            any = true;
            if !PAGE_LINKS.contains(&quad.predicate.as_ref()) {
                if let Some(class) = range_class(quad.predicate.as_ref()) {
                    if let Term::NamedNode(o) = &quad.object {
                        self.graph.insert(&Triple::new(o.clone(), rdf::TYPE, class));
                    }
                }
                self.graph.insert(&Triple::from(quad));
            }
        }
        Ok(any)
    }

    /// A vocabulary term: its types and labels from the ontology graphs (memoised per page).
    fn term(&mut self, node: NamedNodeRef<'_>) -> Result<(), StoreError> {
        if let Some(triples) = self.terms.get(&node.into_owned()) {
            for t in triples.clone() {
                self.graph.insert(&t);
            }
            return Ok(());
        }
        let mut triples = Vec::new();
        let (mut concept, mut scheme, mut pref_label, mut title) = (false, false, false, false);
        let mut fallback = None;
        for quad in self.store.quads(Some(node.into()), None, None, None) {
            let quad = quad?;
            let in_ontology = matches!(
                quad.graph_name.as_ref(),
                GraphNameRef::NamedNode(g) if g.as_str().starts_with(&self.ontology_prefix)
            );
            let predicate = quad.predicate.as_ref();
            if !in_ontology || !(predicate == rdf::TYPE || LABELS.contains(&predicate)) {
                continue;
            }
            concept |= predicate == rdf::TYPE && quad.object == Term::from(SKOS_CONCEPT);
            scheme |= predicate == rdf::TYPE && quad.object == Term::from(SKOS_CONCEPT_SCHEME);
            pref_label |= predicate == SKOS_PREF_LABEL;
            title |= predicate == DCT_TITLE;
            if predicate != rdf::TYPE && fallback.is_none() {
                fallback = Some(quad.object.clone());
            }
            triples.push(Triple::from(quad));
        }
        // DCAT-AP asks every skos:Concept for a skos:prefLabel.
        // and every skos:ConceptScheme (a catalogue's dcat:themeTaxonomy) for a dct:title.
        if let Some(label) = fallback {
            if concept && !pref_label {
                triples.push(Triple::new(
                    node.into_owned(),
                    SKOS_PREF_LABEL,
                    label.clone(),
                ));
            }
            if scheme && !title {
                triples.push(Triple::new(node.into_owned(), DCT_TITLE, label));
            }
        }
        for t in &triples {
            self.graph.insert(t);
        }
        self.terms.insert(node.into_owned(), triples);
        Ok(())
    }
}

/// The DCAT-AP 3 range class of a property whose objects are vocabulary terms, when that
/// class asks for nothing more than the type.
fn range_class(predicate: NamedNodeRef<'_>) -> Option<NamedNodeRef<'static>> {
    Some(match predicate.as_str() {
        "http://purl.org/dc/terms/language" => DCT_LINGUISTIC_SYSTEM,
        "http://www.w3.org/ns/dcat#mediaType"
        | "http://www.w3.org/ns/dcat#compressFormat"
        | "http://www.w3.org/ns/dcat#packageFormat" => DCT_MEDIA_TYPE,
        "http://purl.org/dc/terms/format" => DCT_MEDIA_TYPE_OR_EXTENT,
        "http://purl.org/dc/terms/license" => DCT_LICENSE_DOCUMENT,
        "http://purl.org/dc/terms/conformsTo" => DCT_STANDARD,
        "http://xmlns.com/foaf/0.1/homepage"
        | "http://xmlns.com/foaf/0.1/page"
        | "http://www.w3.org/ns/dcat#landingPage" => FOAF_DOCUMENT,
        _ => return None,
    })
}

/// `text/turtle` from `https://www.iana.org/assignments/media-types/text/turtle`.
fn iana_media_type(iri: &str) -> Option<&str> {
    [
        "https://www.iana.org/assignments/media-types/",
        "http://www.iana.org/assignments/media-types/",
    ]
    .iter()
    .find_map(|prefix| iri.strip_prefix(prefix))
    .filter(|name| name.contains('/'))
}
