use super::JsonPlan;
use crate::pipeline::payload::reader::collect;
use crate::pipeline::payload::{
    IteratorSpec, PayloadError, PayloadFormat, ReadError, read_records,
};

type Records = Vec<(usize, Vec<Vec<String>>)>;

fn json(input: &str, specs: &[(Option<&str>, &[&str])]) -> Records {
    collect(&PayloadFormat::Json, input.as_bytes(), specs).unwrap()
}

fn values(list: &[&str]) -> Vec<String> {
    list.iter().map(|value| (*value).to_owned()).collect()
}

fn streams(iterators: &[&str]) -> bool {
    let specs: Vec<IteratorSpec> = iterators
        .iter()
        .map(|iterator| IteratorSpec {
            iterator: Some((*iterator).to_owned()),
            references: Vec::new(),
        })
        .collect();
    let plan = JsonPlan::compile(&specs, true, &mut Vec::new()).unwrap();
    plan.stream_prefix.is_some()
}

#[test]
fn iterators_of_one_array_step_stream_and_others_do_not() {
    for (iterators, expected) in [
        (&["$[*]"][..], true),
        (&["$.*"], true),
        (&["$.persons[*]"], true),
        (&["$.a.b[*].c[*]"], true),
        (&["$[?(@.age > 3)]"], true),
        (&["$.a[*]", "$.a[*].b"], true),
        (&["$.a[*]", "$.b[*]"], false),
        (&["$"], false),
        (&["$[0]"], false),
        (&["$..a"], false),
        (&["$[?(@.x == $.y)]"], false),
    ] {
        assert_eq!(streams(iterators), expected, "{iterators:?}");
    }
}

#[test]
fn values_follow_the_conformance_cases() {
    // RMLTC0013a: null is no value; RMLTC0025a/c: arrays give one value per element;
    // RMLSTC0011b/c: paths through arrays inside the record.
    let input = r#"{"persons": [
        {"ID": "1", "Name": "Alice", "DateOfBirth": null, "amounts": [30, 40.5], "ok": true,
         "departments": [{"name": "E", "employees": [{"name": "Bob"}, {"name": "Eve"}]}, {"name": "M"}],
         "location": {"city": "Ghent"}},
        {"ID": 2, "Name": "Bob", "DateOfBirth": "September, 2010"}
    ]}"#;
    let references: &[&str] = &[
        "$.ID",
        "Name",
        "$.DateOfBirth",
        "$.amounts[*]",
        "amounts",
        "ok",
        "$.departments[*].name",
        "departments[*].employees[*].name",
        "location",
        "$.missing",
    ];
    let records = json(input, &[(Some("$.persons[*]"), references)]);
    assert_eq!(records.len(), 2);
    let first = &records[0].1;
    assert_eq!(first[0], values(&["1"]));
    assert_eq!(first[1], values(&["Alice"]));
    assert!(first[2].is_empty());
    assert_eq!(first[3], values(&["30:Integer", "40.5:Double"]));
    assert_eq!(first[4], first[3]);
    assert_eq!(first[5], values(&["true:Boolean"]));
    assert_eq!(first[6], values(&["E", "M"]));
    assert_eq!(first[7], values(&["Bob", "Eve"]));
    assert!(first[8].is_empty(), "an object has no literal value");
    assert!(first[9].is_empty());
    let second = &records[1].1;
    assert_eq!(second[0], values(&["2:Integer"]));
    assert_eq!(second[2], values(&["September, 2010"]));
}

#[test]
fn streamed_and_whole_document_readings_agree() {
    let input = r#"{"meta": {"skip": [1, 2, {"a": [3]}]}, "data": {"items": [
        {"id": 1, "tags": ["x", "y"], "n": 5}, {"id": 2, "tags": [], "n": 1}, 7, "s", null,
        {"id": 3, "tags": ["z"], "n": 9}]}, "after": true}"#;
    let streamed = json(
        input,
        &[
            (Some("$.data.items[*]"), &["id"]),
            (Some("$.data.items[?(@.n > 4)]"), &["id"]),
            (Some("$.data.items[*].tags[*]"), &["$"]),
        ],
    );
    // A `$[0]`-style iterator turns streaming off for the whole source.
    let whole = json(
        input,
        &[
            (Some("$.data.items[*]"), &["id"]),
            (Some("$.data.items[?(@.n > 4)]"), &["id"]),
            (Some("$.data.items[*].tags[*]"), &["$"]),
            (Some("$.data.items[0]"), &["id"]),
        ],
    );
    let mut sorted = streamed.clone();
    sorted.sort_by_key(|(index, _)| *index);
    assert_eq!(sorted, whole[..sorted.len()].to_vec());
    assert_eq!(streamed.iter().filter(|(index, _)| *index == 0).count(), 6);
    assert_eq!(
        streamed
            .iter()
            .filter(|(index, _)| *index == 1)
            .map(|(_, v)| v[0].clone())
            .collect::<Vec<_>>(),
        vec![values(&["1:Integer"]), values(&["3:Integer"])]
    );
    assert_eq!(streamed.iter().filter(|(index, _)| *index == 2).count(), 3);
}

#[test]
fn the_default_iterator_is_the_document_root() {
    let records = json(r#"{"a": 1}"#, &[(None, &["a"])]);
    assert_eq!(records, vec![(0, vec![values(&["1:Integer"])])]);
}

#[test]
fn a_missing_stream_target_gives_no_records() {
    assert!(json(r#"{"other": [1]}"#, &[(Some("$.persons[*]"), &["a"])]).is_empty());
    assert!(json(r#"[]"#, &[(Some("$[*]"), &["a"])]).is_empty());
    assert!(json(r#"{"persons": 3}"#, &[(Some("$.persons[*]"), &["a"])]).is_empty());
}

#[test]
fn syntax_errors_carry_line_and_column_in_both_modes() {
    for iterator in ["$[*]", "$"] {
        let error = collect(
            &PayloadFormat::Json,
            b"[\n  {\"a\": 1},\n  {\"a\" 2}\n]",
            &[(Some(iterator), &["a"])],
        )
        .unwrap_err();
        match error {
            PayloadError::Syntax { line, column, .. } => {
                assert_eq!((line, column), (3, 8), "{iterator}")
            }
            other => panic!("{other:?}"),
        }
    }
    let trailing = collect(&PayloadFormat::Json, b"[1] [2]", &[(Some("$[*]"), &["a"])]);
    assert!(matches!(trailing, Err(PayloadError::Syntax { .. })));
}

#[test]
fn json_lines_apply_iterators_to_each_line() {
    let input = b"{\"id\": 1, \"v\": [1, 2]}\n\n{\"id\": 2, \"v\": []}\r\n{\"id\": 3}";
    let records = collect(
        &PayloadFormat::JsonLines,
        input,
        &[(None, &["id"]), (Some("$.v[*]"), &["$"])],
    )
    .unwrap();
    let indexes: Vec<usize> = records.iter().map(|(index, _)| *index).collect();
    assert_eq!(indexes, vec![0, 1, 1, 0, 0]);
    let error = collect(
        &PayloadFormat::JsonLines,
        b"{}\n{\"a\":}\n",
        &[(None, &["a"])],
    )
    .unwrap_err();
    assert!(
        matches!(error, PayloadError::Syntax { line: 2, .. }),
        "{error:?}"
    );
}

#[test]
fn a_visitor_error_stops_the_stream_and_is_told_apart() {
    let specs = vec![IteratorSpec {
        iterator: Some("$[*]".to_owned()),
        references: vec![],
    }];
    let mut seen = 0;
    let result = read_records(&PayloadFormat::Json, &b"[1, 2, 3, 4"[..], &specs, |_, _| {
        seen += 1;
        if seen == 2 { Err("sink full") } else { Ok(()) }
    });
    assert!(matches!(result, Err(ReadError::Visit("sink full"))));
    assert_eq!(seen, 2);
}

#[test]
fn bad_iterators_and_references_are_reported_before_reading() {
    let specs = vec![IteratorSpec {
        iterator: Some("$.a[".to_owned()),
        references: vec!["b[?".to_owned(), "ok".to_owned()],
    }];
    let problems = crate::pipeline::payload::check(&PayloadFormat::Json, &specs);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(matches!(problems[0], PayloadError::InvalidReference { .. }));
    assert!(matches!(problems[1], PayloadError::InvalidIterator { .. }));
}

#[test]
fn a_large_top_level_array_is_read_element_by_element() {
    let mut input = String::from("[");
    for index in 0..100_000 {
        if index > 0 {
            input.push(',');
        }
        input.push_str(&format!(
            "{{\"id\":{index},\"name\":\"n{index}\",\"x\":{{\"y\":[1,2]}}}}"
        ));
    }
    input.push(']');
    let specs = vec![IteratorSpec {
        iterator: Some("$[*]".to_owned()),
        references: vec!["id".to_owned(), "name".to_owned()],
    }];
    let mut count = 0_usize;
    read_records(
        &PayloadFormat::Json,
        input.as_bytes(),
        &specs,
        |_, record| {
            let mut out = Vec::new();
            record.values(1, &mut out);
            assert_eq!(out.len(), 1);
            count += 1;
            Ok::<(), ()>(())
        },
    )
    .unwrap();
    assert_eq!(count, 100_000);
}

#[test]
fn top_level_arrays_are_split_by_the_byte_scanner_like_serde_reads_them() {
    // Strings with escaped quotes and brackets, nesting, scalars, whitespace and a BOM: the
    // scanner must cut exactly where serde would.
    let input = "\u{feff} [ {\"id\": \"a\\\"]}[\", \"n\": [1, [2]]} ,\n 7, \"s]\" , true, null, -1.5e3,{\"id\":\"b\"} ]  ";
    let streamed = json(input, &[(Some("$[*]"), &["id", "$"])]);
    let whole = json(input, &[(Some("$[*]"), &["id", "$"]), (Some("$[0]"), &[])]);
    let whole: Records = whole.into_iter().filter(|(i, _)| *i == 0).collect();
    assert_eq!(streamed, whole);
    assert_eq!(streamed.len(), 7);
    assert_eq!(streamed[0].1[0], values(&["a\"]}["]));
    assert_eq!(streamed[6].1[0], values(&["b"]));
    assert!(json("[]", &[(Some("$[*]"), &["id"])]).is_empty());
}

#[test]
fn the_byte_scanner_reports_errors_at_their_place_in_the_document() {
    let cases: &[(&str, u64)] = &[
        ("[\n {\"id\": 1},\n {\"id\": ,}\n]", 3),
        ("[{\"id\": 1}", 1),
        ("[{\"id\": 1}] x", 1),
        ("[1 2]", 1),
    ];
    for (input, line) in cases {
        let error = collect(
            &PayloadFormat::Json,
            input.as_bytes(),
            &[(Some("$[*]"), &["id"][..])],
        )
        .unwrap_err();
        match error {
            PayloadError::Syntax { line: got, .. } => assert_eq!(got, *line, "{input}"),
            other => panic!("{input}: {other:?}"),
        }
    }
}

fn streams_with(specs: &[(&str, &[&str])]) -> bool {
    let specs: Vec<IteratorSpec> = specs
        .iter()
        .map(|(iterator, references)| IteratorSpec {
            iterator: Some((*iterator).to_owned()),
            references: references.iter().map(|r| (*r).to_owned()).collect(),
        })
        .collect();
    let plan = JsonPlan::compile(&specs, true, &mut Vec::new()).unwrap();
    plan.stream_prefix.is_some()
}

const UPLINK: &str = r#"{"ids": {"dev": "d1"}, "up": {"time": "2023-05-19T05:33:35Z",
    "decoded": {"Temperature": 20.5, "Battery Status": "Good", "n": null, "list": [1, 2]}}}"#;

#[test]
fn tilde_gives_the_member_name_of_each_record_streamed_or_not() {
    // Streamed (references stay in the record) and whole-document (a `$[0]`-style iterator on
    // the side) readings give the same names and values.
    let references: &[&str] = &["~", "@", "$"];
    let streamed = json(UPLINK, &[(Some("$.up.decoded.*"), references)]);
    let whole = json(
        UPLINK,
        &[
            (Some("$.up.decoded.*"), references),
            (Some("$.ids"), &["~"]),
        ],
    );
    // Member order is the document's or sorted, depending on the reader: compare as sets.
    let mut expected = vec![
        (
            0,
            vec![
                values(&["Temperature"]),
                values(&["20.5:Double"]),
                values(&["20.5:Double"]),
            ],
        ),
        (
            0,
            vec![
                values(&["Battery Status"]),
                values(&["Good"]),
                values(&["Good"]),
            ],
        ),
        (0, vec![values(&["n"]), vec![], vec![]]),
        (
            0,
            vec![
                values(&["list"]),
                values(&["1:Integer", "2:Integer"]),
                values(&["1:Integer", "2:Integer"]),
            ],
        ),
    ];
    expected.sort();
    let mut streamed = streamed;
    streamed.sort();
    assert_eq!(streamed, expected);
    let mut whole_first = whole[..4].to_vec();
    whole_first.sort();
    assert_eq!(whole_first, expected);
    assert_eq!(whole[4], (1, vec![values(&["ids"])]));
}

#[test]
fn tilde_gives_array_indexes_and_nothing_for_the_document_root() {
    for input in [r#"[{"a": 1}, {"a": 2}]"#, r#"{"x": [{"a": 1}, {"a": 2}]}"#] {
        let iterator = if input.starts_with('[') {
            "$[*]"
        } else {
            "$.x[*]"
        };
        let records = json(input, &[(Some(iterator), &["~", "a"])]);
        assert_eq!(
            records,
            vec![
                (0, vec![values(&["0:Integer"]), values(&["1:Integer"])]),
                (0, vec![values(&["1:Integer"]), values(&["2:Integer"])]),
            ],
            "{input}"
        );
    }
    let sliced = json(
        r#"{"x": [5, 6, 7, 8]}"#,
        &[(Some("$.x[1:4:2]"), &["~", "@"])],
    );
    assert_eq!(
        sliced,
        vec![
            (0, vec![values(&["1:Integer"]), values(&["6:Integer"])]),
            (0, vec![values(&["3:Integer"]), values(&["8:Integer"])]),
        ]
    );
    assert_eq!(
        json(r#"{"a": 1}"#, &[(None, &["~"])]),
        vec![(0, vec![vec![]])]
    );
}

#[test]
fn carets_climb_to_the_envelope_and_turn_streaming_off() {
    let references: &[&str] = &[
        "~",
        "^^.time",
        "^^^.ids.dev",
        "^~",
        "^^^^.ids.dev",
        "^^['time']",
    ];
    assert!(!streams_with(&[("$.up.decoded.*", references)]));
    assert!(streams_with(&[("$.up.decoded.*", &["~", "@"])]));
    let records = json(UPLINK, &[(Some("$.up.decoded[?@ == 'Good']"), references)]);
    assert_eq!(
        records,
        vec![(
            0,
            vec![
                values(&["Battery Status"]),
                values(&["2023-05-19T05:33:35Z"]),
                values(&["d1"]),
                values(&["decoded"]),
                vec![],
                values(&["2023-05-19T05:33:35Z"]),
            ]
        )]
    );
    // In JSON Lines every line is its own document.
    let lines = format!(
        "{}\n{}\n",
        UPLINK.replace('\n', " "),
        UPLINK.replace('\n', " ").replace("d1", "d2")
    );
    let records = collect(
        &PayloadFormat::JsonLines,
        lines.as_bytes(),
        &[(Some("$.up.decoded.Temperature"), &["^^^.ids.dev", "~"])],
    )
    .unwrap();
    assert_eq!(
        records,
        vec![
            (0, vec![values(&["d1"]), values(&["Temperature"])]),
            (0, vec![values(&["d2"]), values(&["Temperature"])]),
        ]
    );
}

#[test]
fn references_with_bad_paths_after_carets_are_refused() {
    for reference in ["^^.", "^[", "@.", "^^.a[?"] {
        let specs = [IteratorSpec {
            iterator: Some("$".to_owned()),
            references: vec![reference.to_owned()],
        }];
        let mut problems = Vec::new();
        assert!(
            JsonPlan::compile(&specs, true, &mut problems).is_none(),
            "{reference}"
        );
        assert!(matches!(
            problems.as_slice(),
            [PayloadError::InvalidReference { .. }]
        ));
    }
}
