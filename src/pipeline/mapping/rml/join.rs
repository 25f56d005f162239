//! Referencing object maps and their join conditions: `rml:child`/`rml:parent` references,
//! `rml:childMap`/`rml:parentMap` expression maps, and the join written as a function that
//! yarrrml-parser makes of a `condition` on a `mapping:` object:
//! `rml:joinCondition [ fnml:functionValue [ fno:executes idlab-fn:equal ; ... ] ]`, where the
//! input evaluated on the parent's record is wrapped in `rml:parentTermMap`. Such an `equal` is
//! one join condition (child side, parent side); `grel:boolean_and` of them is several.

use std::collections::HashSet;

use oxigraph::model::Term;

use super::doc::Doc;
use super::function::legacy_parts;
use super::name_of;
use super::term::{Position, term_map};
use super::vocab::{self, rml};
use crate::pipeline::mapping::model::{Expression, JoinCondition, ReferencingObjectMap};
use crate::pipeline::mapping::{Diagnostic, Location};

const IDLAB_EQUAL: &str = "https://w3id.org/imec/idlab/function#equal";
const GREL_AND: &str = "http://users.ugent.be/~bjdmeest/function/grel.ttl#boolean_and";

pub fn referencing(
    doc: &Doc<'_>,
    node: &Term,
    parent: &Term,
    at: &Location,
) -> Result<ReferencingObjectMap, Diagnostic> {
    let at = at.clone().with_term_map("referencing object map");
    let mut joins = Vec::new();
    for join in doc.values(node, &rml("joinCondition")) {
        if is_function_join(doc, join) {
            function_join(doc, join, &at, &mut joins, 0)?;
            continue;
        }
        let side = |reference: &str, map: &str| -> Result<Expression, Diagnostic> {
            match (
                doc.one_literal(join, &rml(reference), &at)?,
                doc.one(join, &rml(map), &at)?,
            ) {
                (Some(r), None) => Ok(Expression::Reference(r.value().to_owned())),
                (None, Some(m)) => Ok(term_map(doc, m, Position::Value, &at)?.expression),
                _ => Err(Diagnostic::new(
                    format!("a join condition needs exactly one of rml:{reference} or rml:{map}"),
                    at.clone(),
                )),
            }
        };
        joins.push(JoinCondition {
            child: side("child", "childMap")?,
            parent: side("parent", "parentMap")?,
        });
    }
    Ok(ReferencingObjectMap {
        parent: name_of(parent),
        joins,
    })
}

fn function_value() -> String {
    format!("{}functionValue", vocab::FNML_LEGACY)
}

/// A join condition with none of child/parent/childMap/parentMap, but a function value.
fn is_function_join(doc: &Doc<'_>, join: &Term) -> bool {
    let plain = ["child", "parent", "childMap", "parentMap"]
        .iter()
        .any(|p| doc.has(join, &rml(p)));
    !plain && doc.has(join, &function_value())
}

fn function_join(
    doc: &Doc<'_>,
    join: &Term,
    at: &Location,
    joins: &mut Vec<JoinCondition>,
    depth: usize,
) -> Result<(), Diagnostic> {
    let nested = || Diagnostic::new("a join condition function is nested too deeply", at.clone());
    if depth > 32 {
        return Err(nested());
    }
    let Some(value) = doc.one(join, &function_value(), at)? else {
        return Err(Diagnostic::new(
            "a join condition needs rml:child and rml:parent (or a function value)",
            at.clone(),
        ));
    };
    let (function, inputs) = legacy_parts(doc, value, Position::Join, at)?;
    let name = match &function.expression {
        Expression::Constant(Term::NamedNode(iri)) => iri.as_str().to_owned(),
        _ => String::new(),
    };
    if name == GREL_AND {
        for (_, object) in &inputs {
            match object {
                Some(object) if doc.has(object, &function_value()) => {
                    function_join(doc, object, at, joins, depth + 1)?;
                }
                _ => {
                    return Err(Diagnostic::new(
                        "grel:boolean_and in a join condition must combine idlab-fn:equal functions",
                        at.clone(),
                    ));
                }
            }
        }
        return Ok(());
    }
    let sides: Vec<(Expression, bool)> = inputs
        .into_iter()
        .map(|(input, object)| {
            let parent = object.is_some_and(|o| reaches_parent(doc, &o));
            (input.value.expression, parent)
        })
        .collect();
    match <[(Expression, bool); 2]>::try_from(sides) {
        Ok([(child, false), (parent, true)] | [(parent, true), (child, false)])
            if name == IDLAB_EQUAL =>
        {
            joins.push(JoinCondition { child, parent });
            Ok(())
        }
        _ => Err(Diagnostic::new(
            format!(
                "a join condition function must be idlab-fn:equal of a child-side and a parent-side (rml:parentTermMap) input, or grel:boolean_and of such; found <{name}>"
            ),
            at.clone(),
        )),
    }
}

/// Whether `rml:parentTermMap` is used anywhere under `node` (the input is computed on the
/// parent's record).
fn reaches_parent(doc: &Doc<'_>, node: &Term) -> bool {
    let parent_term_map = rml("parentTermMap");
    let mut seen = HashSet::new();
    let mut stack = vec![node.clone()];
    while let Some(next) = stack.pop() {
        if !seen.insert(next.clone()) || seen.len() > 10_000 {
            continue;
        }
        for (predicate, object) in doc.by_subject.get(&next).into_iter().flatten() {
            if predicate == &parent_term_map {
                return true;
            }
            if !matches!(object, Term::Literal(_)) {
                stack.push(object.clone());
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::pipeline::mapping::model::{Expression, JoinCondition, ObjectMap};

    const FUNCTION_JOIN: &str = r#"
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix fnml: <http://semweb.mmlab.be/ns/fnml#> .
@prefix fno: <https://w3id.org/function/ontology#> .
@prefix grel: <http://users.ugent.be/~bjdmeest/function/grel.ttl#> .
@prefix ex: <http://example.com/> .

ex:Book rml:logicalSource [ rml:source "b.csv" ] ;
  rr:subjectMap [ rr:template "http://ex.org/book/{id}" ; rr:graphMap [ rr:constant "http://ex.org/g" ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:author ; rr:objectMap [
    rr:parentTriplesMap ex:Person ;
    rml:joinCondition [ fnml:functionValue [
      rr:predicateObjectMap [ rr:predicate fno:executes ; rr:objectMap [ rr:constant "https://w3id.org/imec/idlab/function#equal" ] ] ;
      rr:predicateObjectMap [ rr:predicate grel:valueParameter2 ; rr:objectMap [ rml:parentTermMap [ rml:reference "name" ] ] ] ;
      rr:predicateObjectMap [ rr:predicate grel:valueParameter ; rr:objectMap [ rml:reference "author" ] ]
    ] ] ] ] .

ex:Person rml:logicalSource [ rml:source "p.csv" ] ;
  rr:subjectMap [ rr:template "http://ex.org/{id}" ] .
"#;

    #[test]
    fn an_equal_function_with_a_parent_term_map_is_a_join_condition() {
        let mapping = super::super::parse(FUNCTION_JOIN, None).unwrap();
        let book = &mapping.triples_maps[0];
        let ObjectMap::Referencing(referencing) = &book.predicate_object_maps[0].objects[0] else {
            panic!("not a referencing object map");
        };
        assert_eq!(
            referencing.joins,
            vec![JoinCondition {
                child: Expression::Reference("author".into()),
                parent: Expression::Reference("name".into()),
            }]
        );
        // A string constant in graph position is the IRI it spells.
        assert!(matches!(
            &book.subject.graphs[0].expression,
            Expression::Constant(oxigraph::model::Term::NamedNode(iri)) if iri.as_str() == "http://ex.org/g"
        ));
    }

    #[test]
    fn a_parent_term_map_outside_a_join_is_not_a_value() {
        let text = FUNCTION_JOIN.replace(
            "rr:parentTriplesMap ex:Person ;",
            "rml:reference \"x\" ; rr:parentTriplesMap ex:Person ;",
        );
        assert!(super::super::parse(&text, None).is_ok());
        let outside = r#"@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
<http://e/M> rml:logicalSource [ rml:source "a.csv" ] ;
  rr:subjectMap [ rml:parentTermMap [ rml:reference "id" ] ] .
"#;
        assert!(super::super::parse(outside, None).is_err());
    }
}
