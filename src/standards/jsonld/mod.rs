//! JSON-LD 1.1 through the `json-ld` crate (expansion, compaction, flattening, toRdf are the
//! crate's; nothing here re-implements them): JSON-LD text -> oxigraph quads for the write
//! endpoints, and quads -> expanded / compacted / flattened JSON-LD for the read endpoints.
//!
//! Documents are processed with a [`ContextLoader`] that serves citykg's shipped context from
//! memory and refuses every other remote document (no network: see `loader.rs`). The crate's API
//! is async only because loaders may be; ours never waits, so each call is driven to completion
//! on the calling thread with a tiny executor. Callers on the async executor run these calls
//! through `storage::run_blocking`, like any CPU-bound work.
//!
//! Public API (other modules call these):
//! - [`to_rdf`] / [`to_rdf_with`]: JSON-LD text -> `Vec<oxigraph::model::Quad>`
//! - [`expand`], [`compact`], [`flatten`]: JSON-LD text -> JSON (serde_json)
//! - [`from_rdf`]: quads -> expanded JSON-LD; [`compact_quads`], [`flatten_quads`]: quads ->
//!   compacted / flattened JSON-LD with citykg's context
//! - [`context_document`], [`context_iri`]: the shipped context and where it is served

mod convert;
mod depth;
mod from_rdf;
mod loader;

#[cfg(test)]
mod tests;

use json_ld::{JsonLdProcessor, RemoteDocument, RemoteDocumentReference};
use json_syntax::Parse as _;
use oxigraph::model::Quad;

pub use from_rdf::from_rdf;
pub use loader::{ContextLoader, context_document, context_iri};

use crate::core::config::BaseIri;

/// Documents nested deeper than this are refused before processing: the crate's algorithms are
/// recursive, and a hostile document must not exhaust a worker thread's stack.
pub const MAX_DEPTH: usize = 128;

/// A JSON-LD failure, with the JSON-LD error code when the algorithms gave one (the codes of
/// the JSON-LD 1.1 API, e.g. `invalid IRI mapping`) and the position of JSON syntax errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct JsonLdError {
    /// The JSON-LD API error code, or `None` for errors outside the algorithms (syntax, RDF).
    pub code: Option<String>,
    pub message: String,
    /// 1-based line and column of a JSON syntax error.
    pub location: Option<(u64, u64)>,
}

impl JsonLdError {
    fn new(code: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            code: code.map(str::to_owned),
            message: message.into(),
            location: None,
        }
    }
}

/// Which direction-carrying literals toRdf produces (`rdfDirection` of the JSON-LD API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RdfDirection {
    I18nDatatype,
    CompoundLiteral,
}

/// The options of the JSON-LD API that citykg and the conformance tests use.
#[derive(Debug, Clone)]
pub struct Options {
    /// The document's own IRI (relative IRIs resolve against it); also the context base.
    pub document_iri: Option<String>,
    /// `base` option: overrides `document_iri` for IRI resolution.
    pub base: Option<String>,
    /// A context IRI applied before the document's own (`expandContext`).
    pub expand_context: Option<String>,
    /// `processingMode: json-ld-1.0`.
    pub json_ld_1_0: bool,
    pub compact_arrays: bool,
    pub compact_to_relative: bool,
    pub produce_generalized_rdf: bool,
    pub rdf_direction: Option<RdfDirection>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            document_iri: None,
            base: None,
            expand_context: None,
            json_ld_1_0: false,
            compact_arrays: true,
            compact_to_relative: true,
            produce_generalized_rdf: false,
            rdf_direction: None,
        }
    }
}

impl Options {
    /// The options for a document received at (or describing) `document_iri`.
    pub fn for_document(document_iri: &str) -> Self {
        Self {
            document_iri: Some(document_iri.to_owned()),
            ..Self::default()
        }
    }

    fn crate_options(&self) -> Result<json_ld::Options, JsonLdError> {
        let mut options = json_ld::Options {
            base: self.base.as_deref().map(parse_iri).transpose()?,
            compact_arrays: self.compact_arrays,
            compact_to_relative: self.compact_to_relative,
            produce_generalized_rdf: self.produce_generalized_rdf,
            rdf_direction: self.rdf_direction.map(|d| match d {
                RdfDirection::I18nDatatype => json_ld::rdf::RdfDirection::I18nDatatype,
                RdfDirection::CompoundLiteral => json_ld::rdf::RdfDirection::CompoundLiteral,
            }),
            ..json_ld::Options::default()
        };
        if self.json_ld_1_0 {
            options.processing_mode = json_ld::ProcessingMode::JsonLd1_0;
        }
        if let Some(iri) = &self.expand_context {
            options.expand_context = Some(RemoteDocumentReference::iri(parse_iri(iri)?));
        }
        Ok(options)
    }
}

fn parse_iri(text: &str) -> Result<json_ld::IriBuf, JsonLdError> {
    json_ld::IriBuf::new(text.to_owned())
        .map_err(|_| JsonLdError::new(None, format!("`{text}` is not an absolute IRI")))
}

/// Parses JSON text (any JSON value) with its position on failure, refusing deep nesting.
pub fn parse_json(text: &str) -> Result<json_syntax::Value, JsonLdError> {
    depth::check(text, MAX_DEPTH)?;
    json_syntax::Value::parse_str(text)
        .map(|(value, _)| value)
        .map_err(|e| {
            let (line, column) = depth::line_column(text, e.position());
            JsonLdError {
                code: None,
                message: format!("the document is not JSON: {e} (line {line}, column {column})"),
                location: Some((line, column)),
            }
        })
}

fn remote(
    value: json_syntax::Value,
    options: &Options,
) -> Result<RemoteDocument<json_ld::IriBuf>, JsonLdError> {
    let url = options.document_iri.as_deref().map(parse_iri).transpose()?;
    Ok(RemoteDocument::new(url, None, value))
}

/// JSON-LD text -> quads (the toRdf algorithm), with blank nodes fresh for this call so two
/// documents never share one. The context IRIs the loader knows are the only remote ones.
pub fn to_rdf(text: &str, base: &BaseIri) -> Result<Vec<Quad>, JsonLdError> {
    to_rdf_with(text, &ContextLoader::new(base), &Options::default())
}

/// [`to_rdf`] with explicit options and loader.
pub fn to_rdf_with(
    text: &str,
    loader: &ContextLoader,
    options: &Options,
) -> Result<Vec<Quad>, JsonLdError> {
    let document = remote(parse_json(text)?, options)?;
    to_rdf_document(&document, loader, options)
}

fn to_rdf_document(
    document: &RemoteDocument<json_ld::IriBuf>,
    loader: &ContextLoader,
    options: &Options,
) -> Result<Vec<Quad>, JsonLdError> {
    let generator = json_ld::rdf_types::generator::Blank::new_with_prefix("b".to_owned());
    let mut result = block_on(document.to_rdf_using(generator, loader, options.crate_options()?))?
        .map_err(|e| JsonLdError::new(Some(e.code().as_str()), e.to_string()))?;
    convert::quads(result.cloned_quads())
}

/// JSON-LD text -> expanded JSON-LD.
pub fn expand(
    text: &str,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    let document = remote(parse_json(text)?, options)?;
    expand_value(&document, loader, options)
}

fn expand_value(
    document: &RemoteDocument<json_ld::IriBuf>,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    use json_ld::syntax::IntoJsonWithContext as _;
    let expanded = block_on(document.expand_full(
        json_ld::rdf_types::vocabulary::no_vocabulary_mut(),
        loader,
        options.crate_options()?,
        (),
    ))?
    .map_err(|e| JsonLdError::new(Some(e.code().as_str()), e.to_string()))?;
    let objects = expanded
        .into_iter()
        .map(|object| object.into_json_with(&()))
        .collect();
    Ok(json_syntax::Value::Array(objects).into_serde_json())
}

/// The `@context` value a compacted document carries: a context IRI, or an inline context.
#[derive(Debug, Clone)]
pub enum ContextRef {
    Iri(String),
    /// A context document (`{"@context": ...}`) given inline; its `@context` value is embedded.
    /// `iri` is where it came from, the base of relative IRIs inside it.
    Inline {
        document: serde_json::Value,
        iri: Option<String>,
    },
}

/// JSON-LD text -> compacted JSON-LD with `context` (which the result's `@context` names).
pub fn compact(
    text: &str,
    context: &ContextRef,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    let document = remote(parse_json(text)?, options)?;
    compact_document(&document, context, loader, options)
}

fn context_reference(
    context: &ContextRef,
) -> Result<(json_ld::RemoteContextReference, serde_json::Value), JsonLdError> {
    match context {
        ContextRef::Iri(iri) => Ok((
            RemoteDocumentReference::iri(parse_iri(iri)?),
            serde_json::Value::String(iri.clone()),
        )),
        ContextRef::Inline { document, iri } => {
            let inner = document
                .get("@context")
                .cloned()
                .unwrap_or(serde_json::Value::Null);
            let syntax = json_syntax::Value::from_serde_json(inner.clone());
            let context = json_ld::syntax::context::Context::try_from_json(syntax)
                .map_err(|e| JsonLdError::new(Some("invalid local context"), e.to_string()))?;
            let url = iri.as_deref().map(parse_iri).transpose()?;
            Ok((
                RemoteDocumentReference::Loaded(RemoteDocument::new(url, None, context)),
                inner,
            ))
        }
    }
}

use json_ld::syntax::TryFromJson as _;

fn compact_document(
    document: &RemoteDocument<json_ld::IriBuf>,
    context: &ContextRef,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    let (reference, context_value) = context_reference(context)?;
    let compacted = block_on(document.compact_full(
        json_ld::rdf_types::vocabulary::no_vocabulary_mut(),
        reference,
        loader,
        options.crate_options()?,
        (),
    ))?
    .map_err(|e| JsonLdError::new(Some(e.code().as_str()), e.to_string()))?;
    Ok(with_context(compacted.into_serde_json(), context_value))
}

/// The compaction algorithm's last steps, which the crate leaves to its caller: a top-level
/// array becomes `@graph`, and a non-empty context is named in `@context`.
fn with_context(compacted: serde_json::Value, context: serde_json::Value) -> serde_json::Value {
    use serde_json::{Map, Value};
    let mut object = match compacted {
        // The crate inlines the context it used; the document names it instead.
        Value::Object(mut object) => {
            object.remove("@context");
            object
        }
        Value::Array(items) if items.is_empty() => Map::new(),
        Value::Array(items) => Map::from_iter([("@graph".to_owned(), Value::Array(items))]),
        other => return other,
    };
    let empty = match &context {
        Value::Null => true,
        Value::Object(o) => o.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    };
    if empty {
        return Value::Object(object);
    }
    let mut out = Map::from_iter([("@context".to_owned(), context)]);
    out.append(&mut object);
    Value::Object(out)
}

/// JSON-LD text -> flattened JSON-LD, compacted with `context` when one is given.
pub fn flatten(
    text: &str,
    context: Option<&ContextRef>,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    let document = remote(parse_json(text)?, options)?;
    flatten_document(&document, context, loader, options)
}

fn flatten_document(
    document: &RemoteDocument<json_ld::IriBuf>,
    context: Option<&ContextRef>,
    loader: &ContextLoader,
    options: &Options,
) -> Result<serde_json::Value, JsonLdError> {
    let mut generator = json_ld::rdf_types::generator::Blank::new_with_prefix("b".to_owned());
    let (reference, context_value) = match context {
        Some(context) => {
            let (reference, value) = context_reference(context)?;
            (Some(reference), Some(value))
        }
        None => (None, None),
    };
    let flattened = block_on(document.flatten_full(
        json_ld::rdf_types::vocabulary::no_vocabulary_mut(),
        &mut generator,
        reference,
        loader,
        options.crate_options()?,
        (),
    ))?
    .map_err(|e| JsonLdError::new(Some(e.code().as_str()), e.to_string()))?
    .into_serde_json();
    match context_value {
        None => Ok(flattened),
        Some(context_value) => {
            let mut compacted = with_context(flattened, context_value);
            force_graph(&mut compacted);
            Ok(compacted)
        }
    }
}

/// Flattened output always lists its nodes under `@graph`, even when there is one.
fn force_graph(document: &mut serde_json::Value) {
    use serde_json::Value;
    let Value::Object(object) = document else {
        return;
    };
    if object.contains_key("@graph") {
        return;
    }
    let context = object.remove("@context");
    let node = Value::Object(std::mem::take(object));
    if let Some(context) = context {
        object.insert("@context".to_owned(), context);
    }
    let nodes = match &node {
        Value::Object(o) if o.is_empty() => Vec::new(),
        _ => vec![node],
    };
    object.insert("@graph".to_owned(), Value::Array(nodes));
}

/// Quads -> compacted JSON-LD with citykg's context, named by its IRI under `base`.
pub fn compact_quads(quads: &[Quad], base: &BaseIri) -> Result<serde_json::Value, JsonLdError> {
    compact_expanded(from_rdf(quads), base)
}

/// An expanded document (from [`from_rdf`]) compacted with citykg's context.
fn compact_expanded(
    expanded: serde_json::Value,
    base: &BaseIri,
) -> Result<serde_json::Value, JsonLdError> {
    let loader = ContextLoader::new(base);
    let document = RemoteDocument::new(None, None, json_syntax::Value::from_serde_json(expanded));
    let options = Options {
        // IRIs stay absolute: a resource's document is often saved or forwarded elsewhere.
        compact_to_relative: false,
        ..Options::default()
    };
    compact_document(
        &document,
        &ContextRef::Iri(context_iri(base)),
        &loader,
        &options,
    )
}

/// One resource and what it owns (quads reachable from `root` through blank nodes and IRIs
/// under `{root}/`) as a single compacted JSON object with citykg's context: the form a JSON
/// merge patch (`PATCH /use-cases/{id}`) applies to. Quads not reachable from `root` are left
/// out (a use case's catalogue record points at it, not the other way round).
pub fn compact_tree(
    quads: &[Quad],
    root: &oxigraph::model::NamedNode,
    base: &BaseIri,
) -> Result<serde_json::Value, JsonLdError> {
    let reachable = reachable_from(quads, root);
    compact_expanded(from_rdf::from_rdf_tree(&reachable, root.as_str()), base)
}

fn reachable_from(quads: &[Quad], root: &oxigraph::model::NamedNode) -> Vec<Quad> {
    use oxigraph::model::{NamedOrBlankNode, Term};
    let owned = format!("{}/", root.as_str());
    let mut seen = std::collections::HashSet::from([NamedOrBlankNode::from(root.clone())]);
    let mut frontier = vec![NamedOrBlankNode::from(root.clone())];
    while let Some(node) = frontier.pop() {
        for quad in quads.iter().filter(|q| q.subject == node) {
            let next = match &quad.object {
                Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                Term::NamedNode(n) if n.as_str().starts_with(&owned) => {
                    NamedOrBlankNode::from(n.clone())
                }
                _ => continue,
            };
            if seen.insert(next.clone()) {
                frontier.push(next);
            }
        }
    }
    // One description, whatever graph each statement came from.
    quads
        .iter()
        .filter(|q| seen.contains(&q.subject))
        .map(|q| {
            Quad::new(
                q.subject.clone(),
                q.predicate.clone(),
                q.object.clone(),
                oxigraph::model::GraphName::DefaultGraph,
            )
        })
        .collect()
}

/// Quads -> flattened JSON-LD compacted with citykg's context.
pub fn flatten_quads(quads: &[Quad], base: &BaseIri) -> Result<serde_json::Value, JsonLdError> {
    let loader = ContextLoader::new(base);
    let expanded = json_syntax::Value::from_serde_json(from_rdf(quads));
    let document = RemoteDocument::new(None, None, expanded);
    let options = Options {
        compact_to_relative: false,
        ..Options::default()
    };
    flatten_document(
        &document,
        Some(&ContextRef::Iri(context_iri(base))),
        &loader,
        &options,
    )
}

/// Stack for the thread that runs the crate's algorithms. They recurse once per level of
/// nesting with large frames (about 300 KiB a level in a debug build), so a worker thread's
/// 2 MiB would let a document nested 8 node objects deep abort the process. The memory is
/// reserved, not committed, until used.
const STACK_BYTES: usize = 256 << 20;

/// Drives one of the crate's futures to completion on a thread of its own with a large stack.
/// Our loader never waits on I/O, so nothing here blocks for long; callers on the async
/// executor still use `run_blocking`. A panic inside the crate becomes an error.
fn block_on<F>(future: F) -> Result<F::Output, JsonLdError>
where
    F: std::future::Future + Send,
    F::Output: Send,
{
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("citykg-jsonld".to_owned())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || futures_executor::block_on(future))
            .map_err(|e| JsonLdError::new(None, format!("cannot start the JSON-LD worker: {e}")))?
            .join()
            .map_err(|_| {
                JsonLdError::new(
                    None,
                    "the JSON-LD processor failed on this document (an internal error of the json-ld crate)",
                )
            })
    })
}
