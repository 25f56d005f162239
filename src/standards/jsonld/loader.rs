//! The document loader: citykg's shipped context from memory, every other remote document
//! refused with the IRI it was asked for.
//!
//! Why no fetching: the only HTTP client in the build is oxigraph's `oxhttp`, compiled without
//! TLS, so it could reach only `http://` hosts; contexts almost all live on `https://`. Rather
//! than a fetch that fails for most allow-listed hosts, citykg fetches none: a document whose
//! context is remote must inline it, or use citykg's own context.

use json_ld::{Iri, IriBuf, LoadError, Loader, RemoteDocument};
use json_syntax::Parse as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::core::config::BaseIri;

/// citykg's JSON-LD context, compiled in.
const CONTEXT: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/ontologies/context.jsonld"
));

/// Where the context is served: `{base}ns/context.jsonld`.
pub fn context_iri(base: &BaseIri) -> String {
    base.join("ns/context.jsonld")
}

/// The shipped context document (`{"@context": {...}}`) as text, for `GET /ns/context.jsonld`.
pub fn context_document() -> &'static str {
    CONTEXT
}

fn parsed_context() -> Result<Arc<json_syntax::Value>, String> {
    static PARSED: OnceLock<Result<Arc<json_syntax::Value>, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            json_syntax::Value::parse_str(CONTEXT)
                .map(|(value, _)| Arc::new(value))
                .map_err(|e| format!("the shipped context is not JSON: {e}"))
        })
        .clone()
}

/// Why a document could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error(
        "remote document <{iri}> is not allow-listed: citykg loads no remote JSON-LD contexts \
         (only its own, {own}); inline the context in the document instead"
    )]
    NotAllowed { iri: String, own: String },
    #[error("{0}")]
    Broken(String),
    #[error("cannot read {path}: {reason}")]
    File { path: String, reason: String },
}

/// Serves citykg's context for the service's base, plus any documents and folders mounted
/// explicitly (the conformance tests mount the test-suite folder; the service mounts none).
#[derive(Debug, Clone)]
pub struct ContextLoader {
    own: String,
    extra: Vec<(String, Arc<json_syntax::Value>)>,
    mounts: Vec<(String, PathBuf)>,
}

/// Files read through a mount larger than this are refused.
const MAX_FILE_BYTES: u64 = 4 << 20;

impl ContextLoader {
    pub fn new(base: &BaseIri) -> Self {
        Self {
            own: context_iri(base),
            extra: Vec::new(),
            mounts: Vec::new(),
        }
    }

    /// Serves `document` at `iri` too (for example another citykg instance's context IRI).
    pub fn serve(&mut self, iri: &str, document: json_syntax::Value) {
        self.extra.push((iri.to_owned(), Arc::new(document)));
    }

    /// Serves the files under `folder` for IRIs starting with `prefix` (tests only: no request
    /// path reaches this).
    pub fn mount(&mut self, prefix: &str, folder: PathBuf) {
        self.mounts.push((prefix.to_owned(), folder));
    }

    fn find(&self, iri: &str) -> Result<json_syntax::Value, Refused> {
        if iri == self.own {
            return parsed_context()
                .map(|v| (*v).clone())
                .map_err(Refused::Broken);
        }
        if let Some((_, document)) = self.extra.iter().find(|(i, _)| i == iri) {
            return Ok((**document).clone());
        }
        for (prefix, folder) in &self.mounts {
            if let Some(rest) = iri.strip_prefix(prefix.as_str()) {
                // No `..` walks out of the folder.
                if rest.split('/').any(|segment| segment == "..") {
                    break;
                }
                let path = folder.join(rest);
                let file = |reason: String| Refused::File {
                    path: path.display().to_string(),
                    reason,
                };
                let size = std::fs::metadata(&path)
                    .map_err(|e| file(e.to_string()))?
                    .len();
                if size > MAX_FILE_BYTES {
                    return Err(file(format!("larger than {MAX_FILE_BYTES} bytes")));
                }
                let text = std::fs::read_to_string(&path).map_err(|e| file(e.to_string()))?;
                return json_syntax::Value::parse_str(&text)
                    .map(|(value, _)| value)
                    .map_err(|e| file(format!("not JSON: {e}")));
            }
        }
        Err(Refused::NotAllowed {
            iri: iri.to_owned(),
            own: self.own.clone(),
        })
    }
}

impl Loader for ContextLoader {
    async fn load(&self, url: &Iri) -> Result<RemoteDocument<IriBuf>, LoadError> {
        match self.find(url.as_str()) {
            Ok(document) => Ok(RemoteDocument::new(Some(url.to_owned()), None, document)),
            Err(refused) => Err(LoadError::new(url.to_owned(), refused)),
        }
    }
}
