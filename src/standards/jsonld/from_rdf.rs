//! Quads -> expanded JSON-LD (the fromRdf algorithm with `useNativeTypes` and `useRdfType`
//! false: literals keep their lexical form and datatype, `rdf:type` becomes `@type`). Lists stay
//! `rdf:first`/`rdf:rest` triples, which is still the same RDF.
//!
//! Why here and not the crate: json-ld 0.21 turns RDF into JSON-LD only through the
//! `linked-data` traits, one graph view at a time, over rdf-types terms; building the expanded
//! form from oxigraph's quads directly is shorter than the conversion it would need. Everything
//! after (compaction, flattening) is the crate's.
//!
//! One readability step: a blank node that is the object of exactly one triple, in one graph,
//! and names no graph, is written inside the node that refers to it (a nested node object
//! without `@id`), so a resource and its blank-node closure compact to one JSON object. Nesting
//! does not change the RDF the document expands to.

use oxigraph::model::{GraphName, Literal, NamedOrBlankNode, Quad, Term, vocab};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Nesting stops here (long `rdf:rest` chains): deeper nodes are written at the top level.
const MAX_NESTING: usize = 8;

#[derive(Default)]
struct Node {
    types: BTreeSet<String>,
    properties: BTreeMap<String, Vec<Object>>,
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    Iri(String),
    Blank(String),
    Literal(LiteralKey),
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
struct LiteralKey {
    value: String,
    language: Option<String>,
    datatype: String,
}

fn subject_key(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
    }
}

fn graph_key(graph: &GraphName) -> Option<String> {
    match graph {
        GraphName::DefaultGraph => None,
        GraphName::NamedNode(n) => Some(n.as_str().to_owned()),
        GraphName::BlankNode(b) => Some(format!("_:{}", b.as_str())),
    }
}

fn object(term: &Term) -> Object {
    match term {
        Term::NamedNode(n) => Object::Iri(n.as_str().to_owned()),
        Term::BlankNode(b) => Object::Blank(format!("_:{}", b.as_str())),
        Term::Literal(l) => Object::Literal(literal_key(l)),
    }
}

fn literal_key(literal: &Literal) -> LiteralKey {
    LiteralKey {
        value: literal.value().to_owned(),
        language: literal.language().map(str::to_owned),
        datatype: literal.datatype().as_str().to_owned(),
    }
}

/// Quads -> an expanded JSON-LD document (an array of node objects; named graphs as nodes with
/// `@graph`). Duplicate quads are written once.
pub fn from_rdf(quads: &[Quad]) -> Value {
    from_rdf_owning(quads, None)
}

/// As [`from_rdf`], and a resource's own sub-resources (IRIs under `{root}/`, each referenced
/// once) are written inside the node that refers to them, with their `@id`: a use case, its
/// place, agents, distributions and measurements compact to one JSON object, which a JSON
/// merge patch can address by member names.
pub fn from_rdf_tree(quads: &[Quad], root: &str) -> Value {
    from_rdf_owning(quads, Some(&format!("{root}/")))
}

fn from_rdf_owning(quads: &[Quad], owned: Option<&str>) -> Value {
    // graph (None = default) -> subject -> node
    let mut graphs: BTreeMap<Option<String>, BTreeMap<String, Node>> = BTreeMap::new();
    graphs.entry(None).or_default();
    for quad in quads {
        let graph = graph_key(&quad.graph_name);
        if let Some(name) = &graph {
            graphs
                .entry(None)
                .or_default()
                .entry(name.clone())
                .or_default();
        }
        let node = graphs
            .entry(graph)
            .or_default()
            .entry(subject_key(&quad.subject))
            .or_default();
        match &quad.object {
            Term::NamedNode(n) if quad.predicate == vocab::rdf::TYPE => {
                node.types.insert(n.as_str().to_owned());
            }
            Term::BlankNode(b) if quad.predicate == vocab::rdf::TYPE => {
                node.types.insert(format!("_:{}", b.as_str()));
            }
            term => {
                let values = node
                    .properties
                    .entry(quad.predicate.as_str().to_owned())
                    .or_default();
                let value = object(term);
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
    }
    let embeddable = embeddable_nodes(&graphs, owned);
    let mut default_nodes = Vec::new();
    let Some(default_graph) = graphs.get(&None) else {
        return Value::Array(default_nodes);
    };
    for (subject, value) in write_graph(default_graph, &embeddable) {
        let mut value = value;
        if let Some(inner) = graphs.get(&Some(subject.clone())) {
            let nodes: Vec<Value> = write_graph(inner, &embeddable)
                .into_iter()
                .map(|(_, v)| v)
                .collect();
            if let Value::Object(object) = &mut value {
                object.insert("@graph".to_owned(), Value::Array(nodes));
            }
        }
        default_nodes.push(value);
    }
    Value::Array(default_nodes)
}

/// Blank nodes (and IRIs under `owned`) referenced as an object exactly once, appearing in one
/// graph only, and naming no graph.
fn embeddable_nodes(
    graphs: &BTreeMap<Option<String>, BTreeMap<String, Node>>,
    owned: Option<&str>,
) -> HashSet<String> {
    let is_owned = |id: &str| owned.is_some_and(|prefix| id.starts_with(prefix));
    let mut references: HashMap<&str, usize> = HashMap::new();
    let mut graphs_of: HashMap<&str, usize> = HashMap::new();
    for nodes in graphs.values() {
        let mut here: HashSet<&str> = HashSet::new();
        for (subject, node) in nodes {
            if subject.starts_with("_:") || is_owned(subject) {
                here.insert(subject);
            }
            for t in &node.types {
                if t.starts_with("_:") {
                    // Used as a type: keep its identifier.
                    references.insert(t, usize::MAX);
                }
            }
            for values in node.properties.values() {
                for value in values {
                    let id = match value {
                        Object::Blank(b) => b.as_str(),
                        Object::Iri(iri) if is_owned(iri) => iri.as_str(),
                        _ => continue,
                    };
                    let count = references.entry(id).or_default();
                    *count = count.saturating_add(1);
                    here.insert(id);
                }
            }
        }
        for b in here {
            *graphs_of.entry(b).or_default() += 1;
        }
    }
    references
        .into_iter()
        .filter(|(b, count)| {
            *count == 1
                && graphs_of.get(b) == Some(&1)
                && !graphs.contains_key(&Some((*b).to_owned()))
        })
        .map(|(b, _)| b.to_owned())
        .collect()
}

/// One graph's nodes: roots first (in subject order), embedding what can be; nodes left over
/// (blank nodes only reachable through a cycle of embeddable ones) are written at the top.
fn write_graph(
    nodes: &BTreeMap<String, Node>,
    embeddable: &HashSet<String>,
) -> Vec<(String, Value)> {
    let mut written: HashSet<&str> = HashSet::new();
    let mut out = Vec::new();
    for subject in nodes.keys().filter(|s| !embeddable.contains(*s)) {
        let value = write_node(subject, nodes, embeddable, &mut written, 0);
        out.push((subject.clone(), value));
    }
    for subject in nodes.keys() {
        if !written.contains(subject.as_str()) {
            let value = write_node(subject, nodes, embeddable, &mut written, 0);
            out.push((subject.clone(), value));
        }
    }
    out
}

fn write_node<'a>(
    subject: &'a str,
    nodes: &'a BTreeMap<String, Node>,
    embeddable: &HashSet<String>,
    written: &mut HashSet<&'a str>,
    depth: usize,
) -> Value {
    written.insert(subject);
    let mut object = Map::new();
    if depth == 0 || !subject.starts_with("_:") {
        object.insert("@id".to_owned(), Value::String(subject.to_owned()));
    }
    let Some(node) = nodes.get(subject) else {
        return Value::Object(object);
    };
    if !node.types.is_empty() {
        object.insert(
            "@type".to_owned(),
            Value::Array(node.types.iter().map(|t| json!(t)).collect()),
        );
    }
    for (predicate, values) in &node.properties {
        let mut sorted: Vec<&Object> = values.iter().collect();
        sorted.sort();
        let written_values: Vec<Value> = sorted
            .into_iter()
            .map(|value| match value {
                Object::Iri(iri) | Object::Blank(iri) => match nodes.get_key_value(iri.as_str()) {
                    Some((key, _))
                        if depth < MAX_NESTING
                            && embeddable.contains(iri)
                            && !written.contains(iri.as_str()) =>
                    {
                        write_node(key, nodes, embeddable, written, depth + 1)
                    }
                    _ => json!({ "@id": iri }),
                },
                Object::Literal(l) => literal_value(l),
            })
            .collect();
        object.insert(predicate.clone(), Value::Array(written_values));
    }
    Value::Object(object)
}

fn literal_value(literal: &LiteralKey) -> Value {
    if let Some(language) = &literal.language {
        json!({ "@value": literal.value, "@language": language })
    } else if literal.datatype == vocab::xsd::STRING.as_str() {
        json!({ "@value": literal.value })
    } else {
        json!({ "@value": literal.value, "@type": literal.datatype })
    }
}
