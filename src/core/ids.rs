//! Identifiers of the things citykg keeps (mappings, use cases) and the IRIs minted from them:
//! `{base}mappings/{id}` and `{base}id/use-case/{id}/...`. Parsing an IRI back into an id is
//! written here once.

use std::fmt;

use oxigraph::model::NamedNode;
use serde::{Deserialize, Serialize};

use crate::core::config::BaseIri;

/// A mapping id: lowercase letters, digits, `-`, `_`, `.`, and `/` between segments
/// (`builtin/ttn-v3`, `city/parking-2024`), at most 100 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MappingId(String);

#[derive(Debug, thiserror::Error)]
#[error(
    "`{0}` is not a mapping id: use lowercase letters, digits, `-`, `_`, `.` and `/` between segments (at most 100 characters)"
)]
pub struct BadMappingId(pub String);

impl MappingId {
    pub fn parse(text: &str) -> Result<Self, BadMappingId> {
        let segment_ok = |s: &str| {
            !s.is_empty()
                && s != "."
                && s != ".."
                && s.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.')
                })
        };
        if text.len() <= 100 && text.split('/').all(segment_ok) {
            Ok(Self(text.to_owned()))
        } else {
            Err(BadMappingId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Built-in mappings (`builtin/...`) are read-only.
    pub fn is_builtin(&self) -> bool {
        self.0.starts_with("builtin/")
    }
}

impl TryFrom<String> for MappingId {
    type Error = BadMappingId;
    fn try_from(text: String) -> Result<Self, BadMappingId> {
        Self::parse(&text)
    }
}

impl From<MappingId> for String {
    fn from(id: MappingId) -> Self {
        id.0
    }
}

impl std::fmt::Display for MappingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// `{base}mappings/{id}`: a registry mapping as an RDF resource.
pub fn mapping_iri(base: &BaseIri, id: &MappingId) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("mappings/{id}")))
}

/// `{base}mappings/{id}/versions/{version}`: one version of a registry mapping.
pub fn mapping_version_iri(base: &BaseIri, id: &MappingId, version: u32) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("mappings/{id}/versions/{version}")))
}

/// The registry id of a `{base}mappings/{id}` IRI, if it is one.
pub fn mapping_id_of(base: &BaseIri, iri: &str) -> Option<MappingId> {
    iri.strip_prefix(&base.join("mappings/"))
        .and_then(|id| MappingId::parse(id).ok())
}

/// `[a-z0-9][a-z0-9-]{0,63}`: safe in a path segment and an IRI without escaping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UseCaseId(String);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "{0:?} is not a use-case id: use 1 to 64 lowercase letters, digits and '-', starting with a letter or digit"
)]
pub struct BadUseCaseId(pub String);

impl UseCaseId {
    pub fn parse(text: &str) -> Result<Self, BadUseCaseId> {
        let bytes = text.as_bytes();
        let ok = (1..=64).contains(&bytes.len())
            && bytes
                .first()
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
        if ok {
            Ok(Self(text.to_owned()))
        } else {
            Err(BadUseCaseId(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UseCaseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `{base}id/use-case/`: every local use case's IRI starts with it.
pub fn use_case_prefix(base: &BaseIri) -> String {
    base.join("id/use-case/")
}

/// `{base}id/use-case/{id}`.
pub fn use_case_iri(base: &BaseIri, id: &UseCaseId) -> NamedNode {
    NamedNode::new_unchecked(format!("{}{id}", use_case_prefix(base)))
}

/// `{base}id/use-case/{id}/{rest}`: a sub-resource (place, record, distribution...).
pub fn sub_iri(use_case: &NamedNode, rest: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{}/{rest}", use_case.as_str()))
}

/// The id of a local use-case IRI, if it is one (not a sub-resource).
pub fn id_of(base: &BaseIri, iri: &str) -> Option<UseCaseId> {
    iri.strip_prefix(&use_case_prefix(base))
        .and_then(|rest| UseCaseId::parse(rest).ok())
}

/// `{base}id/catalog`, the one `dcat:Catalog` of the instance.
pub fn catalog_iri(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("id/catalog"))
}

/// `{base}id/service/sparql`, the `dcat:DataService` every distribution is served by.
pub fn service_iri(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("id/service/sparql"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapping_ids_are_plain_paths() {
        for good in ["ttn", "builtin/ttn-v3", "city/parking_2024.v2"] {
            assert!(MappingId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "A",
            "a//b",
            "../x",
            "a/../b",
            "a b",
            "/a",
            "a/",
            &"x".repeat(101),
        ] {
            assert!(MappingId::parse(bad).is_err(), "{bad}");
        }
        assert!(MappingId::parse("builtin/x").unwrap().is_builtin());
    }

    #[test]
    fn ids_are_lowercase_path_segments() {
        for good in ["a", "kisumu-air-quality", "0", &"a".repeat(64)] {
            assert!(UseCaseId::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "-a",
            "A",
            "a/b",
            "a_b",
            "a.b",
            "é",
            "a b",
            &"a".repeat(65),
        ] {
            assert_eq!(UseCaseId::parse(bad), Err(BadUseCaseId(bad.to_owned())));
        }
    }

    #[test]
    fn iris_are_minted_under_the_base() {
        let base = BaseIri::parse("http://c.test/").unwrap();
        let id = UseCaseId::parse("x-1").unwrap();
        let iri = use_case_iri(&base, &id);
        assert_eq!(iri.as_str(), "http://c.test/id/use-case/x-1");
        assert_eq!(
            sub_iri(&iri, "place").as_str(),
            "http://c.test/id/use-case/x-1/place"
        );
        assert_eq!(id_of(&base, iri.as_str()), Some(id));
        assert_eq!(id_of(&base, "http://c.test/id/use-case/x-1/place"), None);
        assert_eq!(id_of(&base, "http://other/id/use-case/x-1"), None);
    }

    #[test]
    fn mapping_iris_parse_back_into_their_ids() {
        let base = BaseIri::parse("http://c.test/").unwrap();
        let id = MappingId::parse("builtin/ttn-v3").unwrap();
        let iri = mapping_iri(&base, &id);
        assert_eq!(iri.as_str(), "http://c.test/mappings/builtin/ttn-v3");
        assert_eq!(mapping_id_of(&base, iri.as_str()), Some(id));
        assert_eq!(mapping_id_of(&base, "http://c.test/mappings/Bad Id"), None);
        assert_eq!(mapping_id_of(&base, "http://other/mappings/x"), None);
    }
}
