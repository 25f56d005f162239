//! Resolving a request's `@context` into an [`ActiveContext`]: core context URLs are the shipped
//! core context; other URLs are fetched only from allow-listed hosts (http, with the harvester's
//! time and size limits), cached by URL; a resolved context is cached by its JSON text, so a
//! client that sends the same context every time pays for it once.

use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::context::{ActiveContext, MAX_DOCUMENTS, is_core_context};
use super::error::{ErrorType, NgsiError};
use crate::catalogue::harvest::fetch::{FetchLimits, Fetcher};
use crate::core::config::AllowList;

/// Most resolved contexts and fetched documents kept.
const CACHE_ENTRIES: usize = 1_000;
/// Deepest chain of contexts that refer to other contexts.
const MAX_NESTING: usize = 8;

pub struct Contexts {
    fetcher: Fetcher,
    documents: Mutex<HashMap<String, Arc<Value>>>,
    resolved: Mutex<HashMap<String, Arc<ActiveContext>>>,
}

impl Contexts {
    pub fn new(allow: AllowList) -> Self {
        Self {
            fetcher: Fetcher::new(
                allow,
                FetchLimits {
                    timeout: Duration::from_secs(10),
                    max_bytes: 1 << 20,
                },
            ),
            documents: Mutex::new(HashMap::new()),
            resolved: Mutex::new(HashMap::new()),
        }
    }

    /// The active context of `value` (`None`: the core context alone).
    pub fn resolve(&self, value: Option<&Value>) -> Result<Arc<ActiveContext>, NgsiError> {
        let Some(value) = value.filter(|v| !v.is_null()) else {
            return Ok(ActiveContext::core());
        };
        let key = value.to_string();
        if let Some(found) = self
            .resolved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Ok(found.clone());
        }
        let mut definitions = Vec::new();
        let mut documents = 0;
        self.collect(value, 0, &mut documents, &mut definitions)?;
        let context = Arc::new(ActiveContext::build(&definitions)?);
        let mut resolved = self.resolved.lock().unwrap_or_else(PoisonError::into_inner);
        if resolved.len() >= CACHE_ENTRIES {
            resolved.clear();
        }
        resolved.insert(key, context.clone());
        Ok(context)
    }

    /// The context of a `Link` header's URL.
    pub fn resolve_url(&self, url: &str) -> Result<Arc<ActiveContext>, NgsiError> {
        self.resolve(Some(&Value::String(url.to_owned())))
    }

    fn collect(
        &self,
        value: &Value,
        depth: usize,
        documents: &mut usize,
        out: &mut Vec<Map<String, Value>>,
    ) -> Result<(), NgsiError> {
        if depth > MAX_NESTING {
            return Err(NgsiError::bad_request(
                "@context: contexts refer to each other too deeply",
            ));
        }
        match value {
            Value::Null => Ok(()),
            Value::String(url) if is_core_context(url) => Ok(()),
            Value::String(url) => {
                *documents += 1;
                if *documents > MAX_DOCUMENTS {
                    return Err(NgsiError::bad_request(format!(
                        "@context: more than {MAX_DOCUMENTS} context documents"
                    )));
                }
                let document = self.fetch(url)?;
                match document.get("@context") {
                    Some(inner) => self.collect(inner, depth + 1, documents, out),
                    None => Err(NgsiError::new(
                        ErrorType::LdContextNotAvailable,
                        format!("{url} holds no @context"),
                    )),
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.collect(item, depth + 1, documents, out)?;
                }
                Ok(())
            }
            Value::Object(definitions) => {
                out.push(definitions.clone());
                Ok(())
            }
            other => Err(NgsiError::bad_request(format!(
                "@context must be a URL, an object or an array of them, not {other}"
            ))),
        }
    }

    fn fetch(&self, url: &str) -> Result<Arc<Value>, NgsiError> {
        if let Some(found) = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(url)
        {
            return Ok(found.clone());
        }
        let unavailable = |detail: String| NgsiError::new(ErrorType::LdContextNotAvailable, detail);
        let (_, _, _, body) = self
            .fetcher
            .get_as(url, "application/ld+json, application/json;q=0.9")
            .map_err(|e| unavailable(format!("the @context {url} cannot be retrieved: {e}")))?;
        let document: Value = serde_json::from_slice(&body)
            .map_err(|e| unavailable(format!("the @context {url} is not JSON: {e}")))?;
        let document = Arc::new(document);
        let mut documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if documents.len() >= CACHE_ENTRIES {
            documents.clear();
        }
        documents.insert(url.to_owned(), document.clone());
        Ok(document)
    }
}
