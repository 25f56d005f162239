//! RDF files on disk: the format from a file name (`.gz` peeled off), and a reader that
//! decompresses transparently. Shared by `load`, `dump` and the ontology loader. Also the one
//! guard against XML entity declarations, for every XML document citykg reads.

use flate2::read::MultiGzDecoder;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum RdfFileError {
    #[error(
        "{path}: cannot tell the RDF format from the extension (use .ttl, .nt, .nq, .trig, .rdf, .owl, .jsonld, optionally .gz)"
    )]
    UnknownFormat { path: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

/// Whether an XML document declares entities (in a DOCTYPE). Nested entities expand
/// exponentially ("billion laughs") and the RDF/XML parser expands them, so such documents are
/// refused wherever they come from. Looked for without regard to case, and in UTF-16 or UTF-32
/// text too (their NUL bytes dropped before the search).
pub fn declares_xml_entities(bytes: &[u8]) -> bool {
    fn declares(bytes: &[u8]) -> bool {
        memchr::memchr_iter(b'<', bytes).any(|at| {
            bytes
                .get(at..at + 8)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"<!ENTITY"))
        })
    }
    if memchr::memchr(0, bytes).is_some() {
        let narrow: Vec<u8> = bytes.iter().copied().filter(|b| *b != 0).collect();
        return declares(&narrow);
    }
    declares(bytes)
}

/// Arrays and objects one JSON(-LD) document from outside may nest: the JSON-LD parsers
/// recurse once per level (an inline `@context` nested deeply included).
pub const MAX_JSON_DEPTH: usize = 128;

/// Why a document from outside (a request body, a harvested page) is refused before parsing.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(
        "RDF/XML with <!ENTITY> declarations is not accepted (entity expansion is off); inline the values"
    )]
    XmlEntities,
    #[error(
        "the JSON-LD document nests arrays and objects more than {max} deep (line {line}, column {column})"
    )]
    TooDeep { line: u64, column: u64, max: usize },
}

/// Checks a document from outside before an RDF parser sees it: no XML entity declarations,
/// no JSON nested past `MAX_JSON_DEPTH`.
pub fn check_untrusted(format: RdfFormat, bytes: &[u8]) -> Result<(), Refused> {
    match format {
        RdfFormat::RdfXml if declares_xml_entities(bytes) => Err(Refused::XmlEntities),
        RdfFormat::JsonLd { .. } => match json_too_deep(bytes, MAX_JSON_DEPTH) {
            Some(offset) => {
                let (line, column) = line_column(bytes, offset);
                Err(Refused::TooDeep {
                    line,
                    column,
                    max: MAX_JSON_DEPTH,
                })
            }
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

/// The offset of the first `[` or `{` that nests deeper than `max` (strings skipped), if any.
pub fn json_too_deep(bytes: &[u8], max: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}

/// The RDF format of a file and whether it is gzip-compressed, from its name.
pub fn format_of(path: &Path) -> Result<(RdfFormat, bool), RdfFileError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let (name, gzipped) = match name.strip_suffix(".gz") {
        Some(rest) => (rest.to_owned(), true),
        None => (name, false),
    };
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .unwrap_or_default();
    let format = match extension {
        "owl" | "xml" => Some(RdfFormat::RdfXml),
        "json" => Some(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
        other => RdfFormat::from_extension(other),
    };
    format
        .map(|f| (f, gzipped))
        .ok_or_else(|| RdfFileError::UnknownFormat {
            path: path.display().to_string(),
        })
}

/// Opens `path` for reading, decompressing it when `gzipped`.
pub fn open(path: &Path, gzipped: bool) -> Result<Box<dyn Read + Send>, RdfFileError> {
    let file = File::open(path).map_err(|source| RdfFileError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let reader = BufReader::with_capacity(1 << 16, file);
    Ok(if gzipped {
        Box::new(MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_declarations_are_found_in_any_case_and_encoding() {
        let text = "<?xml version=\"1.0\"?><!DOCTYPE r [ <!Entity a \"b\"> ]><r/>";
        assert!(declares_xml_entities(text.as_bytes()));
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(declares_xml_entities(&utf16));
        let utf16be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert!(declares_xml_entities(&utf16be));
        assert!(!declares_xml_entities(
            b"<?xml version=\"1.0\"?><r>ENTITY &amp;</r>"
        ));
    }

    #[test]
    fn deep_json_ld_is_refused_with_its_place() {
        let deep = format!("{{\"@context\": {}1{}}}", "[".repeat(200), "]".repeat(200));
        match check_untrusted(
            RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            },
            deep.as_bytes(),
        ) {
            Err(Refused::TooDeep { line, column, .. }) => assert_eq!((line, column), (1, 13 + 128)),
            other => panic!("expected TooDeep, got {other:?}"),
        }
        let in_strings = format!("{{\"a\": \"{}\"}}", "[".repeat(200));
        assert!(
            check_untrusted(
                RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty()
                },
                in_strings.as_bytes()
            )
            .is_ok()
        );
        assert!(check_untrusted(RdfFormat::Turtle, deep.as_bytes()).is_ok());
    }

    #[test]
    fn formats_come_from_extensions_with_optional_gzip() {
        for (name, format, gz) in [
            ("a.ttl", RdfFormat::Turtle, false),
            ("a.nt.gz", RdfFormat::NTriples, true),
            ("dir/A.NQ", RdfFormat::NQuads, false),
            ("a.trig", RdfFormat::TriG, false),
            ("a.rdf", RdfFormat::RdfXml, false),
            ("a.owl", RdfFormat::RdfXml, false),
        ] {
            assert_eq!(format_of(Path::new(name)).unwrap(), (format, gz), "{name}");
        }
        assert!(matches!(
            format_of(Path::new("a.jsonld")).unwrap().0,
            RdfFormat::JsonLd { .. }
        ));
        assert!(format_of(Path::new("a.csv")).is_err());
        assert!(format_of(Path::new("noext")).is_err());
    }
}
