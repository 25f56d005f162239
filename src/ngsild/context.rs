//! NGSI-LD `@context` handling: the core context compiled in and always applied last (it is
//! protected: a user context cannot redefine its terms), user contexts given inline, in a
//! `Link` header or by URL, and the term maps that expand attribute names and types to IRIs and
//! compact them back.
//!
//! NGSI-LD documents have a fixed shape (entity -> attributes -> sub-attributes), so terms are
//! expanded where that shape puts them, with the JSON-LD 1.1 rules for term definitions, compact
//! IRIs and `@vocab`; a general JSON-LD processor is not needed on this path (`standards::jsonld`
//! serves the RDF endpoints). Values of Properties are kept as given.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

use super::error::NgsiError;

/// The NGSI-LD core context, v1.9 (ETSI GS CIM 009 V1.9.1), shipped so that citykg works offline.
const CORE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/ontologies/contexts/ngsi-ld-core-context-v1.9.jsonld"
));

/// The URL under which ETSI publishes the core context this build holds.
pub const CORE_CONTEXT_URL: &str =
    "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.9.jsonld";

/// The NGSI-LD namespace.
pub const NGSI_LD: &str = "https://uri.etsi.org/ngsi-ld/";

/// Most term definitions one active context may hold, and most context documents one request
/// may bring in (URLs inside contexts included).
const MAX_TERMS: usize = 20_000;
pub const MAX_DOCUMENTS: usize = 32;

/// Whether `url` names a version of the core context (always applied, never fetched).
pub fn is_core_context(url: &str) -> bool {
    let Some(name) = url
        .strip_prefix("https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context")
        .or_else(|| url.strip_prefix("http://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context"))
    else {
        return false;
    };
    // `.jsonld` or `-vX.Y.jsonld`: another name is not the core context.
    let version = name.strip_suffix(".jsonld").unwrap_or("-");
    version.is_empty()
        || version.strip_prefix("-v").is_some_and(|v| {
            let mut parts = v.split('.');
            parts.clone().count() == 2
                && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// How a term's values are read (`@type` of an expanded term definition).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coercion {
    /// `@id`: values are IRIs, compact IRIs expanded, terms not.
    Id,
    /// `@vocab`: values are terms or IRIs.
    Vocab,
    /// `@json`: values are JSON literals.
    Json,
    /// A datatype IRI.
    Datatype(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub iri: String,
    pub coercion: Option<Coercion>,
}

/// An active context: term definitions, `@vocab`, and the reverse map for compaction.
#[derive(Debug, Default)]
pub struct ActiveContext {
    terms: HashMap<String, Term>,
    vocab: Option<String>,
    /// IRI -> the term that compacts it (the shortest, then the first in order).
    reverse: HashMap<String, String>,
    /// Terms usable as prefixes of compact IRIs (their IRI ends with a gen-delim).
    prefixes: Vec<(String, String)>,
}

/// A context document as given: JSON (`{...}` or a URL string, or an array of both).
pub type ContextValue = Value;

impl ActiveContext {
    /// The core context alone.
    pub fn core() -> Arc<Self> {
        static CORE_CONTEXT: std::sync::OnceLock<Arc<ActiveContext>> = std::sync::OnceLock::new();
        CORE_CONTEXT
            .get_or_init(|| {
                let mut context = ActiveContext::default();
                if let Some(definitions) = core_definitions() {
                    // Infallible on the shipped document; a test checks it loads.
                    let _ = context.define_all(definitions, false);
                }
                context.finish();
                Arc::new(context)
            })
            .clone()
    }

    /// User context objects (already fetched), in order, then the core context on top.
    pub fn build(user: &[Map<String, Value>]) -> Result<Self, NgsiError> {
        let mut context = Self::default();
        for definitions in user {
            context.define_all(definitions, true)?;
        }
        if let Some(core) = core_definitions() {
            context.define_all(core, false)?;
        }
        context.finish();
        Ok(context)
    }

    /// Adds term definitions; `user`: a client's context, which may not scope contexts.
    fn define_all(
        &mut self,
        definitions: &Map<String, Value>,
        user: bool,
    ) -> Result<(), NgsiError> {
        // Terms may refer to each other (`"Building": "ex:Building"` with `"ex"` defined later in
        // the same object): resolve against the object's own strings as well.
        for (key, value) in definitions {
            match key.as_str() {
                "@vocab" => {
                    self.vocab = match value {
                        Value::String(v) => Some(self.expand_iri_in(v, definitions)),
                        Value::Null => None,
                        _ => return Err(invalid_context("@vocab must be a string")),
                    };
                    continue;
                }
                k if k.starts_with('@') => continue,
                _ => {}
            }
            let term = match value {
                Value::String(iri) => Term {
                    iri: self.expand_iri_in(iri, definitions),
                    coercion: None,
                },
                Value::Object(def) => {
                    if user && def.contains_key("@context") {
                        return Err(invalid_context(&format!(
                            "the term {key:?} has a scoped @context, which NGSI-LD does not allow"
                        )));
                    }
                    let iri = match def.get("@id") {
                        Some(Value::String(iri)) => self.expand_iri_in(iri, definitions),
                        Some(Value::Null) => continue,
                        Some(_) => {
                            return Err(invalid_context(&format!(
                                "the @id of the term {key:?} must be a string"
                            )));
                        }
                        None => self.expand_iri_in(key, definitions),
                    };
                    let coercion = match def.get("@type") {
                        None => None,
                        Some(Value::String(t)) => Some(match t.as_str() {
                            "@id" => Coercion::Id,
                            "@vocab" => Coercion::Vocab,
                            "@json" => Coercion::Json,
                            other => Coercion::Datatype(self.expand_iri_in(other, definitions)),
                        }),
                        Some(_) => {
                            return Err(invalid_context(&format!(
                                "the @type of the term {key:?} must be a string"
                            )));
                        }
                    };
                    Term { iri, coercion }
                }
                Value::Null => {
                    self.terms.remove(key);
                    continue;
                }
                _ => {
                    return Err(invalid_context(&format!(
                        "the definition of {key:?} must be a string or an object"
                    )));
                }
            };
            if self.terms.len() >= MAX_TERMS {
                return Err(invalid_context(&format!(
                    "more than {MAX_TERMS} term definitions"
                )));
            }
            self.terms.insert(key.clone(), term);
        }
        Ok(())
    }

    /// Expands an IRI while defining: a term of this context or the one being read, a compact
    /// IRI whose prefix is such a term, else as written.
    fn expand_iri_in(&self, value: &str, definitions: &Map<String, Value>) -> String {
        if let Some(term) = self.terms.get(value) {
            return term.iri.clone();
        }
        if let Some(Value::String(iri)) = definitions.get(value)
            && iri != value
            && !iri.contains(value)
        {
            return self.expand_iri_in(iri, definitions);
        }
        if let Some((prefix, suffix)) = value.split_once(':')
            && !suffix.starts_with("//")
        {
            if let Some(term) = self.terms.get(prefix) {
                return format!("{}{suffix}", term.iri);
            }
            if let Some(Value::String(iri)) = definitions.get(prefix)
                && !iri.starts_with(prefix)
            {
                return format!("{}{suffix}", self.expand_iri_in(iri, definitions));
            }
            if let Some(Value::Object(def)) = definitions.get(prefix)
                && let Some(Value::String(iri)) = def.get("@id")
            {
                return format!("{iri}{suffix}");
            }
        }
        value.to_owned()
    }

    fn finish(&mut self) {
        let mut reverse: HashMap<String, String> = HashMap::with_capacity(self.terms.len());
        let mut names: Vec<&String> = self.terms.keys().collect();
        names.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        for name in names {
            let iri = &self.terms[name].iri;
            reverse.entry(iri.clone()).or_insert_with(|| name.clone());
        }
        self.reverse = reverse;
        let mut prefixes: Vec<(String, String)> = self
            .terms
            .iter()
            .filter(|(name, term)| {
                !name.contains(':') && term.iri.ends_with(['/', '#', ':', '?', '[', ']', '@'])
            })
            .map(|(name, term)| (name.clone(), term.iri.clone()))
            .collect();
        // The longest IRI first gives the shortest compact IRI.
        prefixes.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
        self.prefixes = prefixes;
    }

    pub fn term(&self, name: &str) -> Option<&Term> {
        self.terms.get(name)
    }

    /// An attribute name or type as an IRI: a term, a compact IRI, an absolute IRI, else
    /// under `@vocab`.
    pub fn expand(&self, name: &str) -> String {
        if let Some(term) = self.terms.get(name) {
            return term.iri.clone();
        }
        if let Some((prefix, suffix)) = name.split_once(':') {
            if !suffix.starts_with("//")
                && let Some(term) = self.terms.get(prefix)
            {
                return format!("{}{suffix}", term.iri);
            }
            return name.to_owned();
        }
        match &self.vocab {
            Some(vocab) => format!("{vocab}{name}"),
            None => name.to_owned(),
        }
    }

    /// An IRI as the shortest name this context gives it: a term, a `@vocab`-relative name, a
    /// compact IRI, else the IRI.
    pub fn compact(&self, iri: &str) -> String {
        if let Some(term) = self.reverse.get(iri) {
            return term.clone();
        }
        if let Some(vocab) = &self.vocab
            && let Some(rest) = iri.strip_prefix(vocab.as_str())
            && !rest.is_empty()
            && !self.terms.contains_key(rest)
        {
            return rest.to_owned();
        }
        for (name, prefix) in &self.prefixes {
            if let Some(rest) = iri.strip_prefix(prefix.as_str())
                && !rest.is_empty()
            {
                return format!("{name}:{rest}");
            }
        }
        iri.to_owned()
    }

    /// A value of a `@vocab`-coerced term (VocabProperty, `objectType`): a term or an IRI.
    pub fn expand_vocab_value(&self, value: &str) -> String {
        self.expand(value)
    }
}

fn core_definitions() -> Option<&'static Map<String, Value>> {
    static PARSED: std::sync::OnceLock<Option<Map<String, Value>>> = std::sync::OnceLock::new();
    PARSED
        .get_or_init(|| {
            let document: Value = serde_json::from_str(CORE).ok()?;
            match document.get("@context") {
                Some(Value::Object(definitions)) => Some(definitions.clone()),
                _ => None,
            }
        })
        .as_ref()
}

/// The core context document as served.
pub fn core_document() -> &'static str {
    CORE
}

pub fn invalid_context(detail: &str) -> NgsiError {
    NgsiError::bad_request(format!("invalid @context: {detail}"))
}

/// The `Link` header's context URL, if the header names one (`rel` of JSON-LD's context).
pub fn link_context(header: &str) -> Result<Option<String>, NgsiError> {
    let mut found = None;
    for link in header.split(',') {
        let link = link.trim();
        let Some(rest) = link.strip_prefix('<') else {
            continue;
        };
        let Some((url, params)) = rest.split_once('>') else {
            return Err(NgsiError::bad_request(format!(
                "the Link header {link:?} is not <url>; rel=..."
            )));
        };
        let is_context = params.split(';').any(|p| {
            let p = p.trim();
            p.strip_prefix("rel=")
                .map(|v| v.trim_matches('"'))
                .is_some_and(|v| v == "http://www.w3.org/ns/json-ld#context")
        });
        if is_context {
            if found.is_some() {
                return Err(NgsiError::bad_request(
                    "more than one JSON-LD context in the Link header",
                ));
            }
            found = Some(url.to_owned());
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_context_expands_and_compacts_its_terms() {
        let core = ActiveContext::core();
        assert_eq!(
            core.expand("Property"),
            "https://uri.etsi.org/ngsi-ld/Property"
        );
        assert_eq!(
            core.expand("location"),
            "https://uri.etsi.org/ngsi-ld/location"
        );
        assert_eq!(
            core.expand("airQualityLevel"),
            "https://uri.etsi.org/ngsi-ld/default-context/airQualityLevel"
        );
        assert_eq!(
            core.compact("https://uri.etsi.org/ngsi-ld/Property"),
            "Property"
        );
        assert_eq!(
            core.compact("https://uri.etsi.org/ngsi-ld/default-context/speed"),
            "speed"
        );
        assert_eq!(
            core.compact("https://example.org/x"),
            "https://example.org/x"
        );
        assert_eq!(
            core.term("observedAt").and_then(|t| t.coercion.clone()),
            Some(Coercion::Datatype(
                "https://uri.etsi.org/ngsi-ld/DateTime".into()
            ))
        );
    }

    #[test]
    fn user_terms_prefixes_and_protected_core() {
        let user: Map<String, Value> = serde_json::from_str(
            r#"{"ex": "https://example.org/ns#", "Building": "ex:Building",
                "name": "https://schema.org/name", "location": "ex:notAllowed"}"#,
        )
        .unwrap_or_default();
        let context = ActiveContext::build(&[user]).unwrap_or_default();
        assert_eq!(
            context.expand("Building"),
            "https://example.org/ns#Building"
        );
        assert_eq!(context.expand("ex:height"), "https://example.org/ns#height");
        assert_eq!(
            context.compact("https://example.org/ns#height"),
            "ex:height"
        );
        assert_eq!(
            context.compact("https://example.org/ns#Building"),
            "Building"
        );
        // The core context is applied last: `location` keeps its core meaning.
        assert_eq!(
            context.expand("location"),
            "https://uri.etsi.org/ngsi-ld/location"
        );
        assert_eq!(context.expand("urn:x:y"), "urn:x:y");
    }

    #[test]
    fn link_header() {
        let header = r#"<http://127.0.0.1:9/c.jsonld>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json""#;
        assert_eq!(
            link_context(header).ok().flatten().as_deref(),
            Some("http://127.0.0.1:9/c.jsonld")
        );
        assert!(link_context("<a>; rel=\"next\"").ok().flatten().is_none());
    }

    #[test]
    fn core_context_urls() {
        assert!(is_core_context(
            "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
        ));
        assert!(is_core_context(
            "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-v1.8.jsonld"
        ));
        assert!(!is_core_context(
            "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context-non-existing.jsonld"
        ));
        assert!(!is_core_context(
            "https://example.org/ngsi-ld-core-context.jsonld"
        ));
    }
}
