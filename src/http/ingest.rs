//! `POST /ingest/{mapping}`: a vendor payload through a registered mapping into the store. A
//! payload that cannot be stored is kept in the quarantine and the answer says where.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::authorize;
use super::body::{content_type, read_limited};
use super::deadline::Admitted;
use super::problem::Problem;
use super::state::AppState;
use crate::auth::Role;
use crate::core::ids::MappingId;
use crate::ingest::deliver::{self, DeclaredZone, Delivery};
use crate::ingest::model::RegisteredMapping;
use crate::ingest::run::{self, IngestError, Payload, PayloadKind};
use crate::payload::text::charset_of;
use crate::storage::run_blocking;

pub async fn ingest(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let id = MappingId::parse(&id).map_err(|e| Problem::not_found(e.to_string()))?;
    let mapping = state.registry.get(&id).ok_or_else(|| {
        Problem::not_found(format!(
            "there is no mapping `{id}`; GET /mappings lists them"
        ))
    })?;
    let media = content_type(&request).unwrap_or_default();
    let kind = PayloadKind::from_media_type(&media)
        .ok_or_else(|| Problem::unsupported_media_type(&media, PayloadKind::MEDIA_TYPES))?;
    // Kept whole (with its charset) so that a replay reads the payload the same way.
    let media_type = match raw_charset(&request) {
        Some(charset) => format!("{media}; charset={charset}"),
        None => media,
    };
    let delivery = Delivery {
        mapping,
        kind,
        media_type,
        zone: declared_zone(&request)?,
        agent: super::auth::agent(token.as_ref()),
        idempotency_key: idempotency_key(&request)?,
        body: read_limited(&request, payload, state.settings.limits.max_body_bytes)
            .await?
            .to_vec(),
    };
    let admitted = Admitted::task(&state).await?;
    let store = state.store.clone();
    let settings = state.settings.clone();
    let quarantine = state.quarantine.clone();
    let stop = admitted.token().clone();
    let outcome = run_blocking(move || {
        let context = run::Context::for_service(&store, &settings, stop);
        deliver::receive(&context, &quarantine, &delivery)
    })
    .await?
    .map_err(|failure| Problem::not_stored(*failure, || admitted.timed_out("the ingest")))?;
    Ok(HttpResponse::Ok().json(outcome))
}

fn raw_charset(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(charset_of)
}

/// `Idempotency-Key`: printable ASCII, at most 200 characters.
fn idempotency_key(request: &HttpRequest) -> Result<Option<String>, Problem> {
    let Some(value) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let text = value
        .to_str()
        .ok()
        .filter(|t| !t.is_empty() && t.len() <= 200 && t.chars().all(|c| c.is_ascii_graphic()));
    text.map(|t| Some(t.to_owned())).ok_or_else(|| {
        Problem::bad_request(
            "bad-idempotency-key",
            "Idempotency-Key must be 1 to 200 printable ASCII characters",
        )
    })
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
    let syntax = if super::mappings::YARRRML_TYPES.contains(&mapping_type) {
        crate::ingest::registry::meta::MappingSyntax::Yarrrml
    } else if super::mappings::RML_TYPES.contains(&mapping_type) {
        crate::ingest::registry::meta::MappingSyntax::Rml
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
    let options = super::mappings::options(
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
    warnings: Vec<crate::ingest::registry::meta::LintWarning>,
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
                "validation": mapped.report.as_ref().map(crate::shacl::ValidationReport::summary),
            }))),
        _ => Ok(HttpResponse::Ok()
            .content_type(offer.media_type())
            .insert_header(("Vary", "Accept"))
            .body(rdf)),
    }
}

/// The `timezone` parameter: the zone the sender declares for payload times written without
/// one (`Z`, `UTC`, `+01:00`).
pub(super) fn declared_zone(request: &HttpRequest) -> Result<Option<DeclaredZone>, Problem> {
    super::body::Params::parse_utf8(request.query_string().as_bytes())?
        .single("timezone")?
        .map(|text| DeclaredZone::parse(&text).map_err(Problem::from))
        .transpose()
}
