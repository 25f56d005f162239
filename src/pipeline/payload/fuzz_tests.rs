//! Random and mutated bytes through every reader and both compilers: errors are fine, panics
//! are not. A fixed seed keeps the run reproducible.

use super::jsonpath::{JsonPath, JsonReference};
use super::reader::{Specs, collect};
use super::xpath::XPath;
use super::{PayloadFormat, resolve};
use crate::fuzz_targets::XorShift;
use crate::pipeline::payload::source::{Compression, CsvDialect};

const ROUNDS: usize = 3000;

#[test]
fn random_payloads_never_panic_a_reader() {
    let mut random = XorShift(0x9E37_79B9_7F4A_7C15);
    let json =
        br#"{"a": [{"b": 1, "c": [true, null, 2.5e3, "x\u00e9"]}, {"b": "s"}], "d": {"e": -0}}"#;
    let xml = br#"<?xml version="1.0"?><a xmlns:ex="http://example.org" id="1"><b x="&lt;">t<![CDATA[c]]><ex:c/>&#65;</b><b/></a>"#;
    let csv = b"a,b,\"c d\"\n1,\"2\"\"\",3\n\xef\xbb\xbf,,\n";
    type Case<'a> = (PayloadFormat, &'a [u8], &'a Specs<'a>, &'a [u8]);
    let cases: [Case<'_>; 6] = [
        (
            PayloadFormat::Json,
            json,
            &[(Some("$.a[*]"), &["b", "c[*]"])],
            b"{}[]\",:0-e.tnufl\\",
        ),
        (
            PayloadFormat::Json,
            json,
            &[
                (Some("$..b"), &["$"]),
                (Some("$.a[?(@.b > 0)]"), &["c[-1]"]),
            ],
            b"{}[]\",:0",
        ),
        (
            PayloadFormat::JsonLines,
            json,
            &[(None, &["a[0].b"])],
            b"{}[]\",:\n",
        ),
        (
            PayloadFormat::Csv(CsvDialect::default()),
            csv,
            &[(None, &["a", "c d"])],
            b",\"\n\r",
        ),
        (
            PayloadFormat::Xml {
                namespaces: vec![("ex".into(), "http://example.org".into())],
            },
            xml,
            &[(Some("/a/b"), &["@x", ".", "../@id", "ex:c"])],
            b"<>/=\"'&;![]?",
        ),
        (
            PayloadFormat::Xml { namespaces: vec![] },
            xml,
            &[(Some("/"), &["a/b[2]", "//b/text()"])],
            b"<>/=\"'&;",
        ),
    ];
    for (format, seed, specs, alphabet) in cases {
        for _ in 0..ROUNDS {
            let input = random.mutate(seed, alphabet);
            let _ = collect(&format, &input, specs);
        }
    }
}

#[test]
fn random_archives_never_panic_the_decompressors() {
    let mut random = XorShift(42);
    let zip_seed = b"PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00\x00\x00\x03\x00\x00\x00\x01\x00\x00\x00aabc";
    for compression in [
        Compression::Gzip,
        Compression::Zip,
        Compression::TarGzip,
        Compression::TarXz,
    ] {
        for _ in 0..300 {
            let input = random.mutate(zip_seed, b"PK\x03\x04\x00");
            let opened = resolve::decompress(
                std::io::Cursor::new(input),
                compression,
                "fuzz".as_ref(),
                Some(1 << 20),
            );
            if let Ok(reader) = opened {
                let _ = resolve::read_all(reader);
            }
        }
    }
}

#[test]
fn random_expressions_never_panic_the_compilers() {
    let mut random = XorShift(7);
    let json_seed = b"$.a[?(@.b == 'x' && !(@.c < 2) || @..d)][1:-1:2]['e\\u00e9'].*";
    let xpath_seed = b"//ex:a[@b='c' and d > 2]/../e[1]/text()";
    let namespaces = [("ex".to_owned(), "http://example.org".to_owned())];
    for _ in 0..ROUNDS {
        let text = random.mutate(json_seed, b"$@.[]()?*:,'\"\\!=<>&|-0u~^");
        let text = String::from_utf8_lossy(&text);
        let _ = JsonPath::parse(&text);
        let _ = JsonPath::reference(&text);
        let _ = JsonReference::parse(&text);
        let text = random.mutate(xpath_seed, b"/@.[]()*:='\"<>!");
        let _ = XPath::parse(&String::from_utf8_lossy(&text), &namespaces);
    }
}
