//! Writer tests: RML output compared as graphs, YARRRML output as text and by reading it back.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Dataset, Literal, NamedNode};

use super::yaml::{yaml_key, yaml_string};
use super::{RDF, RDFS, RML, WriteError, XSD, to_rml, to_yarrrml};
use crate::pipeline::mapping::functions;
use crate::pipeline::mapping::model::{
    DatabaseSource, Expression, FunctionExecution, FunctionInput, Gather, GatherStrategy,
    JoinCondition, LogicalSource, MapName, Mapping, ObjectMap, PredicateObjectMap,
    ReferenceFormulation, ReferencingObjectMap, Source, SubjectMap, Template, TemplatePart,
    TermMap, TermType, TriplesMap,
};
use crate::pipeline::payload::source::{Compression, CsvDialect, FileSource, SourceRoot};

fn iri(text: &str) -> NamedNode {
    NamedNode::new(text).unwrap()
}

fn parse(turtle: &str) -> Dataset {
    let mut dataset = Dataset::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(turtle.as_bytes()) {
        let quad = quad.unwrap_or_else(|error| panic!("{error}\n{turtle}"));
        dataset.insert(&quad);
    }
    dataset.canonicalize(CanonicalizationAlgorithm::Unstable);
    dataset
}

/// Writes `mapping` as RML and compares it, as a graph, with `expected` (Turtle whose
/// prefixes `rml:`, `rdf:`, `xsd:`, `ex:` are declared here).
fn check_rml(mapping: &Mapping, expected: &str) {
    let written = to_rml(mapping).unwrap();
    let expected = format!(
        "@prefix rml: <{RML}> . @prefix rdf: <{RDF}> . @prefix rdfs: <{RDFS}> .
         @prefix xsd: <{XSD}> . @prefix ex: <http://example.com/> .
         @prefix d2rq: <http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#> .
         @prefix grel: <{}> .\n{expected}",
        functions::GREL_NAMESPACE
    );
    assert_eq!(parse(&written), parse(&expected), "written:\n{written}");
}

fn csv_source(path: &str) -> LogicalSource {
    LogicalSource {
        source: Source::File(FileSource {
            path: path.to_owned(),
            root: SourceRoot::MappingDirectory,
            compression: Compression::None,
            encoding: None,
            csv: CsvDialect::default(),
        }),
        reference_formulation: Some(ReferenceFormulation::Csv),
        iterator: None,
        null_values: Vec::new(),
    }
}

fn template(parts: &[(&str, bool)]) -> Expression {
    Expression::Template(Template {
        parts: parts
            .iter()
            .map(|(text, reference)| {
                if *reference {
                    TemplatePart::Reference((*text).to_owned())
                } else {
                    TemplatePart::Text((*text).to_owned())
                }
            })
            .collect(),
    })
}

fn reference(name: &str) -> TermMap {
    TermMap::of(Expression::Reference(name.to_owned()))
}

fn triples_map(name: MapName, subject: TermMap, poms: Vec<PredicateObjectMap>) -> TriplesMap {
    TriplesMap {
        name,
        label: None,
        logical_source: csv_source("people.csv"),
        subject: SubjectMap {
            term: subject,
            classes: Vec::new(),
            graphs: Vec::new(),
        },
        predicate_object_maps: poms,
        base_iri: None,
    }
}

fn pom(predicate: &str, object: ObjectMap) -> PredicateObjectMap {
    PredicateObjectMap {
        predicates: vec![TermMap::constant(iri(predicate))],
        objects: vec![object],
        graphs: Vec::new(),
    }
}

/// Template subject with a class and a named graph, a reference object with a datatype, one
/// with a language, a constant IRI object.
fn people() -> Mapping {
    let mut age = reference("age");
    age.datatype = Some(Box::new(TermMap::constant(iri(&format!("{XSD}integer")))));
    let mut name = reference("name");
    name.language = Some(Box::new(TermMap::constant(Literal::new_simple_literal(
        "en",
    ))));
    let mut map = triples_map(
        MapName::Iri("http://example.com/map/Person".to_owned()),
        TermMap::of(template(&[
            ("http://example.com/person/", false),
            ("id", true),
        ])),
        vec![
            pom("http://example.com/age", ObjectMap::Term(age)),
            pom("http://example.com/name", ObjectMap::Term(name)),
            pom(
                "http://example.com/kind",
                ObjectMap::Term(TermMap::constant(iri("http://example.com/Human"))),
            ),
        ],
    );
    map.label = Some("person".to_owned());
    map.subject.classes.push(iri("http://example.com/Person"));
    map.subject
        .graphs
        .push(TermMap::constant(iri("http://example.com/graph/people")));
    Mapping {
        triples_maps: vec![map],
        core_semantics: true,
    }
}

#[test]
fn a_template_subject_with_class_graph_datatype_and_language_is_written_as_rml_core() {
    check_rml(
        &people(),
        r#"<http://example.com/map/Person> a rml:TriplesMap ;
            rdfs:label "person" ;
            rml:logicalSource [ a rml:LogicalSource ;
                rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "people.csv" ] ;
                rml:referenceFormulation rml:CSV ] ;
            rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/person/{id}" ;
                rml:class ex:Person ; rml:graph <http://example.com/graph/people> ] ;
            rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:age ;
                rml:objectMap [ a rml:ObjectMap ; rml:reference "age" ; rml:datatype xsd:integer ] ] ;
            rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:name ;
                rml:objectMap [ a rml:ObjectMap ; rml:reference "name" ; rml:language "en" ] ] ;
            rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:kind ;
                rml:object ex:Human ] ."#,
    );
}

#[test]
fn joins_blank_named_maps_and_blank_node_subjects_keep_their_shape() {
    let mut parent = triples_map(
        MapName::Blank("parent map".to_owned()),
        reference("id"),
        Vec::new(),
    );
    parent.subject.term.term_type = Some(TermType::BlankNode);
    let child = triples_map(
        MapName::Iri("http://example.com/map/Child".to_owned()),
        TermMap::of(template(&[("http://example.com/c/", false), ("id", true)])),
        vec![pom(
            "http://example.com/parent",
            ObjectMap::Referencing(ReferencingObjectMap {
                parent: MapName::Blank("parent map".to_owned()),
                joins: vec![
                    JoinCondition {
                        child: Expression::Reference("parent_id".to_owned()),
                        parent: Expression::Reference("id".to_owned()),
                    },
                    JoinCondition {
                        child: template(&[("x-", false), ("a", true)]),
                        parent: Expression::Reference("b".to_owned()),
                    },
                ],
            }),
        )],
    );
    let source = r#"rml:logicalSource [ a rml:LogicalSource ;
                rml:source [ a rml:RelativePathSource ; rml:root rml:MappingDirectory ; rml:path "people.csv" ] ;
                rml:referenceFormulation rml:CSV ]"#;
    check_rml(
        &Mapping {
            triples_maps: vec![parent, child],
            core_semantics: true,
        },
        &format!(
            r#"_:p a rml:TriplesMap ; {source} ;
                rml:subjectMap [ a rml:SubjectMap ; rml:reference "id" ; rml:termType rml:BlankNode ] .
            <http://example.com/map/Child> a rml:TriplesMap ; {source} ;
                rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/c/{{id}}" ] ;
                rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:parent ;
                    rml:objectMap [ a rml:RefObjectMap ; rml:parentTriplesMap _:p ;
                        rml:joinCondition [ a rml:Join ; rml:child "parent_id" ; rml:parent "id" ] ;
                        rml:joinCondition [ a rml:Join ; rml:childMap [ rml:template "x-{{a}}" ] ; rml:parent "b" ] ] ] ."#
        ),
    );
}

fn function_mapping() -> Mapping {
    let grel = |local: &str| iri(&format!("{}{local}", functions::GREL_NAMESPACE));
    let inner = FunctionExecution {
        function: Box::new(TermMap::constant(grel("string_replace"))),
        inputs: vec![
            FunctionInput {
                parameter: grel("valueParam"),
                value: reference("Name"),
            },
            FunctionInput {
                parameter: grel("param_find"),
                value: TermMap::constant(Literal::new_simple_literal(" ")),
            },
            FunctionInput {
                parameter: grel("param_replace"),
                value: TermMap::constant(Literal::new_simple_literal("-")),
            },
        ],
        output: Some(grel("stringOut")),
    };
    let outer = FunctionExecution {
        function: Box::new(TermMap::constant(grel("toUpperCase"))),
        inputs: vec![FunctionInput {
            parameter: grel("valueParam"),
            value: TermMap::of(Expression::Function(Box::new(inner))),
        }],
        output: None,
    };
    let mut map = triples_map(
        MapName::Iri("http://example.com/map/F".to_owned()),
        TermMap::of(template(&[("http://example.com/", false), ("Name", true)])),
        vec![pom(
            "http://example.com/name",
            ObjectMap::Term(TermMap::of(Expression::Function(Box::new(outer)))),
        )],
    );
    map.logical_source = LogicalSource {
        source: Source::Database(DatabaseSource {
            dsn: Some("jdbc:mysql://localhost/db".to_owned()),
            driver: Some("com.mysql.cj.jdbc.Driver".to_owned()),
            username: Some("root".to_owned()),
            password: None,
            table_name: None,
            query: Some("SELECT \"Name\" FROM t;\n".to_owned()),
            sql_version: None,
        }),
        reference_formulation: Some(ReferenceFormulation::Sql2008),
        iterator: None,
        null_values: vec!["NULL".to_owned()],
    };
    Mapping {
        triples_maps: vec![map],
        core_semantics: true,
    }
}

#[test]
fn nested_functions_and_database_sources_are_written_as_rml_fnml_and_d2rq() {
    check_rml(
        &function_mapping(),
        r#"<http://example.com/map/F> a rml:TriplesMap ;
            rml:logicalSource [ a rml:LogicalSource ;
                rml:source [ a d2rq:Database ; d2rq:jdbcDSN "jdbc:mysql://localhost/db" ;
                    d2rq:jdbcDriver "com.mysql.cj.jdbc.Driver" ; d2rq:username "root" ; rml:null "NULL" ] ;
                rml:referenceFormulation rml:SQL2008Query ;
                rml:query "SELECT \"Name\" FROM t;\n" ] ;
            rml:subjectMap [ a rml:SubjectMap ; rml:template "http://example.com/{Name}" ] ;
            rml:predicateObjectMap [ a rml:PredicateObjectMap ; rml:predicate ex:name ;
                rml:objectMap [ a rml:ObjectMap ;
                    rml:functionExecution [ a rml:FunctionExecution ; rml:function grel:toUpperCase ;
                        rml:input [ a rml:Input ; rml:parameter grel:valueParam ;
                            rml:inputValueMap [ a rml:InputValueMap ;
                                rml:functionExecution [ a rml:FunctionExecution ; rml:function grel:string_replace ;
                                    rml:input [ a rml:Input ; rml:parameter grel:valueParam ;
                                        rml:inputValueMap [ a rml:InputValueMap ; rml:reference "Name" ] ] ;
                                    rml:input [ a rml:Input ; rml:parameter grel:param_find ; rml:inputValue " " ] ;
                                    rml:input [ a rml:Input ; rml:parameter grel:param_replace ; rml:inputValue "-" ] ] ;
                                rml:return grel:stringOut ] ] ] ] ] ."#,
    );
}

#[test]
fn strings_iris_templates_and_blank_labels_are_escaped() {
    let odd = "quote \" backslash \\ newline \n tab \t bell \u{7} brace { }";
    let mut map = triples_map(
        MapName::Iri("http://example.com/map/A".to_owned()),
        TermMap::of(template(&[
            ("http://example.com/{x}\\/", false),
            ("we{i}rd", true),
        ])),
        vec![pom(
            "http://example.com/p",
            ObjectMap::Term(TermMap::constant(
                Literal::new_language_tagged_literal_unchecked(odd, "en"),
            )),
        )],
    );
    map.label = Some(odd.to_owned());
    map.logical_source.iterator = Some(odd.to_owned());
    let written = to_rml(&Mapping {
        triples_maps: vec![map],
        core_semantics: true,
    })
    .unwrap();
    let dataset = parse(&written);
    let texts: Vec<String> = dataset
        .iter()
        .filter_map(|quad| match quad.object {
            oxigraph::model::TermRef::Literal(literal) => Some(literal.value().to_owned()),
            _ => None,
        })
        .collect();
    assert!(
        texts.iter().filter(|text| *text == odd).count() >= 3,
        "{written}"
    );
    assert!(
        texts.contains(&"http://example.com/\\{x\\}\\\\/{we\\{i\\}rd}".to_owned()),
        "{written}"
    );
}

#[test]
fn a_name_that_is_not_an_iri_is_an_error_not_broken_turtle() {
    let mut mapping = people();
    mapping.triples_maps[0].name = MapName::Iri("http://example.com/a b".to_owned());
    assert_eq!(
        to_rml(&mapping),
        Err(WriteError::InvalidIri {
            iri: "http://example.com/a b".to_owned()
        })
    );
}

#[test]
fn output_is_deterministic_and_declares_only_the_prefixes_it_uses() {
    let first = to_rml(&people()).unwrap();
    assert_eq!(first, to_rml(&people()).unwrap());
    assert!(first.starts_with("@prefix rml: <http://w3id.org/rml/> .\n"));
    assert!(first.contains("@prefix xsd:"));
    assert!(!first.contains("@prefix grel:"));
    assert!(!first.contains("@prefix d2rq:"));
}

#[test]
fn yarrrml_has_prefixes_sources_subjects_and_long_form_objects() {
    let written = to_yarrrml(&people()).unwrap();
    let expected = r#"prefixes:
  xsd: "http://www.w3.org/2001/XMLSchema#"
mappings:
  person:
    sources:
      - access: "people.csv"
        referenceFormulation: "csv"
    s: "http://example.com/person/$(id)"
    graphs:
      - "http://example.com/graph/people"
    po:
      - p: "a"
        o:
          value: "http://example.com/Person"
          type: "iri"
      - predicates:
          - "http://example.com/age"
        objects:
          - value: "$(age)"
            datatype: "xsd:integer"
      - predicates:
          - "http://example.com/name"
        objects:
          - value: "$(name)"
            language: "en"
      - predicates:
          - "http://example.com/kind"
        objects:
          - value: "http://example.com/Human"
            type: "iri"
"#;
    assert_eq!(written, expected);
}

/// YARRRML has no `rml:return`: the writer refuses it, so YARRRML tests drop it.
fn without_outputs(mapping: &mut Mapping) {
    fn clear(term: &mut TermMap) {
        if let Expression::Function(execution) = &mut term.expression {
            execution.output = None;
            for input in &mut execution.inputs {
                clear(&mut input.value);
            }
        }
    }
    for map in &mut mapping.triples_maps {
        for pom in &mut map.predicate_object_maps {
            for object in &mut pom.objects {
                if let ObjectMap::Term(term) = object {
                    clear(term);
                }
            }
        }
    }
}

#[test]
fn yarrrml_writes_joins_as_equal_conditions_and_functions_in_long_form() {
    let mut mapping = function_mapping();
    mapping.triples_maps[0].logical_source = csv_source("student.csv");
    without_outputs(&mut mapping);
    let parent = triples_map(
        MapName::Iri("http://example.com/map/P".to_owned()),
        reference("id"),
        Vec::new(),
    );
    mapping.triples_maps[0].predicate_object_maps.push(pom(
        "http://example.com/knows",
        ObjectMap::Referencing(ReferencingObjectMap {
            parent: parent.name.clone(),
            joins: vec![JoinCondition {
                child: Expression::Reference("friend)".to_owned()),
                parent: Expression::Reference("id".to_owned()),
            }],
        }),
    ));
    mapping.triples_maps.push(parent);
    let written = to_yarrrml(&mapping).unwrap();
    for part in [
        "  F:\n",
        "  P:\n",
        "          - function: \"grel:toUpperCase\"\n            parameters:\n              - parameter: \"grel:valueParam\"\n                value:\n                  function: \"grel:string_replace\"\n",
        "                    - parameter: \"grel:param_find\"\n                      value: \" \"\n",
        "          - mapping: \"P\"\n            condition:\n              - function: \"equal\"\n",
        "                  - parameter: \"str1\"\n                    value: \"$(friend\\\\))\"\n                    from: \"subject\"\n",
        "  grel: \"http://users.ugent.be/~bjdmeest/function/grel.ttl#\"\n",
    ] {
        assert!(written.contains(part), "missing {part:?} in\n{written}");
    }
}

#[test]
fn yarrrml_refuses_what_it_cannot_say_instead_of_dropping_it() {
    let mut gathered = people();
    gathered.triples_maps[0].subject.term.gather = Some(Box::new(Gather {
        maps: vec![reference("a")],
        gather_as: iri(&format!("{RDF}List")),
        strategy: GatherStrategy::Append,
        allow_empty: false,
    }));
    let mut compressed = people();
    if let Source::File(file) = &mut compressed.triples_maps[0].logical_source.source {
        file.compression = Compression::Gzip;
    }
    for mapping in [gathered, compressed] {
        assert!(matches!(
            to_yarrrml(&mapping),
            Err(WriteError::NotExpressible { .. })
        ));
    }
}

#[test]
fn yaml_strings_quote_what_yaml_could_misread() {
    let mut out = String::new();
    yaml_string(&mut out, "yes: \"no\" \\ #x\n\u{7f}");
    assert_eq!(out, "\"yes: \\\"no\\\" \\\\ #x\\n\\u007F\"");
    let mut key = String::new();
    yaml_key(&mut key, "on");
    assert_eq!(key, "\"on\"");
}

/// Writes `mapping` as YARRRML and reads it back: the same model, up to canonical form.
fn check_yarrrml_round_trip(mapping: &Mapping) {
    use crate::pipeline::mapping::canonical::canonical;
    let written = to_yarrrml(mapping).unwrap();
    let back = crate::pipeline::mapping::yarrrml::parse_yarrrml(&written, &Default::default())
        .unwrap_or_else(|error| panic!("{error}\n{written}"));
    let anonymous = |mapping: &Mapping| {
        let mut mapping = mapping.clone();
        let names: Vec<MapName> = mapping
            .triples_maps
            .iter()
            .map(|m| m.name.clone())
            .collect();
        for (index, map) in mapping.triples_maps.iter_mut().enumerate() {
            map.name = MapName::Iri(format!("map{index}"));
            map.label = None;
            for pom in &mut map.predicate_object_maps {
                for object in &mut pom.objects {
                    if let ObjectMap::Referencing(r) = object {
                        let at = names.iter().position(|n| *n == r.parent).unwrap();
                        r.parent = MapName::Iri(format!("map{at}"));
                    }
                }
            }
        }
        mapping
    };
    assert_eq!(
        canonical(&anonymous(&back)).triples_maps,
        canonical(&anonymous(mapping)).triples_maps,
        "written:\n{written}"
    );
}

fn one_map(subject: TermMap, objects: Vec<TermMap>) -> Mapping {
    let poms = objects
        .into_iter()
        .map(|object| pom("http://example.com/p", ObjectMap::Term(object)))
        .collect();
    Mapping {
        triples_maps: vec![triples_map(
            MapName::Iri("http://example.com/map/M".to_owned()),
            subject,
            poms,
        )],
        core_semantics: false,
    }
}

fn typed_as(mut term: TermMap, term_type: TermType) -> TermMap {
    term.term_type = Some(term_type);
    term
}

#[test]
fn yarrrml_round_trips_subjects_objects_and_texts_the_translator_reads_specially() {
    let literal = |text: &str| TermMap::constant(Literal::new_simple_literal(text));
    let iri_template = TermMap::of(template(&[("http://example.com/s/", false), ("id", true)]));
    let cases = vec![
        // Blank node subjects: from a template, and fresh per record.
        one_map(
            typed_as(iri_template.clone(), TermType::BlankNode),
            vec![reference("a")],
        ),
        one_map(
            typed_as(TermMap::of(Expression::Absent), TermType::BlankNode),
            vec![reference("a")],
        ),
        // A template object is an IRI by default; a blank object without value.
        one_map(
            iri_template.clone(),
            vec![
                TermMap::of(template(&[("http://example.com/o/", false), ("b", true)])),
                typed_as(TermMap::of(Expression::Absent), TermType::BlankNode),
                typed_as(reference("c"), TermType::Iri),
            ],
        ),
        // A template that is one reference, and one without references.
        one_map(
            TermMap::of(template(&[("id", true)])),
            vec![TermMap::of(template(&[(
                "http://example.com/fixed",
                false,
            )]))],
        ),
        // Text that would read as a reference, an escape, a prefix or a marker.
        one_map(
            TermMap::of(template(&[("urn:x:", false), ("dc:id", true)])),
            vec![
                literal("costs $(price) \\ each"),
                literal("rdf:type"),
                literal("a~iri"),
                reference("dc:title"),
                reference("we(i)rd\\"),
                TermMap::of(template(&[
                    ("schema:", false),
                    ("x", true),
                    ("~lang", false),
                ])),
                TermMap::constant(iri("graph:1")),
            ],
        ),
    ];
    for mapping in &cases {
        check_yarrrml_round_trip(mapping);
    }
}

#[test]
fn yarrrml_round_trips_functions_joins_and_databases() {
    let mut mapping = function_mapping();
    without_outputs(&mut mapping);
    if let Source::Database(database) = &mut mapping.triples_maps[0].logical_source.source {
        database.query = Some("SELECT \"Name\" FROM t;".to_owned());
        database.sql_version = Some("http://www.w3.org/ns/r2rml#SQL2008".to_owned());
    }
    mapping.triples_maps[0].logical_source.null_values.clear();
    mapping.triples_maps[0].logical_source.reference_formulation = None;
    let grel = |local: &str| iri(&format!("{}{local}", functions::GREL_NAMESPACE));
    let to_iri = FunctionExecution {
        function: Box::new(TermMap::constant(grel("toUpperCase"))),
        inputs: vec![FunctionInput {
            parameter: grel("valueParam"),
            value: TermMap::of(template(&[("http://example.com/", false), ("Name", true)])),
        }],
        output: None,
    };
    let mut object = TermMap::of(Expression::Function(Box::new(to_iri)));
    object.term_type = Some(TermType::Iri);
    let parent = triples_map(
        MapName::Iri("http://example.com/map/P".to_owned()),
        reference("id"),
        vec![pom("http://example.com/o", ObjectMap::Term(object))],
    );
    mapping.triples_maps[0].predicate_object_maps.push(pom(
        "http://example.com/knows",
        ObjectMap::Referencing(ReferencingObjectMap {
            parent: parent.name.clone(),
            joins: vec![JoinCondition {
                child: Expression::Reference("friend)".to_owned()),
                parent: template(&[("x-", false), ("id", true)]),
            }],
        }),
    ));
    mapping.triples_maps.push(parent);
    check_yarrrml_round_trip(&mapping);
}

#[test]
fn yarrrml_refuses_outputs_datatype_maps_and_encodings_it_would_lose() {
    let mut datatype = people();
    if let Some(ObjectMap::Term(age)) = datatype.triples_maps[0].predicate_object_maps[0]
        .objects
        .first_mut()
    {
        age.datatype = Some(Box::new(TermMap::of(template(&[
            ("http://www.w3.org/2001/XMLSchema#", false),
            ("type", true),
        ]))));
    }
    let mut encoded = people();
    if let Source::File(file) = &mut encoded.triples_maps[0].logical_source.source {
        file.encoding = Some("UTF-8".to_owned());
    }
    let mut output = function_mapping();
    output.triples_maps[0].logical_source = csv_source("people.csv");
    for mapping in [datatype, encoded, output] {
        assert!(matches!(
            to_yarrrml(&mapping),
            Err(WriteError::NotExpressible { .. })
        ));
    }
}

/// A sensor.community-like source: `;`-separated, with columns the file may lack.
fn optional_columns_mapping() -> Mapping {
    let mut mapping = one_map(
        TermMap::of(template(&[("http://example.com/", false), ("id", true)])),
        vec![reference("P1")],
    );
    let Source::File(file) = &mut mapping.triples_maps[0].logical_source.source else {
        unreachable!()
    };
    file.path = "payload.csv".to_owned();
    file.csv.delimiter = b';';
    file.csv.optional_columns = vec!["P1".to_owned(), "P2".to_owned()];
    mapping
}

#[test]
fn optional_columns_are_written_as_citykg_optional_column_and_read_back() {
    let mapping = optional_columns_mapping();
    let written = to_rml(&mapping).unwrap();
    assert!(
        written.contains("@prefix citykg: <https://w3id.org/citykg/ns#> ."),
        "{written}"
    );
    assert!(
        written.contains("citykg:optionalColumn \"P1\""),
        "{written}"
    );
    let back =
        crate::pipeline::mapping::parse(&written, crate::pipeline::mapping::Syntax::Rml, None)
            .unwrap_or_else(|error| panic!("{error}\n{written}"));
    let Source::File(file) = &back.triples_maps[0].logical_source.source else {
        panic!("expected a file source\n{written}");
    };
    assert_eq!(file.csv.optional_columns, vec!["P1", "P2"], "{written}");
    assert_eq!(file.csv.delimiter, b';', "{written}");
}

#[test]
fn optional_columns_round_trip_through_yarrrml() {
    let mapping = optional_columns_mapping();
    let written = to_yarrrml(&mapping).unwrap();
    assert!(
        written.contains("optionalColumns:\n          - \"P1\"\n          - \"P2\""),
        "{written}"
    );
    check_yarrrml_round_trip(&mapping);
}
