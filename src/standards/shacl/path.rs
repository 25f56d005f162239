//! SHACL property paths: the typed form, its evaluation over a data graph (set semantics, cycles
//! in the data stop), and its RDF form for `sh:resultPath`. Parsing from the shapes graph lives
//! in `parse/path.rs`.

use super::data::{self, DataGraph};
use super::vocab;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, Graph, NamedNode, Term, Triple};
use std::collections::HashSet;
use std::fmt;

/// A SHACL property path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Path {
    Predicate(NamedNode),
    Inverse(Box<Path>),
    Sequence(Vec<Path>),
    Alternative(Vec<Path>),
    ZeroOrMore(Box<Path>),
    OneOrMore(Box<Path>),
    ZeroOrOne(Box<Path>),
}

impl Path {
    /// The value nodes reached from `start` (each once, in discovery order).
    pub fn values<D: DataGraph + ?Sized>(
        &self,
        data: &D,
        start: &Term,
    ) -> Result<Vec<Term>, D::Error> {
        step(data, self, vec![start.clone()], false)
    }

    /// Writes the path into `graph` as SHACL path RDF and returns its node.
    pub fn to_rdf(&self, graph: &mut Graph) -> Term {
        match self {
            Path::Predicate(p) => p.clone().into(),
            Path::Inverse(q) => wrap(graph, vocab::INVERSE_PATH.into_owned(), q),
            Path::ZeroOrMore(q) => wrap(graph, vocab::ZERO_OR_MORE_PATH.into_owned(), q),
            Path::OneOrMore(q) => wrap(graph, vocab::ONE_OR_MORE_PATH.into_owned(), q),
            Path::ZeroOrOne(q) => wrap(graph, vocab::ZERO_OR_ONE_PATH.into_owned(), q),
            Path::Sequence(items) => write_list(graph, items),
            Path::Alternative(items) => {
                let node = BlankNode::default();
                let list = write_list(graph, items);
                graph.insert(&Triple::new(node.clone(), vocab::ALTERNATIVE_PATH, list));
                node.into()
            }
        }
    }
}

fn wrap(graph: &mut Graph, predicate: NamedNode, inner: &Path) -> Term {
    let node = BlankNode::default();
    let object = inner.to_rdf(graph);
    graph.insert(&Triple::new(node.clone(), predicate, object));
    node.into()
}

fn write_list(graph: &mut Graph, items: &[Path]) -> Term {
    let mut rest: Term = rdf::NIL.into_owned().into();
    for item in items.iter().rev() {
        let cell = BlankNode::default();
        let first = item.to_rdf(graph);
        graph.insert(&Triple::new(cell.clone(), rdf::FIRST, first));
        graph.insert(&Triple::new(cell.clone(), rdf::REST, rest));
        rest = cell.into();
    }
    rest
}

/// The nodes reached from `nodes` by `path` (backwards when `inverse`).
fn step<D: DataGraph + ?Sized>(
    data: &D,
    path: &Path,
    nodes: Vec<Term>,
    inverse: bool,
) -> Result<Vec<Term>, D::Error> {
    Ok(match path {
        Path::Predicate(p) => {
            let mut out = Ordered::default();
            for node in &nodes {
                let next = if inverse {
                    data::subjects(data, p.as_ref(), node.as_ref())?
                } else {
                    data::objects(data, node.as_ref(), p.as_ref())?
                };
                out.extend(next);
            }
            out.items
        }
        Path::Inverse(q) => step(data, q, nodes, !inverse)?,
        Path::Sequence(items) => {
            let mut current = nodes;
            let ordered: Vec<&Path> = if inverse {
                items.iter().rev().collect()
            } else {
                items.iter().collect()
            };
            for item in ordered {
                current = step(data, item, current, inverse)?;
            }
            current
        }
        Path::Alternative(items) => {
            let mut out = Ordered::default();
            for item in items {
                out.extend(step(data, item, nodes.clone(), inverse)?);
            }
            out.items
        }
        Path::ZeroOrMore(q) => closure(data, q, nodes, inverse)?,
        Path::OneOrMore(q) => {
            let first = step(data, q, nodes, inverse)?;
            closure(data, q, first, inverse)?
        }
        Path::ZeroOrOne(q) => {
            let mut out = Ordered::default();
            out.extend(nodes.clone());
            out.extend(step(data, q, nodes, inverse)?);
            out.items
        }
    })
}

/// `frontier` and everything reachable from it by repeating `path`.
fn closure<D: DataGraph + ?Sized>(
    data: &D,
    path: &Path,
    frontier: Vec<Term>,
    inverse: bool,
) -> Result<Vec<Term>, D::Error> {
    let mut out = Ordered::default();
    let mut frontier = out.extend(frontier);
    while !frontier.is_empty() {
        let next = step(data, path, frontier, inverse)?;
        frontier = out.extend(next);
    }
    Ok(out.items)
}

/// A set that remembers insertion order.
#[derive(Default)]
struct Ordered {
    seen: HashSet<Term>,
    items: Vec<Term>,
}

impl Ordered {
    /// Adds the new ones and returns them.
    fn extend(&mut self, terms: Vec<Term>) -> Vec<Term> {
        let mut added = Vec::new();
        for t in terms {
            if self.seen.insert(t.clone()) {
                self.items.push(t.clone());
                added.push(t);
            }
        }
        added
    }
}

/// SPARQL property path syntax, for messages and summaries.
impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, items: &[Path], sep: &str| -> fmt::Result {
            write!(f, "(")?;
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, "{sep}")?;
                }
                write!(f, "{item}")?;
            }
            write!(f, ")")
        };
        match self {
            Path::Predicate(p) => write!(f, "{p}"),
            Path::Inverse(q) => write!(f, "^{q}"),
            Path::Sequence(items) => join(f, items, "/"),
            Path::Alternative(items) => join(f, items, "|"),
            Path::ZeroOrMore(q) => write!(f, "{q}*"),
            Path::OneOrMore(q) => write!(f, "{q}+"),
            Path::ZeroOrOne(q) => write!(f, "{q}?"),
        }
    }
}
