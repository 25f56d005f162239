//! Vendor payloads in: bytes -> records. The engine only ever asks a record "the values of
//! reference N", so term generation never knows whether the payload was JSON, CSV or XML.
//!
//! A reader is given, for one source, every iterator that triples maps put over it and the
//! references each of them uses; it compiles them once (a bad JSONPath or a CSV column that is
//! not in the header fails here, before any output) and then streams the source once, handing
//! each record to the visitor with the index of the iterator it belongs to.
//!
//! The public face: [`SourceReader::compile`] then [`SourceReader::read`] (or [`read_records`]
//! for both at once), [`check`] to report every bad iterator or reference without a payload, and
//! [`open`] with a [`SourcePolicy`] to get a source's bytes. Readers report what the payload
//! holds: an empty CSV cell is the value `""`; `rml:null` values are the engine's to drop.

use std::borrow::Cow;

use crate::pipeline::payload::source::CsvDialect;

mod csv;
#[cfg(test)]
mod fuzz_tests;
mod json;
pub mod jsonpath;
mod reader;
pub mod resolve;
pub mod source;
pub mod text;
mod xml;
pub mod xpath;

pub use reader::{SourceReader, check, read_records};
pub use resolve::{SourcePolicy, open};

/// How a payload's bytes are to be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadFormat {
    /// One JSON document (records selected by JSONPath iterators).
    Json,
    /// JSON Lines / NDJSON: every line is a document; iterators apply to each line.
    JsonLines,
    Csv(CsvDialect),
    /// XML, with the namespace prefixes XPath expressions may use.
    Xml {
        namespaces: Vec<(String, String)>,
    },
}

/// One iterator over a source and the references the triples maps under it read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IteratorSpec {
    /// `None`: the format's default (CSV rows; for JSON the document root `$`).
    pub iterator: Option<String>,
    /// Reference expressions; `Record::values` is called with an index into this list.
    pub references: Vec<String>,
}

/// The natural type of a value, from which RML-Core derives a literal's default datatype.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    String,
    Integer,
    Double,
    Boolean,
}

/// One value of a reference in a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value<'a> {
    pub text: Cow<'a, str>,
    pub kind: ValueKind,
}

impl<'a> Value<'a> {
    pub fn string(text: impl Into<Cow<'a, str>>) -> Self {
        Self {
            text: text.into(),
            kind: ValueKind::String,
        }
    }
}

/// One record (a CSV row, a JSON node selected by the iterator, an XML element).
pub trait Record {
    /// Appends the values of reference `reference` (an index into the iterator's
    /// `IteratorSpec::references`) to `out`: nothing when absent or null, several when the
    /// reference selects several values (a JSON array, several XML nodes).
    fn values<'r>(&'r self, reference: usize, out: &mut Vec<Value<'r>>);
}

/// An error from the payload side (422 in the service), kept apart from the visitor's own errors.
#[derive(Debug, thiserror::Error)]
pub enum PayloadError {
    #[error("invalid iterator `{expression}`: {message}")]
    InvalidIterator { expression: String, message: String },
    #[error("invalid reference `{expression}`: {message}")]
    InvalidReference { expression: String, message: String },
    #[error("syntax error in the payload at line {line}, column {column}: {message}")]
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
    #[error("the payload is not valid {encoding}")]
    Encoding { encoding: String },
    #[error("the payload is refused: {reason}")]
    Refused { reason: String },
    #[error("cannot read the payload: {0}")]
    Io(std::io::Error),
}

/// Either the payload failed or the visitor did; the caller needs to know which.
#[derive(Debug, thiserror::Error)]
pub enum ReadError<E> {
    #[error(transparent)]
    Payload(#[from] PayloadError),
    #[error(transparent)]
    Visit(E),
}

// Not `#[from]`: that would make the I/O error the source too, and error chains would print it
// twice.
impl From<std::io::Error> for PayloadError {
    fn from(error: std::io::Error) -> Self {
        Self::Io(error)
    }
}
