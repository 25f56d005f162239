//! The compiled shapes graph: shapes in an arena, referring to each other by [`ShapeId`] (so
//! recursive shapes are plain data), with targets and constraints already typed. Only
//! `parse` builds it; the validator only reads it.

use super::path::Path;
use super::vocab;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use regex::Regex;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A shape's index in [`Shapes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ShapeId(pub(crate) usize);

/// A compiled shapes graph, ready to validate any number of data graphs.
#[derive(Debug, Clone, Default)]
pub struct Shapes {
    pub(crate) shapes: Vec<Shape>,
    pub(crate) by_node: HashMap<NamedOrBlankNode, ShapeId>,
}

impl Shapes {
    /// Every shape, in the order the shapes graph gave them.
    pub fn iter(&self) -> impl Iterator<Item = &Shape> {
        self.shapes.iter()
    }

    /// The shape named by `node`, if `node` is a shape.
    pub fn get(&self, node: &NamedOrBlankNode) -> Option<&Shape> {
        self.by_node.get(node).and_then(|id| self.shapes.get(id.0))
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    pub(crate) fn shape(&self, id: ShapeId) -> Option<&Shape> {
        self.shapes.get(id.0)
    }
}

/// One node shape or property shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// The shape's IRI or blank node in the shapes graph (`sh:sourceShape` of its results).
    pub node: NamedOrBlankNode,
    /// `Some` for a property shape.
    pub path: Option<Path>,
    pub targets: Vec<Target>,
    pub constraints: Vec<Constraint>,
    pub severity: Severity,
    pub messages: Vec<Literal>,
    pub deactivated: bool,
}

/// How a shape selects its focus nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Node(Term),
    /// `sh:targetClass`, or the shape itself when it is also an `rdfs:Class` (implicit target).
    Class(NamedOrBlankNode),
    SubjectsOf(NamedNode),
    ObjectsOf(NamedNode),
}

/// A result's severity.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Severity {
    #[default]
    Violation,
    Warning,
    Info,
    /// Any other IRI a shape names with `sh:severity`.
    Other(NamedNode),
}

impl Severity {
    pub fn from_iri(iri: NamedNodeRef<'_>) -> Self {
        if iri == vocab::VIOLATION {
            Severity::Violation
        } else if iri == vocab::WARNING {
            Severity::Warning
        } else if iri == vocab::INFO {
            Severity::Info
        } else {
            Severity::Other(iri.into_owned())
        }
    }

    pub fn iri(&self) -> NamedNodeRef<'_> {
        match self {
            Severity::Violation => vocab::VIOLATION,
            Severity::Warning => vocab::WARNING,
            Severity::Info => vocab::INFO,
            Severity::Other(iri) => iri.as_ref(),
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Severity::Violation => write!(f, "Violation"),
            Severity::Warning => write!(f, "Warning"),
            Severity::Info => write!(f, "Info"),
            Severity::Other(iri) => write!(f, "{iri}"),
        }
    }
}

/// `sh:nodeKind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    BlankNode,
    Iri,
    Literal,
    BlankNodeOrIri,
    BlankNodeOrLiteral,
    IriOrLiteral,
}

impl NodeKind {
    pub fn from_iri(iri: NamedNodeRef<'_>) -> Option<Self> {
        [
            (vocab::KIND_BLANK_NODE, NodeKind::BlankNode),
            (vocab::KIND_IRI, NodeKind::Iri),
            (vocab::KIND_LITERAL, NodeKind::Literal),
            (vocab::KIND_BLANK_NODE_OR_IRI, NodeKind::BlankNodeOrIri),
            (
                vocab::KIND_BLANK_NODE_OR_LITERAL,
                NodeKind::BlankNodeOrLiteral,
            ),
            (vocab::KIND_IRI_OR_LITERAL, NodeKind::IriOrLiteral),
        ]
        .into_iter()
        .find(|(i, _)| *i == iri)
        .map(|(_, k)| k)
    }

    pub fn matches(self, term: &Term) -> bool {
        let (blank, iri, literal) = match term {
            Term::BlankNode(_) => (true, false, false),
            Term::NamedNode(_) => (false, true, false),
            Term::Literal(_) => (false, false, true),
        };
        match self {
            NodeKind::BlankNode => blank,
            NodeKind::Iri => iri,
            NodeKind::Literal => literal,
            NodeKind::BlankNodeOrIri => blank || iri,
            NodeKind::BlankNodeOrLiteral => blank || literal,
            NodeKind::IriOrLiteral => iri || literal,
        }
    }
}

/// Which bound a value-range constraint sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    MinExclusive,
    MinInclusive,
    MaxExclusive,
    MaxInclusive,
}

/// Which comparison a property-pair constraint makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairKind {
    Equals,
    Disjoint,
    LessThan,
    LessThanOrEquals,
}

/// Which combination a logical constraint over a list of shapes asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogicalKind {
    And,
    Or,
    Xone,
}

/// One constraint of a shape, one per parameter value (`sh:class A, B` gives two).
#[derive(Debug, Clone)]
pub enum Constraint {
    Class(Term),
    Datatype(NamedNode),
    NodeKind(NodeKind),
    MinCount(u64),
    MaxCount(u64),
    Range(RangeKind, Literal),
    MinLength(u64),
    MaxLength(u64),
    Pattern(Regex),
    LanguageIn(Vec<String>),
    UniqueLang,
    Pair(PairKind, NamedNode),
    Not(ShapeId),
    Logical(LogicalKind, Vec<ShapeId>),
    Node(ShapeId),
    Property(ShapeId),
    Qualified(Qualified),
    Closed(HashSet<NamedNode>),
    HasValue(Term),
    In(Vec<Term>, HashSet<Term>),
}

/// `sh:qualifiedValueShape` with its counts and, when `sh:qualifiedValueShapesDisjoint` is true,
/// the sibling shapes whose conformers do not count.
#[derive(Debug, Clone)]
pub struct Qualified {
    pub shape: ShapeId,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub siblings: Vec<ShapeId>,
}
