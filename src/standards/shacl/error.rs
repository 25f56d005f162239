//! Why a shapes graph could not be compiled: a Turtle syntax error with its location, or every
//! problem found in the shapes, each with the shape's IRI or blank node.

use oxigraph::model::{NamedNode, Term};
use std::fmt;

/// A shapes graph that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ShapesError {
    /// The Turtle text does not parse (line and column are 1-based).
    #[error("the shapes graph is not valid Turtle at line {line}, column {column}: {message}")]
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
    /// The base IRI given for the Turtle text is not an IRI.
    #[error("the base IRI {base} is not valid: {message}")]
    Base { base: String, message: String },
    /// More shapes than one request may compile.
    #[error("the shapes graph has {shapes} shapes; at most {max} are compiled at once")]
    TooMany { shapes: usize, max: usize },
    /// The graph parsed, but some shapes are ill-formed: every problem found.
    #[error("{} problem(s) in the shapes graph: {}", .problems.len(), Problems(.problems))]
    Invalid { problems: Vec<ShapeProblem> },
}

/// One problem, at one shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShapeProblem {
    /// The shape's IRI or blank node, as N-Triples.
    pub shape: String,
    pub kind: ProblemKind,
}

impl fmt::Display for ShapeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shape {}: {}", self.shape, self.kind)
    }
}

struct Problems<'a>(&'a [ShapeProblem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// What is wrong with a shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProblemKind {
    #[error("{parameter} must be a non-negative xsd:integer, not {value}")]
    NotAnInteger { parameter: NamedNode, value: Term },
    #[error("{parameter} must be an xsd:boolean, not {value}")]
    NotABoolean { parameter: NamedNode, value: Term },
    #[error("{parameter} must be an IRI, not {value}")]
    NotAnIri { parameter: NamedNode, value: Term },
    #[error("{parameter} must be a literal, not {value}")]
    NotALiteral { parameter: NamedNode, value: Term },
    #[error("{parameter} must be a string literal, not {value}")]
    NotAString { parameter: NamedNode, value: Term },
    #[error("{parameter} must be an IRI or a blank node, not {value}")]
    NotANode { parameter: NamedNode, value: Term },
    #[error("{parameter} has {count} values; at most one is allowed")]
    TooManyValues { parameter: NamedNode, count: usize },
    #[error(
        "sh:nodeKind {value} is none of sh:BlankNode, sh:IRI, sh:Literal, sh:BlankNodeOrIRI, sh:BlankNodeOrLiteral, sh:IRIOrLiteral"
    )]
    UnknownNodeKind { value: Term },
    #[error("{parameter} is not a well-formed RDF list at {node}: {reason}")]
    MalformedList {
        parameter: NamedNode,
        node: Term,
        reason: ListProblem,
    },
    #[error("sh:path is malformed at {node}: {reason}")]
    MalformedPath { node: Term, reason: PathProblem },
    #[error(
        "sh:pattern {pattern:?} (flags {flags:?}) is not a valid regular expression: {message}"
    )]
    InvalidPattern {
        pattern: String,
        flags: String,
        message: String,
    },
    #[error(
        "{value} is the value of sh:property but has no sh:path, so it is not a property shape"
    )]
    NotAPropertyShape { value: Term },
    #[error("{parameter} {value} refers to a shape that is a literal")]
    LiteralShape { parameter: NamedNode, value: Term },
}

/// Why an RDF list is not well-formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ListProblem {
    #[error("a list node has no rdf:first or no rdf:rest")]
    Incomplete,
    #[error("a list node has several rdf:first or rdf:rest values")]
    Ambiguous,
    #[error("the list is cyclic")]
    Cyclic,
    #[error("a list node is a literal")]
    Literal,
}

/// Why a property path is not well-formed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathProblem {
    #[error("a literal is not a path")]
    Literal,
    #[error(
        "the node is none of: IRI, list, sh:inversePath, sh:alternativePath, sh:zeroOrMorePath, sh:oneOrMorePath, sh:zeroOrOnePath"
    )]
    NotAPath,
    #[error("a path node has several path kinds or several values")]
    Ambiguous,
    #[error("a sequence path needs at least two members, not {0}")]
    ShortSequence(usize),
    #[error("an alternative path needs at least two members, not {0}")]
    ShortAlternative(usize),
    #[error("the path refers to itself")]
    Cyclic,
    #[error(
        "the path expands to more than {0} nodes (a node used by several parents counts each time)"
    )]
    TooLarge(usize),
    #[error("{0}")]
    List(ListProblem),
}
