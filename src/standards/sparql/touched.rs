//! Which graphs an update may change, read from its algebra before it runs: the change event's
//! graph list. A template whose graph is a variable, `CLEAR ALL` or `DROP NAMED` may touch any
//! graph, so the answer is then `Unknown`.

use crate::storage::{ChangedGraphs, DataOperation};
use oxigraph::model::{BlankNode, GraphName, NamedOrBlankNode, Quad, Term};
use spargebra::algebra::GraphTarget;
use spargebra::term::GroundTerm;
use spargebra::term::{GraphName as UpdateGraph, GraphNamePattern};
use spargebra::{GraphUpdateOperation, Update};
use std::collections::HashMap;
use std::collections::HashSet;

/// The quads of an update made only of `INSERT DATA` and `DELETE DATA`, in order; `None` for
/// any other update. Blank nodes of each `INSERT DATA` are made fresh, as SPARQL asks.
pub fn data_operations(update: &Update) -> Option<Vec<DataOperation>> {
    let mut out = Vec::with_capacity(update.operations.len());
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::InsertData { data } => {
                let mut fresh: HashMap<&BlankNode, BlankNode> = HashMap::new();
                let quads = data
                    .iter()
                    .map(|q| {
                        let subject: NamedOrBlankNode = match &q.subject {
                            NamedOrBlankNode::BlankNode(b) => {
                                fresh.entry(b).or_default().clone().into()
                            }
                            other => other.clone(),
                        };
                        let object: Term = match &q.object {
                            Term::BlankNode(b) => fresh.entry(b).or_default().clone().into(),
                            other => other.clone(),
                        };
                        Quad::new(subject, q.predicate.clone(), object, named(&q.graph_name))
                    })
                    .collect();
                out.push(DataOperation::Insert(quads));
            }
            GraphUpdateOperation::DeleteData { data } => {
                let quads = data
                    .iter()
                    .map(|q| {
                        let object: Term = match &q.object {
                            GroundTerm::NamedNode(n) => n.clone().into(),
                            GroundTerm::Literal(l) => l.clone().into(),
                        };
                        Quad::new(
                            q.subject.clone(),
                            q.predicate.clone(),
                            object,
                            named(&q.graph_name),
                        )
                    })
                    .collect();
                out.push(DataOperation::Delete(quads));
            }
            _ => return None,
        }
    }
    Some(out)
}

pub fn graphs_changed_by(update: &Update) -> ChangedGraphs {
    let mut graphs = HashSet::new();
    for operation in &update.operations {
        let complete = match operation {
            GraphUpdateOperation::InsertData { data } => {
                graphs.extend(data.iter().map(|q| named(&q.graph_name)));
                true
            }
            GraphUpdateOperation::DeleteData { data } => {
                graphs.extend(data.iter().map(|q| named(&q.graph_name)));
                true
            }
            GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
                let mut complete = true;
                let patterns = delete.iter().map(|q| &q.graph_name);
                for pattern in patterns.chain(insert.iter().map(|q| &q.graph_name)) {
                    match pattern {
                        GraphNamePattern::NamedNode(n) => {
                            graphs.insert(GraphName::NamedNode(n.clone()));
                        }
                        GraphNamePattern::DefaultGraph => {
                            graphs.insert(GraphName::DefaultGraph);
                        }
                        GraphNamePattern::Variable(_) => complete = false,
                    }
                }
                complete
            }
            GraphUpdateOperation::Load { destination, .. } => {
                graphs.insert(named(destination));
                true
            }
            GraphUpdateOperation::Create { graph, .. } => {
                graphs.insert(GraphName::NamedNode(graph.clone()));
                true
            }
            GraphUpdateOperation::Clear { graph, .. }
            | GraphUpdateOperation::Drop { graph, .. } => match graph {
                GraphTarget::NamedNode(n) => {
                    graphs.insert(GraphName::NamedNode(n.clone()));
                    true
                }
                GraphTarget::DefaultGraph => {
                    graphs.insert(GraphName::DefaultGraph);
                    true
                }
                GraphTarget::NamedGraphs | GraphTarget::AllGraphs => false,
            },
        };
        if !complete {
            return ChangedGraphs::Unknown;
        }
    }
    ChangedGraphs::Listed(graphs)
}

fn named(graph: &UpdateGraph) -> GraphName {
    match graph {
        UpdateGraph::NamedNode(n) => GraphName::NamedNode(n.clone()),
        UpdateGraph::DefaultGraph => GraphName::DefaultGraph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNode;
    use spargebra::SparqlParser;

    fn changed(text: &str) -> ChangedGraphs {
        graphs_changed_by(&SparqlParser::new().parse_update(text).unwrap())
    }

    fn listed(iris: &[&str]) -> ChangedGraphs {
        ChangedGraphs::Listed(
            iris.iter()
                .map(|i| match *i {
                    "" => GraphName::DefaultGraph,
                    iri => GraphName::NamedNode(NamedNode::new(iri).unwrap()),
                })
                .collect(),
        )
    }

    #[test]
    fn graphs_named_by_the_update_are_listed() {
        assert_eq!(
            changed("INSERT DATA { GRAPH <http://g/1> { <a:s> <a:p> 1 } <a:s> <a:p> 2 }"),
            listed(&["http://g/1", ""])
        );
        assert_eq!(
            changed("DELETE DATA { GRAPH <http://g/2> { <a:s> <a:p> 1 } }"),
            listed(&["http://g/2"])
        );
        assert_eq!(
            changed("WITH <http://g/3> DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { ?s ?p ?o }"),
            listed(&["http://g/3"])
        );
        assert_eq!(
            changed("CLEAR GRAPH <http://g/4> ; CREATE GRAPH <http://g/5> ; DROP DEFAULT"),
            listed(&["http://g/4", "http://g/5", ""])
        );
        assert_eq!(
            changed("COPY <http://g/6> TO <http://g/7>"),
            listed(&["http://g/7"])
        );
    }

    #[test]
    fn graphs_the_update_cannot_name_make_the_change_unknown() {
        for text in [
            "DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
            "CLEAR ALL",
            "DROP NAMED",
        ] {
            assert_eq!(changed(text), ChangedGraphs::Unknown, "{text}");
        }
    }
}
