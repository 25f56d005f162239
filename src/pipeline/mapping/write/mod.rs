//! The model written back out (`citykg mapping convert FILE --to rml|yarrrml`): canonical
//! RML-Core Turtle (`http://w3id.org/rml/`, RML-IO sources, RML-FNML functions, RML-CC gather
//! maps) or YARRRML.
//!
//! Output is deterministic: the model's order, one fixed layout, prefixes declared only when
//! used. The text is produced by two small tree writers of our own ([`turtle`] and block-style
//! [`yaml`]) that escape every string and IRI. YARRRML is written in the forms the YARRRML
//! translator (`super::yarrrml`) reads back into the same model; what YARRRML cannot say is a
//! [`WriteError::NotExpressible`], never a lossy document. This module must not parse, check or
//! run anything.

mod rml;
mod turtle;
mod yaml;
mod yarrrml;

pub use rml::to_rml;
pub use yarrrml::to_yarrrml;

use crate::pipeline::mapping::functions;

/// A model that one of the output syntaxes cannot express.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    #[error("`{iri}` is not an IRI and cannot be written as one")]
    InvalidIri { iri: String },
    #[error("triples map {map}: {what} cannot be written in {syntax}")]
    NotExpressible {
        map: String,
        what: &'static str,
        syntax: &'static str,
    },
}

const RML: &str = "http://w3id.org/rml/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Prefixes the writers may use, in declaration order.
const PREFIXES: &[(&str, &str)] = &[
    ("rml", RML),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("xsd", XSD),
    ("csvw", "http://www.w3.org/ns/csvw#"),
    (
        "d2rq",
        "http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#",
    ),
    ("grel", functions::GREL_NAMESPACE),
    ("idlab-fn", functions::IDLAB_NAMESPACE),
    ("citykg-fn", functions::CITYKG_NAMESPACE),
    ("citykg", crate::core::vocab::CITYKG_NAMESPACE),
];

/// Local names written as prefixed names without escapes: letters, digits, `_`, `-`, and not
/// starting with `-` (a conservative subset of PN_LOCAL).
fn is_safe_local(local: &str) -> bool {
    !local.is_empty()
        && !local.starts_with('-')
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests;
