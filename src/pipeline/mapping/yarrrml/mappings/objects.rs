//! One object of a predicate-object entry -> object maps: plain values (`o`, `[o, datatype]`,
//! `o~iri`, `{value, type, datatype, language}`), functions, `mapping:` references with their
//! join conditions, and conditions wrapped the way the reference parser wraps them.

use oxigraph::model::{Literal, Term};

use super::super::functions::{function, join_conditions, true_condition};
use super::super::terms::{Classified, Ctx, RDF_LANG_STRING};
use super::super::yaml::{Node, Value};
use super::{PoShape, Translator};
use crate::pipeline::mapping::model::{
    Expression, ObjectMap, ReferencingObjectMap, TermMap, TermType,
};

/// What an object entry says, before it becomes object maps.
struct ObjectSpec<'a> {
    at: &'a Node,
    value: Option<(String, &'a Node)>,
    term_type: TermType,
    datatype: Option<&'a Node>,
    language: Option<&'a Node>,
    function: Option<&'a Node>,
    mappings: Vec<&'a Node>,
    conditions: Vec<&'a Node>,
}

impl Translator<'_> {
    pub(super) fn objects(
        &self,
        ctx: &mut Ctx<'_>,
        object: &Node,
        shape: &PoShape<'_>,
        is_a: bool,
        out: &mut Vec<ObjectMap>,
    ) {
        let Some(mut spec) = read(ctx, object, is_a) else {
            return;
        };
        if spec.datatype.is_none() && spec.language.is_none() {
            spec.datatype = shape.datatype;
            spec.language = shape.language;
        }
        if !spec.mappings.is_empty() {
            if let Some(condition) = shape.condition {
                ctx.problem(
                    condition,
                    "a predicateobjects `condition` cannot apply to `mapping:` objects",
                );
            }
            for mapping in &spec.mappings {
                out.extend(
                    self.referencing(ctx, mapping, &spec.conditions)
                        .into_iter()
                        .flatten()
                        .map(ObjectMap::Referencing),
                );
            }
            return;
        }
        let Some(inner) = self.plain_object(ctx, &spec) else {
            return;
        };
        let condition = shape.condition.or(spec.conditions.first().copied());
        let Some(condition) = condition else {
            out.push(ObjectMap::Term(with_datatype_or_language(
                ctx, inner, &spec,
            )));
            return;
        };
        let term_type = inner.term_type.unwrap_or(spec.term_type);
        let Some(wrapped) = true_condition(ctx, condition, Some(inner), term_type) else {
            return;
        };
        out.push(ObjectMap::Term(with_datatype_or_language(
            ctx, wrapped, &spec,
        )));
    }

    fn referencing(
        &self,
        ctx: &mut Ctx<'_>,
        mapping: &Node,
        conditions: &[&Node],
    ) -> Option<Vec<ReferencingObjectMap>> {
        let name = ctx.text(mapping, "`mapping`")?;
        if !self.known.contains_key(name) {
            ctx.problem(mapping, format!("unknown mapping `{name}`"));
            return None;
        }
        let mut joins = Vec::new();
        for condition in conditions {
            joins.extend(join_conditions(ctx, condition)?);
        }
        // One referencing object map per triples map of the parent (one per source), as the
        // reference parser writes them.
        let parents = self.known.get(name).copied().unwrap_or(1).max(1);
        Some(
            (0..parents)
                .map(|index| ReferencingObjectMap {
                    parent: self.map_name(name, index),
                    joins: joins.clone(),
                })
                .collect(),
        )
    }

    /// The object's own term map, without datatype or language.
    fn plain_object(&self, ctx: &mut Ctx<'_>, spec: &ObjectSpec<'_>) -> Option<TermMap> {
        if let Some(node) = spec.function {
            let (execution, _) = function(ctx, node)?;
            let mut map = TermMap::of(Expression::Function(Box::new(execution)));
            map.term_type = Some(match spec.term_type {
                TermType::Iri => TermType::Iri,
                _ => TermType::Literal,
            });
            return Some(map);
        }
        match &spec.value {
            Some((text, at)) => ctx.term_map(text, at, spec.term_type, true),
            None if spec.term_type == TermType::BlankNode => {
                let mut map = TermMap::of(Expression::Absent);
                map.term_type = Some(TermType::BlankNode);
                Some(map)
            }
            None => {
                ctx.problem(
                    spec.at,
                    "an object needs a `value`, a `function` or a `mapping`",
                );
                None
            }
        }
    }
}

fn read<'a>(ctx: &mut Ctx<'_>, object: &'a Node, is_a: bool) -> Option<ObjectSpec<'a>> {
    let mut spec = ObjectSpec {
        at: object,
        value: None,
        term_type: TermType::Literal,
        datatype: None,
        language: None,
        function: None,
        mappings: Vec::new(),
        conditions: Vec::new(),
    };
    match &object.value {
        Value::Scalar(text) => {
            let (text, iri) = strip_iri(text);
            spec.term_type = if iri || is_a {
                TermType::Iri
            } else {
                TermType::Literal
            };
            spec.value = Some((text, object));
        }
        Value::Seq(items) => {
            let first = items.first()?;
            let (text, iri) = strip_iri(ctx.text(first, "an object value")?);
            spec.term_type = if iri {
                TermType::Iri
            } else {
                TermType::Literal
            };
            spec.value = Some((text, first));
            if let Some(second) = items.get(1) {
                match second.as_str() {
                    Some(text) if text.contains("~lang") => spec.language = Some(second),
                    _ => spec.datatype = Some(second),
                }
            }
        }
        Value::Map(_) => {
            if let Some(value) = object.get(&["value", "v"]) {
                spec.value = Some((ctx.text(value, "an object value")?.to_owned(), value));
            }
            spec.term_type = match object.get(&["type"]).and_then(Node::as_str) {
                Some("iri") => TermType::Iri,
                Some("blank") => TermType::BlankNode,
                _ => TermType::Literal,
            };
            if is_a && spec.value.is_none() && object.get(&["function", "fn", "f"]).is_some() {
                spec.term_type = TermType::Iri;
            }
            spec.datatype = object.get(&["datatype"]);
            spec.language = object.get(&["language"]).map(super::value_of);
            spec.function = object.get(&["function", "fn", "f"]).map(|_| object);
            spec.mappings = object
                .get(&["mapping", "m"])
                .map(Node::as_list)
                .unwrap_or_default();
            spec.conditions = object
                .get(&["conditions", "condition", "c"])
                .map(Node::as_list)
                .unwrap_or_default();
            if object
                .get(&["inversepredicates", "inversepredicate", "iv"])
                .is_some()
            {
                ctx.problem(object, "inverse predicates are not supported");
            }
        }
        Value::Null => {
            ctx.problem(object, "a predicateobjects entry needs an object");
            return None;
        }
    }
    Some(spec)
}

fn strip_iri(text: &str) -> (String, bool) {
    match text.find("~iri") {
        Some(at) => (format!("{}{}", &text[..at], &text[at + 4..]), true),
        None => (text.to_owned(), false),
    }
}

/// The reference parser writes a datatype when there is one, else a language; a language with
/// `rdf:langString` as datatype is a language.
fn with_datatype_or_language(
    ctx: &mut Ctx<'_>,
    mut map: TermMap,
    spec: &ObjectSpec<'_>,
) -> TermMap {
    let datatype = spec.datatype.and_then(|node| datatype_map(ctx, node));
    let lang_string = datatype.as_ref().is_some_and(|d| {
        matches!(&d.expression, Expression::Constant(Term::NamedNode(iri)) if iri.as_str() == RDF_LANG_STRING)
    });
    match (datatype, spec.language) {
        (Some(datatype), language) if !(lang_string && language.is_some()) => {
            map.datatype = Some(Box::new(datatype));
        }
        (_, Some(language)) => {
            if let Some(text) = ctx.text(language, "a language") {
                let text = text.replacen("~lang", "", 1);
                let expression = match ctx.classify(&text, language, false) {
                    Classified::Constant(tag) => {
                        Expression::Constant(Term::Literal(Literal::new_simple_literal(tag)))
                    }
                    Classified::Reference(reference) => Expression::Reference(reference),
                    Classified::Template(template) => Expression::Template(template),
                };
                map.language = Some(Box::new(TermMap::of(expression)));
            }
        }
        _ => {}
    }
    map
}

fn datatype_map(ctx: &mut Ctx<'_>, node: &Node) -> Option<TermMap> {
    let text = ctx.text(node, "a datatype")?;
    ctx.constant_iri(text, node).map(TermMap::constant)
}
