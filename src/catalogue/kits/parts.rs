//! The parts of a use case a kit carries as files: sample payloads and named queries, kept in the
//! use case's RDF as sub-resources `{use case}/sample/{name}` and `{use case}/query/{name}`.

use oxigraph::model::{NamedNodeRef, Term, TermRef, Triple};

use crate::core::config::BaseIri;
use crate::core::vocab::{CONTENT, DCAT_MEDIA_TYPE, FOR_MAPPING, IANA_MEDIA_TYPES, SPARQL};

/// One sample payload of a use case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamplePart {
    /// The last segment of its IRI.
    pub name: String,
    /// The registry id of the mapping it feeds.
    pub mapping: String,
    pub media_type: String,
    pub content: String,
}

impl SamplePart {
    /// Reads `{use case}/sample/{name}`; `None` when a part is missing (the use-case shape
    /// requires all of them, so this only skips data written around the API).
    pub fn read(triples: &[Triple], node: &str, base: &BaseIri) -> Option<Self> {
        let name = last_segment(node)?;
        let mapping_iri = value(triples, node, FOR_MAPPING)?;
        let mapping = crate::core::ids::mapping_id_of(base, mapping_iri)?.to_string();
        let media_type = value(triples, node, DCAT_MEDIA_TYPE)?
            .strip_prefix(IANA_MEDIA_TYPES)?
            .to_owned();
        let content = value(triples, node, CONTENT)?.to_owned();
        Some(Self {
            name,
            mapping,
            media_type,
            content,
        })
    }
}

/// `{use case}/query/{name}` -> (name, SPARQL text).
pub fn query_part(triples: &[Triple], node: &str) -> Option<(String, String)> {
    Some((
        last_segment(node)?,
        value(triples, node, SPARQL)?.to_owned(),
    ))
}

/// A file-safe last IRI segment.
fn last_segment(iri: &str) -> Option<String> {
    let name = iri.rsplit('/').next()?;
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !name.starts_with('.');
    safe.then(|| name.to_owned())
}

/// The first object of `node predicate ?o`, an IRI or a literal's lexical form.
fn value<'a>(triples: &'a [Triple], node: &str, predicate: NamedNodeRef<'_>) -> Option<&'a str> {
    triples.iter().find_map(|t| {
        let subject_matches = matches!(TermRef::from(t.subject.as_ref()), TermRef::NamedNode(s) if s.as_str() == node);
        if !subject_matches || t.predicate.as_ref() != predicate {
            return None;
        }
        match &t.object {
            Term::NamedNode(object) => Some(object.as_str()),
            Term::Literal(object) => Some(object.value()),
            _ => None,
        }
    })
}
