use crate::pipeline::payload::reader::collect;
use crate::pipeline::payload::source::CsvDialect;
use crate::pipeline::payload::{PayloadError, PayloadFormat};

type Records = Vec<(usize, Vec<Vec<String>>)>;

fn csv(dialect: CsvDialect, input: &str, references: &[&str]) -> Result<Records, PayloadError> {
    collect(
        &PayloadFormat::Csv(dialect),
        input.as_bytes(),
        &[(None, references)],
    )
}

fn rows(records: &Records) -> Vec<Vec<String>> {
    records
        .iter()
        .map(|(_, values)| values.iter().map(|value| value.join("|")).collect())
        .collect()
}

#[test]
fn rows_are_read_with_the_dialect_options() {
    let standard = CsvDialect::default();
    let semicolon = CsvDialect {
        delimiter: b';',
        quote: b'\'',
        ..CsvDialect::default()
    };
    let trimmed = CsvDialect {
        trim: true,
        ..CsvDialect::default()
    };
    type Case<'a> = (CsvDialect, &'a str, &'a [&'a str], &'a [&'a [&'a str]]);
    let cases: &[Case<'_>] = &[
        (
            standard.clone(),
            "ID,Name\n10,Venus\n20,\"Demi, \"\"M\"\"\"\n",
            &["Name", "ID"],
            &[&["Venus", "10"], &["Demi, \"M\"", "20"]],
        ),
        (
            standard.clone(),
            "\u{feff}ID,Name\r\n1,a\r\n",
            &["ID"],
            &[&["1"]],
        ),
        (
            standard.clone(),
            "ID,Sport,Name\n20,,Demi\n",
            &["Sport", "Name"],
            &[&["", "Demi"]],
        ),
        (
            standard.clone(),
            "Country Code,Name\nBE,\"multi\nline\"\n",
            &["Country Code", "Name"],
            &[&["BE", "multi\nline"]],
        ),
        (standard.clone(), "ID\n", &["ID"], &[]),
        (semicolon, "a;b\n'x;y';2\n", &["a", "b"], &[&["x;y", "2"]]),
        (trimmed, " a , b \n 1 , 2 \n", &["a", "b"], &[&["1", "2"]]),
    ];
    for (dialect, input, references, expected) in cases {
        let records = csv(dialect.clone(), input, references).unwrap();
        let expected: Vec<Vec<String>> = expected
            .iter()
            .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
            .collect();
        assert_eq!(rows(&records), expected, "{input:?}");
    }
}

#[test]
fn a_reference_to_a_column_not_in_the_header_is_an_error() {
    // RMLTC0002e-CSV.
    let error = csv(CsvDialect::default(), "ID,Name\n10,Venus\n", &["IDs"]).unwrap_err();
    match error {
        PayloadError::InvalidReference {
            expression,
            message,
        } => {
            assert_eq!(expression, "IDs");
            assert!(message.contains("ID, Name"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Even when the payload has no rows.
    assert!(csv(CsvDialect::default(), "ID,Name\n", &["IDs"]).is_err());
}

#[test]
fn a_row_with_the_wrong_number_of_fields_is_a_syntax_error() {
    // RMLSTC0010b: the invalid row is an error even though every reference is valid.
    let error = csv(
        CsvDialect::default(),
        "id,name,age\n6,Phoebe Buffay 37\n",
        &["id"],
    )
    .unwrap_err();
    assert!(
        matches!(error, PayloadError::Syntax { line: 2, .. }),
        "{error:?}"
    );
}

#[test]
fn without_a_header_columns_are_named_by_number() {
    let dialect = CsvDialect {
        header: false,
        ..CsvDialect::default()
    };
    let records = csv(dialect.clone(), "a,b\nc,d\n", &["2", "_col.1"]).unwrap();
    assert_eq!(rows(&records), vec![vec!["b", "a"], vec!["d", "c"]]);
    assert!(csv(dialect.clone(), "a,b\n", &["3"]).is_err());
    assert!(csv(dialect, "", &["3"]).unwrap().is_empty());
}

#[test]
fn invalid_utf8_is_a_syntax_error() {
    let error = collect(
        &PayloadFormat::Csv(CsvDialect::default()),
        b"a,b\n1,\xff\n",
        &[(None, &["a"])],
    )
    .unwrap_err();
    assert!(
        matches!(
            error,
            PayloadError::Syntax {
                line: 2,
                column: 2,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn every_spec_sees_every_row() {
    let records = collect(
        &PayloadFormat::Csv(CsvDialect::default()),
        b"a,b\n1,2\n3,4\n",
        &[(None, &["a"]), (None, &["b"])],
    )
    .unwrap();
    let order: Vec<usize> = records.iter().map(|(index, _)| *index).collect();
    assert_eq!(order, vec![0, 1, 0, 1]);
}

#[test]
fn an_optional_column_missing_from_the_header_gives_no_value() {
    let dialect = CsvDialect {
        delimiter: b';',
        optional_columns: vec!["P1".to_owned(), "P2".to_owned()],
        ..CsvDialect::default()
    };
    // A DHT22 file has no P1: the reference yields nothing, the other columns still read.
    let records = csv(
        dialect.clone(),
        "sensor_id;temperature\n5332;13.20\n",
        &["sensor_id", "P1", "temperature"],
    )
    .unwrap();
    assert_eq!(
        records,
        vec![(
            0,
            vec![
                vec!["5332".to_owned()],
                Vec::new(),
                vec!["13.20".to_owned()]
            ]
        )]
    );
    // When the file has the optional column, it is read like any other (an empty cell stays "").
    let records = csv(dialect.clone(), "sensor_id;P1\n5331;\n", &["P1"]).unwrap();
    assert_eq!(rows(&records), vec![vec![""]]);
    // Without a header, an optional number past the width gives no value too.
    let headerless = CsvDialect {
        header: false,
        optional_columns: vec!["3".to_owned()],
        ..CsvDialect::default()
    };
    let records = csv(headerless, "a,b\n", &["1", "3"]).unwrap();
    assert_eq!(records, vec![(0, vec![vec!["a".to_owned()], Vec::new()])]);
}

#[test]
fn a_missing_column_that_is_not_declared_optional_is_still_an_error() {
    let dialect = CsvDialect {
        delimiter: b';',
        optional_columns: vec!["P1".to_owned()],
        ..CsvDialect::default()
    };
    // `temperatur` is misspelt: declaring other columns optional does not excuse it.
    let error = csv(
        dialect,
        "sensor_id;temperature\n5332;13.20\n",
        &["P1", "temperatur"],
    )
    .unwrap_err();
    assert!(
        matches!(&error, PayloadError::InvalidReference { expression, .. } if expression == "temperatur"),
        "{error:?}"
    );
}
