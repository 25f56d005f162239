//! Functions (`function` + `parameters`, and the `fn(p = v, ...)` shortcut) -> function
//! executions; `condition`s -> the reference parser's `idlab-fn:trueCondition` wrappers; join
//! `condition`s of `mapping:` objects -> join conditions.

use oxigraph::model::{NamedNode, Term};

use super::terms::{Classified, Ctx, GREL, IDLAB_FN};
use super::yaml::{Node, Value};
use crate::pipeline::mapping::model::{
    Expression, FunctionExecution, FunctionInput, JoinCondition, TermMap, TermType,
};

/// Which record a function parameter reads in a join: `s` (the child) or `o` (the parent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Child,
    Parent,
    Mixed,
    None,
}

impl Side {
    fn join(self, other: Side) -> Side {
        match (self, other) {
            (Side::None, side) | (side, Side::None) => side,
            (a, b) if a == b => a,
            _ => Side::Mixed,
        }
    }
}

/// A function execution read from a node with `function`/`fn`/`f` and `parameters`/`pms`, with
/// the side each input reads in a join.
pub(super) fn function(ctx: &mut Ctx<'_>, node: &Node) -> Option<(FunctionExecution, Vec<Side>)> {
    let Some(function_node) = node.get(&["function", "fn", "f"]) else {
        ctx.problem(node, "a function needs `function`");
        return None;
    };
    let name = ctx.text(function_node, "`function`")?;
    let mut params: Vec<(String, ParamValue<'_>, Side, &Node)> = Vec::new();
    let (name, equal) = match shortcut(name) {
        Some((short_name, shortcut_params)) => {
            for (parameter, value) in shortcut_params {
                params.push((
                    parameter,
                    ParamValue::Text(value, false),
                    Side::Child,
                    function_node,
                ));
            }
            (short_name, false)
        }
        None => (name.to_owned(), name == "equal"),
    };
    let function_iri = if equal {
        NamedNode::new_unchecked(format!("{IDLAB_FN}equal"))
    } else {
        ctx.constant_iri(&name, function_node)?
    };
    for param in node
        .get(&["parameters", "pms"])
        .map(Node::as_list)
        .unwrap_or_default()
    {
        params.push(parameter(ctx, param)?);
    }
    let mut inputs = Vec::with_capacity(params.len());
    let mut sides = Vec::with_capacity(params.len());
    for (parameter, value, side, at) in params {
        let parameter = match (equal, parameter.as_str()) {
            (true, "str1") => format!("{GREL}valueParameter"),
            (true, "str2") => format!("{GREL}valueParameter2"),
            _ => ctx.expand(&parameter, at, true),
        };
        let parameter = ctx.iri(&parameter, at)?;
        let (value, side) = match value {
            ParamValue::Text(text, iri) => {
                let term_type = if iri {
                    TermType::Iri
                } else {
                    TermType::Literal
                };
                (ctx.term_map(&text, at, term_type, true)?, side)
            }
            ParamValue::Function(inner) => {
                let (execution, inner_sides) = function(ctx, inner)?;
                let mut map = TermMap::of(Expression::Function(Box::new(execution)));
                if inner.get(&["type"]).and_then(Node::as_str) == Some("iri") {
                    map.term_type = Some(TermType::Iri);
                }
                (map, inner_sides.into_iter().fold(Side::None, Side::join))
            }
        };
        inputs.push(FunctionInput { parameter, value });
        sides.push(side);
    }
    let execution = FunctionExecution {
        function: Box::new(TermMap::constant(function_iri)),
        inputs,
        output: None,
    };
    Some((execution, sides))
}

enum ParamValue<'a> {
    /// The value text and whether it ended in `~iri`.
    Text(String, bool),
    Function(&'a Node),
}

/// `[parameter, value]`, `[parameter, value, s|o]` or `{parameter, value, from}`.
fn parameter<'a>(
    ctx: &mut Ctx<'_>,
    node: &'a Node,
) -> Option<(String, ParamValue<'a>, Side, &'a Node)> {
    let (name, value, from) = match &node.value {
        Value::Seq(items) => (items.first(), items.get(1), items.get(2)),
        Value::Map(_) => (
            node.get(&["parameter", "pm"]),
            node.get(&["value", "v"]),
            node.get(&["from"]),
        ),
        _ => (None, None, None),
    };
    let (Some(name), Some(value)) = (name, value) else {
        ctx.problem(node, "a parameter needs a name and a value");
        return None;
    };
    let name = ctx.text(name, "a parameter name")?.to_owned();
    let side = match from.map(|from| (from, from.as_str())) {
        None => Side::Child,
        Some((_, Some("s" | "subject"))) => Side::Child,
        Some((_, Some("o" | "object"))) => Side::Parent,
        Some((at, _)) => {
            ctx.problem(at, "`from` must be `s`, `subject`, `o` or `object`");
            return None;
        }
    };
    let value = match &value.value {
        Value::Map(_) => ParamValue::Function(value),
        Value::Scalar(text) => match text.find("~iri") {
            Some(at) => ParamValue::Text(format!("{}{}", &text[..at], &text[at + 4..]), true),
            None => ParamValue::Text(text.clone(), false),
        },
        _ => {
            ctx.problem(value, "a parameter value must be a string or a function");
            return None;
        }
    };
    Some((name, value, side, node))
}

/// `prefix:fn(p1 = v1, p2 = "v2")`: the function name and its parameters (a parameter without
/// a prefix takes the function's).
fn shortcut(text: &str) -> Option<(String, Vec<(String, String)>)> {
    let open = text.find('(')?;
    let close = text.rfind(')').filter(|close| *close > open)?;
    let name = &text[..open];
    let prefix = name.split_once(':').map(|(p, _)| p).unwrap_or("");
    let mut params = Vec::new();
    for piece in text[open + 1..close].split(',') {
        let (parameter, value) = piece.split_once('=')?;
        let parameter = parameter.trim();
        let parameter = if parameter.contains(':') {
            parameter.to_owned()
        } else {
            format!("{prefix}:{parameter}")
        };
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        params.push((parameter, value.to_owned()));
    }
    Some((name.to_owned(), params))
}

/// The reference parser's condition wrapper: `trueCondition(strBoolean = condition, str = value)`.
pub(super) fn true_condition(
    ctx: &mut Ctx<'_>,
    condition: &Node,
    value: Option<TermMap>,
    term_type: TermType,
) -> Option<TermMap> {
    let (execution, _) = function(ctx, condition)?;
    let mut inputs = vec![FunctionInput {
        parameter: NamedNode::new_unchecked(format!("{IDLAB_FN}strBoolean")),
        value: TermMap::of(Expression::Function(Box::new(execution))),
    }];
    if let Some(value) = value {
        inputs.push(FunctionInput {
            parameter: NamedNode::new_unchecked(format!("{IDLAB_FN}str")),
            value,
        });
    }
    let mut map = TermMap::of(Expression::Function(Box::new(FunctionExecution {
        function: Box::new(TermMap::constant(NamedNode::new_unchecked(format!(
            "{IDLAB_FN}trueCondition"
        )))),
        inputs,
        output: None,
    })));
    map.term_type = Some(term_type);
    Some(map)
}

/// The join conditions one `condition` of a `mapping:` object stands for.
pub(super) fn join_conditions(ctx: &mut Ctx<'_>, condition: &Node) -> Option<Vec<JoinCondition>> {
    if simple_equal(condition) {
        let mut join = (None, None);
        for param in condition
            .get(&["parameters", "pms"])
            .map(Node::as_list)
            .unwrap_or_default()
        {
            let (name, value, _, at) = parameter(ctx, param)?;
            let ParamValue::Text(text, _) = value else {
                return None;
            };
            let Classified::Reference(reference) = ctx.classify(&text, at, false) else {
                return None;
            };
            if name == "str1" {
                join.0 = Some(Expression::Reference(reference));
            } else {
                join.1 = Some(Expression::Reference(reference));
            }
        }
        return match join {
            (Some(child), Some(parent)) => Some(vec![JoinCondition { child, parent }]),
            _ => {
                ctx.problem(
                    condition,
                    "an `equal` join condition needs `str1` and `str2`",
                );
                None
            }
        };
    }
    let mut joins = Vec::new();
    function_join(ctx, condition, &mut joins)?;
    Some(joins)
}

/// `equal` whose parameters are all `$(reference)` arrays: a plain `rr:joinCondition`.
fn simple_equal(condition: &Node) -> bool {
    let is_equal = condition
        .get(&["function", "fn", "f"])
        .and_then(Node::as_str)
        == Some("equal");
    let params = condition
        .get(&["parameters", "pms"])
        .map(Node::as_list)
        .unwrap_or_default();
    is_equal
        && params.iter().all(|param| match &param.value {
            Value::Seq(items) => items.get(1).and_then(Node::as_str).is_some_and(|value| {
                value.starts_with("$(") && value.ends_with(')') && value.matches("$(").count() == 1
            }),
            _ => false,
        })
}

/// An `equal` function between a child-side and a parent-side input is a join condition;
/// `boolean_and` of such functions is several.
fn function_join(ctx: &mut Ctx<'_>, node: &Node, joins: &mut Vec<JoinCondition>) -> Option<()> {
    let (execution, sides) = function(ctx, node)?;
    let name = match &execution.function.expression {
        Expression::Constant(Term::NamedNode(iri)) => iri.as_str().to_owned(),
        _ => String::new(),
    };
    if name == format!("{GREL}boolean_and") {
        for param in node
            .get(&["parameters", "pms"])
            .map(Node::as_list)
            .unwrap_or_default()
        {
            match param.get(&["value", "v"]) {
                Some(inner) if matches!(inner.value, Value::Map(_)) => {
                    function_join(ctx, inner, joins)?;
                }
                _ => {
                    ctx.problem(
                        param,
                        "`boolean_and` in a join condition must combine functions",
                    );
                    return None;
                }
            }
        }
        return Some(());
    }
    let pair = <[FunctionInput; 2]>::try_from(execution.inputs).ok();
    let Some([first, second]) = pair.filter(|_| name == format!("{IDLAB_FN}equal")) else {
        ctx.problem(
            node,
            format!("only `equal` with two parameters (or `boolean_and` of them) can join two mappings, not `{name}`"),
        );
        return None;
    };
    let (child, parent) = match (sides.first(), sides.get(1)) {
        (Some(Side::Parent), Some(Side::Child)) => (second.value, first.value),
        (Some(Side::Child), Some(Side::Parent)) => (first.value, second.value),
        _ if first.parameter.as_str().ends_with("valueParameter2") => (second.value, first.value),
        _ => (first.value, second.value),
    };
    joins.push(JoinCondition {
        child: child.expression,
        parent: parent.expression,
    });
    Some(())
}
