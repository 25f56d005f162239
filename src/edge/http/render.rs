//! What every page and RDF document answer is made with: the page templates (compiled into the
//! binary, links through the `href` filter), rendering one, and a small RDF document in a
//! negotiated format with the shipped prefixes.

use super::problem::Problem;
use super::state::AppState;
use crate::core::vocab::PREFIXES;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;
use tera::{Context, Tera};

pub fn templates() -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    tera.add_raw_templates([
        (
            "base.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/base.html")),
        ),
        (
            "home.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/home.html")),
        ),
        (
            "query.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/query.html")),
        ),
        (
            "ontologies.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/ontologies.html"
            )),
        ),
        (
            "ontology.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/ontology.html"
            )),
        ),
        (
            "term.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/term.html")),
        ),
        (
            "quarantine.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/quarantine.html"
            )),
        ),
        (
            "mappings.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/mappings.html"
            )),
        ),
        (
            "mapping.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/mapping.html"
            )),
        ),
        (
            "resource.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/resource.html"
            )),
        ),
        (
            "use_cases.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/use_cases.html"
            )),
        ),
        (
            "use_case.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/use_case.html"
            )),
        ),
        (
            "compare.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/compare.html"
            )),
        ),
        (
            "rubric.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/rubric.html"
            )),
        ),
        (
            "dashboard.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/dashboard.html"
            )),
        ),
        (
            "state.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/state.html")),
        ),
        (
            "kpis.html",
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/kpis.html")),
        ),
        (
            "kpi_report.html",
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/templates/kpi_report.html"
            )),
        ),
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

pub fn render(
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

/// Small graphs (a module, a term, a resource): serialised whole, with the usual prefixes.
pub fn rdf_response(
    format: RdfFormat,
    media_type: &str,
    triples: &[Triple],
) -> Result<HttpResponse, Problem> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *iri)
            .map_err(|e| Problem::internal(&e))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples {
        writer
            .serialize_triple(triple)
            .map_err(|e| Problem::internal(&e))?;
    }
    let body = writer.finish().map_err(|e| Problem::internal(&e))?;
    Ok(HttpResponse::Ok()
        .content_type(media_type)
        .insert_header(("Vary", "Accept"))
        .body(body))
}

/// A CSV table (RFC 4180: CRLF line ends, quoted where needed) with its header.
pub fn csv_table(
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<Vec<u8>, Problem> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let failed = |e: &dyn std::fmt::Display| Problem::internal(e);
    writer.write_record(header).map_err(|e| failed(&e))?;
    for row in rows {
        writer.write_record(&row).map_err(|e| failed(&e))?;
    }
    writer.into_inner().map_err(|e| failed(&e))
}
