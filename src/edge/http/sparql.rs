//! SPARQL 1.1 Protocol: query at `/query` (alias `/sparql`) by GET, form POST and direct POST;
//! update at `/update`. Handlers read the request into a query text and parameters, then hand
//! over to `crate::standards::sparql`; results stream back in the negotiated format.

use super::auth::authorize;
use super::body::{Params, content_type, read_limited};
use super::deadline::{Deadline, effective_timeout};
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::state::AppState;
use super::stream::stream_blocking;
use super::{query_page, service_description};
use crate::edge::auth::Role;
use crate::standards::sparql::{self, ProtocolDataset, QueryKind, ResultFormat, RunOptions};
use crate::storage::{Cause, Origin, run_blocking};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use std::sync::Arc;
use std::time::{Duration, Instant};

const FORM: &str = "application/x-www-form-urlencoded";
const SPARQL_QUERY: &str = "application/sparql-query";
const SPARQL_UPDATE: &str = "application/sparql-update";

pub async fn query_get(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let params = Params::parse(request.query_string().as_bytes());
    match params.single("query")? {
        Some(query) => run_query(&request, &state, query, &params).await,
        None => describe_service(&request, &state).await,
    }
}

pub async fn query_post(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let (query, params) = read_operation(&request, payload, &state, Operation::Query).await?;
    run_query(&request, &state, query, &params).await
}

pub async fn update_post(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Write)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::Update);
    let (update, params) = read_operation(&request, payload, &state, Operation::Update).await?;
    let dataset = ProtocolDataset::parse(
        ("using-graph-uri", &params.all("using-graph-uri")),
        (
            "using-named-graph-uri",
            &params.all("using-named-graph-uri"),
        ),
    )?;
    let limit = effective_timeout(state.settings.limits.query_timeout, &params)?;
    // Updates share the query slots: parsing and running one is work of the same kind.
    let permit = acquire_slot(&state, limit).await?;
    let deadline = Deadline::start(limit);
    let store = state.store.clone();
    let settings = state.settings.clone();
    let metrics = state.metrics.clone();
    let started = Instant::now();
    run_blocking(move || {
        let _permit = permit;
        let options = RunOptions {
            allow: &settings.allow_list,
            cancel: Some(deadline.token.clone()),
            timeout: Some(limit),
        };
        let prepared = sparql::parse_update(
            &update,
            Some(settings.base_iri.as_str()),
            &dataset,
            &options,
        )?;
        sparql::run_update(prepared, &store, cause, Some(limit))
    })
    .await??;
    metrics.record_query("update", started.elapsed());
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Clone, Copy)]
enum Operation {
    Query,
    Update,
}

impl Operation {
    /// The form field, and the media type of a direct POST.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Operation::Query => ("query", SPARQL_QUERY),
            Operation::Update => ("update", SPARQL_UPDATE),
        }
    }
}

/// The operation text of a POST (form field or direct body) and every parameter, URL and form.
async fn read_operation(
    request: &HttpRequest,
    payload: web::Payload,
    state: &AppState,
    operation: Operation,
) -> Result<(String, Params), Problem> {
    let (field, direct) = operation.names();
    let body = read_limited(request, payload, state.settings.limits.max_body_bytes).await?;
    let mut params = Params::parse(request.query_string().as_bytes());
    let text = match content_type(request).as_deref() {
        Some(FORM) => {
            params.extend(Params::parse_utf8(&body)?);
            params.single(field)?.ok_or_else(|| {
                Problem::bad_request(
                    &format!("missing-{field}"),
                    format!("the form has no {field} parameter"),
                )
            })?
        }
        Some(media) if media == direct => {
            if params.contains(field) {
                return Err(Problem::bad_request(
                    "repeated-parameter",
                    format!(
                        "a direct POST carries the {field} in the body; remove the {field} URL parameter"
                    ),
                ));
            }
            direct_body(request, body)?
        }
        Some(other) => return Err(Problem::unsupported_media_type(other, &[FORM, direct])),
        None => {
            return Err(Problem::bad_request(
                "missing-content-type",
                format!("a POST of a SPARQL {field} needs a Content-Type: {FORM} or {direct}"),
            ));
        }
    };
    Ok((text, params))
}

/// The body of a direct POST: UTF-8, and no other charset declared.
fn direct_body(request: &HttpRequest, body: web::Bytes) -> Result<String, Problem> {
    let declared = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some(charset) = declared
        .split(';')
        .skip(1)
        .find_map(|p| p.trim().strip_prefix("charset="))
    {
        let charset = charset.trim_matches('"');
        if charset != "utf-8" && charset != "utf8" {
            return Err(Problem::unsupported_media_type(
                &format!("charset={charset}"),
                &["UTF-8 encoded bodies"],
            ));
        }
    }
    String::from_utf8(body.to_vec()).map_err(|e| {
        Problem::bad_request("bad-encoding", format!("the body is not valid UTF-8: {e}"))
    })
}

async fn run_query(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    text: String,
    params: &Params,
) -> Result<HttpResponse, Problem> {
    let dataset = ProtocolDataset::parse(
        ("default-graph-uri", &params.all("default-graph-uri")),
        ("named-graph-uri", &params.all("named-graph-uri")),
    )?;
    let limit = effective_timeout(state.settings.limits.query_timeout, params)?;
    // The slot is taken before parsing: a large query takes time to parse too, off the worker.
    let permit = acquire_slot(state, limit).await?;
    let settings = state.settings.clone();
    let text = Arc::<str>::from(text);
    let parsed = run_blocking({
        let text = text.clone();
        move || {
            sparql::parse_query(
                &text,
                Some(settings.base_iri.as_str()),
                &settings.allow_list,
            )
        }
    })
    .await?;
    let parsed = match parsed {
        Ok(parsed) => parsed,
        Err(error) if wants_html(request) => {
            return Ok(query_page::query_page_error(
                state,
                &text,
                Problem::from(error),
            ));
        }
        Err(error) => return Err(error.into()),
    };
    let kind = parsed.kind();
    let offers = if kind.returns_graph() {
        negotiate::RDF_OR_PAGE
    } else {
        negotiate::RESULTS_OR_PAGE
    };
    let offer = negotiate::negotiate(request, offers)?;
    let deadline = Deadline::start(limit);
    let format = match offer.output {
        Output::Results(f) => ResultFormat::Results(f),
        Output::Rdf(f) => ResultFormat::Rdf(f),
        Output::Html => {
            return query_page::query_page_results(
                state,
                text.to_string(),
                parsed,
                dataset,
                deadline,
                permit,
            )
            .await;
        }
        // Not among the query offers.
        Output::Json | Output::Document => return Err(Problem::not_acceptable(&[])),
    };
    let store = state.store.clone();
    let metrics = state.metrics.clone();
    let allow = state.settings.allow_list.clone();
    // A little after the cancellation, so that an evaluation that notices it answers itself.
    let respond_by = limit + Duration::from_millis(250);
    let body = stream_blocking(
        move |writer| {
            let _permit = permit;
            let started = Instant::now();
            let options = RunOptions {
                allow: &allow,
                cancel: Some(deadline.token.clone()),
                timeout: Some(deadline.limit),
            };
            let outcome = parsed.evaluate(&store, &dataset, &options, |results| {
                sparql::write_results(results, format, writer, Some(deadline.seconds())).map(|_| ())
            });
            metrics.record_query(kind_label(kind), started.elapsed());
            outcome
        },
        Some(respond_by),
        Some(&state.eval_pool),
    )
    .await?;
    let mut response = HttpResponse::Ok();
    response
        .content_type(offer.media_type())
        .insert_header(("Vary", "Accept"));
    Ok(body.respond(response))
}

/// Waits for a query slot, at most as long as the query itself may run.
pub(super) async fn acquire_slot(
    state: &AppState,
    limit: Duration,
) -> Result<tokio::sync::OwnedSemaphorePermit, Problem> {
    super::deadline::acquire(
        &state.query_slots,
        state.settings.limits.max_concurrent_queries,
        limit,
        "query",
    )
    .await
}

pub(super) fn kind_label(kind: QueryKind) -> &'static str {
    match kind {
        QueryKind::Select => "select",
        QueryKind::Ask => "ask",
        QueryKind::Construct => "construct",
        QueryKind::Describe => "describe",
    }
}

fn wants_html(request: &HttpRequest) -> bool {
    negotiate::negotiate(request, negotiate::RESULTS_OR_PAGE)
        .is_ok_and(|o| o.output == Output::Html)
}

async fn describe_service(
    request: &HttpRequest,
    state: &web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let offer = negotiate::negotiate(request, negotiate::RDF_OR_PAGE)?;
    match offer.output {
        Output::Html => Ok(query_page::query_form(state)),
        Output::Rdf(format) => {
            let body = service_description::serialize(&state.settings, format)
                .map_err(|e| Problem::internal(&e))?;
            Ok(HttpResponse::build(StatusCode::OK)
                .content_type(offer.media_type())
                .insert_header(("Vary", "Accept"))
                .body(body))
        }
        Output::Results(_) | Output::Json | Output::Document => Err(Problem::not_acceptable(&[
            "text/turtle",
            "application/ld+json",
            "text/html",
        ])),
    }
}

/// Any other method on the query endpoint.
pub async fn query_method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("GET, POST"))
}

/// Any other method on the update endpoint (an update by GET included, as the protocol says).
pub async fn update_method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("POST"))
}
