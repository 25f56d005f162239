//! Named-graph IRIs of the RDF layout (DESIGN.md): everything citykg writes lives in a graph
//! under the base IRI, so the union default graph sees it and a graph can be dropped on its own.

use crate::config::BaseIri;
use oxigraph::model::NamedNode;

/// `{base}graph/ontology/{name}`: one shipped ontology module.
pub fn ontology_graph(
    base: &BaseIri,
    name: &str,
) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join(&format!("graph/ontology/{name}")))
}

/// `{base}graph/mappings`: the mapping registry's metadata.
pub fn mappings_graph(base: &BaseIri) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join("graph/mappings"))
}

/// `{base}graph/source/{id}`: where ingest through mapping `id` writes by default.
pub fn source_graph(base: &BaseIri, id: &str) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join(&format!("graph/source/{id}")))
}
