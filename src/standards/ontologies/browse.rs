//! What the loaded ontology modules hold, read back from their graphs for people and clients:
//! the module list (IRI, version, term count, digest), a module's terms with labels, and one
//! term's description. Store reads only; the HTTP layer calls these on the blocking pool.

use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term};
use serde::Serialize;

use crate::core::config::BaseIri;
use crate::core::vocab::SOURCE_SHA256;

const OWL_ONTOLOGY: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Ontology");
const OWL_VERSION_INFO: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
const DCTERMS_TITLE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
const DCTERMS_DESCRIPTION: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/description");
const SKOS_PREF_LABEL: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#prefLabel");
const SKOS_DEFINITION: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2004/02/skos/core#definition");

/// One module in the list.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ModuleSummary {
    pub name: String,
    pub graph: String,
    /// The `owl:Ontology` the module declares.
    pub iri: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub version: Option<String>,
    /// Terms the module describes (subjects with a label).
    pub terms: usize,
    /// SHA-256 of the file the graph was loaded from.
    pub sha256: Option<String>,
}

/// One term of a module, for its page.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TermSummary {
    pub iri: String,
    /// "class", "property", "concept", "unit" or "other".
    pub kind: &'static str,
    pub label: Option<String>,
    pub comment: Option<String>,
}

fn prefix(base: &BaseIri) -> String {
    base.join("graph/ontology/")
}

/// Every loaded module, by name.
pub fn modules(store: &Storage, base: &BaseIri) -> Result<Vec<ModuleSummary>, StoreError> {
    let prefix = prefix(base);
    let mut modules = Vec::new();
    for graph in store.named_graphs() {
        let oxigraph::model::NamedOrBlankNode::NamedNode(graph) = graph? else {
            continue;
        };
        let Some(name) = graph.as_str().strip_prefix(&prefix) else {
            continue;
        };
        modules.push(summary(store, &graph, name)?);
    }
    modules.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(modules)
}

/// The graph of module `name`, if it is loaded.
pub fn module_graph(
    store: &Storage,
    base: &BaseIri,
    name: &str,
) -> Result<Option<NamedNode>, StoreError> {
    let Ok(graph) = crate::core::graphs::ontology_graph(base, name) else {
        return Ok(None);
    };
    Ok(store.contains_graph(&graph)?.then_some(graph))
}

/// The summary of one loaded module.
pub fn summary(
    store: &Storage,
    graph: &NamedNode,
    name: &str,
) -> Result<ModuleSummary, StoreError> {
    let in_graph = GraphNameRef::NamedNode(graph.as_ref());
    let ontology = store
        .quads(
            None,
            Some(rdf::TYPE),
            Some(OWL_ONTOLOGY.into()),
            Some(in_graph),
        )
        .next()
        .transpose()?
        .map(|q| q.subject);
    let text = |subject: Option<NamedOrBlankNodeRef<'_>>,
                predicate|
     -> Result<Option<String>, StoreError> {
        let Some(subject) = subject else {
            return Ok(None);
        };
        first_literal(store, subject, predicate, in_graph)
    };
    let ontology_ref = ontology.as_ref().map(|o| o.as_ref());
    Ok(ModuleSummary {
        name: name.to_owned(),
        graph: graph.as_str().to_owned(),
        iri: ontology
            .as_ref()
            .map(ToString::to_string)
            .map(|s| s.trim_matches(['<', '>']).to_owned()),
        title: text(ontology_ref, DCTERMS_TITLE)?,
        description: text(ontology_ref, DCTERMS_DESCRIPTION)?,
        version: text(ontology_ref, OWL_VERSION_INFO)?,
        terms: terms(store, graph)?.len(),
        sha256: first_literal(store, graph.as_ref().into(), SOURCE_SHA256, in_graph)?,
    })
}

fn first_literal(
    store: &Storage,
    subject: NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
    graph: GraphNameRef<'_>,
) -> Result<Option<String>, StoreError> {
    for quad in store.quads(Some(subject), Some(predicate), None, Some(graph)) {
        if let Term::Literal(literal) = quad?.object {
            return Ok(Some(literal.value().to_owned()));
        }
    }
    Ok(None)
}

/// The terms a module describes: IRIs with an `rdfs:label` or `skos:prefLabel`, except the
/// ontology node itself, sorted by IRI.
pub fn terms(store: &Storage, graph: &NamedNode) -> Result<Vec<TermSummary>, StoreError> {
    let in_graph = GraphNameRef::NamedNode(graph.as_ref());
    let mut terms: Vec<TermSummary> = Vec::new();
    for label_predicate in [rdfs::LABEL, SKOS_PREF_LABEL] {
        for quad in store.quads(None, Some(label_predicate), None, Some(in_graph)) {
            let quad = quad?;
            let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            if terms.iter().any(|t| t.iri == subject.as_str()) {
                continue;
            }
            let mut kind = "other";
            let mut is_ontology = false;
            for class in store.quads(
                Some(subject.as_ref().into()),
                Some(rdf::TYPE),
                None,
                Some(in_graph),
            ) {
                if let Term::NamedNode(class) = class?.object {
                    kind = match class.as_str() {
                        "http://www.w3.org/2002/07/owl#Ontology" => {
                            is_ontology = true;
                            kind
                        }
                        "http://www.w3.org/2002/07/owl#Class"
                        | "http://www.w3.org/2000/01/rdf-schema#Class" => "class",
                        "http://www.w3.org/2002/07/owl#ObjectProperty"
                        | "http://www.w3.org/2002/07/owl#DatatypeProperty"
                        | "http://www.w3.org/2002/07/owl#AnnotationProperty"
                        | "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property" => "property",
                        "http://www.w3.org/2004/02/skos/core#Concept"
                        | "http://www.w3.org/2004/02/skos/core#ConceptScheme" => "concept",
                        "http://qudt.org/schema/qudt/Unit"
                        | "http://qudt.org/schema/qudt/QuantityKind" => "unit",
                        _ => kind,
                    };
                }
            }
            if is_ontology {
                continue;
            }
            let label = match &quad.object {
                Term::Literal(l) => Some(l.value().to_owned()),
                _ => None,
            };
            let comment =
                first_literal(store, subject.as_ref().into(), rdfs::COMMENT, in_graph)?.or(
                    first_literal(store, subject.as_ref().into(), SKOS_DEFINITION, in_graph)?,
                );
            terms.push(TermSummary {
                iri: subject.as_str().to_owned(),
                kind,
                label,
                comment,
            });
        }
    }
    terms.sort_by(|a, b| a.iri.cmp(&b.iri));
    Ok(terms)
}

/// Everything the ontology graphs say about `term` (it as subject), as triples.
pub fn describe(
    store: &Storage,
    base: &BaseIri,
    term: NamedNodeRef<'_>,
) -> Result<Vec<oxigraph::model::Triple>, StoreError> {
    let prefix = prefix(base);
    let mut triples = Vec::new();
    for quad in store.quads(Some(term.into()), None, None, None) {
        let quad = quad?;
        let in_ontology = matches!(&quad.graph_name, oxigraph::model::GraphName::NamedNode(g) if g.as_str().starts_with(&prefix));
        if in_ontology && quad.predicate != SOURCE_SHA256 {
            triples.push(oxigraph::model::Triple::new(
                quad.subject,
                quad.predicate,
                quad.object,
            ));
        }
    }
    Ok(triples)
}

/// Whether a term is one of citykg's own (`https://w3id.org/citykg/ns#...`), by local name.
pub fn own_term(local_name: &str) -> Option<NamedNode> {
    let valid = !local_name.is_empty()
        && local_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    valid.then(|| {
        NamedNode::new_unchecked(format!(
            "{}{local_name}",
            crate::core::vocab::CITYKG_NAMESPACE
        ))
    })
}
