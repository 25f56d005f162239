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
