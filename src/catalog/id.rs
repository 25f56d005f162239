//! Use-case ids and the IRIs minted from them: `{base}id/use-case/{id}` and its sub-resources
//! `{base}id/use-case/{id}/...`.

use std::fmt;

use oxigraph::model::NamedNode;

use crate::config::BaseIri;

/// `[a-z0-9][a-z0-9-]{0,63}`: safe in a path segment and an IRI without escaping.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
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
}
