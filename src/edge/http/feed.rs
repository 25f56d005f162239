//! `GET /catalog`: the DCAT-AP 3 feed (Turtle, N-Triples, RDF/XML, JSON-LD...), one Hydra page
//! at a time (`page`, `page_size`, `modified_since`). A bad parameter is a 400 problem.
//!
//! JSON-LD is oxigraph's writer (expanded-style output) for now; the JSON-LD helper's
//! compacted writer (`jsonld_out.rs`) could replace it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfSerializer};

use super::auth::authorize;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::state::AppState;
use crate::catalogue::feed::{self, FeedError, FeedQuery};
use crate::edge::auth::Role;
use crate::storage::run_blocking;

pub async fn catalog(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::RDF)?;
    let Output::Rdf(format) = offer.output else {
        return Err(Problem::not_acceptable(&[]));
    };
    let query = FeedQuery::parse(request.query_string()).map_err(Problem::from)?;
    let origin = {
        let info = request.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    };
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let records = state.feed_records.clone();
    let generation = state.catalog.generation();
    let body = run_blocking(move || -> Result<Vec<u8>, Problem> {
        let page = feed::page(&store, &base, &query, &origin, (&records, generation))?;
        serialize(format, &page.graph)
    })
    .await??;
    Ok(HttpResponse::Ok()
        .content_type(offer.media_type())
        .insert_header(("Vary", "Accept"))
        .body(body))
}

fn serialize(
    format: RdfFormat,
    graph: &crate::catalogue::feed::describe::Triples,
) -> Result<Vec<u8>, Problem> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in crate::core::vocab::CATALOG_PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *iri)
            .map_err(|e| Problem::internal(&e))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in graph.iter() {
        writer
            .serialize_triple(triple)
            .map_err(|e| Problem::internal(&e))?;
    }
    writer.finish().map_err(|e| Problem::internal(&e))
}

impl From<FeedError> for Problem {
    fn from(error: FeedError) -> Self {
        let detail = error.to_string();
        match error {
            FeedError::BadNumber { .. } | FeedError::Repeated(_) => {
                Problem::bad_request("bad-feed-parameter", detail)
            }
            FeedError::BadDateTime(_) => Problem::bad_request("bad-modified-since", detail),
            FeedError::PastLastPage { .. } => Problem::new(
                StatusCode::NOT_FOUND,
                "past-last-page",
                "No such page",
                detail,
            ),
            FeedError::Iri(_) | FeedError::Storage(_) => Problem::internal(&detail),
        }
    }
}
