//! `POST /shacl`: validate data against SHACL shapes and answer a standard `sh:ValidationReport`.
//!
//! Data: a posted data graph (read role), else `?graph=IRI` (a named graph of the store), else
//! the whole dataset (those two need the steward role: they run for as long as the data is big).
//! Each validation takes a task slot and stops at the task time limit (503). The role is
//! checked before any shape is read. Shapes: posted, or the shipped sets named by `?shapes=` (repeatable or comma
//! separated). One RDF body is the data when `?shapes=` names shipped shapes and the shapes
//! otherwise; a `multipart/form-data` body may carry both, as the fields `data` and `shapes`.
//! The report is content-negotiated (Turtle, JSON-LD, ...), or a short JSON summary on
//! `Accept: application/json`.

use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Graph, GraphNameRef, NamedNode, Triple};

use super::auth::authorize;
use super::body::{Params, content_type, read_limited};
use super::deadline::Admitted;
use super::multipart;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::state::AppState;
use crate::edge::auth::Role;
use crate::standards::shacl::{self, Shapes, StoreGraph, ValidationReport};
use crate::storage::run_blocking;

/// Shipped shape sets one request may name (there are five; repeats are the same set).
const MAX_SHIPPED_NAMES: usize = 16;

/// An RDF document from the request, parsed.
struct Posted {
    graph: Graph,
}

pub async fn validate(
    request: HttpRequest,
    payload: web::Payload,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::REPORT)?;
    let params = Params::parse(request.query_string().as_bytes());
    let shipped: Vec<String> = params
        .all("shapes")
        .iter()
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let shipped: Vec<String> = shipped
        .into_iter()
        .filter(|n| seen.insert(n.clone()))
        .collect();
    let graph = params.single("graph")?;
    let target = match graph {
        None => None,
        Some(iri) => Some(NamedNode::new(iri.as_str()).map_err(|e| {
            Problem::bad_request("bad-graph", format!("graph `{iri}` is not an IRI: {e}"))
        })?),
    };
    let body = read_limited(&request, payload, state.settings.limits.max_body_bytes).await?;
    let media = content_type(&request).unwrap_or_default();
    let multipart = !body.is_empty() && media == "multipart/form-data";
    // Validating what is stored can take as long as the store is large: only stewards may ask
    // for it; anyone may validate data they post. Decided before any shape is read.
    let data_posted = if multipart {
        multipart::request_parts(&request, &body)?
            .iter()
            .any(|p| p.name.as_deref() == Some("data"))
    } else {
        !body.is_empty() && !shipped.is_empty()
    };
    if !data_posted {
        authorize(&request, &state, Role::Steward)?;
    }
    if shipped.len() > MAX_SHIPPED_NAMES {
        return Err(Problem::bad_request(
            "unknown-shapes",
            format!(
                "?shapes= names {} sets; name at most {MAX_SHIPPED_NAMES} ({})",
                shipped.len(),
                crate::standards::shacl::shipped::names(&state.settings.ontologies).join(", ")
            ),
        ));
    }
    let admitted = Admitted::task(&state).await?;
    let boundary = multipart
        .then(|| {
            request
                .headers()
                .get(actix_web::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .and_then(multipart::boundary)
        })
        .flatten();
    let store = state.store.clone();
    let settings = state.settings.clone();
    let stop = admitted.token().clone();
    let report = run_blocking(move || -> Result<Option<ValidationReport>, Problem> {
        let (posted_data, posted_shapes) =
            posted_documents(&body, &media, boundary.as_deref(), &shipped)?;
        let shapes = compile_shapes(posted_shapes, &shipped, &settings.ontologies)?;
        let storage = |e: crate::storage::StoreError| Problem::internal(&e);
        match (posted_data, target) {
            (Some(posted), _) => match shacl::validate_until(&shapes, &posted.graph, &stop) {
                Ok(report) => Ok(report),
                Err(never) => match never {},
            },
            (None, Some(graph)) => shacl::validate_until(
                &shapes,
                &StoreGraph::graph(&store, GraphNameRef::NamedNode(graph.as_ref())),
                &stop,
            )
            .map_err(storage),
            (None, None) => {
                shacl::validate_until(&shapes, &StoreGraph::union(&store), &stop).map_err(storage)
            }
        }
    })
    .await??;
    let Some(report) = report else {
        return Err(admitted.timed_out("the validation"));
    };
    match offer.output {
        Output::Json => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(report.summary())),
        Output::Rdf(format) => {
            let mut serializer = RdfSerializer::from_format(format);
            for (prefix, iri) in [
                ("sh", "http://www.w3.org/ns/shacl#"),
                ("xsd", "http://www.w3.org/2001/XMLSchema#"),
            ] {
                serializer = serializer
                    .with_prefix(prefix, iri)
                    .map_err(|e| Problem::internal(&e))?;
            }
            let mut writer = serializer.for_writer(Vec::new());
            for triple in report.to_graph().iter() {
                writer
                    .serialize_triple(triple)
                    .map_err(|e| Problem::internal(&e))?;
            }
            let bytes = writer.finish().map_err(|e| Problem::internal(&e))?;
            Ok(HttpResponse::Ok()
                .content_type(offer.media_type())
                .insert_header(("Vary", "Accept"))
                .body(bytes))
        }
        Output::Results(_) | Output::Html | Output::Document => Err(Problem::not_acceptable(&[])),
    }
}

/// The posted data and shapes: a multipart body's `data` and `shapes` parts, or one RDF body
/// (the data when shipped shapes are named, else the shapes).
fn posted_documents(
    body: &[u8],
    media: &str,
    boundary: Option<&str>,
    shipped: &[String],
) -> Result<(Option<Posted>, Option<Posted>), Problem> {
    let (mut data, mut shapes) = (None, None);
    if let Some(boundary) = boundary {
        let parts = multipart::parse(body, boundary).ok_or_else(|| {
            Problem::bad_request("bad-multipart", "the multipart body is not well formed")
        })?;
        for (field, document) in multipart_documents(parts)? {
            match field.as_str() {
                "data" => data = Some(document),
                "shapes" => shapes = Some(document),
                other => {
                    return Err(Problem::bad_request(
                        "bad-multipart",
                        format!("unknown form field `{other}`: send `data` and/or `shapes`"),
                    ));
                }
            }
        }
    } else if !body.is_empty() {
        let document = parse_document(media, body, "body")?;
        if shipped.is_empty() {
            shapes = Some(document);
        } else {
            data = Some(document);
        }
    }
    Ok((data, shapes))
}

/// The shapes to validate against: posted, or the shipped sets named.
fn compile_shapes(
    posted: Option<Posted>,
    shipped: &[String],
    ontologies: &std::path::Path,
) -> Result<Shapes, Problem> {
    match (posted, shipped.is_empty()) {
        (Some(posted), true) => Shapes::parse(&posted.graph).map_err(shapes_problem),
        (None, false) => {
            crate::standards::shacl::shipped::load(ontologies, shipped).map_err(|e| match e {
                crate::standards::shacl::shipped::ShapeSetError::Unknown { .. } => {
                    Problem::bad_request("unknown-shapes", e.to_string())
                }
                crate::standards::shacl::shipped::ShapeSetError::Invalid { source, .. } => {
                    shapes_problem(source)
                }
            })
        }
        (Some(_), false) => Err(Problem::bad_request(
            "shapes-twice",
            "give shapes either in the body or with ?shapes=, not both",
        )),
        (None, true) => Err(Problem::bad_request(
            "no-shapes",
            format!(
                "say which shapes to validate against: post them (Turtle...) or name shipped ones with ?shapes= ({})",
                crate::standards::shacl::shipped::names(ontologies).join(", ")
            ),
        )),
    }
}

fn shapes_problem(error: shacl::ShapesError) -> Problem {
    match error {
        shacl::ShapesError::Syntax {
            line,
            column,
            message,
        } => Problem::bad_request(
            "shapes-syntax",
            format!("the shapes are not valid Turtle: {message}"),
        )
        .with_location(line, column),
        shacl::ShapesError::Invalid { problems } => {
            let mut problem = Problem::bad_request(
                "invalid-shapes",
                format!(
                    "{} problem(s) in the shapes; each is listed in errors",
                    problems.len()
                ),
            );
            for item in problems {
                problem = problem.with_item(item.to_string());
            }
            problem
        }
        other => Problem::bad_request("invalid-shapes", other.to_string()),
    }
}

fn multipart_documents(parts: Vec<multipart::Part<'_>>) -> Result<Vec<(String, Posted)>, Problem> {
    parts
        .into_iter()
        .map(|part| {
            let field = part.name.clone().unwrap_or_default();
            let media = part
                .content_type
                .clone()
                .unwrap_or_else(|| "text/turtle".to_owned());
            Ok((field.clone(), parse_document(&media, part.body, &field)?))
        })
        .collect()
}

/// Parses an RDF document (no remote contexts, no XML entities) into a graph.
fn parse_document(media: &str, bytes: &[u8], what: &str) -> Result<Posted, Problem> {
    let format = RdfFormat::from_media_type(media).ok_or_else(|| {
        Problem::unsupported_media_type(
            media,
            &[
                "text/turtle",
                "application/n-triples",
                "application/rdf+xml",
                "application/ld+json",
                "multipart/form-data",
            ],
        )
    })?;
    crate::core::rdf_file::check_untrusted(format, bytes)?;
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_slice(bytes) {
        let quad = quad.map_err(|e| {
            let problem =
                Problem::bad_request("rdf-syntax", format!("the {what} is not valid RDF: {e}"));
            match e.location() {
                Some(range) => problem.with_location(range.start.line + 1, range.start.column + 1),
                None => problem,
            }
        })?;
        graph.insert(&Triple::from(quad));
    }
    Ok(Posted { graph })
}
