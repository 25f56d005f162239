//! The use-case catalogue (issue 9): use cases as DCAT datasets in `{base}graph/catalog`,
//! validated against the shipped `use-case` shape, written whole in one transaction with the
//! triples only the server writes (themes, distributions, catalogue record), listed with
//! filters and paging, and seeded from the shipped `usecases/*.ttl`. No HTTP types here.
//!
//! The RDF model is fixed by the lead's model note (see ARCHITECTURE.md, "Use-case catalogue").

mod index;
pub mod input;
pub mod list;
mod patch;
pub mod read;
pub mod seed;
pub mod validate;
mod write;

#[cfg(test)]
mod tests;

use std::path::Path;

use crate::storage::{Cause, Storage, StoreError};
use oxigraph::model::{NamedNode, NamedNodeRef, Quad};
use serde::Serialize;

use crate::core::config::BaseIri;
use crate::core::ids::{BadUseCaseId, UseCaseId, use_case_iri};
use crate::standards::shacl::Shapes;

pub use input::{InputSyntax, Prepared};
pub use list::{ListPage, ListQuery, Summary};
pub use write::PutOutcome;

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("the body is not valid RDF: {message}")]
    Syntax { message: String },
    #[error("the body is not valid JSON-LD: {0}")]
    JsonLd(crate::standards::jsonld::JsonLdError),
    #[error("the use case is not valid ({} problems)", problems.len())]
    Invalid { problems: Vec<InputProblem> },
    #[error(transparent)]
    BadId(#[from] BadUseCaseId),
    #[error("there is no use case {0}")]
    NotFound(UseCaseId),
    #[error("a use case {0} exists; PUT /use-cases/{0} replaces it")]
    Exists(UseCaseId),
    #[error(
        "use case {id} was harvested from {source_catalog}; it changes only through the harvest of that catalogue"
    )]
    Harvested {
        id: UseCaseId,
        source_catalog: String,
    },
    #[error("the shipped use-case shape does not load: {0}")]
    Shapes(#[from] crate::standards::shacl::shipped::ShapeSetError),
    #[error("shipped use case {file}: {message}")]
    Shipped { file: String, message: String },
    /// What is stored could not be read back as a use case (JSON-LD compaction failed).
    #[error("the stored use case could not be read back: {0}")]
    Stored(String),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// One problem with a client's use case: what is wrong, on which node and property.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputProblem {
    pub message: String,
    /// The node the problem is on (`sh:focusNode`), as an IRI, blank node or literal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus_node: Option<String>,
    /// The property (`sh:resultPath`), an IRI or a SPARQL property path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The offending value, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl InputProblem {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            focus_node: None,
            path: None,
            value: None,
        }
    }

    fn at(mut self, focus_node: Option<&str>, path: Option<NamedNodeRef<'_>>) -> Self {
        self.focus_node = focus_node.map(str::to_owned);
        self.path = path.map(|p| p.as_str().to_owned());
        self
    }
}

/// The catalogue of one instance: the store, the base IRI and the compiled use-case shape.
pub struct Catalog {
    store: Storage,
    base: BaseIri,
    graph: NamedNode,
    seeds: NamedNode,
    shapes: Shapes,
    /// The list index, kept fresh by the storage's change events.
    index: std::sync::Arc<index::Cache>,
}

impl Catalog {
    /// Compiles the `use-case` shape (from `ontologies/shapes/`, else the built-in copy).
    pub fn open(store: Storage, base: BaseIri, ontologies: &Path) -> Result<Self, CatalogError> {
        let shapes = crate::standards::shacl::shipped::load(ontologies, &["use-case".to_owned()])?;
        let graph = crate::core::graphs::catalog_graph(&base);
        let seeds = crate::core::graphs::catalog_seeds_graph(&base);
        let index = std::sync::Arc::new(index::Cache::new(graph.clone()));
        store.subscribe(&index);
        Ok(Self {
            store,
            base,
            graph,
            seeds,
            shapes,
            index,
        })
    }

    pub fn base(&self) -> &BaseIri {
        &self.base
    }

    /// `{base}graph/catalog`.
    pub fn graph(&self) -> &NamedNode {
        &self.graph
    }

    pub fn store(&self) -> &Storage {
        &self.store
    }

    /// Parses a body and checks it: every problem at once (`CatalogError::Invalid`), nothing
    /// written. `given` is the id from the request (path or `Slug`); `mapping_exists` says
    /// whether a `citykg:usesMapping` IRI names a registry mapping.
    pub fn prepare(
        &self,
        text: &str,
        syntax: InputSyntax,
        given: Option<&UseCaseId>,
        mapping_exists: &dyn Fn(&str) -> bool,
    ) -> Result<Prepared, CatalogError> {
        let triples = input::parse(text, syntax, &self.base)?;
        validate::prepare(&self.base, &self.shapes, triples, given, mapping_exists)
    }

    /// Creates or replaces a use case in one transaction (`create_only`: 409 when it exists).
    pub fn put(
        &self,
        prepared: &Prepared,
        create_only: bool,
        cause: Cause,
    ) -> Result<PutOutcome, CatalogError> {
        let outcome = write::put(
            self,
            prepared,
            create_only,
            &crate::core::clock::now(),
            cause,
        )?;
        self.changed(&prepared.iri);
        Ok(outcome)
    }

    /// Removes a use case and all its sub-resources in one transaction.
    pub fn delete(&self, id: &UseCaseId, cause: Cause) -> Result<(), CatalogError> {
        let iri = use_case_iri(&self.base, id);
        write::delete(self, id, &iri, cause)?;
        self.changed(&iri);
        Ok(())
    }

    /// The quads describing a use case (local id, else a harvested one with that
    /// `dct:identifier`), or `None`.
    pub fn get(&self, id: &UseCaseId) -> Result<Option<Vec<Quad>>, CatalogError> {
        read::describe(self, id)
    }

    /// One page of use cases matching the filters, with the total count.
    pub fn list(&self, query: &ListQuery) -> Result<ListPage, CatalogError> {
        list::list(self, query)
    }

    /// After every local write (put, delete, seeding): the use case's DQV measurements are
    /// recomputed (removed after a delete). A failed assessment does not undo the write; the
    /// next ingest or `POST /use-cases/assessment` retries it.
    fn changed(&self, iri: &NamedNode) {
        if let Err(error) = crate::catalogue::assessment::recompute(&self.store, &self.base, iri) {
            tracing::warn!(%error, use_case = %iri, "the use case's assessment was not recomputed");
        }
    }

    /// Changes whenever `graph/catalog` may have changed, through any write: a cache built at
    /// one generation is stale at the next.
    pub fn generation(&self) -> u64 {
        self.index.generation()
    }

    fn index(&self) -> Result<std::sync::Arc<index::Index>, StoreError> {
        self.index
            .get(&self.store, self.graph.as_ref().into(), &self.base)
    }
}
