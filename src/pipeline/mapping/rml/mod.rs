//! RML Turtle (RML-Core `http://w3id.org/rml/` or the legacy rr/rml/ql vocabulary) -> the model.
//!
//! Shortcuts are expanded here (constant shortcuts, `rml:class`, legacy `fnml:functionValue`),
//! so the model is normalised when it leaves this module. Problems are collected, not thrown:
//! one call reports every triples map that is wrong.

mod doc;
mod function;
mod join;
mod source;
mod term;
pub mod vocab;

use oxigraph::model::Term;

use self::doc::Doc;
use self::vocab::rml;
use super::model::{MapName, Mapping, PredicateObjectMap, SubjectMap, TriplesMap};
use super::{Diagnostic, Location, MappingError};

/// Parses an RML mapping written in Turtle. `base_iri` resolves relative IRIs of the document
/// itself (not of generated terms).
pub fn parse(text: &str, base_iri: Option<&str>) -> Result<Mapping, MappingError> {
    let doc = Doc::parse(text, base_iri)?;
    let function_nodes: Vec<Term> = doc
        .by_subject
        .values()
        .flatten()
        .filter(|(p, _)| p == &format!("{}functionValue", vocab::FNML_LEGACY))
        .map(|(_, o)| o.clone())
        .collect();
    let mut problems = Vec::new();
    let mut triples_maps = Vec::new();
    for node in &doc.order {
        let is_triples_map = doc.has_type(node, &rml("TriplesMap"))
            || doc.has(node, &rml("logicalSource"))
            || doc.has(node, &rml("logicalTable"));
        if !is_triples_map || function_nodes.contains(node) {
            continue;
        }
        match triples_map(&doc, node) {
            Ok(map) => triples_maps.push(map),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(Mapping {
            triples_maps,
            core_semantics: doc.uses_core_vocabulary,
        })
    } else {
        Err(MappingError { problems })
    }
}

pub(crate) fn name_of(node: &Term) -> MapName {
    match node {
        Term::NamedNode(iri) => MapName::Iri(iri.as_str().to_owned()),
        Term::BlankNode(blank) => MapName::Blank(blank.as_str().to_owned()),
        other => MapName::Iri(other.to_string()),
    }
}

fn triples_map(doc: &Doc<'_>, node: &Term) -> Result<TriplesMap, Vec<Diagnostic>> {
    let name = name_of(node);
    let at = doc.locate(node, &Location::in_map(&name));
    let mut problems = Vec::new();
    let label = doc
        .one_literal(node, vocab::RDFS_LABEL, &at)
        .ok()
        .flatten()
        .map(|l| l.value().to_owned());
    let logical_source = source::logical_source(doc, node, &at).map_err(|p| problems.push(p));
    let subject = subject_map(doc, node, &at).map_err(|p| problems.extend(p));
    let mut predicate_object_maps = Vec::new();
    for pom in doc.values(node, &rml("predicateObjectMap")) {
        match predicate_object_map(doc, pom, &at) {
            Ok(pom) => predicate_object_maps.push(pom),
            Err(found) => problems.extend(found),
        }
    }
    let base_iri = match doc.one(node, &rml("baseIRI"), &at) {
        Ok(Some(Term::NamedNode(iri))) => Some(iri.as_str().to_owned()),
        Ok(Some(Term::Literal(literal))) => Some(literal.value().to_owned()),
        Ok(_) => None,
        Err(problem) => {
            problems.push(problem);
            None
        }
    };
    match (logical_source, subject) {
        (Ok(logical_source), Ok(subject)) if problems.is_empty() => Ok(TriplesMap {
            name,
            label,
            logical_source,
            subject,
            predicate_object_maps,
            base_iri,
        }),
        _ => Err(problems),
    }
}

fn subject_map(doc: &Doc<'_>, node: &Term, at: &Location) -> Result<SubjectMap, Vec<Diagnostic>> {
    let maps: Vec<&Term> = doc.values(node, &rml("subjectMap")).collect();
    let shortcuts: Vec<&Term> = doc.values(node, &rml("subject")).collect();
    match (maps.as_slice(), shortcuts.as_slice()) {
        ([map], []) => {
            let at = at.clone().with_term_map("subject map");
            let term =
                term::term_map(doc, map, term::Position::Subject, &at).map_err(|p| vec![p])?;
            let mut problems = Vec::new();
            let mut classes = Vec::new();
            for class in doc.values(map, &rml("class")) {
                match class {
                    Term::NamedNode(iri) => classes.push(iri.clone()),
                    other => problems.push(Diagnostic::new(
                        format!("rml:class must be an IRI, found {other}"),
                        at.clone(),
                    )),
                }
            }
            let graphs = term::graph_maps(doc, map, &at).map_err(|p| vec![p])?;
            if problems.is_empty() {
                Ok(SubjectMap {
                    term,
                    classes,
                    graphs,
                })
            } else {
                Err(problems)
            }
        }
        ([], [constant]) => Ok(SubjectMap {
            term: term::constant_shortcut(constant, term::Position::Subject, at)
                .map_err(|p| vec![p])?,
            classes: Vec::new(),
            graphs: Vec::new(),
        }),
        ([], []) => Err(vec![Diagnostic::new(
            "the triples map has no subject map; add rml:subjectMap (or rml:subject)",
            at.clone(),
        )]),
        _ => Err(vec![Diagnostic::new(
            "the triples map has more than one subject map; keep exactly one",
            at.clone(),
        )]),
    }
}

fn predicate_object_map(
    doc: &Doc<'_>,
    node: &Term,
    at: &Location,
) -> Result<PredicateObjectMap, Vec<Diagnostic>> {
    let at = at.clone().with_term_map("predicate-object map");
    let mut problems = Vec::new();
    let mut predicates = Vec::new();
    for map in doc.values(node, &rml("predicateMap")) {
        match term::term_map(doc, map, term::Position::Predicate, &at) {
            Ok(map) => predicates.push(map),
            Err(p) => problems.push(p),
        }
    }
    for constant in doc.values(node, &rml("predicate")) {
        match term::constant_shortcut(constant, term::Position::Predicate, &at) {
            Ok(map) => predicates.push(map),
            Err(p) => problems.push(p),
        }
    }
    let mut objects = Vec::new();
    for map in doc.values(node, &rml("objectMap")) {
        match term::object_map(doc, map, &at) {
            Ok(map) => objects.push(map),
            Err(p) => problems.push(p),
        }
    }
    for constant in doc.values(node, &rml("object")) {
        match term::constant_shortcut(constant, term::Position::Object, &at) {
            Ok(map) => objects.push(super::model::ObjectMap::Term(map)),
            Err(p) => problems.push(p),
        }
    }
    let graphs = term::graph_maps(doc, node, &at).map_err(|p| vec![p])?;
    if predicates.is_empty() {
        problems.push(Diagnostic::new(
            "the predicate-object map has no predicate; add rml:predicate or rml:predicateMap",
            at.clone(),
        ));
    }
    if objects.is_empty() {
        problems.push(Diagnostic::new(
            "the predicate-object map has no object; add rml:object or rml:objectMap",
            at.clone(),
        ));
    }
    if problems.is_empty() {
        Ok(PredicateObjectMap {
            predicates,
            objects,
            graphs,
        })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::mapping::check::{Purpose, check};
    use crate::pipeline::mapping::model::{
        Expression, ObjectMap, ReferenceFormulation, Source, TemplatePart,
    };

    const LEGACY: &str = r#"
@prefix rr: <http://www.w3.org/ns/r2rml#> .
@prefix rml: <http://semweb.mmlab.be/ns/rml#> .
@prefix ql: <http://semweb.mmlab.be/ns/ql#> .
@prefix ex: <http://example.com/> .
@base <http://example.com/base/> .

<#Students> rml:logicalSource [ rml:source "students.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://example.com/{ID}" ; rr:class ex:Student ] ;
  rr:predicateObjectMap [ rr:predicate ex:name ; rr:objectMap [ rml:reference "Name" ; rr:language "en" ] ] ;
  rr:predicateObjectMap [ rr:predicate ex:sport ; rr:objectMap [ rr:parentTriplesMap <#Sports> ; rr:joinCondition [ rr:child "Sport" ; rr:parent "ID" ] ] ] .

<#Sports> rml:logicalSource [ rml:source "sports.csv" ; rml:referenceFormulation ql:CSV ] ;
  rr:subjectMap [ rr:template "http://example.com/sport/{ID}" ] .
"#;

    #[test]
    fn legacy_vocabulary_reads_into_the_core_model() {
        let mapping = parse(LEGACY, None).unwrap();
        assert!(!mapping.core_semantics);
        assert_eq!(mapping.triples_maps.len(), 2);
        let students = &mapping.triples_maps[0];
        assert_eq!(
            students.name,
            MapName::Iri("http://example.com/base/#Students".into())
        );
        assert_eq!(
            students.logical_source.reference_formulation,
            Some(ReferenceFormulation::Csv)
        );
        assert!(
            matches!(&students.logical_source.source, Source::File(f) if f.path == "students.csv")
        );
        assert_eq!(students.subject.classes.len(), 1);
        let Expression::Template(template) = &students.subject.term.expression else {
            panic!()
        };
        assert_eq!(template.parts[1], TemplatePart::Reference("ID".into()));
        let ObjectMap::Referencing(join) = &students.predicate_object_maps[1].objects[0] else {
            panic!()
        };
        assert_eq!(
            join.parent,
            MapName::Iri("http://example.com/base/#Sports".into())
        );
        assert_eq!(join.joins[0].child, Expression::Reference("Sport".into()));
        assert!(check(mapping, Purpose::Run).is_ok());
    }

    #[test]
    fn every_problem_is_reported_with_its_place() {
        let text = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
ex:NoSubject a rml:TriplesMap ;
  rml:logicalSource [ rml:source "a.csv" ; rml:referenceFormulation rml:CSV ] .
ex:BadTemplate a rml:TriplesMap ;
  rml:logicalSource [ rml:source "a.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://ex.org/{id" ] .
"#;
        let error = parse(text, None).unwrap_err();
        assert_eq!(error.problems.len(), 2, "{error}");
        let first = &error.problems[0];
        assert!(first.message.contains("no subject map"), "{first}");
        assert_eq!(
            first.location.triples_map.as_deref(),
            Some("<http://example.com/NoSubject>")
        );
        assert_eq!(first.location.line, Some(3), "{first}");
        assert!(
            error.problems[1].message.contains("never closed"),
            "{}",
            error.problems[1]
        );
        assert_eq!(error.problems[1].location.line, Some(5));
    }

    #[test]
    fn term_maps_that_refer_to_themselves_are_an_error_not_a_crash() {
        let text = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
ex:M rml:logicalSource [ rml:source "a.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://e/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate ex:p ; rml:objectMap ex:tm ] .
ex:tm rml:reference "x" ; rml:languageMap ex:tm .
"#;
        let error = parse(text, None).unwrap_err();
        assert!(error.to_string().contains("nest more than"), "{error}");
    }

    #[test]
    fn term_maps_shared_at_every_level_are_refused_quickly() {
        // ex:tm0 gathers (ex:tm1 ex:tm1), ex:tm1 gathers (ex:tm2 ex:tm2)...: 40 lines, 2^40 uses.
        let mut text = String::from(
            "@prefix rml: <http://w3id.org/rml/> .\n@prefix ex: <http://example.com/> .\n\
             @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n\
             ex:M rml:logicalSource [ rml:source \"a.csv\" ; rml:referenceFormulation rml:CSV ] ;\n\
             rml:subjectMap [ rml:template \"http://e/{id}\" ] ;\n\
             rml:predicateObjectMap [ rml:predicate ex:p ; rml:objectMap ex:tm0 ] .\n",
        );
        for level in 0..40 {
            let next = level + 1;
            text.push_str(&format!(
                "ex:tm{level} rml:gather ( ex:tm{next} ex:tm{next} ) ; rml:gatherAs rdf:List .\n"
            ));
        }
        text.push_str("ex:tm40 rml:reference \"x\" .\n");
        let started = std::time::Instant::now();
        let error = parse(&text, None).unwrap_err();
        assert!(
            error.to_string().contains("expands to more than"),
            "{error}"
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let error = parse(
            "@prefix ex: <http://e/> .\nex:a ex:b \"unterminated .\n",
            None,
        )
        .unwrap_err();
        let problem = &error.problems[0];
        assert!(problem.message.contains("Turtle syntax error"), "{problem}");
        assert_eq!(problem.location.line, Some(2), "{problem}");
        assert!(problem.location.column.is_some());
    }

    #[test]
    fn checker_rejects_what_cannot_run() {
        let text = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
ex:M a rml:TriplesMap ;
  rml:logicalSource [ rml:source "a.json" ; rml:referenceFormulation rml:JSONPath ] ;
  rml:subjectMap [ rml:reference "id" ; rml:termType rml:Literal ] ;
  rml:predicateObjectMap [ rml:predicate ex:p ; rml:objectMap [ rml:reference "x" ; rml:language "a-english" ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:q ; rml:objectMap [ rml:constant "School" ; rml:termType rml:BlankNode ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:r ; rml:objectMap [ rml:parentTriplesMap ex:Missing ] ] .
"#;
        let mapping = parse(text, None).unwrap();
        assert!(mapping.core_semantics);
        let error = check(mapping, Purpose::Run).unwrap_err();
        let messages: Vec<String> = error.problems.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[0].contains("subject cannot be a literal"));
        assert!(messages[1].contains("a-english"));
        assert!(messages[2].contains("cannot have the term type"));
        assert!(messages[3].contains("ex") && messages[3].contains("does not exist"));
        assert!(
            messages
                .iter()
                .all(|m| m.contains("<http://example.com/M>"))
        );
    }
}
