//! The home page: the store's figures and its named graphs.

use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use super::stats;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Serialize;
use tera::Context;

#[derive(Serialize)]
struct GraphLink {
    iri: String,
    encoded: String,
}

pub async fn home(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, crate::edge::auth::Role::Read)?;
    let summary = stats::summary(&state).await?;
    let mut context = Context::new();
    context.insert("quads", &summary.quads);
    let graphs: Vec<GraphLink> = summary
        .graphs
        .iter()
        .map(|iri| GraphLink {
            iri: iri.clone(),
            encoded: form_urlencoded::byte_serialize(iri.as_bytes()).collect(),
        })
        .collect();
    context.insert("graphs", &graphs);
    context.insert("version", env!("CARGO_PKG_VERSION"));
    render(&state, "home.html", &context, StatusCode::OK)
}
