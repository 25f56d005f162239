//! `GET /id/{path}`: every resource citykg mints under `{base}id/` dereferences to its
//! description, and `GET /ns/context.jsonld` serves citykg's JSON-LD context.
//!
//! A description is the resource's concise bounded description (its triples in every graph,
//! following blank-node objects) plus the same for the sub-resources it links to under its own
//! IRI (`{iri}/place`, `{iri}/distribution/sparql`, ...), so a use case comes with its place,
//! publisher and distributions in one document. Incoming links are not part of it (SPARQL gives
//! those). Content-negotiated: HTML for browsers, every RDF format, JSON-LD in the profile asked
//! for (compacted by default).

use crate::storage::describe::walk_owned;
use crate::storage::{Storage, StoreError};
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use serde::Serialize;
use std::collections::HashSet;
use std::ops::ControlFlow;
use tera::Context;

use super::auth::authorize;
use super::jsonld_out;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::rdf_response;
use super::render::render;
use super::state::AppState;
use crate::edge::auth::Role;
use crate::storage::run_blocking;

/// A description larger than this is refused (SPARQL CONSTRUCT streams any size).
pub const MAX_DESCRIPTION_TRIPLES: usize = 20_000;
/// At most this many linked sub-resources are followed.
const MAX_SUBRESOURCES: usize = 500;

/// What [`describe`] found.
#[derive(Debug)]
pub enum Description {
    Found(Vec<Triple>),
    /// More than the limit: the caller should point to SPARQL.
    TooLarge,
}

/// The triples describing `iri`: its description with the resources it owns (blank nodes,
/// IRIs under `{iri}/`, at most `MAX_SUBRESOURCES` of those) over every graph. Duplicates across
/// graphs are written once.
pub fn describe(
    store: &Storage,
    iri: NamedNodeRef<'_>,
    limit: usize,
) -> Result<Description, StoreError> {
    let mut subresources = 0usize;
    let mut written: HashSet<Triple> = HashSet::new();
    let mut triples = Vec::new();
    let mut too_large = false;
    walk_owned(
        store,
        None,
        vec![iri.into_owned().into()],
        |node| match node {
            NamedOrBlankNode::NamedNode(_) if subresources >= MAX_SUBRESOURCES => false,
            NamedOrBlankNode::NamedNode(_) => {
                subresources += 1;
                true
            }
            NamedOrBlankNode::BlankNode(_) => true,
        },
        |quad| {
            let triple = Triple::from(quad);
            if written.insert(triple.clone()) {
                triples.push(triple);
            }
            too_large = triples.len() > limit;
            if too_large {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )?;
    Ok(if too_large {
        Description::TooLarge
    } else {
        Description::Found(triples)
    })
}

/// `GET /id/{path}`.
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::RDF_OR_PAGE)?;
    let path = path.into_inner();
    let iri_text = state.settings.base_iri.join(&format!("id/{path}"));
    let Ok(iri) = NamedNode::new(iri_text.clone()) else {
        return Err(Problem::not_found(format!(
            "`{iri_text}` is not an IRI citykg could have minted"
        )));
    };
    let store = state.store.clone();
    let lookup = iri.clone();
    let description =
        run_blocking(move || describe(&store, lookup.as_ref(), MAX_DESCRIPTION_TRIPLES)).await??;
    let triples = match description {
        Description::Found(triples) if triples.is_empty() => {
            return Err(Problem::not_found(format!(
                "nothing is known about <{iri}>: no graph has a triple with it as subject"
            )));
        }
        Description::Found(triples) => triples,
        Description::TooLarge => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "description-too-large",
                "Description too large",
                format!(
                    "<{iri}> has more than {MAX_DESCRIPTION_TRIPLES} triples; ask the SPARQL \
                     endpoint instead, e.g. CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{iri}> ?p ?o }} }}"
                ),
            ));
        }
    };
    match offer.output {
        Output::Html => page(&state, &iri, &triples),
        Output::Rdf(RdfFormat::JsonLd { .. }) => {
            jsonld_out::respond_triples(&request, &state, &triples).await
        }
        Output::Rdf(format) => rdf_response(format, offer.media_type(), &triples),
        Output::Results(_) | Output::Json | Output::Document => Err(Problem::not_acceptable(&[])),
    }
}

#[derive(Serialize)]
struct Row {
    property: String,
    property_href: String,
    value: String,
    /// A link for IRIs and blank nodes; none for literals.
    href: Option<String>,
    /// The datatype or language of a literal.
    note: Option<String>,
}

#[derive(Serialize)]
struct Section {
    /// The subject as shown, and the anchor other rows link to.
    title: String,
    anchor: String,
    rows: Vec<Row>,
}

fn anchor(node: &NamedOrBlankNode) -> String {
    match node {
        NamedOrBlankNode::NamedNode(n) => format!(
            "r-{}",
            crate::core::digest::hex_sha256(n.as_str().as_bytes())
                .get(..12)
                .unwrap_or_default()
        ),
        NamedOrBlankNode::BlankNode(b) => format!("b-{}", b.as_str()),
    }
}

fn row(triple: &Triple, described: &HashSet<NamedOrBlankNode>) -> Row {
    let (value, href, note) = match &triple.object {
        Term::NamedNode(n) => {
            let node: NamedOrBlankNode = n.clone().into();
            // A sub-resource described on this page links to its section.
            let href = if described.contains(&node) {
                format!("#{}", anchor(&node))
            } else {
                n.as_str().to_owned()
            };
            (n.as_str().to_owned(), Some(href), None)
        }
        Term::BlankNode(b) => (
            format!("_:{}", b.as_str()),
            Some(format!("#{}", anchor(&b.clone().into()))),
            None,
        ),
        Term::Literal(l) => {
            let note = match l.language() {
                Some(language) => Some(format!("@{language}")),
                None if l.datatype() == oxigraph::model::vocab::xsd::STRING => None,
                None => Some(short(l.datatype().as_str())),
            };
            (l.value().to_owned(), None, note)
        }
    };
    Row {
        property: short(triple.predicate.as_str()),
        property_href: triple.predicate.as_str().to_owned(),
        value,
        href,
        note,
    }
}

/// `prefix:local` for the prefixes of the shipped context, else the IRI.
fn short(iri: &str) -> String {
    crate::core::vocab::PREFIXES
        .iter()
        .find_map(|(prefix, namespace)| {
            iri.strip_prefix(namespace)
                .filter(|local| !local.is_empty() && !local.contains(['/', '#']))
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| iri.to_owned())
}

fn page(state: &AppState, iri: &NamedNode, triples: &[Triple]) -> Result<HttpResponse, Problem> {
    let main: NamedOrBlankNode = iri.clone().into();
    let mut subjects: Vec<NamedOrBlankNode> = vec![main.clone()];
    for triple in triples {
        if !subjects.contains(&triple.subject) {
            subjects.push(triple.subject.clone());
        }
    }
    let described: HashSet<NamedOrBlankNode> = subjects.iter().cloned().collect();
    let sections: Vec<Section> = subjects
        .iter()
        .map(|subject| Section {
            title: match subject {
                NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
                NamedOrBlankNode::BlankNode(b) => format!("_:{}", b.as_str()),
            },
            anchor: anchor(subject),
            rows: triples
                .iter()
                .filter(|t| &t.subject == subject)
                .map(|t| row(t, &described))
                .collect(),
        })
        .collect();
    let mut context = Context::new();
    context.insert("iri", iri.as_str());
    context.insert("sections", &sections);
    context.insert(
        "formats",
        &[
            ("Turtle", "text/turtle"),
            ("JSON-LD", "application/ld+json"),
            ("N-Triples", "application/n-triples"),
            ("RDF/XML", "application/rdf+xml"),
        ],
    );
    render(state, "resource.html", &context, StatusCode::OK)
}

/// `GET /ns/context.jsonld`: the shipped context, cacheable for a day, with an ETag of its bytes.
pub async fn context(request: HttpRequest) -> HttpResponse {
    let body = crate::standards::jsonld::context_document();
    let etag = format!(
        "\"{}\"",
        crate::core::digest::hex_sha256(body.as_bytes())
            .get(..32)
            .unwrap_or_default()
    );
    let unchanged = request
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::ETAG, etag))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    if unchanged {
        response.finish()
    } else {
        response.content_type(jsonld_out::JSON_LD).body(body)
    }
}
