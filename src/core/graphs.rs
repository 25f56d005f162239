//! Named-graph IRIs of the RDF layout (DESIGN.md): everything citykg writes lives in a graph
//! under the base IRI, so the union default graph sees it and a graph can be dropped on its own.
//! The base IRI is checked when it is parsed, so the fixed graphs under it are valid IRIs; the
//! ones named by a caller's text (an ontology module, a mapping id) are checked.

use crate::core::config::BaseIri;
use oxigraph::model::NamedNode;

/// `{base}graph/ontology/{name}`: one shipped ontology module.
pub fn ontology_graph(
    base: &BaseIri,
    name: &str,
) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join(&format!("graph/ontology/{name}")))
}

/// `{base}graph/provenance`: one PROV-O activity per ingest.
pub fn provenance_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/provenance"))
}

/// `{base}graph/mappings`: the mapping registry's metadata.
pub fn mappings_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/mappings"))
}

/// `{base}graph/source/{id}`: where ingest through mapping `id` writes by default.
pub fn source_graph(base: &BaseIri, id: &str) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join(&format!("graph/source/{id}")))
}

/// `{base}graph/catalog`: the use-case catalogue (use cases, their records, the catalogue and
/// data-service descriptions, harvested use cases); see `src/catalogue/use_cases`.
pub fn catalog_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/catalog"))
}

/// `{base}graph/catalog-seeds`: which shipped use cases were already added once (so a deleted
/// one is not added again on the next start). Kept apart so the feed never shows it.
pub fn catalog_seeds_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/catalog-seeds"))
}

/// `{base}graph/harvest`: the harvester's own state, one node per harvested catalogue.
pub fn harvest_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/harvest"))
}

/// Graphs citykg writes itself (`graph/provenance`, `graph/mappings`, `graph/ontology/...`,
/// `graph/catalog`...): everything under `{base}graph/` except the ingest targets under
/// `{base}graph/source/`. Mappings and ingests may not write there.
pub fn is_reserved(base: &BaseIri, graph: &str) -> bool {
    graph.starts_with(&base.join("graph/")) && !graph.starts_with(&base.join("graph/source/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_graphs_are_reserved_and_source_graphs_are_not() {
        let base = BaseIri::parse("http://c.test/").unwrap();
        for reserved in [
            "http://c.test/graph/provenance",
            "http://c.test/graph/mappings",
            "http://c.test/graph/ontology/sosa",
        ] {
            assert!(is_reserved(&base, reserved), "{reserved}");
        }
        for free in [
            "http://c.test/graph/source/x",
            "http://other/graph/provenance",
            "http://c.test/data",
        ] {
            assert!(!is_reserved(&base, free), "{free}");
        }
    }
}
