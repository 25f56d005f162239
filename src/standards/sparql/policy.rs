//! What a query or update may ask for, checked on the algebra before anything runs:
//! - outbound calls: SERVICE endpoints and LOAD sources only to allow-listed hosts, so a
//!   refused request never opens a connection;
//! - depth: the algebra no deeper than `MAX_ALGEBRA_DEPTH`. Brackets are bounded before parsing
//!   (`nesting`), but operator chains (`1+1+1...`, `{}{}{}...`) build left-deep trees without
//!   brackets, and evaluating or dropping such a tree recurses once per level.

use super::SparqlError;
use crate::core::config::AllowList;
use spargebra::algebra::{
    AggregateExpression, Expression, GraphPattern, OrderExpression, PropertyPathExpression,
};
use spargebra::term::NamedNodePattern;
use spargebra::{GraphUpdateOperation, Query, Update};

/// Operators nested in one query, counting every node of the algebra on the way down.
pub const MAX_ALGEBRA_DEPTH: usize = 1000;

/// Checks every SERVICE endpoint of `query` against `allow`, and its depth.
pub fn check_query(query: &Query, allow: &AllowList) -> Result<(), SparqlError> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    Walk { allow }.pattern(pattern, 0)
}

/// Checks every SERVICE endpoint and LOAD source of `update` against `allow`, and its depth.
pub fn check_update(update: &Update, allow: &AllowList) -> Result<(), SparqlError> {
    let walk = Walk { allow };
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::DeleteInsert { pattern, .. } => walk.pattern(pattern, 0)?,
            GraphUpdateOperation::Load { source, .. } => check_iri(source.as_str(), "LOAD", allow)?,
            _ => {}
        }
    }
    Ok(())
}

fn check_iri(iri: &str, what: &str, allow: &AllowList) -> Result<(), SparqlError> {
    let host = host_of(iri).unwrap_or_default();
    if !host.is_empty() && allow.allows(&host) {
        return Ok(());
    }
    Err(SparqlError::OutboundRefused {
        target: format!("{what} <{iri}>"),
        host,
    })
}

/// The `host[:port]` of an absolute IRI, lowercased.
fn host_of(iri: &str) -> Option<String> {
    let (_, rest) = iri.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Some(host.to_ascii_lowercase())
}

struct Walk<'a> {
    allow: &'a AllowList,
}

/// The depth of the next level down, or the error once it passes the limit.
fn deeper(depth: usize) -> Result<usize, SparqlError> {
    if depth >= MAX_ALGEBRA_DEPTH {
        return Err(SparqlError::TooComplex {
            max: MAX_ALGEBRA_DEPTH,
        });
    }
    Ok(depth + 1)
}

impl Walk<'_> {
    fn pattern(&self, pattern: &GraphPattern, depth: usize) -> Result<(), SparqlError> {
        let depth = deeper(depth)?;
        match pattern {
            GraphPattern::Service { name, inner, .. } => {
                match name {
                    NamedNodePattern::NamedNode(node) => {
                        check_iri(node.as_str(), "SERVICE", self.allow)?;
                    }
                    NamedNodePattern::Variable(_) => return Err(SparqlError::VariableService),
                }
                self.pattern(inner, depth)
            }
            // The evaluator joins the patterns of a group one after the other: a long group
            // is as deep as a long chain of groups (a path `:a/:a/...` becomes one of these).
            GraphPattern::Bgp { patterns } => {
                if depth.saturating_add(patterns.len()) > MAX_ALGEBRA_DEPTH {
                    return Err(SparqlError::TooComplex {
                        max: MAX_ALGEBRA_DEPTH,
                    });
                }
                Ok(())
            }
            GraphPattern::Values { .. } => Ok(()),
            GraphPattern::Path { path, .. } => path_depth(path, depth),
            GraphPattern::Join { left, right }
            | GraphPattern::Union { left, right }
            | GraphPattern::Minus { left, right }
            | GraphPattern::Lateral { left, right } => {
                self.pattern(left, depth)?;
                self.pattern(right, depth)
            }
            GraphPattern::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left, depth)?;
                self.pattern(right, depth)?;
                expression
                    .iter()
                    .try_for_each(|e| self.expression(e, depth))
            }
            GraphPattern::Filter { expr, inner }
            | GraphPattern::Extend {
                inner,
                expression: expr,
                ..
            } => {
                self.expression(expr, depth)?;
                self.pattern(inner, depth)
            }
            GraphPattern::OrderBy { inner, expression } => {
                for e in expression {
                    let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = e;
                    self.expression(e, depth)?;
                }
                self.pattern(inner, depth)
            }
            GraphPattern::Group {
                inner, aggregates, ..
            } => {
                for (_, aggregate) in aggregates {
                    if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                        self.expression(expr, depth)?;
                    }
                }
                self.pattern(inner, depth)
            }
            GraphPattern::Graph { inner, .. }
            | GraphPattern::Project { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. } => self.pattern(inner, depth),
        }
    }

    fn expression(&self, expression: &Expression, depth: usize) -> Result<(), SparqlError> {
        let depth = deeper(depth)?;
        match expression {
            Expression::Exists(pattern) => self.pattern(pattern, depth),
            Expression::NamedNode(_)
            | Expression::Literal(_)
            | Expression::Variable(_)
            | Expression::Bound(_) => Ok(()),
            Expression::Or(a, b)
            | Expression::And(a, b)
            | Expression::Equal(a, b)
            | Expression::SameTerm(a, b)
            | Expression::Greater(a, b)
            | Expression::GreaterOrEqual(a, b)
            | Expression::Less(a, b)
            | Expression::LessOrEqual(a, b)
            | Expression::Add(a, b)
            | Expression::Subtract(a, b)
            | Expression::Multiply(a, b)
            | Expression::Divide(a, b) => {
                self.expression(a, depth)?;
                self.expression(b, depth)
            }
            Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
                self.expression(a, depth)
            }
            Expression::If(a, b, c) => {
                self.expression(a, depth)?;
                self.expression(b, depth)?;
                self.expression(c, depth)
            }
            Expression::In(a, list) => {
                self.expression(a, depth)?;
                list.iter().try_for_each(|e| self.expression(e, depth))
            }
            Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
                list.iter().try_for_each(|e| self.expression(e, depth))
            }
        }
    }
}

fn path_depth(path: &PropertyPathExpression, depth: usize) -> Result<(), SparqlError> {
    let depth = deeper(depth)?;
    match path {
        PropertyPathExpression::NamedNode(_) | PropertyPathExpression::NegatedPropertySet(_) => {
            Ok(())
        }
        PropertyPathExpression::Reverse(p)
        | PropertyPathExpression::ZeroOrMore(p)
        | PropertyPathExpression::OneOrMore(p)
        | PropertyPathExpression::ZeroOrOne(p) => path_depth(p, depth),
        PropertyPathExpression::Sequence(a, b) | PropertyPathExpression::Alternative(a, b) => {
            path_depth(a, depth)?;
            path_depth(b, depth)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spargebra::SparqlParser;

    fn check(query: &str, hosts: &[&str]) -> Result<(), SparqlError> {
        let allow = AllowList::new(hosts.iter().map(|h| (*h).to_owned()));
        check_query(&SparqlParser::new().parse_query(query).unwrap(), &allow)
    }

    #[test]
    fn service_calls_are_checked_wherever_they_hide() {
        let cases = [
            ("SELECT * { ?s ?p ?o }", &[][..], true),
            (
                "SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }",
                &[],
                false,
            ),
            (
                "SELECT * { SERVICE <http://ok.example/sparql> { ?s ?p ?o } }",
                &["ok.example"],
                true,
            ),
            (
                "SELECT * { SERVICE SILENT <http://evil.example/sparql> { ?s ?p ?o } }",
                &["ok.example"],
                false,
            ),
            (
                "SELECT * { ?s ?p ?o FILTER EXISTS { SERVICE <http://evil.example/> { ?s ?p ?o } } }",
                &[],
                false,
            ),
            (
                "SELECT * { ?s ?p ?o OPTIONAL { SERVICE <http://evil.example/> { ?s ?p ?o } } }",
                &[],
                false,
            ),
            (
                "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
                &["ok.example"],
                false,
            ),
        ];
        for (query, hosts, allowed) in cases {
            assert_eq!(check(query, hosts).is_ok(), allowed, "{query}");
        }
    }

    #[test]
    fn load_sources_are_checked() {
        let update = SparqlParser::new()
            .parse_update("LOAD <http://evil.example/data.ttl>")
            .unwrap();
        assert!(matches!(
            check_update(&update, &AllowList::default()),
            Err(SparqlError::OutboundRefused { host, .. }) if host == "evil.example"
        ));
    }

    #[test]
    fn hosts_are_read_from_the_authority() {
        assert_eq!(
            host_of("http://user@Example.org:8080/x?y").as_deref(),
            Some("example.org:8080")
        );
        assert_eq!(host_of("urn:x"), None);
    }
}
