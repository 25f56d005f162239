//! What the assessment reads of a use case in `graph/catalog` (the shared catalogue model,
//! /work/notes/usecase-model.md): its data graphs, the mappings it names, its licence and its
//! distributions; and which use cases name a given graph or mapping.

use crate::storage::{Storage, StoreError};
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};

use crate::core::config::BaseIri;
use crate::core::graphs::catalog_graph;
use crate::core::vocab as v;

/// A use case's description, as far as the assessment is concerned.
#[derive(Debug, Clone, Default)]
pub struct Description {
    pub data_graphs: Vec<NamedNode>,
    pub mappings: Vec<NamedNode>,
    pub licences: Vec<NamedNode>,
    /// Its distributions' `dcat:accessURL` and `dcat:accessService` IRIs.
    pub access: Vec<NamedNode>,
}

/// Use cases of this instance (not harvested ones, which keep the remote's measurements):
/// typed `citykg:UseCase` under `{base}id/use-case/`.
pub fn local_use_cases(store: &Storage, base: &BaseIri) -> Result<Vec<NamedNode>, StoreError> {
    let catalog = catalog_graph(base);
    let prefix = crate::core::ids::use_case_prefix(base);
    let mut found = Vec::new();
    for quad in store.quads(
        None,
        Some(oxigraph::model::vocab::rdf::TYPE),
        Some(v::USE_CASE.into()),
        Some(GraphNameRef::NamedNode(catalog.as_ref())),
    ) {
        if let NamedOrBlankNode::NamedNode(uc) = quad?.subject
            && uc.as_str().starts_with(&prefix)
        {
            found.push(uc);
        }
    }
    Ok(found)
}

pub fn exists(
    store: &Storage,
    base: &BaseIri,
    use_case: NamedNodeRef<'_>,
) -> Result<bool, StoreError> {
    let catalog = catalog_graph(base);
    store.contains(oxigraph::model::QuadRef::new(
        use_case,
        oxigraph::model::vocab::rdf::TYPE,
        v::USE_CASE,
        GraphNameRef::NamedNode(catalog.as_ref()),
    ))
}

/// Local use cases whose `predicate` names `object` (`citykg:dataGraph <g>`,
/// `citykg:usesMapping <m>`).
pub fn naming(
    store: &Storage,
    base: &BaseIri,
    predicate: NamedNodeRef<'_>,
    object: NamedNodeRef<'_>,
) -> Result<Vec<NamedNode>, StoreError> {
    let catalog = catalog_graph(base);
    let prefix = crate::core::ids::use_case_prefix(base);
    let mut found = Vec::new();
    for quad in store.quads(
        None,
        Some(predicate),
        Some(object.into()),
        Some(GraphNameRef::NamedNode(catalog.as_ref())),
    ) {
        if let NamedOrBlankNode::NamedNode(uc) = quad?.subject
            && uc.as_str().starts_with(&prefix)
        {
            found.push(uc);
        }
    }
    Ok(found)
}

pub fn describe(
    store: &Storage,
    base: &BaseIri,
    use_case: NamedNodeRef<'_>,
) -> Result<Description, StoreError> {
    let catalog = catalog_graph(base);
    let graph = Some(GraphNameRef::NamedNode(catalog.as_ref()));
    let mut description = Description::default();
    let mut distributions = Vec::new();
    for quad in store.quads(Some(use_case.into()), None, None, graph) {
        let quad = quad?;
        let Term::NamedNode(object) = quad.object else {
            if quad.predicate.as_ref() == v::DCAT_DISTRIBUTION_P
                && let Term::BlankNode(node) = quad.object
            {
                distributions.push(NamedOrBlankNode::from(node));
            }
            continue;
        };
        let predicate = quad.predicate.as_ref();
        if predicate == v::DATA_GRAPH {
            description.data_graphs.push(object);
        } else if predicate == v::USES_MAPPING {
            description.mappings.push(object);
        } else if predicate == v::DCT_LICENSE {
            description.licences.push(object);
        } else if predicate == v::DCAT_DISTRIBUTION_P {
            distributions.push(object.into());
        }
    }
    for distribution in distributions {
        for quad in store.quads(Some(distribution.as_ref()), None, None, graph) {
            let quad = quad?;
            let predicate = quad.predicate.as_ref();
            if (predicate == v::DCAT_ACCESS_URL || predicate == v::DCAT_ACCESS_SERVICE)
                && let Term::NamedNode(access) = quad.object
            {
                description.access.push(access);
            }
        }
    }
    Ok(description)
}

/// Whether one of `access` is this service's SPARQL endpoint, Graph Store or data service.
pub fn is_service_access(base: &BaseIri, access: &[NamedNode]) -> bool {
    let ours = ["query", "sparql", "store", "id/service/sparql"].map(|p| base.join(p));
    access.iter().any(|a| ours.iter().any(|o| a.as_str() == o))
}

/// How many of `mappings` the registry holds (its mirror in `graph/mappings`).
pub fn existing_mappings(
    store: &Storage,
    base: &BaseIri,
    mappings: &[NamedNode],
) -> Result<u64, StoreError> {
    let graph = crate::core::graphs::mappings_graph(base);
    let mut count = 0;
    let mut seen = std::collections::BTreeSet::new();
    for mapping in mappings.iter().filter(|m| seen.insert(m.as_str())) {
        if store.contains(oxigraph::model::QuadRef::new(
            mapping,
            oxigraph::model::vocab::rdf::TYPE,
            v::registry::MAPPING,
            GraphNameRef::NamedNode(graph.as_ref()),
        ))? {
            count += 1;
        }
    }
    Ok(count)
}

/// Whether one of `licences` is marked open in an ontology module.
pub fn has_open_licence(
    store: &Storage,
    base: &BaseIri,
    licences: &[NamedNode],
) -> Result<bool, StoreError> {
    let prefix = base.join("graph/ontology/");
    let yes = oxigraph::model::Literal::from(true);
    for licence in licences {
        for quad in store.quads(
            Some(licence.as_ref().into()),
            Some(v::IS_OPEN_LICENCE),
            Some(yes.as_ref().into()),
            None,
        ) {
            if matches!(&quad?.graph_name, oxigraph::model::GraphName::NamedNode(g) if g.as_str().starts_with(&prefix))
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The use case's `dct:title`: English first, else any.
pub fn title(
    store: &Storage,
    base: &BaseIri,
    use_case: NamedNodeRef<'_>,
) -> Result<Option<String>, StoreError> {
    let catalog = catalog_graph(base);
    let mut best: Option<(bool, String)> = None;
    for quad in store.quads(
        Some(use_case.into()),
        Some(v::DCT_TITLE),
        None,
        Some(GraphNameRef::NamedNode(catalog.as_ref())),
    ) {
        if let Term::Literal(literal) = quad?.object {
            let english = literal.language().is_some_and(|l| l.starts_with("en"));
            if best
                .as_ref()
                .is_none_or(|(was_english, _)| english && !was_english)
            {
                best = Some((english, literal.value().to_owned()));
            }
        }
    }
    Ok(best.map(|(_, title)| title))
}
