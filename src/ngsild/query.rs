//! The NGSI-LD query languages (GS CIM 009 clause 4.9 and 4.17): `q` over attribute values and
//! the entity type selector, parsed once per request and evaluated on entities in memory.
//! `;` is AND and binds tighter than `|` (OR); parentheses group.

use regex::Regex;
use serde_json::Value;

use super::context::ActiveContext;
use super::entity::{Attribute, Entity, Kind};
use super::error::NgsiError;

/// Longest `q` accepted, and deepest nesting of parentheses.
const MAX_QUERY_LEN: usize = 8 * 1024;
const MAX_DEPTH: usize = 32;

#[derive(Debug)]
pub enum Expr<T> {
    Leaf(T),
    And(Vec<Expr<T>>),
    Or(Vec<Expr<T>>),
}

impl<T> Expr<T> {
    pub fn eval(&self, test: &impl Fn(&T) -> bool) -> bool {
        match self {
            Self::Leaf(t) => test(t),
            Self::And(all) => all.iter().all(|e| e.eval(test)),
            Self::Or(any) => any.iter().any(|e| e.eval(test)),
        }
    }
}

/// Splits `text` into an expression tree of leaves, with `;` (AND), `|` (OR; also `,` when
/// `comma_is_or`) and parentheses. Quoted strings and `[...]` are kept whole.
fn parse_tree<T>(
    text: &str,
    comma_is_or: bool,
    leaf: &impl Fn(&str) -> Result<T, NgsiError>,
    depth: usize,
) -> Result<Expr<T>, NgsiError> {
    if depth > MAX_DEPTH {
        return Err(NgsiError::bad_request(
            "the query nests parentheses too deeply",
        ));
    }
    let text = text.trim();
    let mut ors: Vec<Vec<&str>> = vec![Vec::new()];
    let (mut start, mut level, mut quoted, mut bracket) = (0usize, 0i32, false, 0i32);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' => bracket += 1,
            ']' => bracket -= 1,
            '(' => level += 1,
            ')' => {
                level -= 1;
                if level < 0 {
                    return Err(NgsiError::bad_request(format!(
                        "unbalanced parenthesis at {} in {text:?}",
                        i + 1
                    )));
                }
            }
            ';' | '|' | ',' if level == 0 && bracket == 0 => {
                if c == ',' && !comma_is_or {
                    continue;
                }
                if let Some(last) = ors.last_mut() {
                    last.push(&text[start..i]);
                }
                if c != ';' {
                    ors.push(Vec::new());
                }
                start = i + 1;
            }
            _ => {}
        }
    }
    if level != 0 || quoted {
        return Err(NgsiError::bad_request(format!(
            "unbalanced parentheses or quotes in {text:?}"
        )));
    }
    if let Some(last) = ors.last_mut() {
        last.push(&text[start..]);
    }
    let mut or_terms = Vec::with_capacity(ors.len());
    for ands in ors {
        let mut and_terms = Vec::with_capacity(ands.len());
        for part in ands {
            let part = part.trim();
            if part.is_empty() {
                return Err(NgsiError::bad_request(format!("an empty term in {text:?}")));
            }
            and_terms.push(
                match part.strip_prefix('(').and_then(|p| p.strip_suffix(')')) {
                    Some(inner) if balanced(inner) => {
                        parse_tree(inner, comma_is_or, leaf, depth + 1)?
                    }
                    _ => Expr::Leaf(leaf(part)?),
                },
            );
        }
        or_terms.push(if and_terms.len() == 1 {
            and_terms.pop().unwrap_or(Expr::And(Vec::new()))
        } else {
            Expr::And(and_terms)
        });
    }
    Ok(if or_terms.len() == 1 {
        or_terms.pop().unwrap_or(Expr::Or(Vec::new()))
    } else {
        Expr::Or(or_terms)
    })
}

fn balanced(text: &str) -> bool {
    let mut level = 0i32;
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '(' if !quoted => level += 1,
            ')' if !quoted => {
                level -= 1;
                if level < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    level == 0
}

/// The `type` selector: expanded type IRIs combined with `,`/`|` (OR) and `;` (AND).
pub fn parse_types(text: &str, context: &ActiveContext) -> Result<Expr<String>, NgsiError> {
    if text.len() > MAX_QUERY_LEN {
        return Err(NgsiError::bad_request("the type selector is too long"));
    }
    parse_tree(
        text,
        true,
        &|name: &str| {
            super::entity::check_name(name)?;
            Ok(context.expand(name))
        },
        0,
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Ge,
    Gt,
    Le,
    Lt,
    Matches,
    NotMatches,
}

#[derive(Debug)]
enum Operand {
    One(Value),
    List(Vec<Value>),
    Range(Value, Value),
    Pattern(Regex),
}

/// One term of `q`: an attribute path, and optionally a comparison.
#[derive(Debug)]
pub struct Term {
    /// Expanded attribute name, then sub-attribute names (expanded) or instance members
    /// (`observedAt`, `unitCode`, `datasetId`...).
    path: Vec<String>,
    /// The path inside a compound value (`a[b.c]`).
    inner: Vec<String>,
    test: Option<(Op, Operand)>,
}

pub type Query = Expr<Term>;

/// Parses `q`.
pub fn parse_q(text: &str, context: &ActiveContext) -> Result<Query, NgsiError> {
    if text.len() > MAX_QUERY_LEN {
        return Err(NgsiError::bad_request(format!(
            "q is longer than {MAX_QUERY_LEN} bytes"
        )));
    }
    parse_tree(text, false, &|t: &str| parse_term(t, context), 0)
}

const OPERATORS: [(&str, Op); 8] = [
    ("!~=", Op::NotMatches),
    ("~=", Op::Matches),
    ("==", Op::Eq),
    ("!=", Op::Ne),
    (">=", Op::Ge),
    ("<=", Op::Le),
    (">", Op::Gt),
    ("<", Op::Lt),
];

fn parse_term(text: &str, context: &ActiveContext) -> Result<Term, NgsiError> {
    // The operator is the first one found outside quotes and brackets.
    let mut found: Option<(usize, &str, Op)> = None;
    let (mut quoted, mut bracket) = (false, 0);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' if !quoted => bracket += 1,
            ']' if !quoted => bracket -= 1,
            _ if quoted || bracket > 0 => {}
            _ => {
                if let Some((symbol, op)) = OPERATORS
                    .iter()
                    .find(|(symbol, _)| text[i..].starts_with(symbol))
                {
                    found = Some((i, symbol, *op));
                    break;
                }
            }
        }
    }
    let (attribute, test) = match found {
        None => (text, None),
        Some((at, symbol, op)) => {
            let value = &text[at + symbol.len()..];
            (&text[..at], Some((op, parse_operand(op, value)?)))
        }
    };
    let attribute = attribute.trim();
    let (outer, inner) = match attribute.split_once('[') {
        Some((outer, rest)) => {
            let inner = rest.strip_suffix(']').ok_or_else(|| {
                NgsiError::bad_request(format!("{attribute:?}: a [ without its ]"))
            })?;
            (outer, inner.split('.').map(str::to_owned).collect())
        }
        None => (attribute, Vec::new()),
    };
    if outer.is_empty() {
        return Err(NgsiError::bad_request(format!(
            "{text:?} names no attribute"
        )));
    }
    let mut path = Vec::new();
    for (i, name) in outer.split('.').enumerate() {
        if i > 0 && is_member(name) {
            path.push(name.to_owned());
            continue;
        }
        super::entity::check_name(name).map_err(|_| {
            NgsiError::bad_request(format!("{name:?} in q is not an attribute name"))
        })?;
        path.push(context.expand(name));
    }
    Ok(Term { path, inner, test })
}

fn is_member(name: &str) -> bool {
    matches!(
        name,
        "observedAt" | "unitCode" | "datasetId" | "createdAt" | "modifiedAt"
    )
}

fn parse_operand(op: Op, text: &str) -> Result<Operand, NgsiError> {
    if matches!(op, Op::Matches | Op::NotMatches) {
        let pattern = text.trim().trim_matches('"');
        let regex = regex::RegexBuilder::new(pattern)
            .size_limit(1 << 20)
            .build()
            .map_err(|e| {
                NgsiError::bad_request(format!("q: {pattern:?} is not a valid pattern: {e}"))
            })?;
        return Ok(Operand::Pattern(regex));
    }
    if text.trim().is_empty() {
        return Err(NgsiError::bad_request("q: an operator without a value"));
    }
    if matches!(op, Op::Eq | Op::Ne) {
        if let Some((low, high)) = split_outside_quotes(text, "..") {
            return Ok(Operand::Range(parse_value(low)?, parse_value(high)?));
        }
        let items = split_list(text);
        if items.len() > 1 {
            return Ok(Operand::List(
                items
                    .into_iter()
                    .map(parse_value)
                    .collect::<Result<_, _>>()?,
            ));
        }
    }
    Ok(Operand::One(parse_value(text)?))
}

fn split_outside_quotes<'a>(text: &'a str, separator: &str) -> Option<(&'a str, &'a str)> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && text[i..].starts_with(separator) {
            return Some((&text[..i], &text[i + separator.len()..]));
        }
    }
    None
}

fn split_list(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn parse_value(text: &str) -> Result<Value, NgsiError> {
    let text = text.trim();
    if let Some(inner) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
        return Ok(Value::String(inner.to_owned()));
    }
    match text {
        "true" => return Ok(Value::Bool(true)),
        "false" => return Ok(Value::Bool(false)),
        "" => return Err(NgsiError::bad_request("q: an empty value")),
        _ => {}
    }
    if let Ok(n) = text.parse::<i64>() {
        return Ok(Value::from(n));
    }
    if let Ok(f) = text.parse::<f64>()
        && let Some(n) = serde_json::Number::from_f64(f)
    {
        return Ok(Value::Number(n));
    }
    // Dates, times and URIs are written bare.
    Ok(Value::String(text.to_owned()))
}

impl Term {
    fn matches(&self, entity: &Entity) -> bool {
        let Some((first, rest)) = self.path.split_first() else {
            return false;
        };
        let Some(instances) = entity.attributes.get(first) else {
            return false;
        };
        instances
            .iter()
            .any(|instance| self.matches_instance(instance, rest))
    }

    fn matches_instance(&self, instance: &Attribute, rest: &[String]) -> bool {
        match rest.split_first() {
            Some((member, _)) if is_member(member) => {
                let value = match member.as_str() {
                    "observedAt" => instance.observed_at.clone(),
                    "unitCode" => instance.unit_code.clone(),
                    "datasetId" => instance.dataset_id.clone(),
                    "createdAt" => instance.created_at.clone(),
                    _ => instance.modified_at.clone(),
                };
                value.is_some_and(|v| self.test_value(&Value::String(v)))
            }
            Some((sub, deeper)) => instance
                .sub
                .get(sub)
                .is_some_and(|subs| subs.iter().any(|s| self.matches_instance(s, deeper))),
            None => {
                let mut value = match instance.kind {
                    Kind::Property | Kind::Relationship | Kind::VocabProperty => {
                        unwrap_typed(&instance.value)
                    }
                    _ => &instance.value,
                };
                for key in &self.inner {
                    match value.get(key) {
                        Some(v) => value = v,
                        None => return false,
                    }
                }
                self.test_value(value)
            }
        }
    }

    fn test_value(&self, value: &Value) -> bool {
        let Some((op, operand)) = &self.test else {
            return true;
        };
        if let Value::Array(items) = value
            && !matches!(op, Op::Ne | Op::NotMatches)
        {
            return items.iter().any(|item| test(*op, operand, item));
        }
        test(*op, operand, value)
    }
}

fn unwrap_typed(value: &Value) -> &Value {
    value.get("@value").unwrap_or(value)
}

fn test(op: Op, operand: &Operand, value: &Value) -> bool {
    match (op, operand) {
        (Op::Matches, Operand::Pattern(p)) => value.as_str().is_some_and(|s| p.is_match(s)),
        (Op::NotMatches, Operand::Pattern(p)) => value.as_str().is_some_and(|s| !p.is_match(s)),
        (Op::Eq, Operand::List(items)) => items
            .iter()
            .any(|i| compare(value, i) == Some(std::cmp::Ordering::Equal)),
        (Op::Ne, Operand::List(items)) => items
            .iter()
            .all(|i| compare(value, i) != Some(std::cmp::Ordering::Equal)),
        (Op::Eq, Operand::Range(low, high)) => in_range(value, low, high),
        (Op::Ne, Operand::Range(low, high)) => !in_range(value, low, high),
        (op, Operand::One(expected)) => {
            let order = compare(value, expected);
            match op {
                Op::Eq => order == Some(std::cmp::Ordering::Equal),
                Op::Ne => match value {
                    Value::Array(items) => !items
                        .iter()
                        .any(|i| compare(i, expected) == Some(std::cmp::Ordering::Equal)),
                    _ => order != Some(std::cmp::Ordering::Equal),
                },
                Op::Gt => order == Some(std::cmp::Ordering::Greater),
                Op::Ge => matches!(
                    order,
                    Some(std::cmp::Ordering::Greater | std::cmp::Ordering::Equal)
                ),
                Op::Lt => order == Some(std::cmp::Ordering::Less),
                Op::Le => matches!(
                    order,
                    Some(std::cmp::Ordering::Less | std::cmp::Ordering::Equal)
                ),
                _ => false,
            }
        }
        _ => false,
    }
}

fn in_range(value: &Value, low: &Value, high: &Value) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    matches!(compare(value, low), Some(Greater | Equal))
        && matches!(compare(value, high), Some(Less | Equal))
}

/// Numbers numerically, strings (also dates and times) by their text, booleans as such.
fn compare(value: &Value, expected: &Value) -> Option<std::cmp::Ordering> {
    match (value, expected) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Value::Bool(b)) => Some(a.cmp(b)),
        (Value::String(a), Value::Number(b)) => a.parse::<f64>().ok()?.partial_cmp(&b.as_f64()?),
        _ => None,
    }
}

/// `scopeQ` (clause 4.19): scope paths combined with `,`/`|` (OR), `;` (AND) and parentheses;
/// `+` stands for one level, a final `#` for any levels below (and the scope itself).
pub fn parse_scopes(text: &str) -> Result<Expr<String>, NgsiError> {
    if text.len() > MAX_QUERY_LEN {
        return Err(NgsiError::bad_request("scopeQ is too long"));
    }
    parse_tree(
        text,
        true,
        &|scope: &str| {
            if !scope.starts_with('/')
                || scope.contains("//")
                || scope.len() > 1 && scope.ends_with('/')
            {
                return Err(NgsiError::bad_request(format!(
                    "{scope:?} in scopeQ is not a scope path like /Madrid/Gardens"
                )));
            }
            Ok(scope.to_owned())
        },
        0,
    )
}

fn scope_matches(pattern: &str, scope: &str) -> bool {
    if pattern == "/#" {
        return true;
    }
    if let Some(prefix) = pattern.strip_suffix("/#") {
        return scope_matches(prefix, scope)
            || scope
                .match_indices('/')
                .skip(1)
                .any(|(i, _)| scope_matches(prefix, &scope[..i]));
    }
    let (wanted, have): (Vec<&str>, Vec<&str>) =
        (pattern.split('/').collect(), scope.split('/').collect());
    wanted.len() == have.len() && wanted.iter().zip(&have).all(|(w, h)| *w == "+" || w == h)
}

/// Whether one of the entity's scopes satisfies the scope query.
pub fn has_scopes(selector: &Expr<String>, entity: &Entity) -> bool {
    selector.eval(&|pattern: &String| entity.scopes.iter().any(|s| scope_matches(pattern, s)))
}

/// Whether `entity` satisfies `q`.
pub fn matches(query: &Query, entity: &Entity) -> bool {
    query.eval(&|term: &Term| term.matches(entity))
}

/// Whether `entity` has the types the selector asks.
pub fn has_types(selector: &Expr<String>, entity: &Entity) -> bool {
    selector.eval(&|t: &String| entity.has_type(t))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ngsild::entity::{Shape, parse};
    use serde_json::json;

    fn entity() -> Entity {
        let core = ActiveContext::core();
        let body = json!({
            "id": "urn:x:1", "type": ["Building", "Landmark"],
            "height": {"type": "Property", "value": 30, "observedAt": "2026-01-01T00:00:00Z"},
            "name": {"type": "Property", "value": "Tower A"},
            "address": {"type": "Property", "value": {"city": "Paris", "zip": "75007"}},
            "owner": {"type": "Relationship", "object": "urn:p:1",
                      "since": {"type": "Property", "value": 1889}},
            "tags": {"type": "Property", "value": ["a", "b"]}
        });
        parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn q_terms_and_combinations() {
        let core = ActiveContext::core();
        let e = entity();
        for (q, expected) in [
            ("height", true),
            ("width", false),
            ("height==30", true),
            ("height>29;height<31", true),
            ("height>30|name==\"Tower A\"", true),
            ("height==20..40", true),
            ("height==1,2,30", true),
            ("height!=30", false),
            ("name~=Tow.*", true),
            ("address[city]==\"Paris\"", true),
            ("address[city]==\"Lyon\"", false),
            ("owner==urn:p:1", true),
            ("owner.since==1889", true),
            ("height.observedAt>2025-12-31T00:00:00Z", true),
            ("(height==1|height==30);name==\"Tower A\"", true),
            ("tags==\"b\"", true),
        ] {
            let query = parse_q(q, &core).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(matches(&query, &e), expected, "{q}");
        }
        for bad in ["height==", "(height==1", "a b==1", ""] {
            assert!(parse_q(bad, &core).is_err(), "{bad}");
        }
    }

    #[test]
    fn scope_queries() {
        let core = ActiveContext::core();
        let body = json!({"id": "urn:x:9", "type": "T", "scope": ["/Madrid/Gardens/ParqueNorte", "/CompanyA/OrganizationB/UnitC"]});
        let e = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z")
            .unwrap_or_else(|e| panic!("{e}"));
        for (q, expected) in [
            ("/Madrid/Gardens/ParqueNorte", true),
            ("/Madrid", false),
            ("/Madrid/#", true),
            ("/Madrid/+/ParqueNorte", true),
            ("/Madrid/+", false),
            ("/#", true),
            (
                "(/Madrid/Gardens/ParqueNorte;/CompanyA/OrganizationB/UnitC)",
                true,
            ),
            ("(/Madrid/Gardens/ParqueNorte;/Nowhere/AtAll)", false),
            ("/Nowhere|/CompanyA/OrganizationB/UnitC", true),
        ] {
            let parsed = parse_scopes(q).unwrap_or_else(|e| panic!("{q}: {e}"));
            assert_eq!(has_scopes(&parsed, &e), expected, "{q}");
        }
        assert!(parse_scopes("Madrid").is_err());
    }

    #[test]
    fn type_selector() {
        let core = ActiveContext::core();
        let e = entity();
        for (selector, expected) in [
            ("Building", true),
            ("Vehicle,Building", true),
            ("Building;Landmark", true),
            ("Building;Vehicle", false),
            ("(Building;Vehicle)|Landmark", true),
        ] {
            let parsed = parse_types(selector, &core).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(has_types(&parsed, &e), expected, "{selector}");
        }
    }
}
