//! SPARQL 1.1 Graph Store HTTP Protocol at `/store`: `?graph=IRI` (indirect), `/store/{path}`
//! (direct: the request IRI names the graph), `?default`, and no parameter for the whole
//! dataset. Every write is one transaction: a body with a syntax error changes nothing.

use super::auth::authorize;
use super::body::{content_type, read_limited};
use super::deadline::Admitted;
use super::multipart;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::state::AppState;
use super::stream::stream_blocking;
use crate::edge::auth::Role;
use crate::standards::sparql::SparqlError;
use crate::storage::bulk::describe_parse_error;
use crate::storage::run_blocking;
use crate::storage::{Cause, LoadError, Origin, Storage, StoreError};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfParseError, RdfParser, RdfSerializer};
use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedOrBlankNodeRef};

/// What a request addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Dataset,
    Default,
    Named(NamedNode),
}

impl Target {
    fn graph_name(&self) -> Option<GraphName> {
        match self {
            Target::Dataset => None,
            Target::Default => Some(GraphName::DefaultGraph),
            Target::Named(n) => Some(n.clone().into()),
        }
    }
}

fn target(request: &HttpRequest, state: &AppState) -> Result<Target, Problem> {
    if let Some(tail) = request.match_info().get("tail").filter(|t| !t.is_empty()) {
        let iri = state.settings.base_iri.join(&format!("store/{tail}"));
        return NamedNode::new(iri.clone()).map(Target::Named).map_err(|e| {
            Problem::bad_request("bad-graph-iri", format!("{iri} is not a valid IRI: {e}"))
        });
    }
    let mut default = false;
    let mut graphs = Vec::new();
    for (key, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        match key.as_ref() {
            "default" => default = true,
            "graph" => graphs.push(value.into_owned()),
            _ => {}
        }
    }
    match (default, graphs.as_slice()) {
        (false, []) => Ok(Target::Dataset),
        (true, []) => Ok(Target::Default),
        (false, [iri]) => {
            // A relative graph IRI is resolved against the base IRI, like a request IRI would be.
            let absolute = oxigraph::model::NamedNode::new(iri.as_str()).or_else(|_| {
                resolve(state.settings.base_iri.as_str(), iri)
                    .and_then(|resolved| NamedNode::new(resolved).map_err(|e| e.to_string()))
                    .map_err(|e| {
                        Problem::bad_request(
                            "bad-graph-iri",
                            format!("graph={iri:?} is not a valid IRI: {e}"),
                        )
                    })
            })?;
            Ok(Target::Named(absolute))
        }
        _ => Err(Problem::bad_request(
            "bad-graph-target",
            "give exactly one of ?graph=IRI or ?default (or neither, for the whole dataset)",
        )),
    }
}

/// Resolves a relative graph IRI against the base IRI (RFC 3986).
fn resolve(base: &str, relative: &str) -> Result<String, String> {
    let base = oxiri::Iri::parse(base).map_err(|e| e.to_string())?;
    base.resolve(relative)
        .map(oxiri::Iri::into_inner)
        .map_err(|e| e.to_string())
}

pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let target = target(&request, &state)?;
    let offers = if target == Target::Dataset {
        negotiate::DATASET
    } else {
        negotiate::RDF
    };
    let offer = negotiate::negotiate(&request, offers)?;
    let Output::Rdf(format) = offer.output else {
        return Err(Problem::not_acceptable(&["text/turtle"]));
    };
    if !exists(&state, &target).await? {
        return Err(not_found(&target));
    }
    if request.method() == actix_web::http::Method::HEAD {
        return Ok(HttpResponse::Ok().content_type(offer.media_type()).finish());
    }
    let store = state.store.clone();
    // A dump holds a task slot while it streams, and stops at the task time limit (the
    // response is then cut short, as a query's is).
    let admitted = Admitted::task(&state).await?;
    let body = stream_blocking(
        move |writer| {
            let stop = admitted.token();
            let timeout = || SparqlError::Timeout {
                seconds: admitted.deadline.seconds(),
            };
            let mut serializer = RdfSerializer::from_format(format).for_writer(writer);
            let storage = |e: StoreError| SparqlError::Storage(e.to_string());
            match target.graph_name() {
                Some(graph) => {
                    for quad in store.quads(None, None, None, Some(graph.as_ref())) {
                        if stop.is_cancelled() {
                            return Err(timeout());
                        }
                        serializer.serialize_triple(quad.map_err(storage)?.as_ref())?;
                    }
                }
                None => {
                    for quad in store.all_quads() {
                        if stop.is_cancelled() {
                            return Err(timeout());
                        }
                        serializer.serialize_quad(&quad.map_err(storage)?)?;
                    }
                }
            }
            serializer.finish()?;
            Ok(())
        },
        None,
        None,
    )
    .await?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(offer.media_type())
        .insert_header(("Vary", "Accept"));
    Ok(body.respond(response))
}

async fn exists(state: &AppState, target: &Target) -> Result<bool, Problem> {
    let Target::Named(graph) = target else {
        return Ok(true);
    };
    let store = state.store.clone();
    let graph = graph.clone();
    Ok(
        run_blocking(move || store.contains_graph(NamedOrBlankNodeRef::from(graph.as_ref())))
            .await??,
    )
}

fn not_found(target: &Target) -> Problem {
    match target {
        Target::Named(g) => {
            Problem::not_found(format!("the store has no graph named <{}>", g.as_str()))
        }
        _ => Problem::not_found("no such graph"),
    }
}

/// How a write treats what is already there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Replace,
    Merge,
}

pub async fn put(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    write(request, payload, state, Mode::Replace).await
}

pub async fn post(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    write(request, payload, state, Mode::Merge).await
}

/// A document to load: its bytes and format.
struct Document {
    format: RdfFormat,
    bytes: Vec<u8>,
}

async fn write(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    mode: Mode,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Write)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::GraphStore);
    let mut target = target(&request, &state)?;
    let body = read_limited(&request, payload, state.settings.limits.max_body_bytes).await?;
    let documents = documents(&request, &body)?;
    let mut created_location = None;
    if target == Target::Dataset {
        let all_datasets = documents.iter().all(|d| d.format.supports_datasets());
        match (mode, all_datasets) {
            (Mode::Merge, true) => {}
            (Mode::Merge, false) => {
                // POST of a graph to the endpoint creates a new graph (Graph Store Protocol 5.5).
                let iri = state
                    .settings
                    .base_iri
                    .join(&format!("graph/store/{}", new_id()));
                let graph = NamedNode::new(iri).map_err(|e| Problem::internal(&e))?;
                created_location = Some(graph.as_str().to_owned());
                target = Target::Named(graph);
            }
            (Mode::Replace, _) => {
                return Err(Problem::bad_request(
                    "bad-graph-target",
                    "PUT needs ?graph=IRI or ?default; replacing the whole dataset is not offered",
                ));
            }
        }
    }
    let base = match &target {
        Target::Named(g) => g.as_str().to_owned(),
        _ => state.settings.base_iri.as_str().to_owned(),
    };
    let store = state.store.clone();
    let write_target = target.clone();
    let existed =
        run_blocking(move || apply(&store, cause, &write_target, mode, &documents, &base))
            .await??;
    if let Some(location) = created_location {
        return Ok(HttpResponse::Created()
            .insert_header((header::LOCATION, location))
            .finish());
    }
    Ok(if existed {
        HttpResponse::NoContent().finish()
    } else {
        HttpResponse::Created().finish()
    })
}

fn documents(request: &HttpRequest, body: &[u8]) -> Result<Vec<Document>, Problem> {
    let accepted = [
        "text/turtle",
        "application/n-triples",
        "application/n-quads",
        "application/trig",
        "application/rdf+xml",
        "application/ld+json",
        "multipart/form-data",
    ];
    let media = content_type(request).ok_or_else(|| {
        Problem::bad_request(
            "missing-content-type",
            format!(
                "say what the body is with Content-Type: {}",
                accepted.join(", ")
            ),
        )
    })?;
    if media == "multipart/form-data" {
        let parts = multipart::request_parts(request, body)?;
        return parts
            .into_iter()
            .map(|part| {
                let format = part
                    .content_type
                    .as_deref()
                    .and_then(RdfFormat::from_media_type)
                    .or_else(|| {
                        part.filename.as_deref().and_then(|f| {
                            crate::core::rdf_file::format_of(std::path::Path::new(f))
                                .ok()
                                .map(|(f, _)| f)
                        })
                    })
                    .ok_or_else(|| {
                        Problem::unsupported_media_type(
                            part.content_type.as_deref().unwrap_or("(none)"),
                            &accepted,
                        )
                    })?;
                let document = Document {
                    format,
                    bytes: part.body.to_vec(),
                };
                check_before_parsing(&document)?;
                Ok(document)
            })
            .collect();
    }
    let format = RdfFormat::from_media_type(&media)
        .ok_or_else(|| Problem::unsupported_media_type(&media, &accepted))?;
    let document = Document {
        format,
        bytes: body.to_vec(),
    };
    check_before_parsing(&document)?;
    Ok(vec![document])
}

/// Checked before parsing: RDF/XML entity declarations (nested entities expand exponentially)
/// and JSON-LD nested past what the parser may recurse through are refused outright.
fn check_before_parsing(document: &Document) -> Result<(), Problem> {
    crate::core::rdf_file::check_untrusted(document.format, &document.bytes).map_err(Problem::from)
}

#[derive(Debug, thiserror::Error)]
enum ApplyError {
    #[error("{0}")]
    Syntax(String, Option<(u64, u64)>),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

impl From<LoadError> for ApplyError {
    fn from(error: LoadError) -> Self {
        match error {
            LoadError::Parse(e) => syntax(&e),
            LoadError::Store(e) => ApplyError::Storage(e),
        }
    }
}

impl From<ApplyError> for Problem {
    fn from(error: ApplyError) -> Self {
        match error {
            ApplyError::Syntax(message, location) => {
                let problem = Problem::bad_request(
                    "rdf-syntax",
                    format!("the body is not valid RDF: {message}; nothing was changed"),
                );
                match location {
                    Some((line, column)) => problem.with_location(line, column),
                    None => problem,
                }
            }
            ApplyError::Storage(e) => Problem::internal(&e),
        }
    }
}

/// Writes the documents into the target in one transaction; returns whether the graph existed.
fn apply(
    store: &Storage,
    cause: Cause,
    target: &Target,
    mode: Mode,
    documents: &[Document],
    base: &str,
) -> Result<bool, ApplyError> {
    store.write(cause, |transaction| {
        let existed = match target {
            Target::Named(g) => transaction.contains_graph(g)?,
            _ => true,
        };
        if mode == Mode::Replace {
            if let Some(graph) = target.graph_name() {
                transaction.clear_graph(graph.as_ref())?;
            }
        }
        if let Target::Named(g) = target {
            transaction.insert_graph(g);
        }
        for document in documents {
            let mut parser = RdfParser::from_format(document.format);
            parser = parser
                .with_base_iri(base)
                .map_err(|e| ApplyError::Syntax(e.to_string(), None))?;
            if let Some(graph) = target.graph_name() {
                parser = parser.without_named_graphs().with_default_graph(graph);
            }
            transaction.load(parser, &document.bytes)?;
        }
        Ok(existed)
    })
}

fn syntax(error: &RdfParseError) -> ApplyError {
    let location = match error {
        RdfParseError::Syntax(e) => e.location().map(|r| (r.start.line + 1, r.start.column + 1)),
        RdfParseError::Io(_) => None,
    };
    ApplyError::Syntax(describe_parse_error(error), location)
}

pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Write)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::GraphStore);
    let target = target(&request, &state)?;
    let store = state.store.clone();
    let removed = match target.clone() {
        Target::Dataset => {
            return Err(Problem::bad_request(
                "bad-graph-target",
                "DELETE needs ?graph=IRI or ?default; dropping the whole dataset is not offered",
            ));
        }
        Target::Default => {
            run_blocking(move || {
                store.write(cause, |transaction| {
                    transaction.clear_graph(GraphNameRef::DefaultGraph)?;
                    Ok::<_, StoreError>(true)
                })
            })
            .await??
        }
        Target::Named(graph) => {
            run_blocking(move || {
                store.write(cause, |transaction| {
                    let name = NamedOrBlankNodeRef::from(graph.as_ref());
                    if !transaction.contains_graph(name)? {
                        return Ok::<_, StoreError>(false);
                    }
                    transaction.remove_graph(name)?;
                    Ok(true)
                })
            })
            .await??
        }
    };
    if removed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(not_found(&target))
    }
}

pub async fn method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("GET, HEAD, PUT, POST, DELETE"))
}

/// A new graph id: time plus randomness, URL-safe.
fn new_id() -> String {
    let mut bytes = [0u8; 8];
    let _ = getrandom::fill(&mut bytes);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{nanos:x}-{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}
