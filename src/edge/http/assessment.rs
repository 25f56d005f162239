//! The interoperability assessment over HTTP, thin handlers over `crate::catalogue::assessment`:
//! `GET /use-cases/compare?ids=a,b[,c]` (use cases side by side, per dimension and metric),
//! `GET /use-cases/rubric` (the published thresholds), both JSON or a page;
//! `POST /use-cases/assessment` (admin: recompute every local use case, with count and time).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use tera::Context;

use super::auth::authorize;
use super::body::Params;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use crate::catalogue::assessment::{
    self, Assessment, AssessmentError, Dimension, Level, Value, usecase,
};
use crate::core::ids::{UseCaseId, use_case_iri};
use crate::edge::auth::Role;
use crate::storage::run_blocking;

/// Use cases one comparison shows at most (a table people read).
const MAX_COMPARED: usize = 10;

impl From<AssessmentError> for Problem {
    fn from(error: AssessmentError) -> Self {
        match error {
            AssessmentError::Storage(e) => e.into(),
            other => Problem::internal(&other),
        }
    }
}

#[derive(Serialize)]
struct Compared {
    id: String,
    iri: String,
    title: Option<String>,
    /// When the shown measurements were computed.
    generated: String,
}

#[derive(Serialize)]
struct Cell {
    value: Value,
    level: Level,
    #[serde(skip_serializing_if = "Option::is_none")]
    of: Option<(u64, u64)>,
}

#[derive(Serialize)]
struct MetricRow {
    metric: &'static str,
    iri: String,
    label: &'static str,
    /// One per use case, in the order of `use_cases`.
    values: Vec<Option<Cell>>,
}

#[derive(Serialize)]
struct DimensionRow {
    dimension: &'static str,
    iri: String,
    label: &'static str,
    /// One per use case: the lowest level of the dimension's metrics.
    levels: Vec<Level>,
    metrics: Vec<MetricRow>,
}

#[derive(Serialize)]
struct Comparison {
    use_cases: Vec<Compared>,
    dimensions: Vec<DimensionRow>,
    rubric: &'static str,
}

/// The distinct ids of `ids=a,b` (also `ids=a&ids=b`), in order; 400 unless 2 to 10 valid ids.
fn requested_ids(params: &Params) -> Result<Vec<UseCaseId>, Problem> {
    let mut ids: Vec<String> = Vec::new();
    for list in params.all("ids") {
        for id in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if !ids.iter().any(|known| known == id) {
                ids.push(id.to_owned());
            }
        }
    }
    let malformed: Vec<String> = ids
        .iter()
        .filter(|id| UseCaseId::parse(id).is_err())
        .map(|id| format!("{id:?}"))
        .collect();
    if !malformed.is_empty() {
        let mut problem = Problem::bad_request(
            "bad-use-case-id",
            format!(
                "not use-case ids (lowercase letters, digits and '-', at most 64): {}",
                malformed.join(", ")
            ),
        );
        for id in malformed {
            problem = problem.with_item(format!("ids: {id} is not a use-case id"));
        }
        return Err(problem);
    }
    if ids.len() < 2 {
        return Err(Problem::bad_request(
            "too-few-use-cases",
            format!(
                "compare needs at least two distinct use-case ids, got {}: /use-cases/compare?ids=a,b",
                ids.len()
            ),
        ));
    }
    if ids.len() > MAX_COMPARED {
        return Err(Problem::bad_request(
            "too-many-use-cases",
            format!(
                "compare shows at most {MAX_COMPARED} use cases, got {}",
                ids.len()
            ),
        ));
    }
    Ok(ids
        .iter()
        .filter_map(|id| UseCaseId::parse(id).ok())
        .collect())
}

#[tracing::instrument(skip_all)]
pub async fn compare(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let ids = requested_ids(&Params::parse_utf8(request.query_string().as_bytes())?)?;
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let found = run_blocking(move || -> Result<_, AssessmentError> {
        let mut missing = Vec::new();
        let mut found = Vec::new();
        for id in &ids {
            let iri = use_case_iri(&base, id);
            if !usecase::exists(&store, &base, iri.as_ref())? {
                missing.push(id.to_string());
                continue;
            }
            let title = usecase::title(&store, &base, iri.as_ref())?;
            let assessment = assessment::stored_or_computed(&store, &base, &iri)?;
            found.push((id.to_string(), title, assessment));
        }
        Ok((missing, found))
    })
    .await??;
    let (missing, found) = found;
    if !missing.is_empty() {
        let names: Vec<String> = missing.iter().map(|id| format!("{id:?}")).collect();
        let mut problem = Problem::not_found(format!(
            "no use case {}; GET /use-cases lists them",
            names.join(", ")
        ));
        for id in &missing {
            problem = problem.with_item(format!("ids: no use case {id:?}"));
        }
        return Err(problem);
    }
    let comparison = comparison(found);
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("comparison", &comparison);
            render(&state, "compare.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(comparison)),
    }
}

fn comparison(found: Vec<(String, Option<String>, Assessment)>) -> Comparison {
    let dimensions = Dimension::ALL
        .into_iter()
        .map(|dimension| DimensionRow {
            dimension: dimension.name(),
            iri: dimension.iri(),
            label: dimension.label(),
            levels: found
                .iter()
                .map(|(_, _, a)| a.dimension(dimension).unwrap_or(Level::NONE))
                .collect(),
            metrics: dimension
                .metrics()
                .map(|metric| MetricRow {
                    metric: metric.name(),
                    iri: metric.iri(),
                    label: metric.label(),
                    values: found
                        .iter()
                        .map(|(_, _, a)| {
                            a.measurement(metric).map(|m| Cell {
                                value: m.value,
                                level: m.level,
                                of: m.of,
                            })
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Comparison {
        use_cases: found
            .into_iter()
            .map(|(id, title, a)| Compared {
                id,
                iri: a.use_case,
                title,
                generated: a.generated,
            })
            .collect(),
        dimensions,
        rubric: "/use-cases/rubric",
    }
}

#[tracing::instrument(skip_all)]
pub async fn rubric(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let rubric = assessment::rubric::rubric();
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("rubric", &rubric);
            render(&state, "rubric.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(rubric)),
    }
}

/// `POST /use-cases/assessment`: recomputes every local use case now.
#[tracing::instrument(skip_all)]
pub async fn recompute_all(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Admin)?;
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let done = run_blocking(move || assessment::recompute_all(&store, &base)).await??;
    tracing::info!(
        use_cases = done.use_cases,
        ms = done.milliseconds,
        "assessments recomputed"
    );
    Ok(HttpResponse::Ok().json(done))
}

pub async fn recompute_method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("POST"))
}
