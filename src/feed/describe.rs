//! What the feed says about one node and what it points to:
//! - a dataset *owns* the IRIs under its own (`{uc}/place`, `{uc}/distribution/sparql`,
//!   `{uc}/measurement/...`) and blank nodes; those are described in full, recursively
//!   (the harvester copies and removes datasets by the same rule);
//! - nodes it refers to that `graph/catalog` describes (the data service, a harvested remote
//!   service) are described one level deep;
//! - vocabulary terms (themes, licences, standards, KPIs...) get their `rdf:type` and labels
//!   from the ontology graphs, and the DCAT-AP range class of the property that points to them
//!   (rdfs:range entailment), because DCAT-AP's class constraints look for them in the data.

use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, TermRef, Triple,
};
use oxigraph::store::{StorageError, Store};
use std::collections::{HashMap, HashSet};

use super::vocab::*;

/// Predicates that belong to one page of the feed, never copied from a stored node.
const PAGE_LINKS: [NamedNodeRef<'static>; 3] =
    [DCAT_DATASET_LINK, DCAT_RECORD, DCAT_SERVES_DATASET];

/// Label predicates copied with a vocabulary term.
const LABELS: [NamedNodeRef<'static>; 3] = [SKOS_PREF_LABEL, rdfs::LABEL, DCT_TITLE];

/// Whether the description of `dataset` includes `node`: an IRI under the dataset's own
/// (`{dataset}/...` or `{dataset}#...`), or a blank node.
pub fn owns(dataset: &str, node: TermRef<'_>) -> bool {
    match node {
        TermRef::BlankNode(_) => true,
        TermRef::NamedNode(n) => n
            .as_str()
            .strip_prefix(dataset)
            .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('#')),
        _ => false,
    }
}

/// The subjects a dataset's description is made of: itself and what it owns, transitively.
pub fn owned_subjects(
    store: &Store,
    graph: GraphNameRef<'_>,
    dataset: &NamedOrBlankNode,
) -> Result<Vec<(NamedOrBlankNode, Vec<Triple>)>, StorageError> {
    let root = dataset.to_string();
    let root = root
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_owned();
    let mut seen: HashSet<NamedOrBlankNode> = HashSet::from([dataset.clone()]);
    let mut queue = vec![dataset.clone()];
    let mut out = Vec::new();
    while let Some(subject) = queue.pop() {
        let mut triples = Vec::new();
        for quad in store.quads_for_pattern(Some(subject.as_ref()), None, None, Some(graph)) {
            let quad = quad?;
            if owns(&root, quad.object.as_ref()) {
                let next = match &quad.object {
                    Term::NamedNode(n) => Some(NamedOrBlankNode::NamedNode(n.clone())),
                    Term::BlankNode(b) => Some(NamedOrBlankNode::BlankNode(b.clone())),
                    _ => None,
                };
                if let Some(next) = next {
                    if seen.insert(next.clone()) {
                        queue.push(next);
                    }
                }
            }
            triples.push(Triple::from(quad));
        }
        out.push((subject, triples));
    }
    Ok(out)
}

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
    store: &'a Store,
    catalog: GraphNameRef<'a>,
    ontology_prefix: String,
    pub graph: Triples,
    described: HashSet<NamedNode>,
    terms: HashMap<NamedNode, Vec<Triple>>,
}

impl<'a> Describer<'a> {
    pub fn new(store: &'a Store, catalog: GraphNameRef<'a>, ontology_prefix: String) -> Self {
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
    pub fn stored_node(&mut self, node: NamedNodeRef<'_>) -> Result<bool, StorageError> {
        let mut any = false;
        let mut refs = Vec::new();
        for quad in self
            .store
            .quads_for_pattern(Some(node.into()), None, None, Some(self.catalog))
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
    pub fn dataset(&mut self, dataset: &NamedOrBlankNode) -> Result<(), StorageError> {
        let subjects = owned_subjects(self.store, self.catalog, dataset)?;
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
    ) -> Result<bool, StorageError> {
        let mut harvested = false;
        let mut source = None;
        let mut remote_modified = None;
        for quad in
            self.store
                .quads_for_pattern(Some(record.as_ref()), None, None, Some(self.catalog))
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
    ) -> Result<(), StorageError> {
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
    fn stored_node_shallow(&mut self, node: NamedNodeRef<'_>) -> Result<bool, StorageError> {
        self.described.insert(node.into_owned());
        let mut any = false;
        for quad in self
            .store
            .quads_for_pattern(Some(node.into()), None, None, Some(self.catalog))
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
    fn term(&mut self, node: NamedNodeRef<'_>) -> Result<(), StorageError> {
        if let Some(triples) = self.terms.get(&node.into_owned()) {
            for t in triples.clone() {
                self.graph.insert(&t);
            }
            return Ok(());
        }
        let mut triples = Vec::new();
        let (mut concept, mut scheme, mut pref_label, mut title) = (false, false, false, false);
        let mut fallback = None;
        for quad in self
            .store
            .quads_for_pattern(Some(node.into()), None, None, None)
        {
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

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::BlankNode;

    #[test]
    fn a_dataset_owns_what_is_under_its_iri_and_blank_nodes() {
        let uc = "http://c.test/id/use-case/a";
        let cases = [
            ("http://c.test/id/use-case/a/place", true),
            ("http://c.test/id/use-case/a#x", true),
            ("http://c.test/id/use-case/ab/place", false),
            ("http://c.test/id/use-case/a", false),
            ("http://c.test/id/service/sparql", false),
        ];
        for (iri, owned) in cases {
            let node = NamedNode::new(iri).unwrap();
            assert_eq!(owns(uc, node.as_ref().into()), owned, "{iri}");
        }
        assert!(owns(uc, BlankNode::default().as_ref().into()));
        assert_eq!(
            iana_media_type("https://www.iana.org/assignments/media-types/text/turtle"),
            Some("text/turtle")
        );
    }
}
