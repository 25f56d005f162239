//! The interoperability assessment of use cases (issue 9): computed from the data, never
//! self-declared. For a use case of `graph/catalog` it reads its data graphs once each (one pass
//! over the triples, one SHACL validation in place), its mappings, licence and distributions,
//! and stores one DQV measurement per metric of the rubric with its level (0-3) in
//! `graph/catalog`, replacing the previous ones in one transaction.
//!
//! Knows nothing of HTTP. Triggers: the catalogue calls [`recompute`] after each use-case write;
//! ingest and the mapping registry mark graphs and mappings dirty on a [`schedule::Scheduler`],
//! which recomputes the use cases that name them off the request path (debounced).

pub mod facts;
pub mod measure;
pub mod record;
pub mod rubric;
pub mod schedule;
pub mod usecase;

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::storage::{Storage, StoreError};
use oxigraph::model::{Graph, NamedNode};

pub use facts::GraphFacts;
pub use measure::{Assessment, DimensionLevel, Measurement, Value};
pub use rubric::{Dimension, Level, Metric};

use crate::core::config::BaseIri;
use crate::core::ids::MappingId;
use crate::pipeline::ingest::lint::Vocabulary;
use crate::standards::shacl::Shapes;

/// The shipped shape sets the data is validated against.
pub const SHAPE_SETS: [&str; 3] = ["observation", "sensor", "measurement"];

#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    #[error("storage error: {0}")]
    Storage(#[from] StoreError),
    #[error("the shipped shapes do not compile: {0}")]
    Shapes(String),
}

/// What one recomputation did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recomputed {
    /// Use cases assessed and stored.
    pub use_cases: usize,
    /// Distinct data graphs read.
    pub graphs: usize,
    pub milliseconds: u128,
}

/// The shipped observation, sensor and measurement shapes as compiled into the binary, compiled
/// once per process.
fn shapes() -> Result<&'static Shapes, AssessmentError> {
    static SHAPES: OnceLock<Result<Shapes, String>> = OnceLock::new();
    SHAPES
        .get_or_init(|| {
            let mut graph = Graph::new();
            for name in SHAPE_SETS {
                let text = crate::standards::shacl::shipped::builtin_text(name)
                    .ok_or_else(|| format!("no built-in shape set {name}"))?;
                let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::Turtle);
                for quad in parser.for_slice(text.as_bytes()) {
                    let quad = quad.map_err(|e| format!("{name}: {e}"))?;
                    graph.insert(&oxigraph::model::Triple::from(quad));
                }
            }
            Shapes::parse(&graph).map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| AssessmentError::Shapes(e.clone()))
}

/// One assessment run: the vocabulary read once, each data graph's facts computed once however
/// many use cases share it.
pub struct Session<'a> {
    store: &'a Storage,
    base: &'a BaseIri,
    shapes: &'static Shapes,
    vocabulary: Vocabulary,
    facts: HashMap<NamedNode, GraphFacts>,
}

impl<'a> Session<'a> {
    pub fn new(store: &'a Storage, base: &'a BaseIri) -> Result<Self, AssessmentError> {
        Ok(Self {
            store,
            base,
            shapes: shapes()?,
            vocabulary: Vocabulary::from_store(store, base)?,
            facts: HashMap::new(),
        })
    }

    fn graph_facts(&mut self, graph: &NamedNode) -> Result<GraphFacts, AssessmentError> {
        if let Some(known) = self.facts.get(graph) {
            return Ok(known.clone());
        }
        let facts = facts::graph_facts(self.store, graph.as_ref(), self.shapes)?;
        self.facts.insert(graph.clone(), facts.clone());
        Ok(facts)
    }

    /// Computes the assessment of `use_case` without storing it.
    pub fn assess(&mut self, use_case: &NamedNode) -> Result<Assessment, AssessmentError> {
        let description = usecase::describe(self.store, self.base, use_case.as_ref())?;
        let mut graphs = Vec::new();
        for graph in &description.data_graphs {
            graphs.push(self.graph_facts(graph)?);
        }
        let data = measure::sum(&graphs);
        let inputs = measure::Inputs {
            existing_mappings: usecase::existing_mappings(
                self.store,
                self.base,
                &description.mappings,
            )?,
            open_licence: usecase::has_open_licence(self.store, self.base, &description.licences)?,
            service_distribution: usecase::is_service_access(self.base, &description.access),
        };
        Ok(measure::measure(
            use_case,
            crate::core::clock::now(),
            &data,
            &inputs,
            &self.vocabulary,
        ))
    }

    /// Computes and stores the assessment of `use_case`; `None` when it is not in the catalogue
    /// (any measurements it had are removed).
    pub fn recompute(
        &mut self,
        use_case: &NamedNode,
    ) -> Result<Option<Assessment>, AssessmentError> {
        if !usecase::exists(self.store, self.base, use_case.as_ref())? {
            record::remove(self.store, self.base, use_case)?;
            return Ok(None);
        }
        let assessment = self.assess(use_case)?;
        let kept = record::replace(self.store, self.base, &assessment)?;
        Ok(kept.then_some(assessment))
    }

    fn recompute_each(&mut self, use_cases: &[NamedNode]) -> Result<Recomputed, AssessmentError> {
        let started = Instant::now();
        let mut done = 0;
        for use_case in use_cases {
            if self.recompute(use_case)?.is_some() {
                done += 1;
            }
        }
        Ok(Recomputed {
            use_cases: done,
            graphs: self.facts.len(),
            milliseconds: started.elapsed().as_millis(),
        })
    }
}

/// The assessment of `use_case`, computed now and not stored.
pub fn assess(
    store: &Storage,
    base: &BaseIri,
    use_case: &NamedNode,
) -> Result<Assessment, AssessmentError> {
    Session::new(store, base)?.assess(use_case)
}

/// Computes and stores the assessment of `use_case` (call after writing it); `None` when it is not
/// in the catalogue, whose measurements are then removed (call after deleting it, too).
pub fn recompute(
    store: &Storage,
    base: &BaseIri,
    use_case: &NamedNode,
) -> Result<Option<Assessment>, AssessmentError> {
    Session::new(store, base)?.recompute(use_case)
}

/// Recomputes every local use case (harvested ones keep the measurements their source sent).
pub fn recompute_all(store: &Storage, base: &BaseIri) -> Result<Recomputed, AssessmentError> {
    let use_cases = usecase::local_use_cases(store, base)?;
    Session::new(store, base)?.recompute_each(&use_cases)
}

/// Recomputes the use cases whose data is in `graph` (after an ingest into it).
pub fn recompute_for_graph(
    store: &Storage,
    base: &BaseIri,
    graph: &NamedNode,
) -> Result<Recomputed, AssessmentError> {
    let use_cases = usecase::naming(store, base, crate::core::vocab::DATA_GRAPH, graph.as_ref())?;
    recompute_these(store, base, &use_cases)
}

/// Recomputes the use cases that name mapping `id` (after it was created, replaced or deleted).
pub fn recompute_for_mapping(
    store: &Storage,
    base: &BaseIri,
    id: &MappingId,
) -> Result<Recomputed, AssessmentError> {
    let mapping = crate::core::ids::mapping_iri(base, id);
    let use_cases = usecase::naming(
        store,
        base,
        crate::core::vocab::USES_MAPPING,
        mapping.as_ref(),
    )?;
    recompute_these(store, base, &use_cases)
}

fn recompute_these(
    store: &Storage,
    base: &BaseIri,
    use_cases: &[NamedNode],
) -> Result<Recomputed, AssessmentError> {
    if use_cases.is_empty() {
        // Nothing names it: not even the vocabulary is read.
        return Ok(Recomputed {
            use_cases: 0,
            graphs: 0,
            milliseconds: 0,
        });
    }
    Session::new(store, base)?.recompute_each(use_cases)
}

/// The stored assessment of `use_case`, or, when none is stored yet, one computed now (not
/// stored: reads never write).
pub fn stored_or_computed(
    store: &Storage,
    base: &BaseIri,
    use_case: &NamedNode,
) -> Result<Assessment, AssessmentError> {
    match record::read(store, base, use_case)? {
        Some(assessment) if assessment.measurements.len() == Metric::ALL.len() => Ok(assessment),
        _ => assess(store, base, use_case),
    }
}

/// How long the scheduler waits after the first change before recomputing, so that a burst of
/// ingests costs one recomputation.
pub const DEBOUNCE: Duration = Duration::from_secs(1);
