//! `POST /admin/harvest` (admin role): harvest another DCAT catalogue into ours. The body is
//! JSON `{"url": "...", "full": false}` (or the same as form/query parameters); the answer is
//! the run's report. The harvest itself (src/harvest) runs on the blocking pool.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::auth::authorize;
use super::body::{Params, content_type, read_limited};
use super::problem::Problem;
use super::state::AppState;
use crate::catalogue::harvest::{self, HarvestError, HarvestOptions};
use crate::edge::auth::Role;
use crate::storage::run_blocking;

/// A harvest request is a URL and a flag.
const MAX_REQUEST_BYTES: usize = 16 * 1024;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HarvestRequest {
    url: String,
    #[serde(default)]
    full: bool,
}

pub async fn harvest(
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Admin)?;
    let body = read_limited(&request, payload, MAX_REQUEST_BYTES).await?;
    let wanted = parse(&request, &body)?;
    let mut options = HarvestOptions::new(wanted.url);
    options.full = wanted.full;
    // A task like the others: a slot, and the task time limit for the whole run.
    let admitted = super::deadline::Admitted::task(&state).await?;
    options.deadline = state.settings.limits.task_timeout;
    let store = state.store.clone();
    let settings = state.settings.clone();
    let report = run_blocking(move || {
        let _admitted = admitted;
        harvest::run(&store, &settings.base_iri, &settings.allow_list, &options)
    })
    .await?
    .map_err(Problem::from)?;
    Ok(HttpResponse::Ok().json(report))
}

fn parse(request: &HttpRequest, body: &[u8]) -> Result<HarvestRequest, Problem> {
    let is_json = content_type(request).is_some_and(|t| t.ends_with("json"));
    if is_json {
        return serde_json::from_slice(body).map_err(|e| {
            Problem::bad_request(
                "bad-harvest-request",
                format!("the body must be {{\"url\": \"http://...\", \"full\": false}}: {e}"),
            )
        });
    }
    let mut params = Params::parse(request.query_string().as_bytes());
    params.extend(Params::parse(body));
    let url = params.single("url")?.ok_or_else(|| {
        Problem::bad_request(
            "bad-harvest-request",
            "name the catalogue to harvest: a JSON body {\"url\": \"http://...\"} or url=...",
        )
    })?;
    let full = params
        .single("full")?
        .is_some_and(|v| v == "true" || v == "1");
    Ok(HarvestRequest { url, full })
}

impl From<HarvestError> for Problem {
    fn from(error: HarvestError) -> Self {
        let detail = error.to_string();
        match error {
            HarvestError::BadUrl(_) | HarvestError::NoTls(_) => {
                Problem::bad_request("bad-harvest-url", detail)
            }
            HarvestError::NotAllowed { .. }
            | HarvestError::RedirectRefused { .. }
            | HarvestError::NextRefused { .. } => Problem::new(
                StatusCode::FORBIDDEN,
                "outbound-refused",
                "Outbound call refused",
                detail,
            ),
            HarvestError::Deadline { .. } => Problem::new(
                StatusCode::GATEWAY_TIMEOUT,
                "harvest-timeout",
                "Harvest took too long",
                detail,
            ),
            HarvestError::Http { .. }
            | HarvestError::Status { .. }
            | HarvestError::NotRdf { .. }
            | HarvestError::TooLarge { .. }
            | HarvestError::Parse { .. }
            | HarvestError::TooManyRedirects(_)
            | HarvestError::TooManyPages { .. } => Problem::new(
                StatusCode::BAD_GATEWAY,
                "harvest-failed",
                "The remote catalogue could not be harvested",
                detail,
            ),
            HarvestError::Iri(_) | HarvestError::Storage(_) => Problem::internal(&detail),
        }
    }
}
