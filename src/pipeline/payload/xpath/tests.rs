use super::{XPath, string_value};
use crate::pipeline::payload::PayloadFormat;
use crate::pipeline::payload::reader::collect;

fn namespaces() -> Vec<(String, String)> {
    vec![("ex".to_owned(), "http://example.org".to_owned())]
}

#[test]
fn the_subset_compiles_and_the_rest_is_refused() {
    for expression in [
        "/a/b/c",
        "//c",
        "/",
        "name",
        "@id",
        "a/b",
        "a/@b",
        ".",
        "..",
        "../@id",
        "../../../@id",
        "text()",
        "*",
        "ex:name/text()",
        "a[2]",
        "a[@x='v']",
        "a[b=\"v\"]",
        "a[@x != 'v' and b]",
        "a[@n > 3 or @n < 1]",
        "a[(b) and (c)]",
        "//ex:Character[@id='1']/ex:name",
        "child::a/attribute::b",
        "a[not(b)]",
        "a[not (@x = 'v') and not(c < 0)]",
        "a[not(not(b))]",
        "not",
        "not/nothing",
        "a[nothing]",
    ] {
        assert!(
            XPath::parse(expression, &namespaces()).is_ok(),
            "{expression}"
        );
    }
    for expression in [
        "",
        "a[",
        "a[]",
        "a[0]",
        "nope:a",
        "a/",
        "@",
        "a[@x=]",
        "a['v'",
        "count(a)",
        "a | b",
        "$x",
        "a[b='unterminated]",
        "a[not(b]",
        "a[not()]",
        "not(a)",
    ] {
        assert!(
            XPath::parse(expression, &namespaces()).is_err(),
            "{expression:?}"
        );
    }
    let deep = format!("a{}", "[b".repeat(1000));
    assert!(XPath::parse(&deep, &[]).is_err());
}

fn xml(input: &str, iterator: &str, references: &[&str]) -> Vec<Vec<String>> {
    let format = PayloadFormat::Xml {
        namespaces: namespaces(),
    };
    collect(&format, input.as_bytes(), &[(Some(iterator), references)])
        .unwrap()
        .into_iter()
        .map(|(_, values)| values.into_iter().map(|value| value.join("|")).collect())
        .collect()
}

const PEOPLE: &str = r#"<?xml version="1.0"?>
<root xmlns:ex="http://example.org" id="r">
  <person id="1" ex:tag="t1"><name>Ann</name><age>30</age><tel>1</tel><tel>2</tel></person>
  <person id="2"><name>Bob <b>Jr</b></name><age>40</age></person>
  <ex:person id="3"><ex:name>Cid</ex:name></ex:person>
</root>"#;

#[test]
fn references_select_attributes_children_text_and_positions() {
    type Case<'a> = (&'a str, &'a [&'a str], &'a [&'a [&'a str]]);
    let cases: &[Case<'_>] = &[
        (
            "/root/person",
            &[
                "@id",
                "name",
                "name/text()",
                "tel",
                "tel[2]",
                "@ex:tag",
                "../@id",
                "@missing",
            ],
            &[
                &["1", "Ann", "Ann", "1|2", "2", "t1", "r", ""],
                &["2", "Bob Jr", "Bob ", "", "", "", "r", ""],
            ],
        ),
        ("//person[@id='2']", &["age"], &[&["40"]]),
        ("//person[age > 35]", &["@id"], &[&["2"]]),
        ("//person[name='Ann']", &["@id"], &[&["1"]]),
        ("/root/*", &["@id"], &[&["1"], &["2"], &["3"]]),
        (
            "//ex:person",
            &["ex:name", "ex:name/text()", "name"],
            &[&["Cid", "Cid", ""]],
        ),
        (
            "/root/person/name",
            &[".", "text()", "../@id"],
            &[&["Ann", "Ann", "1"], &["Bob Jr", "Bob ", "2"]],
        ),
        ("/root/person[2]", &["@id"], &[&["2"]]),
        ("/", &["root/person/@id"], &[&["1|2"]]),
    ];
    for (iterator, references, expected) in cases {
        let expected: Vec<Vec<String>> = expected
            .iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect();
        assert_eq!(xml(PEOPLE, iterator, references), expected, "{iterator}");
    }
}

#[test]
fn an_unprefixed_name_matches_elements_in_the_default_namespace() {
    let input = r#"<Friends xmlns="urn:d" xmlns:ex="http://example.org"><Character id="0"><name>M</name></Character><ex:Character id="1"/></Friends>"#;
    assert_eq!(
        xml(input, "//Friends/Character", &["@id", "name"]),
        vec![vec!["0".to_owned(), "M".to_owned()]]
    );
    assert_eq!(
        xml(input, "//Friends/ex:Character", &["@id"]),
        vec![vec!["1".to_owned()]]
    );
}

#[test]
fn string_values_concatenate_descendant_text() {
    let mut dom = super::dom::Dom::default();
    let a = dom.push(0, super::dom::NodeKind::Text("x".to_owned()));
    dom.push_text(0, "y");
    assert_eq!(string_value(&dom, super::Item::Node(a)), "xy");
    assert_eq!(string_value(&dom, super::Item::Node(0)), "xy");
    assert_eq!(string_value(&dom, super::Item::Node(99)), "");
}

#[test]
fn not_negates_a_predicate_so_absence_and_sentinels_can_be_filtered() {
    // DATEX II style: a measured value is kept unless flagged or a negative "no data" sentinel.
    let input = r#"<d xmlns="urn:d2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
      <m index="1"><v>60</v></m>
      <m index="2"><v>-1</v></m>
      <m index="3"><dataError>true</dataError><v>0</v></m>
      <m index="4"><dataError>false</dataError><v>0</v></m>
      <m index="5" n="0"><v>0</v></m>
      <m index="6"><v>n/a</v></m>
    </d>"#;
    let kept = |iterator: &str| -> Vec<String> {
        xml(input, iterator, &["@index"])
            .into_iter()
            .map(|row| row.join(","))
            .collect()
    };
    // These iterators stream (predicates on the last step only, no position).
    assert_eq!(
        kept("//m[not(dataError = 'true')]"),
        ["1", "2", "4", "5", "6"]
    );
    assert_eq!(
        kept("/d/m[not(v < 0 or dataError = 'true' or @n = 0)]"),
        ["1", "4", "6"]
    );
    assert_eq!(kept("//m[not(dataError)]"), ["1", "2", "5", "6"]);
    assert_eq!(kept("//m[not(not(dataError))]"), ["3", "4"]);
    // A position inside `not()` needs the siblings: the whole tree is read, same meaning.
    assert_eq!(kept("/d/m[not(1)]"), ["2", "3", "4", "5", "6"]);
    // A reference with a predicate, evaluated inside the record.
    assert_eq!(
        xml(
            input,
            "/d/m[@index='3']",
            &["v[not(../dataError = 'true')]", "v[not(../x)]"]
        ),
        vec![vec!["".to_owned(), "0".to_owned()]]
    );
}

#[test]
fn an_element_called_not_is_still_a_name() {
    let input = "<r><not><nothing>x</nothing></not><a><not/></a><a/></r>";
    assert_eq!(
        xml(input, "/r/not", &["nothing"]),
        vec![vec!["x".to_owned()]]
    );
    assert_eq!(xml(input, "/r/a[not]", &["."]).len(), 1);
}
