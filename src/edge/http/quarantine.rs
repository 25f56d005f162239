//! `/quarantine`: payloads that could not be stored, for stewards to look at, replay once the
//! mapping (or the payload's sender) is fixed, or discard.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use tera::Context;

use super::auth::authorize;
use super::deadline::Admitted;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use crate::core::ids::MappingId;
use crate::edge::auth::Role;
use crate::pipeline::ingest::deliver::{self, DeclaredZone, Delivery};
use crate::pipeline::ingest::run::{self, PayloadKind};
use crate::storage::run_blocking;

pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let quarantine = state.quarantine.clone();
    let entries = run_blocking(move || quarantine.list())
        .await?
        .map_err(|e| Problem::internal(&e))?;
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("entries", &entries);
            render(&state, "quarantine.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(entries)),
    }
}

/// The entry as JSON, or with `?payload` the payload itself, in its own media type.
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let (entry, payload) = fetch(&state, id.into_inner()).await?;
    let wants_payload = request.query_string().split('&').any(|p| p == "payload");
    if wants_payload {
        return Ok(HttpResponse::Ok()
            .content_type(entry.content_type.clone())
            .body(payload));
    }
    Ok(HttpResponse::Ok()
        .insert_header(("Vary", "Accept"))
        .json(entry))
}

/// Ingests the payload again with the mapping's current version; on success the entry is gone.
pub async fn replay(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let id = id.into_inner();
    let (entry, payload) = fetch(&state, id.clone()).await?;
    let mapping_id = MappingId::parse(&entry.mapping).map_err(|e| Problem::internal(&e))?;
    let mapping = state.registry.get(&mapping_id).ok_or_else(|| {
        Problem::not_found(format!(
            "the mapping `{mapping_id}` this payload was sent to no longer exists"
        ))
    })?;
    let essence = entry
        .content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    let kind = PayloadKind::from_media_type(&essence).ok_or_else(|| {
        Problem::internal(&format!("unknown content type {}", entry.content_type))
    })?;
    // The zone the payload was sent with, unless the replay declares another.
    let zone = match super::body::declared_zone(&request)? {
        Some(zone) => Some(zone),
        None => entry
            .timezone
            .as_deref()
            .map(DeclaredZone::parse)
            .transpose()?,
    };
    let delivery = Delivery {
        mapping,
        body: payload,
        kind,
        media_type: entry.content_type.clone(),
        zone,
        agent: super::auth::agent(token.as_ref()),
        idempotency_key: None,
    };
    let admitted = Admitted::task(&state).await?;
    let store = state.store.clone();
    let settings = state.settings.clone();
    let quarantine = state.quarantine.clone();
    let stop = admitted.token().clone();
    // A replay that fails again leaves the entry as it is (422 says why); only a stored payload
    // leaves the quarantine.
    let outcome = run_blocking(move || {
        let context = run::Context::for_service(&store, &settings, stop);
        deliver::replay(&context, &quarantine, &id, &delivery)
    })
    .await?
    .map_err(|failure| Problem::not_stored(*failure, || admitted.timed_out("the ingest")))?;
    Ok(HttpResponse::Ok().json(outcome))
}

pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Steward)?;
    let id = id.into_inner();
    let quarantine = state.quarantine.clone();
    let wanted = id.clone();
    let removed = run_blocking(move || quarantine.remove(&wanted))
        .await?
        .map_err(|e| Problem::internal(&e))?;
    if removed {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(Problem::not_found(format!(
            "there is no quarantined payload `{id}`"
        )))
    }
}

async fn fetch(
    state: &web::Data<AppState>,
    id: String,
) -> Result<(crate::pipeline::ingest::quarantine::Entry, Vec<u8>), Problem> {
    let quarantine = state.quarantine.clone();
    let wanted = id.clone();
    run_blocking(move || quarantine.get(&wanted))
        .await?
        .map_err(|e| Problem::internal(&e))?
        .ok_or_else(|| {
            Problem::not_found(format!(
                "there is no quarantined payload `{id}`; GET /quarantine lists them"
            ))
        })
}
