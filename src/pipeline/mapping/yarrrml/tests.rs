use oxigraph::model::{Literal, NamedNode, Term};

use super::{Problem, YarrrmlOptions, YarrrmlTarget, parse_yarrrml, parse_yarrrml_documents};
use crate::pipeline::mapping::model::{
    Expression, JoinCondition, Mapping, ObjectMap, ReferenceFormulation, Source, Template,
    TemplatePart, TermMap, TermType,
};

fn translate(text: &str) -> Mapping {
    match parse_yarrrml(text, &YarrrmlOptions::default()) {
        Ok(mapping) => mapping,
        Err(error) => panic!("translation failed: {:#?}", error.problems),
    }
}

fn problems(text: &str) -> Vec<Problem> {
    match parse_yarrrml(text, &YarrrmlOptions::default()) {
        Ok(mapping) => panic!("expected problems, got {mapping:#?}"),
        Err(error) => error.problems,
    }
}

/// The object maps of the first triples map's predicate-object maps, flattened.
fn objects(mapping: &Mapping) -> Vec<ObjectMap> {
    mapping.triples_maps[0]
        .predicate_object_maps
        .iter()
        .flat_map(|pom| pom.objects.clone())
        .collect()
}

fn term(object: &ObjectMap) -> &TermMap {
    match object {
        ObjectMap::Term(map) => map,
        ObjectMap::Referencing(r) => panic!("expected a term map, got {r:?}"),
    }
}

fn iri(value: &str) -> Expression {
    Expression::Constant(Term::NamedNode(NamedNode::new_unchecked(value)))
}

fn template(parts: &[(&str, bool)]) -> Expression {
    Expression::Template(Template {
        parts: parts
            .iter()
            .map(|(text, is_ref)| {
                if *is_ref {
                    TemplatePart::Reference((*text).to_owned())
                } else {
                    TemplatePart::Text((*text).to_owned())
                }
            })
            .collect(),
    })
}

const PERSON: &str = "
prefixes:
  ex: http://example.com/
mappings:
  person:
    sources:
      - ['data.json~jsonpath', '$.persons[*]']
    s: ex:$(id)
    po:
      - [a, foaf:Person]
      - [ex:name, $(name)]
      - [ex:age, $(age), xsd:integer]
      - [ex:label, $(label), en~lang]
      - [ex:page, $(url)~iri]
      - [[ex:p1, ex:p2], [$(a), $(b)]]
";

#[test]
fn shorthand_sources_subjects_and_predicate_objects_become_the_normalised_model() {
    let mapping = translate(PERSON);
    let map = &mapping.triples_maps[0];
    assert_eq!(
        map.name.as_str(),
        "http://mapping.example.com/map_person_000"
    );
    assert_eq!(map.label.as_deref(), Some("person"));
    assert_eq!(
        map.logical_source.reference_formulation,
        Some(ReferenceFormulation::JsonPath)
    );
    assert_eq!(map.logical_source.iterator.as_deref(), Some("$.persons[*]"));
    assert!(matches!(&map.logical_source.source, Source::File(f) if f.path == "data.json"));
    assert_eq!(
        map.subject.term.expression,
        template(&[("http://example.com/", false), ("id", true)])
    );
    let poms = &map.predicate_object_maps;
    assert_eq!(
        poms[0].predicates[0].expression,
        iri(super::terms::RDF_TYPE)
    );
    assert_eq!(
        term(&poms[0].objects[0]).expression,
        iri("http://xmlns.com/foaf/0.1/Person")
    );
    let name = term(&poms[1].objects[0]);
    assert_eq!(name.expression, Expression::Reference("name".into()));
    assert_eq!(name.term_type, Some(TermType::Literal));
    let age = term(&poms[2].objects[0]);
    assert_eq!(
        age.datatype.as_deref().map(|d| &d.expression),
        Some(&iri("http://www.w3.org/2001/XMLSchema#integer"))
    );
    let label = term(&poms[3].objects[0]);
    assert_eq!(
        label.language.as_deref().map(|l| &l.expression),
        Some(&Expression::Constant(Term::Literal(
            Literal::new_simple_literal("en")
        )))
    );
    assert_eq!(term(&poms[4].objects[0]).term_type, Some(TermType::Iri));
    assert_eq!((poms[5].predicates.len(), poms[5].objects.len()), (2, 2));
}

#[test]
fn escapes_and_prefixes_in_templates_follow_the_reference_parser() {
    let cases: &[(&str, Expression)] = &[
        (
            r"http://example.com/$((test\))",
            template(&[("http://example.com/", false), ("(test)", true)]),
        ),
        (
            r"$(id)\:\:number",
            template(&[("id", true), ("::number", false)]),
        ),
        (
            "ex:$(a)-$(b)",
            template(&[
                ("http://example.com/", false),
                ("a", true),
                ("-", false),
                ("b", true),
            ]),
        ),
        (
            r"http://ex.com/\(x\)/$(id)",
            template(&[("http://ex.com/(x)/", false), ("id", true)]),
        ),
        (
            "$(ex:name)",
            Expression::Reference("http://example.com/name".into()),
        ),
        (r"$(ex\:name)", Expression::Reference("ex:name".into())),
        ("ex:thing", iri("http://example.com/thing")),
    ];
    for (subject, expected) in cases {
        let text = format!(
            "prefixes:\n  ex: http://example.com/\nmappings:\n  m:\n    sources: [[d.csv~csv]]\n    s: '{subject}'\n"
        );
        let mapping = translate(&text);
        assert_eq!(
            &mapping.triples_maps[0].subject.term.expression, expected,
            "{subject}"
        );
    }
}

#[test]
fn external_references_are_substituted() {
    let mapping = translate(
        "external:\n  city: Ghent\nmappings:\n  m:\n    sources: [[d.csv~csv]]\n    s: http://ex.com/$(_city)/$(id)\n    po:\n      - [http://ex.com/p, $(_city)]\n      - [http://ex.com/q, $(\\_city)]\n",
    );
    let map = &mapping.triples_maps[0];
    assert_eq!(
        map.subject.term.expression,
        template(&[("http://ex.com/Ghent/", false), ("id", true)])
    );
    let objects = objects(&mapping);
    assert_eq!(
        term(&objects[0]).expression,
        Expression::Constant(Term::Literal(Literal::new_simple_literal("Ghent")))
    );
    assert_eq!(
        term(&objects[1]).expression,
        Expression::Reference("_city".into())
    );
}

#[test]
fn function_shortcuts_and_long_forms_become_function_executions() {
    let mapping = translate(
        "prefixes:\n  grel: http://users.ugent.be/~bjdmeest/function/grel.ttl#\nmappings:\n  m:\n    sources: [[d.csv~csv]]\n    s: http://ex.com/$(id)\n    po:\n      - p: schema:name\n        o:\n          - function: grel:toUpperCase(valueParameter = $(name), grel:p2 = \"x\")\n          - function: grel:trim\n            parameters:\n              - [grel:valueParameter, $(name)]\n            datatype: xsd:string\n",
    );
    let objects = objects(&mapping);
    for object in &objects {
        let map = term(object);
        assert_eq!(map.term_type, Some(TermType::Literal));
        let Expression::Function(execution) = &map.expression else {
            panic!("expected a function, got {map:?}");
        };
        assert_eq!(
            execution.inputs[0].parameter.as_str(),
            "http://users.ugent.be/~bjdmeest/function/grel.ttl#valueParameter"
        );
        assert_eq!(
            execution.inputs[0].value.expression,
            Expression::Reference("name".into())
        );
    }
    let Expression::Function(upper) = &term(&objects[0]).expression else {
        panic!("expected a function");
    };
    assert_eq!(
        upper.function.expression,
        iri("http://users.ugent.be/~bjdmeest/function/grel.ttl#toUpperCase")
    );
    assert_eq!(
        upper.inputs[1].value.expression,
        Expression::Constant(Term::Literal(Literal::new_simple_literal("x")))
    );
    assert!(term(&objects[1]).datatype.is_some());
}

const JOINS: &str = "
mappings:
  person:
    sources: [[p.csv~csv]]
    s: http://ex.com/p/$(id)
    po:
      - p: http://ex.com/knows
        o:
          mapping: project
          condition:
            function: equal
            parameters:
              - [str1, $(project)]
              - [str2, $(id)]
      - p: http://ex.com/made
        o:
          mapping: project
          condition:
            function: equal
            parameters:
              - [str2, $(id)_$(name), o]
              - [str1, $(pid)_$(pname), s]
  project:
    sources: [[q.csv~csv], [r.csv~csv]]
    s: http://ex.com/q/$(id)
";

#[test]
fn joins_name_every_triples_map_of_the_parent_and_keep_child_and_parent_sides() {
    let mapping = translate(JOINS);
    assert_eq!(mapping.triples_maps.len(), 3);
    assert_eq!(
        mapping.triples_maps[2].name.as_str(),
        "http://mapping.example.com/map_project_001"
    );
    let objects = objects(&mapping);
    let joins: Vec<(&str, &Vec<JoinCondition>)> = objects
        .iter()
        .map(|o| match o {
            ObjectMap::Referencing(r) => (r.parent.as_str(), &r.joins),
            ObjectMap::Term(t) => panic!("expected a referencing object map, got {t:?}"),
        })
        .collect();
    // The parent has two sources, so two triples maps: each join refers to both.
    let parents: Vec<&str> = joins.iter().map(|(parent, _)| *parent).collect();
    assert_eq!(
        parents,
        [0, 1, 0, 1].map(|i| format!("http://mapping.example.com/map_project_00{i}"))
    );
    assert_eq!(joins[0].1, joins[1].1);
    assert_eq!(
        joins[0].1,
        &vec![JoinCondition {
            child: Expression::Reference("project".into()),
            parent: Expression::Reference("id".into()),
        }]
    );
    assert_eq!(
        joins[2].1,
        &vec![JoinCondition {
            child: template(&[("pid", true), ("_", false), ("pname", true)]),
            parent: template(&[("id", true), ("_", false), ("name", true)]),
        }]
    );
}

#[test]
fn conditions_are_wrapped_in_true_condition_like_the_reference_parser_does() {
    let mapping = translate(
        "mappings:\n  m:\n    sources: [[d.csv~csv]]\n    s: http://ex.com/$(id)\n    condition:\n      function: http://ex.com/isSet\n      parameters: [[http://ex.com/v, $(id)]]\n    po:\n      - p: http://ex.com/p\n        o: $(name)\n        condition:\n          function: equal\n          parameters: [[str1, $(type)], [str2, '1']]\n",
    );
    let map = &mapping.triples_maps[0];
    for (term_map, term_type) in [
        (&map.subject.term, TermType::Iri),
        (term(&objects(&mapping)[0]), TermType::Literal),
    ] {
        assert_eq!(term_map.term_type, Some(term_type));
        let Expression::Function(wrapper) = &term_map.expression else {
            panic!("expected trueCondition, got {term_map:?}");
        };
        assert_eq!(
            wrapper.function.expression,
            iri("https://w3id.org/imec/idlab/function#trueCondition")
        );
        assert_eq!(wrapper.inputs.len(), 2);
        assert_eq!(wrapper.inputs[1].value.term_type, Some(term_type));
    }
}

#[test]
fn a_missing_subject_and_a_valueless_blank_object_are_fresh_blank_nodes() {
    let mapping = translate(
        "mappings:\n  m:\n    sources: [[d.csv~csv]]\n    po:\n      - p: http://ex.com/p\n        o:\n          type: blank\n",
    );
    let map = &mapping.triples_maps[0];
    assert_eq!(map.subject.term.expression, Expression::Absent);
    assert_eq!(map.subject.term.term_type, Some(TermType::BlankNode));
    assert_eq!(
        term(&objects(&mapping)[0]).term_type,
        Some(TermType::BlankNode)
    );
}

#[test]
fn database_sources_and_the_class_option_are_translated() {
    let text = "mappings:\n  m:\n    sources:\n      - access: http://localhost/db\n        type: mysql\n        credentials: {username: root, password: pw}\n        queryFormulation: sql2008\n        query: |\n          SELECT *\n          FROM t;\n        referenceFormulation: csv\n    s: http://ex.com/$(id)\n    po:\n      - [a, [schema:Thing, schema:Place]]\n";
    let options = YarrrmlOptions {
        class: true,
        target: YarrrmlTarget::Rml,
    };
    let mapping = parse_yarrrml(text, &options).unwrap_or_default();
    let map = &mapping.triples_maps[0];
    let Source::Database(db) = &map.logical_source.source else {
        panic!("expected a database source, got {:?}", map.logical_source);
    };
    assert_eq!(db.query.as_deref(), Some("SELECT * FROM t;"));
    assert_eq!(db.driver.as_deref(), Some("com.mysql.cj.jdbc.Driver"));
    assert_eq!(db.username.as_deref(), Some("root"));
    assert_eq!(map.subject.classes.len(), 2);
    assert!(map.predicate_object_maps.is_empty());
}

#[test]
fn problems_name_their_line_column_and_mapping_and_all_are_reported() {
    let found = problems(
        "mappings:\n  a:\n    sources: [[d.csv~csv]]\n    s: http://ex.com/$(id)\n    po:\n      - [nope:p, x]\n      - p: http://ex.com/q\n        o:\n          mapping: missing\n  b:\n    s: http://ex.com/$(id)\n    po:\n      - [http://ex.com/p]\n",
    );
    let summary: Vec<(usize, usize, Option<&str>)> = found
        .iter()
        .map(|p| (p.line, p.column, p.mapping.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![
            (6, 10, Some("a")),
            (9, 20, Some("a")),
            (11, 5, Some("b")),
            (13, 9, Some("b")),
        ],
        "{found:#?}"
    );
    assert!(found[0].message.contains("unknown prefix `nope`"));
    assert!(found[1].message.contains("unknown mapping `missing`"));
    assert!(found[2].message.contains("no `sources`"));
    assert!(found[3].message.contains("needs an object"));
}

#[test]
fn yaml_syntax_errors_carry_line_and_column() {
    let found = problems("mappings:\n  a:\n    s: [unclosed\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].message.starts_with("YAML syntax error"));
    assert!(found[0].line >= 3, "{found:?}");
}

#[test]
fn several_documents_share_prefixes_and_sources() {
    let first = "prefixes:\n  ex: http://example.com/\nsources:\n  s1: [d.csv~csv]\nmappings:\n  a:\n    sources: s1\n    s: ex:$(id)\n";
    let second = "mappings:\n  b:\n    sources: s1\n    s: ex:b/$(id)\n";
    let mapping = parse_yarrrml_documents(
        &[("1.yml", first), ("2.yml", second)],
        &YarrrmlOptions::default(),
    );
    assert_eq!(mapping.map(|m| m.triples_maps.len()).ok(), Some(2));
}

/// A small deterministic generator, so failures reproduce.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn random_bytes_and_mangled_documents_never_panic_the_translator() {
    let mut state = 0x9E37_79B9_7F4A_7C15_u64;
    let seeds = [PERSON, JOINS];
    for round in 0..3000 {
        let text = if round % 2 == 0 {
            let len = (xorshift(&mut state) % 200) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| (xorshift(&mut state) % 256) as u8)
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            let mut bytes = seeds[round % seeds.len()].as_bytes().to_vec();
            for _ in 0..(1 + xorshift(&mut state) % 6) {
                let at = (xorshift(&mut state) as usize) % bytes.len();
                bytes[at] = b"-[]{}:$()~\\\"' \nax"[(xorshift(&mut state) % 17) as usize];
            }
            String::from_utf8_lossy(&bytes).into_owned()
        };
        let _ = parse_yarrrml(
            &text,
            &YarrrmlOptions {
                class: round % 3 == 0,
                target: YarrrmlTarget::Rml,
            },
        );
    }
    let deep = "[".repeat(100_000);
    assert!(parse_yarrrml(&deep, &YarrrmlOptions::default()).is_err());
    let deep_block = "- ".repeat(100_000);
    assert!(parse_yarrrml(&deep_block, &YarrrmlOptions::default()).is_err());
}

#[test]
fn optional_columns_of_a_long_form_source_are_read_into_the_csv_dialect() {
    let mapping = translate(
        "sources:\n  day:\n    access: payload.csv\n    referenceFormulation: csv\n    delimiter: ';'\n    optionalColumns: [P1, P2]\nmappings:\n  m:\n    sources: day\n    s: http://ex.com/$(sensor_id)\n",
    );
    let Source::File(file) = &mapping.triples_maps[0].logical_source.source else {
        panic!("expected a file source");
    };
    assert_eq!(file.csv.delimiter, b';');
    assert_eq!(file.csv.optional_columns, vec!["P1", "P2"]);
    // One name alone is a list of one.
    let mapping = translate(
        "mappings:\n  m:\n    sources:\n      - access: d.csv\n        referenceFormulation: csv\n        optionalColumns: noise_LAeq\n    s: http://ex.com/$(id)\n",
    );
    let Source::File(file) = &mapping.triples_maps[0].logical_source.source else {
        panic!("expected a file source");
    };
    assert_eq!(file.csv.optional_columns, vec!["noise_LAeq"]);
}

#[test]
fn optional_columns_on_a_database_or_not_as_text_are_problems() {
    let found = problems(
        "mappings:\n  m:\n    sources:\n      - access: http://localhost/db\n        type: mysql\n        table: t\n        optionalColumns: [a]\n    s: http://ex.com/$(id)\n",
    );
    assert!(
        found[0].message.contains("CSV file sources only"),
        "{found:?}"
    );
    let found = problems(
        "mappings:\n  m:\n    sources:\n      - access: d.csv\n        optionalColumns: [[a]]\n    s: http://ex.com/$(id)\n",
    );
    assert!(found[0].message.contains("optional column"), "{found:?}");
}

#[test]
fn aliases_used_as_keys_cannot_build_a_deep_tree() {
    // Each line anchors a mapping whose key is the previous anchor: one level per alias, flat
    // text, so the bracket count alone does not see it.
    let mut text = String::from("- &a0 {x: 1}\n");
    for level in 1..30_000 {
        text.push_str(&format!("- &a{level} {{*a{} : 1}}\n", level - 1));
    }
    let started = std::time::Instant::now();
    let found = problems(&text);
    assert!(
        found.iter().any(|p| p.message.contains("aliases")),
        "{:?}",
        found.first()
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    // A few aliases, as mappings use them, still work.
    let reused = "prefixes:\n  ex: http://example.com/\nsources:\n  s: &src [data.json~jsonpath, '$[*]']\nmappings:\n  a:\n    sources: [*src]\n    s: ex:$(id)\n    po:\n      - [ex:p, $(v)]\n";
    translate(reused);
}
