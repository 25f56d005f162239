use crate::pipeline::payload::reader::{Collected, Specs, collect};
use crate::pipeline::payload::{IteratorSpec, PayloadError, PayloadFormat};

use super::XmlPlan;

fn format() -> PayloadFormat {
    PayloadFormat::Xml {
        namespaces: vec![("ex".to_owned(), "http://example.org".to_owned())],
    }
}

fn read(input: &str, specs: &Specs<'_>) -> Result<Collected, PayloadError> {
    collect(&format(), input.as_bytes(), specs)
}

fn plan(iterator: &str, references: &[&str]) -> XmlPlan {
    let specs = [IteratorSpec {
        iterator: Some(iterator.to_owned()),
        references: references
            .iter()
            .map(|reference| (*reference).to_owned())
            .collect(),
    }];
    XmlPlan::compile(&[], &specs, &mut Vec::new()).unwrap()
}

#[test]
fn simple_iterators_stream_and_others_read_the_whole_document() {
    for (iterator, references, streams) in [
        ("/a/b", &["c", "@d", "../@id", "../../@id"][..], true),
        ("//c", &["."], true),
        ("/a/b[@x='1']", &["c"], true),
        ("/a/b[c='1']", &["c"], true),
        ("/a/b[2]", &["c"], false),
        ("/a[@x]/b", &["c"], false),
        ("/a/b", &["../c"], false),
        ("/a/b", &["/a/@id"], false),
        ("/", &["a"], false),
    ] {
        assert_eq!(
            plan(iterator, references).stream,
            streams,
            "{iterator} {references:?}"
        );
    }
}

const COMPANIES: &str = r#"<companies>
  <company id="25"><name>TechCorp</name>
    <departments><department><name>Engineering</name>
      <employees><employee><name>Bob</name><skills><skill>AWS</skill><skill>SQL</skill></skills></employee></employees>
    </department><department><name>Marketing</name></department></departments>
  </company>
  <company id="35"><name>InnovateX</name><departments><department><name>Sales</name></department></departments></company>
</companies>"#;

#[test]
fn streamed_records_see_their_ancestors_attributes() {
    // RMLSTC0012a/b/c/e.
    let records = read(
        COMPANIES,
        &[
            (Some("/companies/company"), &["@id", "name"]),
            (
                Some("/companies/company/departments"),
                &["../@id", "department/name"],
            ),
            (
                Some("/companies/company/departments/department/employees"),
                &["../../../@id", "employee/name"],
            ),
            (
                Some("/companies/company/departments/department/employees/employee"),
                &["name", "skills/skill"],
            ),
        ],
    )
    .unwrap();
    let by_spec = |index: usize| -> Vec<Vec<String>> {
        records
            .iter()
            .filter(|(spec, _)| *spec == index)
            .map(|(_, values)| values.iter().map(|value| value.join("|")).collect())
            .collect()
    };
    assert_eq!(
        by_spec(0),
        vec![vec!["25", "TechCorp"], vec!["35", "InnovateX"]]
    );
    assert_eq!(
        by_spec(1),
        vec![vec!["25", "Engineering|Marketing"], vec!["35", "Sales"]]
    );
    assert_eq!(by_spec(2), vec![vec!["25", "Bob"]]);
    assert_eq!(by_spec(3), vec![vec!["Bob", "AWS|SQL"]]);
    // Document order across iterators: a company before its departments.
    let order: Vec<usize> = records.iter().map(|(spec, _)| *spec).collect();
    assert_eq!(order, vec![0, 1, 2, 3, 0, 1]);
}

#[test]
fn nested_matches_are_all_records() {
    let records = read(
        "<a><c n='1'><c n='2'/></c><c n='3'/></a>",
        &[(Some("//c"), &["@n"])],
    )
    .unwrap();
    let values: Vec<String> = records
        .into_iter()
        .map(|(_, values)| values[0].join(""))
        .collect();
    assert_eq!(values, vec!["1", "2", "3"]);
}

#[test]
fn entities_text_and_cdata_are_decoded() {
    let records = read(
        "<a><b x='&lt;&#65;&quot;'>A &amp; B<![CDATA[ <raw> ]]>&#x263A;</b></a>",
        &[(Some("/a/b"), &["@x", "."])],
    )
    .unwrap();
    assert_eq!(
        records[0].1,
        vec![
            vec!["<A\"".to_owned()],
            vec!["A & B <raw> \u{263A}".to_owned()]
        ]
    );
}

#[test]
fn entity_declarations_are_refused() {
    let billion_laughs = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"#;
    let external = r#"<?xml version="1.0"?><!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]><foo>&xxe;</foo>"#;
    let parameter =
        r#"<!DOCTYPE foo [ <!entity % p SYSTEM "http://example.org/x.dtd"> %p; ]><foo/>"#;
    for input in [billion_laughs, external, parameter] {
        for iterator in ["/lolz", "/"] {
            let error = read(input, &[(Some(iterator), &["."])]).unwrap_err();
            assert!(matches!(error, PayloadError::Refused { .. }), "{error:?}");
        }
    }
    // An undeclared entity is an error, never expanded nor fetched.
    let error = read(
        "<!DOCTYPE a SYSTEM \"a.dtd\"><a><b>&ext;</b></a>",
        &[(Some("/a/b"), &["."])],
    )
    .unwrap_err();
    assert!(matches!(error, PayloadError::Syntax { .. }), "{error:?}");
}

#[test]
fn malformed_documents_are_syntax_errors_with_a_line() {
    for (input, iterator) in [
        ("<a>\n<b>\n</a>", "/a/b"),
        ("<a>\n<b>\n</a>", "/"),
        ("<a>\n<b>", "/a/b"),
        ("<a>\n<b>", "/"),
        ("<a>\n<x:b/></a>", "/a"),
    ] {
        let error = read(input, &[(Some(iterator), &["."])]).unwrap_err();
        match error {
            PayloadError::Syntax { line, .. } => {
                assert!(line >= 2, "{input:?} {iterator}: line {line}")
            }
            other => panic!("{input:?} {iterator}: {other:?}"),
        }
    }
}

#[test]
fn bad_xpath_is_reported_before_reading() {
    let specs = [IteratorSpec {
        iterator: Some("/a/undeclared:b".to_owned()),
        references: vec!["c[".to_owned()],
    }];
    assert_eq!(crate::pipeline::payload::check(&format(), &specs).len(), 2);
}
