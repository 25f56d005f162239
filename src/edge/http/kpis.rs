//! The city profile (`/city/profile`), the KPIs (`/kpis`) and the U4SSC self-assessment
//! (`/kpis/report`). Thin: parameters in, `city::profile` and `city::kpi` out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, Triple};
use serde_json::json;
use tera::Context;

use super::body::{Params, content_type, read_limited};
use super::negotiate::{self, Output};
use super::problem::{Problem, invalid};
use super::render::{self, csv_table};
use super::state::AppState;
use crate::city::kpi::assessments::{self, Assessment};
use crate::city::kpi::report::{self, Row, Standing};
use crate::city::kpi::{KpiError, Reported};
use crate::city::profile::{self, ProfileError};
use crate::core::vocab::{self, city};
use crate::edge::auth::Role;
use crate::storage::{Cause, Origin, run_blocking};

impl From<ProfileError> for Problem {
    fn from(error: ProfileError) -> Self {
        match error {
            ProfileError::Parse(e) => Problem::from(e),
            ProfileError::Invalid(problems) => invalid(
                "invalid-city-profile",
                "Invalid city profile",
                "the profile was not stored",
                problems,
            ),
            ProfileError::Empty => Problem::bad_request("empty-city-profile", error.to_string()),
            ProfileError::Store(e) => Problem::from(e),
        }
    }
}

impl From<KpiError> for Problem {
    fn from(error: KpiError) -> Self {
        let detail = error.to_string();
        match error {
            KpiError::UnknownKpi(_) => Problem::not_found(detail),
            KpiError::BadYear(_) | KpiError::BadValue(_) => {
                Problem::bad_request("bad-kpi-value", detail)
            }
            KpiError::Store(e) => Problem::from(e),
        }
    }
}

/// `PUT /city/profile`: a new version (admin); 201 with the version.
pub async fn put_profile(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = super::auth::authorize(&request, &state, Role::Admin)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::Profile);
    let (syntax, text) = super::body::rdf_document(
        &request,
        body,
        state.settings.limits.max_body_bytes,
        "the profile",
    )
    .await?;
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let shapes = state.profile_shapes.clone();
    let version =
        run_blocking(move || profile::upload(&storage, &base, &shapes, &text, syntax, cause))
            .await??;
    Ok(HttpResponse::Created()
        .insert_header((
            "Location",
            format!("/city/profile/versions/{}", version.number),
        ))
        .json(version))
}

/// `GET /city/profile`: the current profile's RDF.
pub async fn get_profile(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    profile_document(request, state, None).await
}

/// `GET /city/profile/versions/{n}`: one version's RDF.
pub async fn get_profile_version(
    request: HttpRequest,
    state: web::Data<AppState>,
    number: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let number = number.parse::<u64>().map_err(|_| {
        Problem::not_found(format!(
            "there is no city profile version {:?}; versions are numbered 1, 2, ... (GET /city/profile/versions)",
            number.as_str()
        ))
    })?;
    profile_document(request, state, Some(number)).await
}

async fn profile_document(
    request: HttpRequest,
    state: web::Data<AppState>,
    number: Option<u64>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::PROFILE)?;
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let triples = run_blocking(move || profile::triples(&storage, &base, number))
        .await??
        .ok_or_else(|| {
            Problem::not_found(match number {
                Some(n) => format!("there is no city profile version {n}; GET /city/profile/versions lists them"),
                None => "no city profile yet: an admin uploads one with PUT /city/profile (Turtle or JSON-LD)".to_owned(),
            })
        })?;
    let Output::Rdf(format) = offer.output else {
        return Err(Problem::not_acceptable(&["text/turtle"]));
    };
    render::rdf_response(format, offer.media_type(), &triples)
}

/// `GET /city/profile/versions`: every version, oldest first.
pub async fn profile_versions(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Read)?;
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let versions = run_blocking(move || profile::versions(&storage, &base)).await??;
    Ok(HttpResponse::Ok().json(json!({ "versions": versions })))
}

fn parse_year(text: &str) -> Option<i32> {
    text.parse::<i32>()
        .ok()
        .filter(|y| (1900..=2200).contains(y))
}

fn year_param(request: &HttpRequest) -> Result<Option<i32>, Problem> {
    Params::parse(request.query_string().as_bytes())
        .single("year")?
        .map(|text| {
            parse_year(&text).ok_or_else(|| {
                Problem::bad_request(
                    "bad-parameter",
                    format!("`year` is a year between 1900 and 2200, got {text:?}"),
                )
            })
        })
        .transpose()
}

fn path_year(text: &str) -> Result<i32, Problem> {
    parse_year(text).ok_or_else(|| {
        Problem::not_found(format!(
            "/kpis/{{code}}/{{year}} takes a year between 1900 and 2200, got {text:?}"
        ))
    })
}

fn number(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{}", (v * 1e6).round() / 1e6))
}

fn assessment_row(a: &Assessment) -> Vec<String> {
    vec![
        a.kpi.rsplit('/').next().unwrap_or_default().to_owned(),
        a.method.clone().unwrap_or_default(),
        a.year.to_string(),
        serde_json::to_value(a.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        number(a.value),
        a.unit.clone().unwrap_or_default(),
        number(a.capture),
        number(a.guideline),
        a.source.clone().unwrap_or_default(),
        a.notes.join("; "),
        a.iri.clone(),
    ]
}

const ASSESSMENT_HEADER: [&str; 11] = [
    "kpi",
    "method",
    "year",
    "status",
    "value",
    "unit",
    "data_capture",
    "guideline",
    "source",
    "notes",
    "iri",
];

fn assessment_triples(assessments: &[Assessment], state: &AppState) -> Vec<Triple> {
    let graph = crate::city::layout::kpi_graph(&state.settings.base_iri);
    assessments
        .iter()
        .flat_map(|a| assessments::quads(a, &graph))
        .map(Triple::from)
        .collect()
}

/// `GET /kpis[?year=]`: the methods and the stored assessments.
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::KPIS)?;
    let year = year_param(&request)?;
    let kpis = state.kpis.clone();
    let mut stored = run_blocking(move || kpis.assessments()).await??;
    if let Some(year) = year {
        stored.retain(|a| a.year == year);
    }
    match offer.output {
        Output::Results(_) => Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(csv_table(
                &ASSESSMENT_HEADER,
                stored.iter().map(assessment_row),
            )?)),
        Output::Rdf(format) => render::rdf_response(
            format,
            offer.media_type(),
            &assessment_triples(&stored, &state),
        ),
        Output::Html => {
            let mut context = Context::new();
            context.insert("methods", &methods_json(&state));
            context.insert("assessments", &stored);
            context.insert("year", &year);
            render::render(&state, "kpis.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok().json(json!({
            "methods": methods_json(&state),
            "assessments": stored,
        }))),
    }
}

fn methods_json(state: &AppState) -> Vec<serde_json::Value> {
    state
        .kpis
        .methods()
        .iter()
        .map(|m| {
            json!({
                "iri": m.iri.as_str(), "slug": m.slug, "label": m.label, "kpi": m.kpi.as_str(),
                "inputs": m.properties.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
                "figures": m.figures.iter().map(NamedNode::as_str).collect::<Vec<_>>(),
                "unit": m.unit.as_str(), "guideline": m.guideline, "min_data_capture": m.min_capture,
                "formula": m.formula,
            })
        })
        .collect()
}

/// `POST /kpis/compute?year=` (write role): computes now; without a year, every year with data.
pub async fn compute(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Write)?;
    let year = year_param(&request)?;
    // A computation reads every hourly bucket of the year: it takes a task slot.
    let _admitted = super::deadline::Admitted::task(&state).await?;
    let kpis = state.kpis.clone();
    let done = run_blocking(move || match year {
        Some(year) => kpis.compute(year).map(|c| vec![c]),
        None => kpis.compute_all(),
    })
    .await??;
    Ok(HttpResponse::Ok().json(json!({
        "computed": done.iter().map(|c| json!({
            "year": c.year,
            "milliseconds": c.elapsed.as_secs_f64() * 1000.0,
            "assessments": c.assessments,
        })).collect::<Vec<_>>(),
    })))
}

/// `PUT /kpis/{code}/{year}` (write role): an operator's value with its source.
pub async fn put_reported(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = super::auth::authorize(&request, &state, Role::Write)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::Kpi);
    if content_type(&request).as_deref() != Some("application/json") {
        return Err(Problem::unsupported_media_type(
            content_type(&request).as_deref().unwrap_or("(none)"),
            &["application/json"],
        ));
    }
    let bytes = read_limited(&request, body, 64 * 1024).await?;
    let reported: Reported = serde_json::from_slice(&bytes).map_err(|e| {
        Problem::bad_request(
            "bad-json",
            format!("the body must be {{\"value\": number, \"unit\": IRI (optional), \"source\": text, \"note\": text (optional)}}: {e}"),
        )
        .with_location(e.line() as u64, e.column() as u64)
    })?;
    let (code, year) = path.into_inner();
    let year = path_year(&year)?;
    let kpis = state.kpis.clone();
    let assessment = run_blocking(move || kpis.report(&code, year, &reported, cause)).await??;
    Ok(HttpResponse::Ok().json(assessment))
}

/// `DELETE /kpis/{code}/{year}` (write role): removes an operator's value.
pub async fn delete_reported(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, Problem> {
    let token = super::auth::authorize(&request, &state, Role::Write)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::Kpi);
    let (code, year) = path.into_inner();
    let year = path_year(&year)?;
    let kpis = state.kpis.clone();
    let shown = code.clone();
    if run_blocking(move || kpis.unreport(&code, year, cause)).await?? {
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(Problem::not_found(format!(
            "no reported value of {shown} for {year}"
        )))
    }
}

/// The rows of the report for `year`.
async fn report_rows(state: &AppState, year: i32) -> Result<Vec<Row>, Problem> {
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let kpis = state.kpis.clone();
    Ok(run_blocking(move || {
        let catalogue = report::catalogue(&storage, &base)?;
        let stored = kpis.assessments()?;
        Ok::<_, crate::storage::StoreError>(report::rows(catalogue, &stored, year))
    })
    .await??)
}

/// `GET /kpis/report?year=`: all 91 U4SSC KPIs for a year, by dimension.
pub async fn report(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::KPIS)?;
    let year = year_param(&request)?.ok_or_else(|| {
        Problem::bad_request(
            "missing-parameter",
            "`year` is required, e.g. /kpis/report?year=2025",
        )
    })?;
    let rows = report_rows(&state, year).await?;
    let standing = |s: Standing| {
        serde_json::to_value(s)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    };
    match offer.output {
        Output::Results(_) => {
            let mut lines = Vec::new();
            for row in &rows {
                let values: Vec<String> = row
                    .assessments
                    .iter()
                    .filter(|a| a.value.is_some())
                    .map(|a| {
                        format!(
                            "{}{}",
                            number(a.value),
                            a.pollutant
                                .as_deref()
                                .map(|p| format!(" ({})", p.rsplit('/').next().unwrap_or(p)))
                                .unwrap_or_default()
                        )
                    })
                    .collect();
                let evidence: Vec<String> = row
                    .assessments
                    .iter()
                    .flat_map(|a| a.notes.iter().cloned().chain(a.source.iter().cloned()))
                    .collect();
                lines.push(vec![
                    row.kpi.dimension.clone(),
                    row.kpi.sub_dimension.clone(),
                    row.kpi.code.clone(),
                    row.kpi.name.clone(),
                    row.kpi.kind.clone(),
                    standing(row.standing),
                    values.join("; "),
                    row.assessments
                        .iter()
                        .find_map(|a| a.unit.clone())
                        .unwrap_or_default(),
                    evidence.join("; "),
                ]);
            }
            Ok(HttpResponse::Ok()
                .content_type("text/csv; charset=utf-8")
                .body(csv_table(
                    &[
                        "dimension",
                        "sub_dimension",
                        "code",
                        "name",
                        "type",
                        "status",
                        "value",
                        "unit",
                        "evidence",
                    ],
                    lines.into_iter(),
                )?))
        }
        Output::Rdf(format) => {
            let node = NamedNode::new_unchecked(
                state
                    .settings
                    .base_iri
                    .join(&format!("id/kpi-report/{year}")),
            );
            let all: Vec<Assessment> = rows
                .iter()
                .flat_map(|r| r.assessments.iter().cloned())
                .collect();
            let mut triples = assessment_triples(&all, &state);
            triples.push(Triple::new(
                node.clone(),
                rdf::TYPE,
                vocab::city::KPI_REPORT.into_owned(),
            ));
            triples.push(Triple::new(
                node.clone(),
                vocab::S4CITY_HAS_CALCULATION_PERIOD,
                assessments::year_interval(year),
            ));
            triples.push(Triple::new(
                node.clone(),
                vocab::DCT_CREATED,
                Literal::new_typed_literal(crate::core::clock::now(), xsd::DATE_TIME),
            ));
            for row in &rows {
                for a in &row.assessments {
                    triples.push(Triple::new(
                        node.clone(),
                        vocab::DCT_HAS_PART,
                        NamedNode::new_unchecked(a.iri.clone()),
                    ));
                }
                if row.standing == Standing::Missing {
                    triples.push(Triple::new(
                        node.clone(),
                        city::MISSING_KPI,
                        NamedNode::new_unchecked(row.kpi.iri.clone()),
                    ));
                }
            }
            render::rdf_response(format, offer.media_type(), &triples)
        }
        Output::Html => {
            let mut context = Context::new();
            context.insert("year", &year);
            context.insert(
                "counts",
                &json!({
                    "computed": rows.iter().filter(|r| r.standing == Standing::Computed).count(),
                    "reported": rows.iter().filter(|r| r.standing == Standing::Reported).count(),
                    "missing": rows.iter().filter(|r| r.standing == Standing::Missing).count(),
                }),
            );
            context.insert("rows", &rows);
            render::render(&state, "kpi_report.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok().json(json!({ "year": year, "kpis": rows }))),
    }
}
