use super::canonical;
use crate::pipeline::mapping::model::{
    Expression, MapName, Mapping, ObjectMap, TemplatePart, TermType,
};
use crate::pipeline::mapping::yarrrml::{YarrrmlOptions, parse_yarrrml};

fn load(text: &str) -> Mapping {
    parse_yarrrml(text, &YarrrmlOptions::default()).unwrap_or_default()
}

const A: &str = "
mappings:
  person:
    sources: [[p.csv~csv]]
    s: http://ex.com/$(id)
    po:
      - [[http://ex.com/p, http://ex.com/q], $(name)]
      - p: http://ex.com/knows
        o: {mapping: other}
  other:
    sources: [[o.csv~csv]]
    s: http://ex.com/o/$(id)
";

/// The same mapping, written in another order, other groupings and with other map names.
const B: &str = "
base: http://elsewhere.example/
mappings:
  other:
    sources: [[o.csv~csv]]
    s: http://ex.com/o/$(id)
  person:
    sources: [[p.csv~csv]]
    s: http://ex.com/$(id)
    po:
      - p: http://ex.com/knows
        o: {mapping: other}
      - [http://ex.com/q, $(name)]
      - [http://ex.com/p, $(name)]
      - [http://ex.com/p, $(name)]
";

#[test]
fn order_grouping_duplicates_and_map_names_are_ignored() {
    let (a, b) = (load(A), load(B));
    assert_ne!(a, b);
    assert_eq!(canonical(&a), canonical(&b));
    let canonical = canonical(&a);
    let names: Vec<&str> = canonical
        .triples_maps
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(names, vec!["canonical:other", "canonical:person"]);
    let referencing = canonical.triples_maps[1]
        .predicate_object_maps
        .iter()
        .flat_map(|pom| &pom.objects)
        .find_map(|o| match o {
            ObjectMap::Referencing(r) => Some(r.parent.clone()),
            ObjectMap::Term(_) => None,
        });
    assert_eq!(referencing, Some(MapName::Iri("canonical:other".into())));
}

#[test]
fn default_term_types_are_resolved_so_explicit_and_implicit_defaults_compare_equal() {
    let mut explicit = load(A);
    let mut implicit = explicit.clone();
    for map in &mut implicit.triples_maps {
        for pom in &mut map.predicate_object_maps {
            for object in &mut pom.objects {
                if let ObjectMap::Term(term) = object {
                    term.term_type = None;
                }
            }
        }
    }
    assert_eq!(canonical(&explicit), canonical(&implicit));
    explicit.triples_maps[0].subject.term.term_type = Some(TermType::Iri);
    assert_eq!(canonical(&explicit), canonical(&implicit));
    let object_type =
        canonical(&implicit).triples_maps[1].predicate_object_maps[1].objects[0].clone();
    assert!(matches!(object_type, ObjectMap::Term(t) if t.term_type == Some(TermType::Literal)));
}

#[test]
fn real_differences_stay_visible() {
    let base = load(A);
    let mut template = base.clone();
    if let Expression::Template(t) = &mut template.triples_maps[0].subject.term.expression {
        t.parts[0] = TemplatePart::Text("http://ex.org/".into());
    }
    let mut term_type = base.clone();
    term_type.triples_maps[0].subject.term.term_type = Some(TermType::BlankNode);
    let mut iterator = base.clone();
    iterator.triples_maps[0].logical_source.iterator = Some("$".into());
    let mut join = base.clone();
    if let Some(ObjectMap::Referencing(r)) = join.triples_maps[0]
        .predicate_object_maps
        .get_mut(1)
        .and_then(|pom| pom.objects.first_mut())
    {
        r.joins
            .push(crate::pipeline::mapping::model::JoinCondition {
                child: Expression::Reference("a".into()),
                parent: Expression::Reference("b".into()),
            });
    }
    for changed in [template, term_type, iterator, join] {
        assert_ne!(canonical(&base), canonical(&changed));
    }
}

#[test]
fn sql_layout_is_ignored_but_not_inside_quotes_or_after_line_comments() {
    let layouts = [
        (
            "SELECT \"ID\",\n       \"Name\"\nFROM \"Student\"\n",
            "SELECT \"ID\", \"Name\" FROM \"Student\"",
        ),
        ("SELECT 'a  b'  FROM t", "SELECT 'a  b' FROM t"),
        ("SELECT a -- note\nFROM t", "SELECT a -- note\nFROM t"),
    ];
    for (query, expected) in layouts {
        assert_eq!(super::sql_layout(query), expected);
    }
}
