//! Pages for people: the home page and the query page (a form, results as a table, no
//! JavaScript). Templates are compiled into the binary.

use super::deadline::Deadline;
use super::problem::Problem;
use super::state::AppState;
use super::stats;
use crate::sparql::{ParsedQuery, ProtocolDataset, RunOptions, SparqlError};
use crate::storage::run_blocking;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use oxigraph::sparql::QueryResults;
use serde::Serialize;
use std::time::Instant;
use tera::{Context, Tera};
use tokio::sync::OwnedSemaphorePermit;

/// Rows the HTML table shows at most; clients get everything through the other formats.
const MAX_ROWS: usize = 1000;

pub fn templates() -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    tera.add_raw_templates([
        ("base.html", include_str!("../../templates/base.html")),
        ("home.html", include_str!("../../templates/home.html")),
        ("query.html", include_str!("../../templates/query.html")),
        (
            "ontologies.html",
            include_str!("../../templates/ontologies.html"),
        ),
        (
            "ontology.html",
            include_str!("../../templates/ontology.html"),
        ),
        ("term.html", include_str!("../../templates/term.html")),
        (
            "quarantine.html",
            include_str!("../../templates/quarantine.html"),
        ),
        (
            "mappings.html",
            include_str!("../../templates/mappings.html"),
        ),
        ("mapping.html", include_str!("../../templates/mapping.html")),
        (
            "resource.html",
            include_str!("../../templates/resource.html"),
        ),
        (
            "use_cases.html",
            include_str!("../../templates/use_cases.html"),
        ),
        (
            "use_case.html",
            include_str!("../../templates/use_case.html"),
        ),
        ("compare.html", include_str!("../../templates/compare.html")),
        ("rubric.html", include_str!("../../templates/rubric.html")),
    ])?;
    tera.register_filter("href", safe_href);
    Ok(tera)
}

/// The `href` filter: a link target from stored or harvested data passes only when it is an
/// http(s) IRI or a path of this site; anything else (`javascript:`, `data:`...) becomes `#`.
/// Every template link whose target is not a fixed path goes through it.
fn safe_href(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    let lower = text.trim_start().to_ascii_lowercase();
    let safe = lower.starts_with("http://")
        || lower.starts_with("https://")
        || (lower.starts_with('/') && !lower.starts_with("//"))
        || lower.starts_with('?')
        || lower.starts_with('#');
    Ok(tera::Value::String(if safe {
        text.to_owned()
    } else {
        "#".to_owned()
    }))
}

#[derive(Serialize)]
struct GraphLink {
    iri: String,
    encoded: String,
}

pub async fn home(
    request: actix_web::HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, crate::auth::Role::Read)?;
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

pub fn query_form(state: &AppState) -> HttpResponse {
    let context = query_context(state, "SELECT * WHERE {\n  ?s ?p ?o\n}\nLIMIT 25");
    render_or_500(state, &context, StatusCode::OK)
}

pub fn query_page_error(state: &AppState, query: &str, problem: Problem) -> HttpResponse {
    let mut context = query_context(state, query);
    context.insert("error", &problem);
    render_or_500(state, &context, problem.status_code())
}

struct Table {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
    truncated: bool,
    boolean: Option<bool>,
}

/// Evaluates the query and shows at most `MAX_ROWS` rows of it.
pub async fn query_page_results(
    state: &web::Data<AppState>,
    query: String,
    parsed: ParsedQuery,
    dataset: ProtocolDataset,
    deadline: Deadline,
    permit: OwnedSemaphorePermit,
) -> Result<HttpResponse, Problem> {
    let store = state.store.clone();
    let allow = state.settings.allow_list.clone();
    let started = Instant::now();
    let outcome = run_blocking(move || {
        let _permit = permit;
        let options = RunOptions {
            allow: &allow,
            cancel: Some(deadline.token.clone()),
            timeout: Some(deadline.limit),
        };
        let seconds = Some(deadline.seconds());
        parsed.evaluate(&store, &dataset, &options, |results| {
            to_table(results, seconds)
        })
    })
    .await?;
    let mut context = query_context(state, &query);
    match outcome {
        Ok(table) => {
            context.insert("columns", &table.columns);
            context.insert("rows", &table.rows);
            context.insert("truncated", &table.truncated);
            if let Some(b) = table.boolean {
                context.insert("boolean", &b);
            }
            context.insert("elapsed_ms", &started.elapsed().as_millis());
            render(state, "query.html", &context, StatusCode::OK)
        }
        Err(error) => Ok(query_page_error(state, &query, Problem::from(error))),
    }
}

fn to_table(results: QueryResults<'_>, seconds: Option<f64>) -> Result<Table, SparqlError> {
    let fail = |e| SparqlError::from_evaluation(e, seconds);
    match results {
        QueryResults::Boolean(b) => Ok(Table {
            columns: Vec::new(),
            rows: Vec::new(),
            truncated: false,
            boolean: Some(b),
        }),
        QueryResults::Solutions(solutions) => {
            let columns: Vec<String> = solutions
                .variables()
                .iter()
                .map(|v| v.as_str().to_owned())
                .collect();
            let mut rows = Vec::new();
            let mut truncated = false;
            for solution in solutions {
                if rows.len() == MAX_ROWS {
                    truncated = true;
                    break;
                }
                let solution = solution.map_err(fail)?;
                rows.push(
                    solution
                        .values()
                        .iter()
                        .map(|v| v.as_ref().map(ToString::to_string).unwrap_or_default())
                        .collect(),
                );
            }
            Ok(Table {
                columns,
                rows,
                truncated,
                boolean: None,
            })
        }
        QueryResults::Graph(triples) => {
            let mut rows = Vec::new();
            let mut truncated = false;
            for triple in triples {
                if rows.len() == MAX_ROWS {
                    truncated = true;
                    break;
                }
                let t = triple.map_err(fail)?;
                rows.push(vec![
                    t.subject.to_string(),
                    t.predicate.to_string(),
                    t.object.to_string(),
                ]);
            }
            Ok(Table {
                columns: vec!["subject".into(), "predicate".into(), "object".into()],
                rows,
                truncated,
                boolean: None,
            })
        }
    }
}

fn query_context(state: &AppState, query: &str) -> Context {
    let mut context = Context::new();
    context.insert("query", query);
    context.insert(
        "timeout",
        &state.settings.limits.query_timeout.as_secs_f64(),
    );
    context
}

fn render_or_500(state: &AppState, context: &Context, status: StatusCode) -> HttpResponse {
    render(state, "query.html", context, status)
        .unwrap_or_else(|p| actix_web::ResponseError::error_response(&p))
}

pub(super) fn render(
    state: &AppState,
    template: &str,
    context: &Context,
    status: StatusCode,
) -> Result<HttpResponse, Problem> {
    let html = state
        .templates
        .render(template, context)
        .map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header(("Vary", "Accept"))
        .body(html))
}
