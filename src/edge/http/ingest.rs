//! `POST /ingest/{mapping}`: a vendor payload through a registered mapping into the store. A
//! payload that cannot be stored is kept in the quarantine and the answer says where.

use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::authorize;
use super::body::{content_type, declared_zone, raw_charset, read_limited};
use super::deadline::Admitted;
use super::problem::Problem;
use super::state::AppState;
use crate::core::ids::MappingId;
use crate::edge::auth::Role;
use crate::pipeline::ingest::deliver::{self, Delivery};
use crate::pipeline::ingest::run::{self, PayloadKind};
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
