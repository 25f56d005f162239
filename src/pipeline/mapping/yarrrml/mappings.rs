//! YARRRML `mappings` -> triples maps: subjects, predicate-object lists in every short and long
//! form, graphs, referencing objects and conditions. One triples map per source, named as the
//! reference parser names them (`{base}map_{key}_{000}`) and labelled with the mapping key.

use std::collections::HashMap;

use oxigraph::model::NamedNode;

use super::functions::{function, true_condition};
use super::sources::logical_source;
use super::terms::{Classified, Ctx, RDF_TYPE};
use super::yaml::{Node, Value};
use super::{Document, Problem, YarrrmlOptions};
use crate::pipeline::mapping::model::{
    Expression, MapName, Mapping, PredicateObjectMap, SubjectMap, TermMap, TermType, TriplesMap,
};

const DEFAULT_BASE: &str = "http://mapping.example.com/";

pub(super) fn translate(
    document: &Document<'_>,
    options: &YarrrmlOptions,
    problems: &mut Vec<Problem>,
) -> Mapping {
    let base = document.base.as_deref().unwrap_or(DEFAULT_BASE);
    // Each mapping's key and how many triples maps it becomes (one per source).
    let known: HashMap<&str, usize> = document
        .mappings
        .iter()
        .filter(|(_, node, _)| !node.is_null())
        .map(|(key, node, _)| {
            let sources = node
                .get(&["sources", "source"])
                .map_or(0, |sources| sources.as_list().len());
            (*key, sources)
        })
        .collect();
    let mut mapping = Mapping::default();
    for (key, node, document_name) in &document.mappings {
        if node.is_null() {
            continue;
        }
        let mut ctx = Ctx {
            prefixes: &document.prefixes,
            external: &document.external,
            options: *options,
            problems,
            mapping: Some((*key).to_owned()),
            document: (!document_name.is_empty()).then(|| (*document_name).to_owned()),
        };
        let translator = Translator {
            base,
            known: &known,
        };
        mapping.triples_maps.extend(translator.triples_maps(
            &mut ctx,
            key,
            node,
            &document.sources,
        ));
    }
    mapping
}

struct Translator<'a> {
    base: &'a str,
    known: &'a HashMap<&'a str, usize>,
}

impl Translator<'_> {
    fn triples_maps(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        node: &Node,
        named_sources: &[(&str, &Node)],
    ) -> Vec<TriplesMap> {
        if !matches!(node.value, Value::Map(_)) {
            ctx.problem(
                node,
                "a mapping must be a mapping of rules (`sources`, `s`, `po`...)",
            );
            return Vec::new();
        }
        let mut logical_sources = Vec::new();
        match node.get(&["sources", "source"]) {
            None => ctx.problem(node, "the mapping has no `sources`"),
            Some(sources) => {
                for entry in sources.as_list() {
                    logical_sources.extend(logical_source(ctx, entry, named_sources));
                }
            }
        }
        let subject = self.subject_map(ctx, node);
        let mut classes = Vec::new();
        let mut poms = Vec::new();
        for po in node
            .get(&["predicateobjects", "predicateobject", "po"])
            .map(Node::as_list)
            .unwrap_or_default()
        {
            if let Some(pom) = self.predicate_object_map(ctx, po, &mut classes) {
                poms.push(pom);
            }
        }
        let Some(mut subject) = subject else {
            return Vec::new();
        };
        subject.classes = classes;
        logical_sources
            .into_iter()
            .enumerate()
            .map(|(index, logical_source)| TriplesMap {
                name: self.map_name(key, index),
                label: Some(key.to_owned()),
                logical_source,
                subject: subject.clone(),
                predicate_object_maps: poms.clone(),
                base_iri: None,
            })
            .collect()
    }

    fn map_name(&self, key: &str, index: usize) -> MapName {
        MapName::Iri(format!("{}map_{key}_{index:03}", self.base))
    }

    fn subject_map(&self, ctx: &mut Ctx<'_>, node: &Node) -> Option<SubjectMap> {
        let subjects = node
            .get(&["subjects", "subject", "s"])
            .map(Node::as_list)
            .unwrap_or_default();
        if subjects.len() > 1 {
            ctx.problem(node, "only one subject per mapping is supported");
        }
        let condition = node.get(&["conditions", "condition", "c"]);
        let term = match subjects.first() {
            None => {
                let mut blank = TermMap::of(Expression::Absent);
                blank.term_type = Some(TermType::BlankNode);
                blank
            }
            Some(subject) => self.subject_term(ctx, subject, condition.is_some())?,
        };
        let term = match condition {
            Some(condition) => {
                let term_type = term.term_type.unwrap_or(TermType::Iri);
                let value = (!matches!(term.expression, Expression::Absent)).then_some(term);
                true_condition(ctx, condition, value, term_type)?
            }
            None => term,
        };
        let graphs = self.graphs(ctx, node);
        Some(SubjectMap {
            term,
            classes: Vec::new(),
            graphs,
        })
    }

    fn subject_term(&self, ctx: &mut Ctx<'_>, subject: &Node, explicit: bool) -> Option<TermMap> {
        if subject.get(&["function", "fn", "f"]).is_some() {
            let (execution, _) = function(ctx, subject)?;
            let mut map = TermMap::of(Expression::Function(Box::new(execution)));
            map.term_type = Some(match subject.get(&["type"]).and_then(Node::as_str) {
                Some("blank") => TermType::BlankNode,
                _ => TermType::Iri,
            });
            return Some(map);
        }
        let value = subject.get(&["value", "v"]).unwrap_or(subject);
        let text = ctx.text(value, "a subject")?;
        match text.strip_suffix("~blanknode") {
            Some(text) => {
                let mut map = ctx.term_map(text, value, TermType::BlankNode, true)?;
                map.term_type = Some(TermType::BlankNode);
                Some(map)
            }
            None => ctx.term_map(
                text.trim_end_matches("~iri"),
                value,
                TermType::Iri,
                explicit,
            ),
        }
    }

    fn graphs(&self, ctx: &mut Ctx<'_>, node: &Node) -> Vec<TermMap> {
        let mut graphs = Vec::new();
        for graph in node
            .get(&["graphs", "graph", "g"])
            .map(Node::as_list)
            .unwrap_or_default()
        {
            if graph.get(&["function", "fn", "f"]).is_some() {
                if let Some((execution, _)) = function(ctx, graph) {
                    let mut map = TermMap::of(Expression::Function(Box::new(execution)));
                    map.term_type = Some(TermType::Iri);
                    graphs.push(map);
                }
                continue;
            }
            let value = graph.get(&["value", "v"]).unwrap_or(graph);
            if let Some(text) = ctx.text(value, "a graph") {
                graphs.extend(ctx.term_map(text, value, TermType::Iri, false));
            }
        }
        graphs
    }

    fn predicate_object_map(
        &self,
        ctx: &mut Ctx<'_>,
        po: &Node,
        classes: &mut Vec<NamedNode>,
    ) -> Option<PredicateObjectMap> {
        let shape = PoShape::read(ctx, po)?;
        let predicate_texts: Vec<&str> = shape
            .predicates
            .iter()
            .filter_map(|p| ctx.text(p, "a predicate"))
            .collect();
        let is_a = predicate_texts.contains(&"a");
        if ctx.options.class && self.class_shortcut(ctx, &predicate_texts, &shape, classes) {
            return None;
        }
        let mut predicates = Vec::new();
        for (text, node) in predicate_texts.iter().zip(&shape.predicates) {
            if *text == "a" {
                predicates.push(TermMap::constant(NamedNode::new_unchecked(RDF_TYPE)));
            } else {
                predicates.extend(ctx.term_map(text, node, TermType::Iri, false));
            }
        }
        let mut objects = Vec::new();
        for object in &shape.objects {
            self.objects(ctx, object, &shape, is_a, &mut objects);
        }
        let graphs = self.graphs(ctx, po);
        Some(PredicateObjectMap {
            predicates,
            objects,
            graphs,
        })
    }

    /// The reference parser's `class` option: `[a, X]` with constant objects is `rr:class X`.
    fn class_shortcut(
        &self,
        ctx: &mut Ctx<'_>,
        predicates: &[&str],
        shape: &PoShape<'_>,
        classes: &mut Vec<NamedNode>,
    ) -> bool {
        let [predicate] = predicates else {
            return false;
        };
        let Some(at) = shape.predicates.first() else {
            return false;
        };
        let is_type = *predicate == "a" || ctx.expand(predicate, at, false) == RDF_TYPE;
        let plain = shape.objects.iter().all(|o| {
            o.get(&["function", "fn", "f"]).is_none() && o.get(&["mapping", "m"]).is_none()
        });
        if predicate.contains("$(") || !is_type || !plain || shape.condition.is_some() {
            return false;
        }
        for object in &shape.objects {
            let value = match &object.value {
                Value::Seq(items) => items.first(),
                Value::Map(_) => object.get(&["value", "v"]),
                _ => Some(*object),
            };
            let Some(text) = value.and_then(|v| ctx.text(v, "a class")) else {
                continue;
            };
            match ctx.classify(&text.replacen("~iri", "", 1), object, true) {
                Classified::Constant(iri) => classes.extend(ctx.iri(&iri, object)),
                _ => ctx.problem(object, "a class must be a constant IRI"),
            }
        }
        true
    }
}

mod objects;

/// A predicate-object entry, short (`[p, o]`, `[p, o, datatype]`) or long (`p`/`o`).
struct PoShape<'a> {
    predicates: Vec<&'a Node>,
    objects: Vec<&'a Node>,
    /// `datatype` or `lang~lang` of the short form, applied to objects that set neither.
    datatype: Option<&'a Node>,
    language: Option<&'a Node>,
    condition: Option<&'a Node>,
}

impl<'a> PoShape<'a> {
    fn read(ctx: &mut Ctx<'_>, po: &'a Node) -> Option<Self> {
        let (predicates, objects, third, condition) = match &po.value {
            Value::Seq(items) => (items.first(), items.get(1), items.get(2), None),
            Value::Map(_) => (
                po.get(&["predicates", "predicate", "p"]),
                po.get(&["objects", "object", "o"]),
                None,
                po.get(&["conditions", "condition", "c"]),
            ),
            _ => (None, None, None, None),
        };
        let Some(predicates) = predicates else {
            ctx.problem(po, "a predicateobjects entry needs a predicate");
            return None;
        };
        let Some(objects) = objects else {
            ctx.problem(po, "a predicateobjects entry needs an object");
            return None;
        };
        let (mut datatype, mut language) = (None, None);
        if let Some(third) = third {
            match third.as_str() {
                Some(text) if text.contains("~lang") => language = Some(third),
                _ => datatype = Some(third),
            }
        }
        Some(Self {
            predicates: predicates.as_list().into_iter().map(value_of).collect(),
            objects: objects.as_list(),
            datatype,
            language,
            condition,
        })
    }
}

/// The `value` of a node written in the long form that adds `targets` (`{value: x, targets: t}`),
/// else the node itself. Targets are not modelled.
fn value_of(node: &Node) -> &Node {
    match &node.value {
        Value::Map(_) => node.get(&["value", "v"]).unwrap_or(node),
        _ => node,
    }
}
