//! `/mappings`: the mapping registry over HTTP, thin handlers over `crate::pipeline::ingest::registry`,
//! and previews (a payload through a registered or an unsaved mapping, stored nowhere).
//! Writes need the steward role; reads follow the read policy. `GET` answers the metadata as
//! JSON, a page, or the mapping file itself when `Accept` asks for its own media type.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::NamedNode;
use serde::Serialize;
use tera::Context;

use super::auth::authorize;
use super::body::{Params, content_type, declared_zone, raw_charset, read_limited};
use super::deadline::Admitted;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use crate::core::ids::MappingId;
use crate::edge::auth::Role;
use crate::pipeline::ingest::deliver::DeclaredZone;
use crate::pipeline::ingest::model::{RegisteredMapping, ValidationPolicy};
use crate::pipeline::ingest::registry::PutOptions;
use crate::pipeline::ingest::registry::meta::{MappingMeta, MappingSyntax, VersionMeta};
use crate::pipeline::ingest::run::{self, IngestError, Payload, PayloadKind};
use crate::pipeline::payload::text::charset_of;
use crate::storage::run_blocking;

const RML_TYPES: &[&str] = &["text/turtle", "application/x-turtle"];
const YARRRML_TYPES: &[&str] = &[
    "application/yaml",
    "application/x-yaml",
    "text/yaml",
    "text/x-yaml",
];

fn mapping_id(text: &str) -> Result<MappingId, Problem> {
    MappingId::parse(text).map_err(|e| Problem::bad_request("bad-mapping-id", e.to_string()))
}

fn missing(id: &MappingId) -> Problem {
    Problem::not_found(format!("no mapping {id}; GET /mappings lists them"))
}

#[tracing::instrument(skip_all)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let metas = state.registry.list();
    let summaries: Vec<_> = metas.iter().filter_map(MappingMeta::summary).collect();
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("mappings", &summaries);
            render(&state, "mappings.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(summaries)),
    }
}

#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let id = mapping_id(&path)?;
    let meta = state.registry.meta(&id).ok_or_else(|| missing(&id))?;
    let latest = meta.latest().ok_or_else(|| missing(&id))?;
    respond(&request, &state, &meta, latest, true)
}

#[tracing::instrument(skip_all, fields(id = %path.0, version = path.1))]
pub async fn get_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let (id, n) = path.into_inner();
    let id = mapping_id(&id)?;
    let meta = state.registry.meta(&id).ok_or_else(|| missing(&id))?;
    let version = meta
        .version(n)
        .ok_or_else(|| Problem::not_found(format!("mapping {id} has no version {n}")))?;
    respond(&request, &state, &meta, version, false)
}

#[derive(Serialize)]
struct VersionView<'a> {
    id: &'a MappingId,
    read_only: bool,
    #[serde(flatten)]
    version: &'a VersionMeta,
}

fn respond(
    request: &HttpRequest,
    state: &AppState,
    meta: &MappingMeta,
    version: &VersionMeta,
    whole: bool,
) -> Result<HttpResponse, Problem> {
    let offers = match version.syntax {
        MappingSyntax::Rml => negotiate::MAPPING_RML,
        MappingSyntax::Yarrrml => negotiate::MAPPING_YARRRML,
    };
    let offer = negotiate::negotiate(request, offers)?;
    match offer.output {
        Output::Document => {
            let (text, _) = state
                .registry
                .text(&meta.id, Some(version.version))
                .ok_or_else(|| missing(&meta.id))?;
            Ok(HttpResponse::Ok()
                .content_type(version.syntax.media_type())
                .insert_header(("Vary", "Accept"))
                .body(text.to_string()))
        }
        Output::Html => {
            let text = state
                .registry
                .text(&meta.id, Some(version.version))
                .map(|(t, _)| t.to_string());
            let mut context = Context::new();
            context.insert("mapping", &meta.summary());
            context.insert("shown", version);
            context.insert("text", &text.unwrap_or_default());
            render(state, "mapping.html", &context, StatusCode::OK)
        }
        _ if whole => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(meta.summary())),
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(VersionView {
                id: &meta.id,
                read_only: meta.read_only,
                version,
            })),
    }
}

#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn put(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let id = mapping_id(&path)?;
    store(request, state, id, body).await
}

/// `POST /mappings` with `Slug: {id}`: creates a mapping; 409 when the id is taken.
#[tracing::instrument(skip_all)]
pub async fn post(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let slug = request
        .headers()
        .get("Slug")
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| {
            Problem::bad_request(
                "missing-slug",
                "POST /mappings needs a Slug header with the new mapping's id",
            )
        })?;
    let id = mapping_id(slug.trim())?;
    if state.registry.meta(&id).is_some() {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "mapping-exists",
            "Mapping exists",
            format!("a mapping {id} exists; PUT /mappings/{id} replaces it"),
        ));
    }
    store(request, state, id, body).await
}

async fn store(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: MappingId,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let author = super::auth::agent(token.as_ref());
    let syntax = match content_type(&request).as_deref() {
        Some(t) if RML_TYPES.contains(&t) => MappingSyntax::Rml,
        Some(t) if YARRRML_TYPES.contains(&t) => MappingSyntax::Yarrrml,
        other => {
            let accepted: Vec<&str> = RML_TYPES.iter().chain(YARRRML_TYPES).copied().collect();
            return Err(Problem::unsupported_media_type(
                other.unwrap_or("(none)"),
                &accepted,
            ));
        }
    };
    let options = options(
        &Params::parse_utf8(request.query_string().as_bytes())?,
        &state.settings.base_iri,
    )?;
    let bytes = read_limited(&request, body, state.settings.limits.max_body_bytes).await?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| Problem::bad_request("not-utf8", "the mapping file must be UTF-8"))?;
    let registry = state.registry.clone();
    let outcome =
        run_blocking(move || registry.put(&id, &text, syntax, &author, &options)).await??;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("/mappings/{}", outcome.meta.id)))
        .json(outcome.meta.summary()))
}

fn options(params: &Params, base: &crate::core::config::BaseIri) -> Result<PutOptions, Problem> {
    let validation = match params.single("validation")?.as_deref() {
        None => None,
        Some("none") => Some(ValidationPolicy::None),
        Some("warn") => Some(ValidationPolicy::Warn),
        Some("reject") => Some(ValidationPolicy::Reject),
        Some(other) => {
            return Err(Problem::bad_request(
                "bad-validation",
                format!("validation={other:?}: use none, warn or reject"),
            ));
        }
    };
    let shapes = params.single("shapes")?.map(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    });
    let target_graph = params
        .single("graph")?
        .map(|iri| {
            NamedNode::new(iri.as_str()).map_err(|e| {
                Problem::bad_request(
                    "bad-graph-iri",
                    format!("graph={iri:?} is not an absolute IRI: {e}"),
                )
            })
        })
        .transpose()?;
    if let Some(graph) = &target_graph
        && crate::core::graphs::is_reserved(base, graph.as_str())
    {
        return Err(Problem::bad_request(
            "reserved-graph",
            format!(
                "{graph} is one of citykg's own graphs; choose a graph under graph/source/ or outside graph/"
            ),
        ));
    }
    Ok(PutOptions {
        validation,
        shapes,
        target_graph,
    })
}

#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let agent = super::auth::agent(token.as_ref());
    let id = mapping_id(&path)?;
    let registry = state.registry.clone();
    run_blocking(move || registry.delete(&id, &agent)).await??;
    Ok(HttpResponse::NoContent().finish())
}

/// `POST /mappings/{id}/preview`: what ingest would store for this payload, stored nowhere.
/// N-Quads or TriG, or on `Accept: application/json` a summary with the quads as N-Quads text,
/// the mapping's lint warnings and the SHACL summary when the mapping validates.
pub async fn preview(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let id = MappingId::parse(&id).map_err(|e| Problem::not_found(e.to_string()))?;
    let mapping = state.registry.get(&id).ok_or_else(|| {
        Problem::not_found(format!(
            "there is no mapping `{id}`; GET /mappings lists them"
        ))
    })?;
    let warnings = state
        .registry
        .meta(&id)
        .and_then(|meta| meta.latest().map(|v| v.warnings.clone()))
        .unwrap_or_default();
    let offer = super::negotiate::negotiate(&request, super::negotiate::PREVIEW)?;
    let media = content_type(&request).unwrap_or_default();
    let kind = PayloadKind::from_media_type(&media)
        .ok_or_else(|| Problem::unsupported_media_type(&media, PayloadKind::MEDIA_TYPES))?;
    let zone = declared_zone(&request)?;
    let body = read_limited(&request, payload, state.settings.limits.max_body_bytes).await?;
    let charset = raw_charset(&request);
    let admitted = Admitted::task(&state).await?;
    preview_response(
        &state,
        admitted,
        offer,
        mapping,
        (body.to_vec(), kind, charset, zone),
        warnings,
    )
    .await
}

/// `POST /mappings/preview`: an unsaved mapping tried on a payload, as `multipart/form-data`
/// with the parts `mapping` (Turtle or YARRRML, by its Content-Type) and `payload`. The mapping
/// goes through every upload check first (422 with every problem); nothing is stored.
pub async fn preview_unsaved(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let offer = super::negotiate::negotiate(&request, super::negotiate::PREVIEW)?;
    let body = read_limited(&request, payload, state.settings.limits.max_body_bytes).await?;
    let parts = super::multipart::request_parts(&request, &body)?;
    let part = |name: &str| parts.iter().find(|p| p.name.as_deref() == Some(name));
    let (Some(mapping_part), Some(payload_part)) = (part("mapping"), part("payload")) else {
        return Err(Problem::bad_request(
            "bad-multipart",
            "send the parts `mapping` and `payload`",
        ));
    };
    let mapping_type = mapping_part
        .content_type
        .as_deref()
        .unwrap_or("text/turtle");
    let syntax = if YARRRML_TYPES.contains(&mapping_type) {
        crate::pipeline::ingest::registry::meta::MappingSyntax::Yarrrml
    } else if RML_TYPES.contains(&mapping_type) {
        crate::pipeline::ingest::registry::meta::MappingSyntax::Rml
    } else {
        return Err(Problem::unsupported_media_type(
            mapping_type,
            &["text/turtle", "application/yaml"],
        ));
    };
    let text = std::str::from_utf8(mapping_part.body)
        .map_err(|_| Problem::bad_request("bad-encoding", "the mapping is not UTF-8"))?
        .to_owned();
    let payload_type = payload_part.content_type.clone().unwrap_or_default();
    let kind = PayloadKind::from_media_type(&payload_type)
        .ok_or_else(|| Problem::unsupported_media_type(&payload_type, PayloadKind::MEDIA_TYPES))?;
    let payload_bytes = payload_part.body.to_vec();
    let options = options(
        &super::body::Params::parse_utf8(request.query_string().as_bytes())?,
        &state.settings.base_iri,
    )?;
    let registry = state.registry.clone();
    // One slot for the whole preview: checking the mapping, then mapping the payload.
    let admitted = Admitted::task(&state).await?;
    let prepared = run_blocking(move || {
        let id = MappingId::parse("unsaved").map_err(|e| Problem::internal(&e))?;
        registry
            .prepare(&id, &text, syntax, &options)
            .map_err(Problem::from)
    })
    .await??;
    let charset = payload_part.content_type.as_deref().and_then(charset_of);
    let zone = declared_zone(&request)?;
    preview_response(
        &state,
        admitted,
        offer,
        std::sync::Arc::new(prepared.mapping),
        (payload_bytes, kind, charset, zone),
        prepared.warnings,
    )
    .await
}

async fn preview_response(
    state: &web::Data<AppState>,
    admitted: Admitted,
    offer: super::negotiate::Offer,
    mapping: std::sync::Arc<RegisteredMapping>,
    (body, kind, charset, zone): (Vec<u8>, PayloadKind, Option<String>, Option<DeclaredZone>),
    warnings: Vec<crate::pipeline::ingest::registry::meta::LintWarning>,
) -> Result<HttpResponse, Problem> {
    let store = state.store.clone();
    let settings = state.settings.clone();
    let stop = admitted.token().clone();
    let mapped = run_blocking(move || {
        let context = run::Context::for_service(&store, &settings, stop);
        run::preview(
            &context,
            &mapping,
            &Payload {
                bytes: &body,
                kind,
                charset: charset.as_deref(),
                zone: zone.map(|zone| zone.offset),
            },
        )
    })
    .await?
    .map_err(|error| match error {
        IngestError::Stopped => admitted.timed_out("the preview"),
        error => Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "payload-not-mapped",
            "Payload could not be mapped",
            error.to_string(),
        ),
    })?;
    let format = match offer.output {
        super::negotiate::Output::Rdf(format) => format,
        _ => oxigraph::io::RdfFormat::NQuads,
    };
    let mut writer = oxigraph::io::RdfSerializer::from_format(format).for_writer(Vec::new());
    for quad in &mapped.quads {
        writer
            .serialize_quad(quad)
            .map_err(|e| Problem::internal(&e))?;
    }
    let rdf = writer.finish().map_err(|e| Problem::internal(&e))?;
    match offer.output {
        super::negotiate::Output::Json => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(serde_json::json!({
                "records": mapped.records,
                "quads": mapped.quads.len(),
                "nquads": String::from_utf8_lossy(&rdf),
                "warnings": warnings,
                "validation": mapped.report.as_ref().map(crate::standards::shacl::ValidationReport::summary),
            }))),
        _ => Ok(HttpResponse::Ok()
            .content_type(offer.media_type())
            .insert_header(("Vary", "Accept"))
            .body(rdf)),
    }
}

pub async fn method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("GET, PUT, DELETE"))
}
