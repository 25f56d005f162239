//! The query page that `/query` answers a browser with: a form, results as a table (no
//! JavaScript), errors at their line and column.

use super::deadline::Deadline;
use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use crate::standards::sparql::{ParsedQuery, ProtocolDataset, RunOptions, SparqlError};
use crate::storage::run_blocking;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use oxigraph::sparql::QueryResults;
use std::time::Instant;
use tera::Context;
use tokio::sync::OwnedSemaphorePermit;

/// Rows the HTML table shows at most; clients get everything through the other formats.
const MAX_ROWS: usize = 1000;

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
