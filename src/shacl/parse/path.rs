//! `sh:path` values compiled into [`Path`]: a list is a sequence, a blank node names one path
//! kind; anything else, a cycle, or a short list is a [`PathProblem`] at the node it was found.

use super::list;
use crate::shacl::error::PathProblem;
use crate::shacl::path::Path;
use crate::shacl::vocab;
use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef};

/// Paths deeper than this are refused (no recursion limit is reachable from input).
const MAX_DEPTH: usize = 64;

/// The path at `node`, or the node where it is malformed and why.
pub fn parse(graph: &Graph, node: TermRef<'_>) -> Result<Path, (Term, PathProblem)> {
    parse_at(graph, node, &mut Vec::new())
}

fn parse_at(
    graph: &Graph,
    node: TermRef<'_>,
    stack: &mut Vec<Term>,
) -> Result<Path, (Term, PathProblem)> {
    let here = || node.into_owned();
    let subject = match node {
        TermRef::NamedNode(n) => return Ok(Path::Predicate(n.into_owned())),
        TermRef::BlankNode(b) => b,
        TermRef::Literal(_) => return Err((here(), PathProblem::Literal)),
    };
    if stack.contains(&here()) || stack.len() >= MAX_DEPTH {
        return Err((here(), PathProblem::Cyclic));
    }
    stack.push(here());
    let result = if list::is_list(graph, node) {
        let members = list::read(graph, node).map_err(|e| (here(), PathProblem::List(e)))?;
        if members.len() < 2 {
            return Err((here(), PathProblem::ShortSequence(members.len())));
        }
        members
            .iter()
            .map(|m| parse_at(graph, m.as_ref(), stack))
            .collect::<Result<Vec<_>, _>>()
            .map(Path::Sequence)
    } else {
        let kinds = [
            vocab::INVERSE_PATH,
            vocab::ALTERNATIVE_PATH,
            vocab::ZERO_OR_MORE_PATH,
            vocab::ONE_OR_MORE_PATH,
            vocab::ZERO_OR_ONE_PATH,
        ];
        let mut found: Vec<(NamedNodeRef<'_>, TermRef<'_>)> = Vec::new();
        for kind in kinds {
            for value in graph.objects_for_subject_predicate(subject, kind) {
                found.push((kind, value));
            }
        }
        match found.as_slice() {
            [] => Err((here(), PathProblem::NotAPath)),
            [(kind, value)] => parse_kind(graph, *kind, *value, stack),
            _ => Err((here(), PathProblem::Ambiguous)),
        }
    };
    stack.pop();
    result
}

fn parse_kind(
    graph: &Graph,
    kind: NamedNodeRef<'_>,
    value: TermRef<'_>,
    stack: &mut Vec<Term>,
) -> Result<Path, (Term, PathProblem)> {
    if kind == vocab::ALTERNATIVE_PATH {
        let members =
            list::read(graph, value).map_err(|e| (value.into_owned(), PathProblem::List(e)))?;
        if members.len() < 2 {
            return Err((
                value.into_owned(),
                PathProblem::ShortAlternative(members.len()),
            ));
        }
        return members
            .iter()
            .map(|m| parse_at(graph, m.as_ref(), stack))
            .collect::<Result<Vec<_>, _>>()
            .map(Path::Alternative);
    }
    let inner = Box::new(parse_at(graph, value, stack)?);
    Ok(if kind == vocab::INVERSE_PATH {
        Path::Inverse(inner)
    } else if kind == vocab::ZERO_OR_MORE_PATH {
        Path::ZeroOrMore(inner)
    } else if kind == vocab::ONE_OR_MORE_PATH {
        Path::OneOrMore(inner)
    } else {
        Path::ZeroOrOne(inner)
    })
}
