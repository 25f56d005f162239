//! Resolving a request's `@context` into an [`ActiveContext`]: core context URLs are the shipped
//! core context; contexts added through `/jsonldContexts` are served from here (kind Hosted);
//! other URLs are fetched only from allow-listed hosts (http, with the harvester's time and
//! size limits) and cached by URL (kind Cached); a resolved context is cached by its JSON text,
//! so a client that sends the same context every time pays for it once.

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

/// How a context came to be held (clause 5.13.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hosted,
    Cached,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Hosted => "Hosted",
            Self::Cached => "Cached",
        }
    }
}

/// A context document held, with what `details=true` shows.
#[derive(Debug, Clone)]
pub struct Held {
    pub url: String,
    pub local_id: String,
    pub kind: Kind,
    pub body: Arc<Value>,
    pub created_at: String,
    pub hits: u64,
    pub last_usage: Option<String>,
}

impl Held {
    pub fn details(&self) -> Value {
        let mut details = serde_json::json!({
            "URL": self.url,
            "localId": self.local_id,
            "kind": self.kind.name(),
            "createdAt": self.created_at,
            "numberOfHits": self.hits,
        });
        if let (Some(last), Value::Object(map)) = (&self.last_usage, &mut details) {
            map.insert("lastUsage".into(), Value::String(last.clone()));
        }
        details
    }
}

pub struct Contexts {
    fetcher: Fetcher,
    /// Where hosted contexts are served: `{base}ngsi-ld/v1/jsonldContexts/`.
    hosted_prefix: String,
    /// Every held document by URL: hosted ones and fetched ones.
    documents: Mutex<HashMap<String, Held>>,
    resolved: Mutex<HashMap<String, Arc<ActiveContext>>>,
}

impl Contexts {
    pub fn new(allow: AllowList, base: &crate::core::config::BaseIri) -> Self {
        Self {
            hosted_prefix: base.join("ngsi-ld/v1/jsonldContexts/"),
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
        let now = super::now();
        if let Some(held) = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get_mut(url)
        {
            held.hits += 1;
            held.last_usage = Some(now);
            return Ok(held.body.clone());
        }
        let document = self.download(url)?;
        let mut documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if documents.len() >= CACHE_ENTRIES {
            documents.retain(|_, held| held.kind == Kind::Hosted);
        }
        documents.insert(
            url.to_owned(),
            Held {
                url: url.to_owned(),
                local_id: local_id(),
                kind: Kind::Cached,
                body: document.clone(),
                created_at: now.clone(),
                hits: 1,
                last_usage: Some(now),
            },
        );
        Ok(document)
    }

    fn download(&self, url: &str) -> Result<Arc<Value>, NgsiError> {
        let unavailable = |detail: String| NgsiError::new(ErrorType::LdContextNotAvailable, detail);
        let (_, _, _, body) = self
            .fetcher
            .get_as(url, "application/ld+json, application/json;q=0.9")
            .map_err(|e| unavailable(format!("the @context {url} cannot be retrieved: {e}")))?;
        let document: Value = serde_json::from_slice(&body)
            .map_err(|e| NgsiError::bad_request(format!("the @context {url} is not JSON: {e}")))?;
        if document.get("@context").is_none_or(Value::is_null) {
            return Err(NgsiError::bad_request(format!("{url} holds no @context")));
        }
        Ok(Arc::new(document))
    }

    // --- /jsonldContexts ---

    /// Adds a context (`{"@context": ...}`) as Hosted; the URLs it lists are fetched and held
    /// as Cached. Returns its local id.
    pub fn add(&self, body: &Value) -> Result<String, NgsiError> {
        let Some(context) = body.get("@context") else {
            return Err(NgsiError::invalid("the body must be {\"@context\": ...}"));
        };
        let valid = match context {
            Value::Object(_) | Value::String(_) => true,
            Value::Array(items) => items.iter().all(|i| i.is_string() || i.is_object()),
            _ => false,
        };
        if !valid {
            return Err(NgsiError::bad_request(
                "@context must be an object, a URL or an array of them",
            ));
        }
        // Every URL it names must be retrievable; checking also caches them.
        let mut definitions = Vec::new();
        let mut documents = 0;
        self.collect(context, 0, &mut documents, &mut definitions)?;
        ActiveContext::build(&definitions)?;
        let id = local_id();
        let url = format!("{}{id}", self.hosted_prefix);
        let now = super::now();
        self.documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(
                url.clone(),
                Held {
                    url,
                    local_id: id.clone(),
                    kind: Kind::Hosted,
                    body: Arc::new(serde_json::json!({"@context": context})),
                    created_at: now,
                    hits: 0,
                    last_usage: None,
                },
            );
        Ok(id)
    }

    /// The contexts held, optionally of one kind.
    pub fn list(&self, kind: Option<Kind>) -> Vec<Held> {
        let documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let mut held: Vec<Held> = documents
            .values()
            .filter(|h| kind.is_none_or(|k| h.kind == k))
            .cloned()
            .collect();
        held.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.url.cmp(&b.url)));
        held
    }

    /// A held context by local id or URL (the core context by any of its URLs); counts a hit.
    pub fn get(&self, id: &str) -> Option<Held> {
        if is_core_context(id) {
            let body = serde_json::from_str(super::context::core_document()).ok()?;
            return Some(Held {
                url: id.to_owned(),
                local_id: id.to_owned(),
                kind: Kind::Cached,
                body: Arc::new(body),
                created_at: String::new(),
                hits: 0,
                last_usage: None,
            });
        }
        let mut documents = self
            .documents
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let held = documents
            .values_mut()
            .find(|h| h.local_id == id || h.url == id)?;
        held.hits += 1;
        held.last_usage = Some(super::now());
        Some(held.clone())
    }

    /// `DELETE /jsonldContexts/{id}`: a hosted context is removed; a cached one is dropped,
    /// or fetched again with `reload`; the core context can only be reloaded (a no-op).
    pub fn delete(&self, id: &str, reload: bool) -> Result<(), NgsiError> {
        if is_core_context(id) {
            return if reload {
                Ok(())
            } else {
                Err(NgsiError::bad_request(
                    "the core context cannot be deleted (reload=true reloads it)",
                ))
            };
        }
        let found = {
            let documents = self
                .documents
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            documents
                .values()
                .find(|h| h.local_id == id || h.url == id)
                .cloned()
        };
        let Some(held) = found else {
            return Err(if reload {
                NgsiError::bad_request(format!("there is no cached context {id} to reload"))
            } else {
                NgsiError::not_found(format!("there is no context {id}"))
            });
        };
        if reload {
            if held.kind == Kind::Hosted {
                return Err(NgsiError::bad_request(
                    "a hosted context has no source to be reloaded from",
                ));
            }
            let document = self.download(&held.url)?;
            if let Some(h) = self
                .documents
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .get_mut(&held.url)
            {
                h.body = document;
            }
        } else {
            self.documents
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .remove(&held.url);
        }
        self.resolved
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        Ok(())
    }
}

fn local_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
