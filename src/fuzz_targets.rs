//! One function per fuzz target: bytes in, through the service's own entry point exactly as a
//! request body, an uploaded file or a fetched page reaches it. Results are ignored; only a
//! panic, an abort, a hang or unbounded allocation is a bug. The coverage-guided fuzzers in
//! `fuzz/` and the mutation test in `tests/fuzz/` both call these, and nothing else does.
//!
//! Inputs with two parts (an expression and a record, shapes and data) are split on the first
//! `0xFF` byte, which never occurs in UTF-8 text; without one, the second part is a fixed
//! sample. Inputs that need a format choose it with their first byte (modulo the choices).

use std::io::Cursor;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, NamedNodeRef, Triple};

use crate::catalogue::harvest::fetch::Fetched;
use crate::catalogue::use_cases::InputSyntax;
use crate::core::config::{AllowList, BaseIri};
use crate::pipeline::mapping::check::Purpose;
use crate::pipeline::mapping::{Syntax, check};
use crate::pipeline::payload::source::{Compression, CsvDialect};
use crate::pipeline::payload::{IteratorSpec, PayloadFormat, Record, Value, read_records};
use crate::standards::shacl::Shapes;
use crate::standards::sparql::{ProtocolDataset, RunOptions};

/// One fuzz target: bytes in, nothing out.
pub type Target = fn(&[u8]);

/// Every target by name, for the runners that go through all of them.
pub const TARGETS: &[(&str, Target)] = &[
    ("sparql_query", sparql_query),
    ("sparql_update", sparql_update),
    ("rml", rml),
    ("yarrrml", yarrrml),
    ("jsonpath", jsonpath),
    ("xpath", xpath),
    ("json_reader", json_reader),
    ("csv_reader", csv_reader),
    ("xml_reader", xml_reader),
    ("decompress", decompress),
    ("kit_archive", kit_archive),
    ("kit_manifest", kit_manifest),
    ("jsonld", jsonld),
    ("shacl", shacl),
    ("multipart", multipart),
    ("harvest_page", harvest_page),
    ("graph_store", graph_store),
    ("wkt", wkt),
    ("ngsi_ld_entity", ngsi_ld_entity),
    ("ngsi_ld_query", ngsi_ld_query),
];

const BASE: &str = "http://localhost:7878/";
const SAMPLE_JSON: &[u8] =
    br#"{"a": [{"b": 1, "c": [true, null, 2.5e3, "x"]}, {"b": "s", "d": {"e": -0}}], "f": "g"}"#;
const SAMPLE_XML: &[u8] =
    br#"<?xml version="1.0"?><a xmlns:ex="http://example.org/" id="1"><b x="y">t<ex:c>2</ex:c></b><b/></a>"#;
const SAMPLE_DATA: &str = "@prefix ex: <http://example.org/> .\n\
    ex:a a ex:C ; ex:p \"x\" , 1 ; ex:q ex:b .\n\
    ex:b a ex:C ; ex:p \"y\"@en ; ex:q [ ex:p 2.5 ] .\n";

/// `data` cut at its first `0xFF`: (before, Some(after)), or (data, None).
pub fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(at) => (&data[..at], Some(&data[at + 1..])),
        None => (data, None),
    }
}

/// The first byte as a choice among `count`, and the rest.
fn choose(data: &[u8], count: usize) -> (usize, &[u8]) {
    match data.split_first() {
        Some((&first, rest)) => (usize::from(first) % count, rest),
        None => (0, data),
    }
}

fn base() -> Option<BaseIri> {
    BaseIri::parse(BASE).ok()
}

/// A SPARQL query as `GET`/`POST /sparql` parse it: nesting scan, parse, policy.
pub fn sparql_query(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crate::standards::sparql::parse_query(text, Some(BASE), &AllowList::default());
    }
}

/// A SPARQL update as `POST /update` parses it, with the protocol's dataset rules.
pub fn sparql_update(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let allow = AllowList::default();
        let options = RunOptions {
            allow: &allow,
            cancel: None,
            timeout: None,
        };
        let _ = crate::standards::sparql::parse_update(
            text,
            Some(BASE),
            &ProtocolDataset::default(),
            &options,
        );
    }
}

fn mapping(data: &[u8], syntax: Syntax) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(mapping) = crate::pipeline::mapping::parse(text, syntax, Some(BASE)) {
        let _ = check::check(mapping, Purpose::Run);
    }
}

/// An RML Turtle mapping as the registry reads it: parse, then every check.
pub fn rml(data: &[u8]) {
    mapping(data, Syntax::Rml);
}

/// A YARRRML mapping as the registry reads it: parse, then every check.
pub fn yarrrml(data: &[u8]) {
    mapping(data, Syntax::Yarrrml);
}

/// Reads `payload` with `specs` and asks every record for the values of every reference, as the
/// engine does.
fn read(format: &PayloadFormat, specs: &[IteratorSpec], payload: &[u8]) {
    let _ = read_records(format, payload, specs, |index, record: &dyn Record| {
        let count = specs.get(index).map_or(0, |spec| spec.references.len());
        for reference in 0..count {
            let mut values: Vec<Value<'_>> = Vec::new();
            record.values(reference, &mut values);
        }
        Ok::<(), std::convert::Infallible>(())
    });
}

fn spec(iterator: Option<&str>, references: &[&str]) -> IteratorSpec {
    IteratorSpec {
        iterator: iterator.map(str::to_owned),
        references: references.iter().map(|r| (*r).to_owned()).collect(),
    }
}

/// An expression used both as the iterator and as a reference over one record.
fn expression(format: &PayloadFormat, data: &[u8], sample: &[u8]) {
    let (expression, payload) = split(data);
    let Ok(expression) = std::str::from_utf8(expression) else {
        return;
    };
    let payload = payload.unwrap_or(sample);
    read(format, &[spec(Some(expression), &["."])], payload);
    read(format, &[spec(None, &[expression])], payload);
}

/// A JSONPath iterator and reference (`expression 0xFF json`), compiled and evaluated.
pub fn jsonpath(data: &[u8]) {
    expression(&PayloadFormat::Json, data, SAMPLE_JSON);
}

/// An XPath iterator and reference (`expression 0xFF xml`), compiled and evaluated with the
/// prefix `ex`.
pub fn xpath(data: &[u8]) {
    let format = PayloadFormat::Xml {
        namespaces: vec![("ex".to_owned(), "http://example.org/".to_owned())],
    };
    expression(&format, data, SAMPLE_XML);
}

/// A JSON or JSON Lines payload (first byte) under the iterators citykg's mappings use:
/// whole-array splitting, streaming under a member path, filters, recursive descent.
pub fn json_reader(data: &[u8]) {
    let (lines, payload) = choose(data, 2);
    let format = if lines == 1 {
        PayloadFormat::JsonLines
    } else {
        PayloadFormat::Json
    };
    let specs = [
        spec(Some("$[*]"), &["id", "a.b[0]", "$"]),
        spec(Some("$.a[*]"), &["b", "c[*]", "~", "^.f"]),
        spec(Some("$..b"), &["$"]),
        spec(Some("$.a[?(@.b > 0)]"), &["c[-1]", "d.e"]),
    ];
    read(&format, &specs, payload);
    read(&format, &specs[..1], payload);
}

/// A CSV payload; the first byte picks the delimiter, header and trim options.
pub fn csv_reader(data: &[u8]) {
    let (options, payload) = choose(data, 8);
    let dialect = CsvDialect {
        delimiter: if options & 1 == 0 { b',' } else { b';' },
        header: options & 2 == 0,
        trim: options & 4 != 0,
        optional_columns: vec!["opt".to_owned()],
        ..CsvDialect::default()
    };
    let specs = [spec(None, &["a", "b", "opt"])];
    read(&PayloadFormat::Csv(dialect.clone()), &specs, payload);
    let specs = [spec(None, &["0", "1"])];
    read(&PayloadFormat::Csv(dialect), &specs, payload);
}

/// An XML payload under a streamed iterator with attribute, text, parent and namespaced
/// references, and under the document root.
pub fn xml_reader(data: &[u8]) {
    let format = PayloadFormat::Xml {
        namespaces: vec![("ex".to_owned(), "http://example.org/".to_owned())],
    };
    let specs = [
        spec(Some("/a/b"), &["@x", ".", "../@id", "ex:c", "text()"]),
        spec(Some("//b"), &["@x"]),
        spec(Some("/"), &["a/b[2]", "//b/text()"]),
    ];
    read(&format, &specs, data);
}

/// A compressed payload or reference file (first byte: gzip, zip, tar.gz, tar.xz), read to the
/// end under a 1 MiB limit.
pub fn decompress(data: &[u8]) {
    let (choice, bytes) = choose(data, 4);
    let compression = [
        Compression::Gzip,
        Compression::Zip,
        Compression::TarGzip,
        Compression::TarXz,
    ][choice];
    let input = Cursor::new(bytes.to_vec());
    if let Ok(mut reader) = crate::pipeline::payload::resolve::decompress(
        input,
        compression,
        "fuzz".as_ref(),
        Some(1 << 20),
    ) {
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
    }
}

/// A kit archive as `POST /use-cases/{id}/kit` reads it: tar.gz, entry checks, manifest.
pub fn kit_archive(data: &[u8]) {
    let _ = crate::catalogue::kits::Kit::from_archive(
        data,
        crate::catalogue::kits::ArchiveLimits::default(),
    );
}

/// A kit manifest: the bytes as `manifest.json` of an otherwise well-formed archive.
pub fn kit_manifest(data: &[u8]) {
    let mut files = crate::catalogue::kits::Files::new();
    files.insert(crate::catalogue::kits::MANIFEST.to_owned(), data.to_vec());
    files.insert(
        crate::catalogue::kits::USE_CASE_TURTLE.to_owned(),
        SAMPLE_DATA.as_bytes().to_vec(),
    );
    if let Ok(archive) = crate::catalogue::kits::archive::write(&files) {
        let _ = crate::catalogue::kits::Kit::from_archive(
            &archive,
            crate::catalogue::kits::ArchiveLimits::default(),
        );
    }
}

/// A JSON-LD use case as `PUT /use-cases/{id}` reads it (citykg's context from memory).
pub fn jsonld(data: &[u8]) {
    if let (Ok(text), Some(base)) = (std::str::from_utf8(data), base()) {
        let _ = crate::catalogue::use_cases::input::parse(text, InputSyntax::JsonLd, &base);
    }
}

/// SHACL shapes in Turtle (`shapes 0xFF data`), compiled and validated against the data (or a
/// small sample graph).
pub fn shacl(data: &[u8]) {
    let (shapes, graph) = split(data);
    let Ok(shapes) = std::str::from_utf8(shapes) else {
        return;
    };
    let Ok(shapes) = Shapes::from_turtle(shapes, Some(BASE)) else {
        return;
    };
    let graph = graph.unwrap_or(SAMPLE_DATA.as_bytes());
    if let Some(graph) = parse_graph(RdfFormat::Turtle, graph) {
        let _ = crate::standards::shacl::validate(&shapes, &graph);
    }
}

/// A Graph Store upload: the first line is the `Content-Type` header, the rest the body, read
/// as `POST /store` reads a multipart body (`request_parts` without the `HttpRequest`: actix's
/// test requests leak a little memory each, which stops a long fuzzing run).
pub fn multipart(data: &[u8]) {
    use crate::edge::http::multipart;
    let (header, body) = match data.iter().position(|&b| b == b'\n') {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let header = actix_web::http::header::HeaderValue::from_bytes(header);
    let content_type = header.as_ref().ok().and_then(|v| v.to_str().ok());
    let Some(boundary) = multipart::boundary(content_type.unwrap_or_default()) else {
        return;
    };
    if !boundary.is_empty() && boundary.len() <= multipart::MAX_BOUNDARY {
        let _ = multipart::parse(body, &boundary);
    }
}

const RDF_FORMATS: [RdfFormat; 6] = [
    RdfFormat::Turtle,
    RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    },
    RdfFormat::RdfXml,
    RdfFormat::NTriples,
    RdfFormat::TriG,
    RdfFormat::NQuads,
];

/// A fetched catalogue page (first byte: Turtle, JSON-LD, RDF/XML, ...) read as DCAT records.
pub fn harvest_page(data: &[u8]) {
    let (choice, body) = choose(data, 3);
    let fetched = Fetched {
        url: "http://catalog.example.org/catalog?page=1".to_owned(),
        format: RDF_FORMATS[choice],
        body: body.to_vec(),
        date: None,
    };
    let known = |term: NamedNodeRef<'_>| term.as_str().starts_with("http://www.w3.org/ns/dcat#");
    let _ = crate::catalogue::harvest::page::read(&fetched, &known);
}

/// An RDF document (first byte: the format) as the Graph Store and `/shacl` read it: the
/// untrusted-document guard, then oxigraph's parser.
pub fn graph_store(data: &[u8]) {
    let (choice, body) = choose(data, RDF_FORMATS.len());
    let _ = parse_graph(RDF_FORMATS[choice], body);
}

fn parse_graph(format: RdfFormat, bytes: &[u8]) -> Option<Graph> {
    crate::core::rdf_file::check_untrusted(format, bytes).ok()?;
    let parser = RdfParser::from_format(format).with_base_iri(BASE).ok()?;
    let mut graph = Graph::new();
    for quad in parser.for_slice(bytes) {
        graph.insert(&Triple::from(quad.ok()?));
    }
    Some(graph)
}

/// A small seeded xorshift and the mutations the no-instrumentation runners make: bit flips,
/// byte replacements, inserts and deletions, splices of another input, repeated brackets.
pub struct XorShift(pub u64);

impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }

    /// `seed` with a few bytes replaced (from `alphabet` or anything), inserted or deleted, or
    /// pure noise.
    pub fn mutate(&mut self, seed: &[u8], alphabet: &[u8]) -> Vec<u8> {
        let mut bytes = if self.below(5) == 0 {
            (0..self.below(64)).map(|_| self.next_u64() as u8).collect()
        } else {
            seed.to_vec()
        };
        for _ in 0..=self.below(4) {
            let at = self.below(bytes.len() + 1);
            let byte = match alphabet.get(self.below(alphabet.len())) {
                Some(&byte) if self.below(2) == 0 => byte,
                _ => self.next_u64() as u8,
            };
            match self.below(3) {
                0 if at < bytes.len() => bytes[at] = byte,
                1 => bytes.insert(at, byte),
                _ if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ => {}
            }
        }
        bytes
    }

    /// One of [`Self::mutate`], a bit flip, a splice of `other` into `seed`, or a bracket
    /// repeated many times (deep nesting is where parsers recurse).
    pub fn mutate_more(&mut self, seed: &[u8], other: &[u8], alphabet: &[u8]) -> Vec<u8> {
        match self.below(6) {
            0 if !seed.is_empty() => {
                let mut bytes = seed.to_vec();
                let at = self.below(bytes.len());
                bytes[at] ^= 1 << self.below(8);
                bytes
            }
            1 => {
                let cut = self.below(seed.len() + 1);
                let from = self.below(other.len() + 1);
                let mut bytes = seed[..cut].to_vec();
                bytes.extend_from_slice(&other[from..]);
                bytes
            }
            2 => {
                let open = [b"(".as_slice(), b"[", b"{", b"<a>", b"- ", b"[[", b"$.."];
                let bracket = open[self.below(open.len())];
                let at = self.below(seed.len() + 1);
                let mut bytes = seed[..at].to_vec();
                for _ in 0..1 + self.below(5000) {
                    bytes.extend_from_slice(bracket);
                }
                bytes.extend_from_slice(&seed[at..]);
                bytes
            }
            _ => self.mutate(seed, alphabet),
        }
    }
}

/// Bytes worth inserting into the inputs of every target: the syntax characters of the
/// formats above.
pub const ALPHABET: &[u8] = b"{}[]()<>\"',:;.@$?*!=&|-_/\\#^~%0\n\r\t \xff";

/// A WKT polygon of a city profile's area: parsed, then points located in it.
pub fn wkt(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(shape) = crate::city::areas::Shape::parse(text) {
        let _ = shape.contains(0.0, 0.0);
        if let Some((x0, y0, x1, y1)) = shape.bounds() {
            let _ = shape.contains((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        }
    }
}

/// An NGSI-LD request body as `POST /entities` (first byte even) or a patch (odd) reads it,
/// then rendered in every format and through RDF and back.
pub fn ngsi_ld_entity(data: &[u8]) {
    use crate::ngsild::context::ActiveContext;
    use crate::ngsild::entity::{Format, Shape, View, parse};
    let Some((&first, body)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let shape = if first % 2 == 0 {
        Shape::Entity
    } else {
        Shape::Fragment
    };
    let core = ActiveContext::core();
    let Ok(entity) = parse(&value, &core, shape, "2026-12-07T00:00:00Z") else {
        return;
    };
    for format in [Format::Normalized, Format::Concise, Format::KeyValues] {
        let view = View {
            context: &core,
            format,
            sys_attrs: true,
            only: None,
            omit: None,
            lang: Some("en"),
        };
        let _ = entity.render(&view);
    }
    if !entity.id.is_empty() {
        let graph = oxigraph::model::GraphName::DefaultGraph;
        let quads = crate::ngsild::rdf::to_quads(&entity, &graph, &core);
        let _ = crate::ngsild::rdf::from_quads(&entity.id, &quads, &core);
    }
}

/// An NGSI-LD `q`, then (after `0xFF`) an entity: the query, the type selector and a geo-query
/// built from the same text are parsed and evaluated on it.
pub fn ngsi_ld_query(data: &[u8]) {
    use crate::ngsild::context::ActiveContext;
    use crate::ngsild::entity::{Shape, parse};
    use crate::ngsild::{geo, query};
    let (text, entity) = split(data);
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let core = ActiveContext::core();
    let sample = br#"{"id": "urn:x:1", "type": ["A", "B"], "a": {"type": "Property", "value": 5, "b": {"type": "Property", "value": "x"}}, "c": {"type": "Property", "value": {"d": [1, "e"]}}, "location": {"type": "GeoProperty", "value": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}}"#;
    let body = entity.unwrap_or(sample);
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
        return;
    };
    let Ok(entity) = parse(&value, &core, Shape::Entity, "2026-12-07T00:00:00Z") else {
        return;
    };
    if let Ok(q) = query::parse_q(text, &core) {
        let _ = query::matches(&q, &entity);
    }
    if let Ok(types) = query::parse_types(text, &core) {
        let _ = query::has_types(&types, &entity);
    }
    let location = "https://uri.etsi.org/ngsi-ld/location".to_owned();
    for (georel, geometry) in [
        ("near;maxDistance==1000", "Point"),
        ("intersects", "Polygon"),
        ("within", "MultiPolygon"),
    ] {
        if let Ok(geo) = geo::GeoQuery::parse(georel, Some(geometry), Some(text), location.clone())
        {
            let _ = geo.matches(&entity);
        }
    }
    let _ = geo::GeoQuery::parse(text, Some("Point"), Some("[1,2]"), location);
}
