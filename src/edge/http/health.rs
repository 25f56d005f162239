//! Liveness and Prometheus metrics.

use super::problem::Problem;
use super::state::AppState;
use super::stats;
use actix_web::{HttpResponse, web};

pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "store": if matches!(state.settings.location, crate::core::config::StoreLocation::Memory) { "memory" } else { "rocksdb" },
    }))
}

/// Prometheus metrics: public like every read, behind a token on a private server.
pub async fn metrics(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, crate::edge::auth::Role::Read)?;
    let quads = stats::summary(&state).await.ok().map(|s| s.quads);
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(state.metrics.render(quads)))
}

pub async fn not_found() -> Result<HttpResponse, Problem> {
    Err(Problem::not_found(
        "there is nothing at this path; see / for what this server offers",
    ))
}

/// `/favicon.ico`: no icon, and browsers need not ask again for a day.
pub async fn no_icon() -> actix_web::HttpResponse {
    actix_web::HttpResponse::NoContent()
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .finish()
}
