//! RDF files on disk: the format from a file name (`.gz` peeled off), and a reader that
//! decompresses transparently. Shared by `load`, `dump` and the ontology loader.

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
