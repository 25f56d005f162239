//! `/ngsi-ld/v1/...`: one handler that reads the HTTP request into an `ngsild::Request`
//! (tenant, Link context, media types, parameters, JSON body), routes it by method and path, and
//! writes the `ngsild::Reply` back. Errors are NGSI-LD ProblemDetails (`application/json`).
//! Trailing slashes are accepted, as the ETSI test suite sends both forms.

use actix_web::http::{Method, StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::Value;

use super::state::AppState;
use crate::edge::auth::Role;
use crate::ngsild::ops::{Batch, Mode};
use crate::ngsild::{Accept, NgsiError, NgsiLd, Reply, Request};
use crate::storage::run_blocking;

const TENANT: &str = "NGSILD-Tenant";
const PREFIX: &str = "/ngsi-ld/v1/";

/// Every route under `/ngsi-ld/v1/`.
pub async fn handle(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> HttpResponse {
    let tenant = request
        .headers()
        .get(TENANT)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .filter(|t| !t.is_empty());
    let response = match serve(&request, &state, body, tenant.clone()).await {
        Ok(reply) => respond(reply),
        Err(Refusal::Ngsi(error)) => problem(&error),
        Err(Refusal::Problem(problem)) => actix_web::ResponseError::error_response(&problem),
    };
    let mut response = response;
    if let Some(tenant) = tenant
        && let Ok(value) = header::HeaderValue::from_str(&tenant)
    {
        response
            .headers_mut()
            .insert(header::HeaderName::from_static("ngsild-tenant"), value);
    }
    response
}

enum Refusal {
    Ngsi(NgsiError),
    Problem(super::problem::Problem),
}

impl From<NgsiError> for Refusal {
    fn from(error: NgsiError) -> Self {
        Self::Ngsi(error)
    }
}

impl From<crate::storage::StoreError> for Refusal {
    fn from(error: crate::storage::StoreError) -> Self {
        Self::Ngsi(error.into())
    }
}

impl From<super::problem::Problem> for Refusal {
    fn from(problem: super::problem::Problem) -> Self {
        Self::Problem(problem)
    }
}

fn problem(error: &NgsiError) -> HttpResponse {
    if error.kind == crate::ngsild::ErrorType::LengthRequired {
        // 411 carries no body (clause 6.3.7).
        return HttpResponse::LengthRequired().finish();
    }
    let status = StatusCode::from_u16(error.kind.status()).unwrap_or(StatusCode::BAD_REQUEST);
    HttpResponse::build(status)
        .content_type("application/json")
        .body(error.body().to_string())
}

fn respond(reply: Reply) -> HttpResponse {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    for (name, value) in reply.headers {
        builder.append_header((name, value));
    }
    match reply.body {
        Some(body) => builder
            .content_type(reply.content_type)
            .body(body.to_string()),
        None => builder.finish(),
    }
}

/// The media type of a header value, lowercased, without parameters.
fn media_type(value: &str) -> String {
    value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// The best of JSON, JSON-LD and GeoJSON that `Accept` allows (q-values first, then that order);
/// `None` when it allows none.
fn negotiate(request: &HttpRequest, geo: bool) -> Option<Accept> {
    let Some(accept) = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
    else {
        return Some(Accept::Json);
    };
    let offered = [
        ("application/json", Accept::Json),
        ("application/ld+json", Accept::JsonLd),
        ("application/geo+json", Accept::GeoJson),
    ];
    let mut best: Option<(f32, usize, Accept)> = None;
    let offered = if geo { &offered[..] } else { &offered[..2] };
    for (rank, (name, kind)) in offered.iter().enumerate() {
        // The most specific range that matches decides the weight.
        let mut weight: Option<(u8, f32)> = None;
        for range in accept.split(',') {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q=").map(str::to_owned))
                .next()
                .and_then(|q| q.parse::<f32>().ok())
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(1.0);
            let specificity = if media == *name {
                3
            } else if media == "application/*" {
                2
            } else if media == "*/*" {
                1
            } else {
                continue;
            };
            if weight.is_none_or(|(s, _)| specificity > s) {
                weight = Some((specificity, q));
            }
        }
        if let Some((_, q)) = weight
            && q > 0.0
            && best.is_none_or(|(bq, _, _)| q > bq)
        {
            best = Some((q, rank, *kind));
        }
    }
    best.map(|(_, _, kind)| kind)
}

async fn serve(
    request: &HttpRequest,
    state: &web::Data<AppState>,
    payload: web::Payload,
    tenant: Option<String>,
) -> Result<Reply, Refusal> {
    let method = request.method().clone();
    let writes = !matches!(method, Method::GET | Method::HEAD);
    let token = if writes && !state.settings.ngsi_ld_open_writes {
        super::auth::authorize(request, state, Role::Write)?
    } else {
        super::auth::authorize(request, state, Role::Read)?
    };
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(media_type);
    let has_body_method = matches!(method, Method::POST | Method::PUT | Method::PATCH);
    // A body must say its length (clause 6.3.7: 411 before anything else is decided).
    if has_body_method && !request.headers().contains_key(header::CONTENT_LENGTH) {
        return Err(NgsiError::new(
            crate::ngsild::ErrorType::LengthRequired,
            "the request has a body without Content-Length",
        )
        .into());
    }
    if has_body_method {
        let allowed: &[&str] = if method == Method::PATCH {
            &[
                "application/json",
                "application/ld+json",
                "application/merge-patch+json",
            ]
        } else {
            &["application/json", "application/ld+json"]
        };
        match content_type.as_deref() {
            Some(t) if allowed.contains(&t) => {}
            other => {
                return Err(super::problem::Problem::unsupported_media_type(
                    other.unwrap_or("(none)"),
                    allowed,
                )
                .into());
            }
        }
    }
    let entity_read = method == Method::GET
        && request
            .path()
            .strip_prefix(PREFIX)
            .is_some_and(|p| p.starts_with("entities"));
    let accept = negotiate(request, entity_read);
    if accept.is_none() {
        return Err(super::problem::Problem::not_acceptable(&[
            "application/json",
            "application/ld+json",
            "application/geo+json",
        ])
        .into());
    }
    let link = match request
        .headers()
        .get(header::LINK)
        .and_then(|v| v.to_str().ok())
    {
        Some(value) => crate::ngsild::context::link_context(value)?,
        None => None,
    };
    let params: Vec<(String, String)> = form_urlencoded::parse(request.query_string().as_bytes())
        .into_owned()
        .collect();
    let body = if has_body_method {
        let bytes =
            super::body::read_limited(request, payload, state.settings.limits.max_body_bytes)
                .await?;
        let parsed: Value = serde_json::from_slice(&bytes).map_err(|e| {
            NgsiError::invalid(format!(
                "the body is not JSON: {e} (line {}, column {})",
                e.line(),
                e.column()
            ))
        })?;
        Some(parsed)
    } else {
        None
    };
    let content_type = content_type.map(|t| {
        if t == "application/merge-patch+json" {
            "application/json".to_owned()
        } else {
            t
        }
    });
    let ngsi = Request {
        tenant,
        link,
        content_type,
        accept,
        params,
        body,
        agent: super::auth::agent(token.as_ref()),
        body_query: false,
        prefer_body_json: request
            .headers()
            .get_all("Prefer")
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split(',').any(|p| p.trim() == "body=json")),
    };
    let raw_path = request.path();
    let tail = raw_path.strip_prefix(PREFIX).unwrap_or("");
    let mut segments: Vec<String> = tail
        .split('/')
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    if segments.len() > 1 && segments.last().is_some_and(String::is_empty) {
        segments.pop();
    }
    let service = state.ngsi_ld.clone();
    let reply = run_blocking(move || route(&service, &method, &segments, &ngsi)).await?;
    Ok(reply?)
}

fn route(
    service: &NgsiLd,
    method: &Method,
    segments: &[String],
    request: &Request,
) -> Result<Reply, NgsiError> {
    let parts: Vec<&str> = segments.iter().map(String::as_str).collect();
    let not_allowed = || {
        NgsiError::new(
            crate::ngsild::ErrorType::MethodNotAllowed,
            format!(
                "{method} is not allowed on /ngsi-ld/v1/{}",
                segments.join("/")
            ),
        )
    };
    let empty = |what: &str| NgsiError::bad_request(format!("the {what} in the path is empty"));
    match parts.as_slice() {
        ["entities"] => match *method {
            Method::GET | Method::HEAD => service.query_entities(request),
            Method::POST => service.create_entity(request),
            Method::DELETE => service.purge(request),
            _ => Err(NgsiError::bad_request(
                "PUT and PATCH need an entity id: /entities/{id}",
            )),
        },
        ["entities", "", ..] => Err(empty("entity id")),
        ["entities", id] => match *method {
            Method::GET | Method::HEAD => service.retrieve_entity(request, id),
            Method::DELETE => service.delete_entity(request, id),
            Method::PUT => service.replace_entity(request, id),
            Method::PATCH => service.change_attributes(request, id, Mode::Merge),
            _ => Err(not_allowed()),
        },
        ["entities", id, "attrs"] => match *method {
            Method::POST => service.change_attributes(
                request,
                id,
                Mode::Append {
                    no_overwrite: false,
                },
            ),
            Method::PATCH => service.change_attributes(request, id, Mode::Update),
            _ => Err(not_allowed()),
        },
        ["entities", _, "attrs", ""] => Err(not_allowed()),
        ["entities", id, "attrs", attr] => match *method {
            Method::PATCH => service.change_attribute(request, id, attr, false),
            Method::PUT => service.change_attribute(request, id, attr, true),
            Method::DELETE => service.delete_attribute(request, id, attr),
            _ => Err(not_allowed()),
        },
        ["entityOperations", op] if *method == Method::POST => match *op {
            "create" => service.batch(request, Batch::Create),
            "upsert" => service.batch(request, Batch::Upsert { update: false }),
            "update" => service.batch(
                request,
                Batch::Update {
                    no_overwrite: false,
                },
            ),
            "merge" => service.batch(request, Batch::Merge),
            "delete" => service.batch_delete(request),
            "query" => service.post_query(request),
            _ => Err(NgsiError::not_found(format!("no batch operation {op}"))),
        },
        ["subscriptions"] => match *method {
            Method::GET | Method::HEAD => service.list_subscriptions(request),
            Method::POST => service.create_subscription(request),
            _ => Err(not_allowed()),
        },
        ["subscriptions", ""] => Err(empty("subscription id")),
        ["subscriptions", id] => match *method {
            Method::GET | Method::HEAD => service.retrieve_subscription(request, id),
            Method::PATCH => service.update_subscription(request, id),
            Method::DELETE => service.delete_subscription(request, id),
            _ => Err(not_allowed()),
        },
        ["jsonldContexts"] => match *method {
            Method::GET | Method::HEAD => service.list_contexts(request),
            Method::POST => service.add_context(request),
            _ => Err(not_allowed()),
        },
        ["jsonldContexts", id] => match *method {
            Method::GET | Method::HEAD => service.serve_context(request, id),
            Method::DELETE => service.delete_context(request, id),
            _ => Err(not_allowed()),
        },
        ["info", "sourceIdentity"] if *method == Method::GET => service.source_identity(request),
        ["types"] if *method == Method::GET => service.types(request),
        ["types", name] if *method == Method::GET => service.type_info(request, name),
        ["attributes"] if *method == Method::GET => service.attributes(request, None),
        ["attributes", name] if *method == Method::GET => service.attributes(request, Some(name)),
        _ => Err(NgsiError::not_found(format!(
            "/ngsi-ld/v1/{} is not a resource of this broker",
            segments.join("/")
        ))),
    }
}
