//! RDF lists (`rdf:first`/`rdf:rest`) read from the shapes graph, checked: every cell has exactly
//! one `rdf:first` and one `rdf:rest`, and no cell is visited twice.

use crate::standards::shacl::error::ListProblem;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef};
use std::collections::HashSet;

/// The members of the list starting at `head` (`rdf:nil` is the empty list).
pub fn read(graph: &Graph, head: TermRef<'_>) -> Result<Vec<Term>, ListProblem> {
    let mut members = Vec::new();
    let mut seen = HashSet::new();
    let mut cell = head;
    loop {
        let subject = match cell {
            TermRef::NamedNode(n) if n == rdf::NIL => return Ok(members),
            TermRef::NamedNode(n) => n.into(),
            TermRef::BlankNode(b) => b.into(),
            TermRef::Literal(_) => return Err(ListProblem::Literal),
        };
        if !seen.insert(cell) {
            return Err(ListProblem::Cyclic);
        }
        let first = single(graph, subject, rdf::FIRST)?;
        let rest = single(graph, subject, rdf::REST)?;
        members.push(first.into_owned());
        cell = rest;
    }
}

fn single<'g>(
    graph: &'g Graph,
    subject: oxigraph::model::NamedOrBlankNodeRef<'_>,
    predicate: NamedNodeRef<'_>,
) -> Result<TermRef<'g>, ListProblem> {
    let mut values = graph.objects_for_subject_predicate(subject, predicate);
    let first = values.next().ok_or(ListProblem::Incomplete)?;
    if values.next().is_some() {
        return Err(ListProblem::Ambiguous);
    }
    Ok(first)
}

/// Whether `node` is the head of a list (has an `rdf:first`).
pub fn is_list(graph: &Graph, node: TermRef<'_>) -> bool {
    match crate::standards::shacl::data::as_subject(node) {
        Some(s) => graph.object_for_subject_predicate(s, rdf::FIRST).is_some(),
        None => false,
    }
}
