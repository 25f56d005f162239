//! The outbound-call policy: a query or update may only make the server contact hosts on the
//! allow-list. SERVICE endpoints and LOAD sources are collected from the algebra before any
//! evaluation, so a refused request never opens a connection.

use super::SparqlError;
use crate::config::AllowList;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;
use spargebra::{GraphUpdateOperation, Query, Update};

/// Checks every SERVICE endpoint of `query` against `allow`.
pub fn check_query(query: &Query, allow: &AllowList) -> Result<(), SparqlError> {
    let pattern = match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    check_pattern(pattern, allow)
}

/// Checks every SERVICE endpoint and LOAD source of `update` against `allow`.
pub fn check_update(update: &Update, allow: &AllowList) -> Result<(), SparqlError> {
    for operation in &update.operations {
        match operation {
            GraphUpdateOperation::DeleteInsert { pattern, .. } => check_pattern(pattern, allow)?,
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

fn check_pattern(pattern: &GraphPattern, allow: &AllowList) -> Result<(), SparqlError> {
    match pattern {
        GraphPattern::Service { name, inner, .. } => {
            match name {
                NamedNodePattern::NamedNode(node) => check_iri(node.as_str(), "SERVICE", allow)?,
                NamedNodePattern::Variable(_) => return Err(SparqlError::VariableService),
            }
            check_pattern(inner, allow)
        }
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {
            Ok(())
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right }
        | GraphPattern::Lateral { left, right } => {
            check_pattern(left, allow)?;
            check_pattern(right, allow)
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            check_pattern(left, allow)?;
            check_pattern(right, allow)?;
            expression
                .iter()
                .try_for_each(|e| check_expression(e, allow))
        }
        GraphPattern::Filter { expr, inner }
        | GraphPattern::Extend {
            inner,
            expression: expr,
            ..
        } => {
            check_expression(expr, allow)?;
            check_pattern(inner, allow)
        }
        GraphPattern::OrderBy { inner, expression } => {
            for e in expression {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = e;
                check_expression(e, allow)?;
            }
            check_pattern(inner, allow)
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                    check_expression(expr, allow)?;
                }
            }
            check_pattern(inner, allow)
        }
        GraphPattern::Graph { inner, .. }
        | GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. } => check_pattern(inner, allow),
    }
}

fn check_expression(expression: &Expression, allow: &AllowList) -> Result<(), SparqlError> {
    match expression {
        Expression::Exists(pattern) => check_pattern(pattern, allow),
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
            check_expression(a, allow)?;
            check_expression(b, allow)
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            check_expression(a, allow)
        }
        Expression::If(a, b, c) => {
            check_expression(a, allow)?;
            check_expression(b, allow)?;
            check_expression(c, allow)
        }
        Expression::In(a, list) => {
            check_expression(a, allow)?;
            list.iter().try_for_each(|e| check_expression(e, allow))
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter().try_for_each(|e| check_expression(e, allow))
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
