//! From request text to something the store can run: bound the nesting, parse (base IRI, located
//! errors) and check the policy on a large stack, set the dataset, attach cancellation.

use super::{ProtocolDataset, SparqlError, nesting, policy, touched};
use crate::core::config::AllowList;
use crate::core::stack::on_large_stack;
use crate::storage::DataOperation;
use crate::storage::{Cause, ChangedGraphs, Storage, UpdateFailure};
use oxigraph::sparql::{CancellationToken, PreparedSparqlUpdate, QueryResults, SparqlEvaluator};
use spargebra::{GraphUpdateOperation, Query, SparqlParser, Update};
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    Select,
    Ask,
    Construct,
    Describe,
}

impl QueryKind {
    /// SELECT and ASK answer with SPARQL results; CONSTRUCT and DESCRIBE with RDF.
    pub fn returns_graph(self) -> bool {
        matches!(self, Self::Construct | Self::Describe)
    }
}

/// A parsed query that passed the policy (allowed outbound calls, bounded depth).
#[derive(Debug, Clone)]
pub struct ParsedQuery {
    query: Query,
}

/// How a query or update runs: limits and the things to stop it with.
#[derive(Clone)]
pub struct RunOptions<'a> {
    pub allow: &'a AllowList,
    pub cancel: Option<CancellationToken>,
    /// Reported in timeout errors; outbound HTTP calls also get it as their own limit.
    pub timeout: Option<Duration>,
}

pub fn parse_query(
    text: &str,
    base_iri: Option<&str>,
    allow: &AllowList,
) -> Result<ParsedQuery, SparqlError> {
    nesting::check(text)?;
    let parser = parser(base_iri)?;
    // A refused tree is dropped on the large stack too: dropping recurses like parsing.
    on_large_stack(|| {
        let query = parser
            .parse_query(text)
            .map_err(|e| SparqlError::from_syntax(&e))?;
        policy::check_query(&query, allow)?;
        Ok(ParsedQuery { query })
    })
}

impl ParsedQuery {
    pub fn kind(&self) -> QueryKind {
        match self.query {
            Query::Select { .. } => QueryKind::Select,
            Query::Ask { .. } => QueryKind::Ask,
            Query::Construct { .. } => QueryKind::Construct,
            Query::Describe { .. } => QueryKind::Describe,
        }
    }

    /// Evaluates the query and hands its results to `consume`, which iterates them (solutions
    /// are produced lazily). Evaluation recurses over the algebra, so both run on a large stack.
    pub fn evaluate<R>(
        self,
        store: &Storage,
        dataset: &ProtocolDataset,
        options: &RunOptions<'_>,
        consume: impl FnOnce(QueryResults<'static>) -> Result<R, SparqlError>,
    ) -> Result<R, SparqlError> {
        on_large_stack(|| consume(self.start(store, dataset, options)?))
    }

    fn start(
        self,
        store: &Storage,
        dataset: &ProtocolDataset,
        options: &RunOptions<'_>,
    ) -> Result<QueryResults<'static>, SparqlError> {
        let own_dataset = match &self.query {
            Query::Select { dataset, .. }
            | Query::Construct { dataset, .. }
            | Query::Describe { dataset, .. }
            | Query::Ask { dataset, .. } => dataset.is_some(),
        };
        let mut prepared = evaluator(options).for_query(self.query);
        dataset.apply(prepared.dataset_mut(), own_dataset);
        store
            .query(prepared)
            .map_err(|e| SparqlError::from_evaluation(e, options.timeout.map(|t| t.as_secs_f64())))
    }
}

/// A parsed update that passed the policy, with the graphs it may change.
pub struct ParsedUpdate {
    prepared: PreparedSparqlUpdate,
    graphs: ChangedGraphs,
    /// The quads, when the update is only `INSERT DATA` and `DELETE DATA`.
    data: Option<Vec<DataOperation>>,
}

/// Parses an update and sets the dataset of each DELETE/INSERT: protocol `using-*` parameters
/// (which may not meet USING or WITH), else the union default graph.
pub fn parse_update(
    text: &str,
    base_iri: Option<&str>,
    dataset: &ProtocolDataset,
    options: &RunOptions<'_>,
) -> Result<ParsedUpdate, SparqlError> {
    nesting::check(text)?;
    let parser = parser(base_iri)?;
    let update: Update = on_large_stack(|| {
        let update = parser
            .parse_update(text)
            .map_err(|e| SparqlError::from_syntax(&e))?;
        policy::check_update(&update, options.allow)?;
        Ok::<_, SparqlError>(update)
    })?;
    let explicit: Vec<bool> = update
        .operations
        .iter()
        .filter_map(|op| match op {
            GraphUpdateOperation::DeleteInsert { using, .. } => Some(using.is_some()),
            _ => None,
        })
        .collect();
    if !dataset.is_empty() && explicit.iter().any(|e| *e) {
        return Err(SparqlError::DatasetConflict {
            parameter: if dataset.default_graphs.is_empty() {
                "using-named-graph-uri"
            } else {
                "using-graph-uri"
            },
        });
    }
    let graphs = touched::graphs_changed_by(&update);
    let data = touched::data_operations(&update);
    let mut prepared = evaluator(options).for_update(update);
    for (spec, explicit) in prepared.using_datasets_mut().zip(explicit) {
        dataset.apply(spec, explicit);
    }
    Ok(ParsedUpdate {
        prepared,
        graphs,
        data,
    })
}

/// Runs a parsed update in one transaction through the storage's write path. Evaluation
/// recurses over the algebra, so it runs on a large stack.
pub fn run_update(
    update: ParsedUpdate,
    store: &Storage,
    cause: Cause,
    timeout: Option<Duration>,
) -> Result<(), SparqlError> {
    on_large_stack(|| {
        store
            .update_with_data(
                cause,
                update.prepared,
                update.graphs,
                update.data.as_deref(),
            )
            .map_err(|e| match e {
                UpdateFailure::Evaluation(e) => {
                    SparqlError::from_update(e, timeout.map(|t| t.as_secs_f64()))
                }
                UpdateFailure::Store(e) => SparqlError::Storage(e.to_string()),
            })
    })
}

fn parser(base_iri: Option<&str>) -> Result<SparqlParser, SparqlError> {
    let parser = SparqlParser::new();
    match base_iri {
        Some(base) => parser
            .with_base_iri(base)
            .map_err(|e| SparqlError::SyntaxWithoutLocation {
                message: format!("invalid base IRI {base:?}: {e}"),
            }),
        None => Ok(parser),
    }
}

fn evaluator(options: &RunOptions<'_>) -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    if options.allow.is_empty() {
        // Belt and braces: with nothing allowed, no HTTP client is even configured.
        evaluator = evaluator.without_default_http_service_handler();
    } else if let Some(timeout) = options.timeout {
        evaluator = evaluator.with_http_timeout(timeout);
    }
    if let Some(token) = &options.cancel {
        evaluator = evaluator.with_cancellation_token(token.clone());
    }
    evaluator
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::Origin;
    use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};

    fn store_with_two_graphs() -> Storage {
        let store = Storage::in_memory().unwrap();
        let ex = NamedNodeRef::new("http://example.com/s").unwrap();
        for g in ["http://example.com/g1", "http://example.com/g2"] {
            let o = NamedNodeRef::new(g).unwrap();
            store
                .extend(
                    Cause::service(Origin::Load),
                    [QuadRef::new(ex, ex, o, GraphNameRef::NamedNode(o))],
                )
                .unwrap();
        }
        store
    }

    fn count(store: &Storage, query: &str, dataset: &ProtocolDataset) -> usize {
        let options = RunOptions {
            allow: &AllowList::default(),
            cancel: None,
            timeout: None,
        };
        parse_query(query, None, options.allow)
            .unwrap()
            .evaluate(store, dataset, &options, |results| match results {
                QueryResults::Solutions(s) => Ok(s.count()),
                _ => panic!("not solutions"),
            })
            .unwrap()
    }

    #[test]
    fn the_default_graph_is_the_union_unless_the_request_says_otherwise() {
        let store = store_with_two_graphs();
        let q = "SELECT * { ?s ?p ?o }";
        assert_eq!(count(&store, q, &ProtocolDataset::default()), 2);
        let one = ProtocolDataset {
            default_graphs: vec![oxigraph::model::NamedNode::new("http://example.com/g1").unwrap()],
            named_graphs: vec![],
        };
        assert_eq!(count(&store, q, &one), 1);
        assert_eq!(
            count(
                &store,
                "SELECT * FROM <http://example.com/g2> { ?s ?p ?o }",
                &ProtocolDataset::default()
            ),
            1
        );
    }

    #[test]
    fn a_cancelled_query_reports_a_timeout() {
        let store = store_with_two_graphs();
        let token = CancellationToken::new();
        token.cancel();
        let options = RunOptions {
            allow: &AllowList::default(),
            cancel: Some(token),
            timeout: Some(Duration::from_secs(1)),
        };
        let parsed = parse_query("SELECT * { ?s ?p ?o }", None, options.allow).unwrap();
        let outcome = parsed.evaluate(&store, &ProtocolDataset::default(), &options, |r| match r {
            QueryResults::Solutions(mut s) => match s.next() {
                Some(Err(e)) => Err(SparqlError::from_evaluation(e, Some(1.0))),
                _ => Ok(()),
            },
            _ => Ok(()),
        });
        assert!(matches!(outcome, Err(SparqlError::Timeout { .. })));
    }

    #[test]
    fn protocol_using_parameters_conflict_with_with_clauses() {
        let dataset = ProtocolDataset {
            default_graphs: vec![oxigraph::model::NamedNode::new("http://example.com/g1").unwrap()],
            named_graphs: vec![],
        };
        let options = RunOptions {
            allow: &AllowList::default(),
            cancel: None,
            timeout: None,
        };
        let with = "WITH <http://example.com/g> INSERT { <a:s> <a:p> <a:o> } WHERE {}";
        assert!(matches!(
            parse_update(with, None, &dataset, &options),
            Err(SparqlError::DatasetConflict { .. })
        ));
        assert!(parse_update(with, None, &ProtocolDataset::default(), &options).is_ok());
    }
}
