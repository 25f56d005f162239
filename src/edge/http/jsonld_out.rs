//! JSON-LD responses for any set of quads, in the form the request's `profile` parameter asks
//! for (`Accept: application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"`):
//! compacted with citykg's context (the default), expanded, or flattened. `#framed` is not
//! offered: the json-ld crate has no framing, so such a request gets the compacted form, and the
//! response's `Content-Type` says which profile it is.
//!
//! Handlers whose output is small enough to hold in memory call [`respond`]; large streamed
//! outputs (Graph Store GET, SPARQL CONSTRUCT) keep oxigraph's streaming JSON-LD writer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use oxigraph::model::{GraphName, Quad, Triple};

use super::negotiate;
use super::problem::Problem;
use super::state::AppState;
use crate::core::config::BaseIri;
use crate::standards::jsonld::{self, JsonLdError};
use crate::storage::run_blocking;

pub const JSON_LD: &str = "application/ld+json";
const NS: &str = "http://www.w3.org/ns/json-ld#";

/// The JSON-LD document forms citykg writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    Compacted,
    Expanded,
    Flattened,
}

impl Profile {
    pub fn iri(self) -> String {
        let name = match self {
            Profile::Compacted => "compacted",
            Profile::Expanded => "expanded",
            Profile::Flattened => "flattened",
        };
        format!("{NS}{name}")
    }

    /// The first profile the request names that citykg writes; compacted when none.
    pub fn requested(request: &HttpRequest) -> Self {
        negotiate::profiles(request, JSON_LD)
            .iter()
            .find_map(|iri| match iri.strip_prefix(NS) {
                Some("compacted") => Some(Profile::Compacted),
                Some("expanded") => Some(Profile::Expanded),
                Some("flattened") => Some(Profile::Flattened),
                _ => None,
            })
            .unwrap_or(Profile::Compacted)
    }
}

/// `quads` as a JSON-LD document of `profile`; compacted and flattened documents name
/// `{base}ns/context.jsonld` as their `@context`.
pub fn render(
    quads: &[Quad],
    profile: Profile,
    base: &BaseIri,
) -> Result<serde_json::Value, JsonLdError> {
    match profile {
        Profile::Expanded => Ok(jsonld::from_rdf(quads)),
        Profile::Compacted => jsonld::compact_quads(quads, base),
        Profile::Flattened => jsonld::flatten_quads(quads, base),
    }
}

/// The HTTP response: the document in the requested profile, off the async executor.
pub async fn respond(
    request: &HttpRequest,
    state: &AppState,
    quads: Vec<Quad>,
) -> Result<HttpResponse, Problem> {
    let profile = Profile::requested(request);
    let base = state.settings.base_iri.clone();
    let document = run_blocking(move || render(&quads, profile, &base))
        .await?
        .map_err(|e| Problem::internal(&e))?;
    let body = serde_json::to_vec_pretty(&document).map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok()
        .content_type(format!("{JSON_LD}; profile=\"{}\"", profile.iri()))
        .insert_header(("Vary", "Accept"))
        .body(body))
}

/// [`respond`] for triples (a description in no particular graph).
pub async fn respond_triples(
    request: &HttpRequest,
    state: &AppState,
    triples: &[Triple],
) -> Result<HttpResponse, Problem> {
    let quads = triples
        .iter()
        .map(|t| t.clone().in_graph(GraphName::DefaultGraph))
        .collect();
    respond(request, state, quads).await
}

/// A JSON-LD document a client sent that citykg could not read: 400, located when it is a JSON
/// syntax error, with the JSON-LD error code in the detail.
impl From<JsonLdError> for Problem {
    fn from(error: JsonLdError) -> Self {
        let detail = match &error.code {
            Some(code) => format!("invalid JSON-LD ({code}): {}", error.message),
            None => format!("invalid JSON-LD: {}", error.message),
        };
        let problem = Problem::new(
            StatusCode::BAD_REQUEST,
            "invalid-json-ld",
            "Invalid JSON-LD",
            detail,
        );
        match error.location {
            Some((line, column)) => problem.with_location(line, column),
            None => problem,
        }
    }
}
