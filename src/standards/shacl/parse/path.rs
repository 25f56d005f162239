//! `sh:path` values compiled into [`Path`]: a list is a sequence, a blank node names one path
//! kind; anything else, a cycle, or a short list is a [`PathProblem`] at the node it was found.
//! Each path node is read once: a node that several parents share is reused from the nodes
//! already read, and the expanded path may hold at most `MAX_PATH_NODES` nodes, so a small
//! shapes graph whose nodes fan into each other cannot make exponential work.

use super::list;
use crate::standards::shacl::error::PathProblem;
use crate::standards::shacl::path::Path;
use crate::standards::shacl::vocab;
use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef};
use std::collections::HashMap;

/// Paths deeper than this are refused (no recursion limit is reachable from input).
const MAX_DEPTH: usize = 64;
/// Nodes in one expanded path, counting a shared node once per use. Real paths have a handful.
pub const MAX_PATH_NODES: usize = 256;

/// The path at `node`, or the node where it is malformed and why.
pub fn parse(graph: &Graph, node: TermRef<'_>) -> Result<Path, (Term, PathProblem)> {
    let mut reader = Reader {
        graph,
        stack: Vec::new(),
        read: HashMap::new(),
        nodes: 0,
    };
    reader.parse_at(node).map(|(path, _)| path)
}

struct Reader<'g> {
    graph: &'g Graph,
    /// The blank nodes being read, outermost first (a repeat is a cycle).
    stack: Vec<Term>,
    /// Blank nodes already read, with the size of their expanded path.
    read: HashMap<Term, (Path, usize)>,
    /// Nodes of the expanded path so far.
    nodes: usize,
}

impl Reader<'_> {
    /// Counts `size` more nodes of the expanded path, refusing past the limit at `node`.
    fn spend(&mut self, node: TermRef<'_>, size: usize) -> Result<(), (Term, PathProblem)> {
        self.nodes = self.nodes.saturating_add(size);
        if self.nodes > MAX_PATH_NODES {
            return Err((node.into_owned(), PathProblem::TooLarge(MAX_PATH_NODES)));
        }
        Ok(())
    }

    /// The path at `node` and the number of nodes it expands to.
    fn parse_at(&mut self, node: TermRef<'_>) -> Result<(Path, usize), (Term, PathProblem)> {
        let here = || node.into_owned();
        let subject = match node {
            TermRef::NamedNode(n) => {
                self.spend(node, 1)?;
                return Ok((Path::Predicate(n.into_owned()), 1));
            }
            TermRef::BlankNode(b) => b,
            TermRef::Literal(_) => return Err((here(), PathProblem::Literal)),
        };
        if self.stack.contains(&here()) || self.stack.len() >= MAX_DEPTH {
            return Err((here(), PathProblem::Cyclic));
        }
        if let Some((path, size)) = self.read.get(&here()) {
            let (path, size) = (path.clone(), *size);
            self.spend(node, size)?;
            return Ok((path, size));
        }
        self.spend(node, 1)?;
        self.stack.push(here());
        let result = if list::is_list(self.graph, node) {
            self.sequence(node)
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
                for value in self.graph.objects_for_subject_predicate(subject, kind) {
                    found.push((kind, value));
                }
            }
            match found.as_slice() {
                [] => Err((here(), PathProblem::NotAPath)),
                [(kind, value)] => self.parse_kind(*kind, *value),
                _ => Err((here(), PathProblem::Ambiguous)),
            }
        };
        self.stack.pop();
        let (path, size) = result?;
        self.read.insert(here(), (path.clone(), size));
        Ok((path, size))
    }

    fn sequence(&mut self, node: TermRef<'_>) -> Result<(Path, usize), (Term, PathProblem)> {
        let members =
            list::read(self.graph, node).map_err(|e| (node.into_owned(), PathProblem::List(e)))?;
        if members.len() < 2 {
            return Err((node.into_owned(), PathProblem::ShortSequence(members.len())));
        }
        let (paths, size) = self.members(&members)?;
        Ok((Path::Sequence(paths), size))
    }

    fn members(&mut self, members: &[Term]) -> Result<(Vec<Path>, usize), (Term, PathProblem)> {
        let mut paths = Vec::with_capacity(members.len());
        let mut size = 1;
        for member in members {
            let (path, n) = self.parse_at(member.as_ref())?;
            paths.push(path);
            size += n;
        }
        Ok((paths, size))
    }

    fn parse_kind(
        &mut self,
        kind: NamedNodeRef<'_>,
        value: TermRef<'_>,
    ) -> Result<(Path, usize), (Term, PathProblem)> {
        if kind == vocab::ALTERNATIVE_PATH {
            let members = list::read(self.graph, value)
                .map_err(|e| (value.into_owned(), PathProblem::List(e)))?;
            if members.len() < 2 {
                return Err((
                    value.into_owned(),
                    PathProblem::ShortAlternative(members.len()),
                ));
            }
            let (paths, size) = self.members(&members)?;
            return Ok((Path::Alternative(paths), size));
        }
        let (inner, size) = self.parse_at(value)?;
        let inner = Box::new(inner);
        let path = if kind == vocab::INVERSE_PATH {
            Path::Inverse(inner)
        } else if kind == vocab::ZERO_OR_MORE_PATH {
            Path::ZeroOrMore(inner)
        } else if kind == vocab::ONE_OR_MORE_PATH {
            Path::OneOrMore(inner)
        } else {
            Path::ZeroOrOne(inner)
        };
        Ok((path, size + 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::io::{RdfFormat, RdfParser};
    use std::time::{Duration, Instant};

    fn graph(turtle: &str) -> Graph {
        RdfParser::from_format(RdfFormat::Turtle)
            .for_slice(turtle.as_bytes())
            .map(|q| q.map(oxigraph::model::Triple::from))
            .collect::<Result<Graph, _>>()
            .unwrap()
    }

    /// `_:p0` is the sequence `(_:p1 _:p1)`, `_:p1` is `(_:p2 _:p2)`, ... and `_:p{levels}` is
    /// `(ex:q ex:q)`: a few lines of text, `2^(levels + 1)` predicates in the expanded path.
    fn doubling(levels: usize) -> String {
        let mut turtle = String::from(
            "@prefix ex: <http://example.com/> .\n\
             @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n",
        );
        for level in 0..=levels {
            let member = if level == levels {
                "ex:q".to_owned()
            } else {
                format!("_:p{}", level + 1)
            };
            turtle.push_str(&format!(
                "_:p{level} rdf:first {member} ; rdf:rest _:r{level} .\n\
                 _:r{level} rdf:first {member} ; rdf:rest rdf:nil .\n"
            ));
        }
        turtle
    }

    fn head() -> Term {
        oxigraph::model::BlankNode::new("p0").unwrap().into()
    }

    #[test]
    fn shared_nodes_are_read_once_and_the_expansion_is_bounded() {
        // 2^4 predicates in a tree of 31 nodes, well within the limit.
        let small = graph(&doubling(3));
        let path = parse(&small, head().as_ref()).unwrap();
        assert_eq!(
            path.to_string().matches("http://example.com/q").count(),
            16,
            "{path}"
        );
        // Forty levels would be 2^41 predicates: refused at once.
        let huge = graph(&doubling(40));
        let started = Instant::now();
        let (_, problem) = parse(&huge, head().as_ref()).unwrap_err();
        assert_eq!(problem, PathProblem::TooLarge(MAX_PATH_NODES));
        assert!(started.elapsed() < Duration::from_secs(1));
    }
}
