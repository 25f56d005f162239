//! A canonical form of a mapping, for comparing two mappings that mean the same (a YARRRML
//! document and the RML the reference parser makes of it, a mapping and its round trip).
//!
//! [`canonical`] ignores exactly what a document is free to choose:
//! - term-map names (`TermMap::name` becomes `None`);
//! - triples-map names: every triples map is renamed `canonical:{label}` (its `rdfs:label`, or
//!   its old name when it has none); maps sharing a label get `#0`, `#1`... in the order of
//!   their content; `parent` references are renamed alike;
//! - the order of triples maps, of predicate-object maps, of predicates, objects and graphs,
//!   of join conditions, of function inputs, of XPath namespaces and null values, and duplicates
//!   of any of them;
//! - how predicate-object maps are grouped: each becomes one map per (predicate, object) pair
//!   with its graphs; `rr:class` on the subject becomes an `rdf:type` predicate-object map
//!   (the triples are the same, in the subject's graphs);
//! - how a term type is said: `None` is resolved to the default of its position (IRI for
//!   subjects, predicates, graphs and function names; for objects and function inputs Literal if
//!   the expression is a reference or a function or a datatype/language is given, BlankNode if
//!   there is no expression, IRI otherwise), `rml:URI` is IRI, and a constant carries its own
//!   type (a literal constant with term type IRI is the IRI; a literal constant with a constant
//!   datatype or language is the typed or tagged literal);
//! - how a template's text is cut (adjacent text parts are merged, empty ones dropped);
//! - the layout of an SQL query: runs of whitespace outside quotes are one space, and leading
//!   and trailing whitespace is dropped (SQL reads them alike). A query with a `--` line
//!   comment is kept as written, since there a line break ends the comment.
//!
//! It keeps everything else: template text and references, term types, datatypes, languages,
//! sources and their options, reference formulations, iterators, joins, functions and their
//! parameters, gathers (whose order matters) and base IRIs.

use oxigraph::model::{Literal, NamedNode, Term};

use super::model::{
    Expression, FunctionExecution, JoinCondition, LogicalSource, MapName, Mapping, ObjectMap,
    PredicateObjectMap, ReferenceFormulation, Source, SubjectMap, Template, TemplatePart, TermMap,
    TermType, TriplesMap,
};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The canonical form of `mapping`; two mappings mean the same when their forms are equal.
pub fn canonical(mapping: &Mapping) -> Mapping {
    let key = |map: &TriplesMap| {
        map.label
            .clone()
            .unwrap_or_else(|| map.name.as_str().to_owned())
    };
    // First pass: content with parents named by their key, to order maps sharing a key.
    let by_key = |name: &MapName| {
        mapping
            .triples_maps
            .iter()
            .find(|map| &map.name == name)
            .map(&key)
            .unwrap_or_else(|| name.as_str().to_owned())
    };
    let mut keyed: Vec<(String, String, &TriplesMap)> = mapping
        .triples_maps
        .iter()
        .map(|map| {
            let content = triples_map(map, &|name| MapName::Iri(by_key(name)));
            (key(map), format!("{content:?}"), map)
        })
        .collect();
    keyed.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    let mut names: Vec<(MapName, MapName)> = Vec::with_capacity(keyed.len());
    for (index, (key, _, map)) in keyed.iter().enumerate() {
        let shared = keyed.iter().filter(|(k, _, _)| k == key).count() > 1;
        let rank = keyed[..index].iter().filter(|(k, _, _)| k == key).count();
        let name = if shared {
            format!("canonical:{key}#{rank}")
        } else {
            format!("canonical:{key}")
        };
        names.push((map.name.clone(), MapName::Iri(name)));
    }
    let rename = |name: &MapName| {
        names
            .iter()
            .find(|(old, _)| old == name)
            .map(|(_, new)| new.clone())
            .unwrap_or_else(|| name.clone())
    };
    let mut triples_maps: Vec<TriplesMap> = mapping
        .triples_maps
        .iter()
        .map(|map| triples_map(map, &rename))
        .collect();
    sort_dedup(&mut triples_maps);
    Mapping {
        triples_maps,
        core_semantics: mapping.core_semantics,
    }
}

fn triples_map(map: &TriplesMap, rename: &dyn Fn(&MapName) -> MapName) -> TriplesMap {
    let mut predicate_object_maps = Vec::new();
    for class in &map.subject.classes {
        predicate_object_maps.push(PredicateObjectMap {
            predicates: vec![TermMap::constant(NamedNode::new_unchecked(RDF_TYPE))],
            objects: vec![ObjectMap::Term(TermMap::constant(class.clone()))],
            graphs: Vec::new(),
        });
    }
    predicate_object_maps.extend(map.predicate_object_maps.iter().cloned());
    let mut atomic = Vec::new();
    for pom in &predicate_object_maps {
        let mut graphs: Vec<TermMap> = pom
            .graphs
            .iter()
            .map(|g| term_map(g, Position::Iri))
            .collect();
        sort_dedup(&mut graphs);
        for predicate in &pom.predicates {
            for object in &pom.objects {
                atomic.push(PredicateObjectMap {
                    predicates: vec![term_map(predicate, Position::Iri)],
                    objects: vec![object_map(object, rename)],
                    graphs: graphs.clone(),
                });
            }
        }
    }
    sort_dedup(&mut atomic);
    let mut graphs: Vec<TermMap> = map
        .subject
        .graphs
        .iter()
        .map(|g| term_map(g, Position::Iri))
        .collect();
    sort_dedup(&mut graphs);
    TriplesMap {
        name: rename(&map.name),
        label: map.label.clone(),
        logical_source: logical_source(&map.logical_source),
        subject: SubjectMap {
            term: term_map(&map.subject.term, Position::Iri),
            classes: Vec::new(),
            graphs,
        },
        predicate_object_maps: atomic,
        base_iri: map.base_iri.clone(),
    }
}

fn logical_source(source: &LogicalSource) -> LogicalSource {
    let mut source = source.clone();
    if let Source::Database(database) = &mut source.source
        && let Some(query) = &mut database.query
    {
        *query = sql_layout(query);
    }
    sort_dedup(&mut source.null_values);
    if let Source::File(file) = &mut source.source {
        sort_dedup(&mut file.csv.optional_columns);
    }
    if let Some(ReferenceFormulation::XPath { namespaces }) = &mut source.reference_formulation {
        sort_dedup(namespaces);
    }
    source
}

fn object_map(object: &ObjectMap, rename: &dyn Fn(&MapName) -> MapName) -> ObjectMap {
    match object {
        ObjectMap::Term(map) => ObjectMap::Term(term_map(map, Position::Object)),
        ObjectMap::Referencing(referencing) => {
            let mut joins: Vec<JoinCondition> = referencing
                .joins
                .iter()
                .map(|join| JoinCondition {
                    child: expression(&join.child),
                    parent: expression(&join.parent),
                })
                .collect();
            sort_dedup(&mut joins);
            ObjectMap::Referencing(super::model::ReferencingObjectMap {
                parent: rename(&referencing.parent),
                joins,
            })
        }
    }
}

/// Where a term map is, for its default term type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    /// Subjects, predicates, graphs, function names.
    Iri,
    /// Objects and function inputs.
    Object,
    /// Language and datatype maps: their term type is fixed by their role.
    Fixed,
}

fn term_map(map: &TermMap, position: Position) -> TermMap {
    let mut datatype = map
        .datatype
        .as_deref()
        .map(|d| term_map(d, Position::Fixed));
    let mut language = map
        .language
        .as_deref()
        .map(|l| term_map(l, Position::Fixed));
    let mut expression = expression(&map.expression);
    let mut term_type = map
        .term_type
        .map(|t| if t == TermType::Uri { TermType::Iri } else { t });
    if let Expression::Constant(Term::Literal(literal)) = &expression {
        let plain = literal.datatype().as_str() == "http://www.w3.org/2001/XMLSchema#string"
            && literal.language().is_none();
        let value = literal.value().to_owned();
        match (term_type, &datatype, &language) {
            (Some(TermType::Iri | TermType::UnsafeIri), _, _) if plain => {
                if let Ok(iri) = NamedNode::new(&value) {
                    expression = Expression::Constant(Term::NamedNode(iri));
                    term_type = None;
                }
            }
            (None | Some(TermType::Literal), Some(d), _) if plain => {
                if let Expression::Constant(Term::NamedNode(iri)) = &d.expression {
                    expression = Expression::Constant(Term::Literal(Literal::new_typed_literal(
                        value,
                        iri.clone(),
                    )));
                    datatype = None;
                }
            }
            (None | Some(TermType::Literal), None, Some(l)) if plain => {
                if let Expression::Constant(Term::Literal(tag)) = &l.expression {
                    if let Ok(tagged) = Literal::new_language_tagged_literal(value, tag.value()) {
                        expression = Expression::Constant(Term::Literal(tagged));
                        language = None;
                    }
                }
            }
            _ => {}
        }
    }
    let term_type = match (&expression, term_type) {
        (_, _) if position == Position::Fixed => None,
        (Expression::Constant(Term::Literal(_)), Some(TermType::BlankNode)) => {
            Some(TermType::BlankNode)
        }
        (Expression::Constant(Term::NamedNode(_)), _) => Some(TermType::Iri),
        (Expression::Constant(Term::BlankNode(_)), _) => Some(TermType::BlankNode),
        (Expression::Constant(_), _) => Some(TermType::Literal),
        (_, Some(explicit)) => Some(explicit),
        (Expression::Absent, None) => Some(TermType::BlankNode),
        (_, None) if position == Position::Iri => Some(TermType::Iri),
        (Expression::Reference(_) | Expression::Function(_), None) => Some(TermType::Literal),
        (_, None) if datatype.is_some() || language.is_some() => Some(TermType::Literal),
        (_, None) => Some(TermType::Iri),
    };
    TermMap {
        name: None,
        expression,
        term_type,
        language: language.map(Box::new),
        datatype: datatype.map(Box::new),
        gather: map.gather.as_deref().map(|gather| {
            let mut gather = gather.clone();
            gather.maps = gather
                .maps
                .iter()
                .map(|m| term_map(m, Position::Object))
                .collect();
            Box::new(gather)
        }),
    }
}

fn expression(expression: &Expression) -> Expression {
    match expression {
        Expression::Function(execution) => Expression::Function(Box::new(function(execution))),
        Expression::Template(template) => Expression::Template(Template {
            parts: merge_text(&template.parts),
        }),
        other => other.clone(),
    }
}

fn function(execution: &FunctionExecution) -> FunctionExecution {
    let mut inputs: Vec<_> = execution
        .inputs
        .iter()
        .map(|input| super::model::FunctionInput {
            parameter: input.parameter.clone(),
            value: term_map(&input.value, Position::Object),
        })
        .collect();
    sort_dedup(&mut inputs);
    FunctionExecution {
        function: Box::new(term_map(&execution.function, Position::Iri)),
        inputs,
        output: execution.output.clone(),
    }
}

fn merge_text(parts: &[TemplatePart]) -> Vec<TemplatePart> {
    let mut merged: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (_, TemplatePart::Text(text)) if text.is_empty() => {}
            (Some(TemplatePart::Text(previous)), TemplatePart::Text(text)) => {
                previous.push_str(text)
            }
            (_, part) => merged.push(part.clone()),
        }
    }
    merged
}

/// `query` with each run of whitespace outside `'...'`, `"..."` and `` `...` `` as one space,
/// trimmed; unchanged when it has a `--` comment.
fn sql_layout(query: &str) -> String {
    if query.contains("--") {
        return query.to_owned();
    }
    let mut out = String::with_capacity(query.len());
    let mut quote = None;
    let mut space = false;
    for c in query.trim().chars() {
        match quote {
            Some(open) => {
                out.push(c);
                if c == open {
                    quote = None;
                }
            }
            None if c.is_whitespace() => space = true,
            None => {
                if space {
                    out.push(' ');
                    space = false;
                }
                if matches!(c, '\'' | '"' | '`') {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// Sorts by the debug form (the model has no order of its own) and drops duplicates.
fn sort_dedup<T: std::fmt::Debug + PartialEq>(items: &mut Vec<T>) {
    let mut keyed: Vec<(String, T)> = items
        .drain(..)
        .map(|item| (format!("{item:?}"), item))
        .collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.dedup_by(|a, b| a.1 == b.1);
    items.extend(keyed.into_iter().map(|(_, item)| item));
}

#[cfg(test)]
mod tests;
