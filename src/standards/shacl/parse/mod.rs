//! Compiles a shapes graph into [`Shapes`] once: finds every shape (SHACL 2.1: instances of
//! `sh:NodeShape`/`sh:PropertyShape`, subjects of targets and constraint parameters, values of
//! shape-expecting parameters), then types each one's targets and constraints, collecting every
//! problem rather than stopping at the first. Paths and lists no shape uses are not read.

mod list;
mod path;
mod shape;
mod values;

use super::data::as_subject;
use super::error::{ShapeProblem, ShapesError};
use super::model::{ShapeId, Shapes};
use super::pattern::Patterns;
use super::vocab;
use oxigraph::io::{RdfFormat, RdfParser, RdfSyntaxError};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, TermRef};
use std::collections::{HashMap, HashSet};

/// Shapes in one shapes graph; the shipped sets have a few dozen.
pub const MAX_SHAPES: usize = 10_000;

/// Parameters whose subject is a shape.
const PARAMETERS: [NamedNodeRef<'static>; 37] = [
    vocab::TARGET_NODE,
    vocab::TARGET_CLASS,
    vocab::TARGET_SUBJECTS_OF,
    vocab::TARGET_OBJECTS_OF,
    vocab::PATH,
    vocab::CLASS,
    vocab::DATATYPE,
    vocab::NODE_KIND,
    vocab::MIN_COUNT,
    vocab::MAX_COUNT,
    vocab::MIN_EXCLUSIVE,
    vocab::MIN_INCLUSIVE,
    vocab::MAX_EXCLUSIVE,
    vocab::MAX_INCLUSIVE,
    vocab::MIN_LENGTH,
    vocab::MAX_LENGTH,
    vocab::PATTERN,
    vocab::FLAGS,
    vocab::LANGUAGE_IN,
    vocab::UNIQUE_LANG,
    vocab::EQUALS,
    vocab::DISJOINT,
    vocab::LESS_THAN,
    vocab::LESS_THAN_OR_EQUALS,
    vocab::NOT,
    vocab::AND,
    vocab::OR,
    vocab::XONE,
    vocab::NODE,
    vocab::PROPERTY,
    vocab::QUALIFIED_VALUE_SHAPE,
    vocab::QUALIFIED_MIN_COUNT,
    vocab::QUALIFIED_MAX_COUNT,
    vocab::CLOSED,
    vocab::IGNORED_PROPERTIES,
    vocab::HAS_VALUE,
    vocab::IN,
];

/// Parameters whose value is a shape.
const SHAPE_VALUED: [NamedNodeRef<'static>; 4] = [
    vocab::NOT,
    vocab::NODE,
    vocab::PROPERTY,
    vocab::QUALIFIED_VALUE_SHAPE,
];

/// Parameters whose value is a list of shapes.
const SHAPE_LISTS: [NamedNodeRef<'static>; 3] = [vocab::AND, vocab::OR, vocab::XONE];

impl Shapes {
    /// Compiles the shapes in `graph`, or returns every problem found.
    pub fn parse(graph: &Graph) -> Result<Shapes, ShapesError> {
        let nodes = shape_nodes(graph);
        let by_node: HashMap<NamedOrBlankNode, ShapeId> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), ShapeId(i)))
            .collect();
        if nodes.len() > MAX_SHAPES {
            return Err(ShapesError::TooMany {
                shapes: nodes.len(),
                max: MAX_SHAPES,
            });
        }
        let mut problems: Vec<ShapeProblem> = Vec::new();
        let mut shapes = Vec::with_capacity(nodes.len());
        let mut patterns = Patterns::default();
        for node in &nodes {
            let mut reader = shape::Reader::new(graph, node.as_ref(), &by_node, &mut patterns);
            let parsed = reader.shape();
            problems.extend(reader.into_problems());
            shapes.push(parsed);
        }
        if problems.is_empty() {
            Ok(Shapes { shapes, by_node })
        } else {
            Err(ShapesError::Invalid { problems })
        }
    }

    /// Parses Turtle text (relative IRIs against `base`, if given) and compiles its shapes.
    pub fn from_turtle(text: &str, base: Option<&str>) -> Result<Shapes, ShapesError> {
        let mut parser = RdfParser::from_format(RdfFormat::Turtle);
        if let Some(base) = base {
            parser = parser.with_base_iri(base).map_err(|e| ShapesError::Base {
                base: base.to_owned(),
                message: e.to_string(),
            })?;
        }
        let mut graph = Graph::new();
        for quad in parser.for_slice(text.as_bytes()) {
            match quad {
                Ok(quad) => {
                    graph.insert(quad.as_ref());
                }
                Err(error) => return Err(syntax_error(error)),
            }
        }
        Shapes::parse(&graph)
    }
}

fn syntax_error(error: RdfSyntaxError) -> ShapesError {
    let (line, column) = error
        .location()
        .map(|r| (r.start.line + 1, r.start.column + 1))
        .unwrap_or((0, 0));
    ShapesError::Syntax {
        line,
        column,
        message: error.to_string(),
    }
}

/// Every shape node, each once, in a stable order.
fn shape_nodes(graph: &Graph) -> Vec<NamedOrBlankNode> {
    let mut seen = HashSet::new();
    let mut nodes = Vec::new();
    let mut add = |node: NamedOrBlankNodeRef<'_>| {
        if seen.insert(node.into_owned()) {
            nodes.push(node.into_owned());
        }
    };
    for class in subclasses(graph, &[vocab::NODE_SHAPE, vocab::PROPERTY_SHAPE]) {
        for node in graph.subjects_for_predicate_object(rdf::TYPE, class.as_ref()) {
            add(node);
        }
    }
    for parameter in PARAMETERS {
        for triple in graph.triples_for_predicate(parameter) {
            add(triple.subject);
        }
    }
    for parameter in SHAPE_VALUED {
        for triple in graph.triples_for_predicate(parameter) {
            if let Some(node) = as_subject(triple.object) {
                add(node);
            }
        }
    }
    for parameter in SHAPE_LISTS {
        for triple in graph.triples_for_predicate(parameter) {
            for member in list::read(graph, triple.object).unwrap_or_default() {
                if let Some(node) = as_subject(member.as_ref()) {
                    add(node);
                }
            }
        }
    }
    nodes
}

/// The classes `roots` and all their `rdfs:subClassOf` descendants in `graph`.
fn subclasses(graph: &Graph, roots: &[NamedNodeRef<'_>]) -> Vec<oxigraph::model::Term> {
    let mut out: Vec<oxigraph::model::Term> = roots.iter().map(|r| r.into_owned().into()).collect();
    let mut i = 0;
    while let Some(class) = out.get(i).cloned() {
        i += 1;
        for sub in graph.subjects_for_predicate_object(rdfs::SUB_CLASS_OF, class.as_ref()) {
            let sub: oxigraph::model::Term = sub.into_owned().into();
            if !out.contains(&sub) {
                out.push(sub);
            }
        }
    }
    out
}

/// Whether `node` is a SHACL instance of `class` in `graph` (`rdf:type/rdfs:subClassOf*`).
fn is_instance(graph: &Graph, node: NamedOrBlankNodeRef<'_>, class: NamedNodeRef<'_>) -> bool {
    let classes = subclasses(graph, &[class]);
    graph
        .objects_for_subject_predicate(node, rdf::TYPE)
        .any(|t: TermRef<'_>| classes.iter().any(|c| c.as_ref() == t))
}
