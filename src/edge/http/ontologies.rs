//! `/ontologies`, `/ontologies/{name}` and `/def/{term}`: the shared vocabulary, for clients
//! (JSON, every RDF format) and for people (HTML pages listing terms with labels and comments).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, Triple};
use serde::Serialize;
use tera::Context;

use super::auth::authorize;
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::{rdf_response, render};
use super::state::AppState;
use crate::edge::auth::Role;
use crate::standards::ontologies::browse::{self, ModuleSummary, TermSummary};
use crate::storage::run_blocking;

#[derive(Serialize)]
struct Listed {
    #[serde(flatten)]
    module: ModuleSummary,
    href: String,
}

pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let modules = run_blocking(move || browse::modules(&store, &base)).await??;
    let listed: Vec<Listed> = modules
        .into_iter()
        .map(|module| Listed {
            href: format!("/ontologies/{}", module.name),
            module,
        })
        .collect();
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("modules", &listed);
            render(&state, "ontologies.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .content_type("application/json")
            .insert_header(("Vary", "Accept"))
            .json(listed)),
    }
}

pub async fn module(
    request: HttpRequest,
    state: web::Data<AppState>,
    name: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::RDF_OR_PAGE)?;
    let name = name.into_inner();
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let wanted = name.clone();
    let found = run_blocking(move || -> Result<_, crate::storage::StoreError> {
        let Some(graph) = browse::module_graph(&store, &base, &wanted)? else {
            return Ok(None);
        };
        let summary = Some(browse::summary(&store, &graph, &wanted)?);
        let terms = browse::terms(&store, &graph)?;
        let triples: Vec<Triple> = store
            .quads(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(graph.as_ref())),
            )
            .filter_map(Result::ok)
            .filter(|q| q.predicate != crate::core::vocab::SOURCE_SHA256)
            .map(Triple::from)
            .collect();
        Ok(Some((summary, terms, triples)))
    })
    .await??;
    let Some((summary, terms, triples)) = found else {
        return Err(Problem::not_found(format!(
            "there is no ontology module `{name}`; GET /ontologies lists them"
        )));
    };
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("module", &summary);
            context.insert("name", &name);
            let sections: Vec<(&str, Vec<&TermSummary>)> = [
                ("class", "Classes"),
                ("property", "Properties"),
                ("concept", "Concepts"),
                ("unit", "Units and quantity kinds"),
                ("other", "Other terms"),
            ]
            .into_iter()
            .map(|(kind, title)| {
                (
                    title,
                    terms.iter().filter(|t| t.kind == kind).collect::<Vec<_>>(),
                )
            })
            .filter(|(_, of_kind)| !of_kind.is_empty())
            .collect();
            context.insert("sections", &sections);
            render(&state, "ontology.html", &context, StatusCode::OK)
        }
        // Modules can be large (QUDT): oxigraph's JSON-LD writer, not compaction.
        Output::Rdf(format) => rdf_response(format, offer.media_type(), &triples),
        Output::Results(_) | Output::Json | Output::Document => Err(Problem::not_acceptable(&[])),
    }
}

/// `GET /def/{term}`: citykg's own terms (`https://w3id.org/citykg/ns#{term}`) dereference here.
pub async fn term(
    request: HttpRequest,
    state: web::Data<AppState>,
    local: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::RDF_OR_PAGE)?;
    let local = local.into_inner();
    let Some(iri) = browse::own_term(&local) else {
        return Err(Problem::not_found(format!("`{local}` is not a term name")));
    };
    let store = state.store.clone();
    let base = state.settings.base_iri.clone();
    let lookup = iri.clone();
    let triples = run_blocking(move || browse::describe(&store, &base, lookup.as_ref())).await??;
    if triples.is_empty() {
        return Err(Problem::not_found(format!(
            "{iri} is not declared in any loaded ontology module"
        )));
    }
    match offer.output {
        Output::Html => {
            let rows: Vec<(String, String)> = triples
                .iter()
                .map(|t| (t.predicate.as_str().to_owned(), display_object(&t.object)))
                .collect();
            let mut context = Context::new();
            context.insert("iri", iri.as_str());
            context.insert("rows", &rows);
            render(&state, "term.html", &context, StatusCode::OK)
        }
        Output::Rdf(RdfFormat::JsonLd { .. }) => {
            super::jsonld_out::respond_triples(&request, &state, &triples).await
        }
        Output::Rdf(format) => rdf_response(format, offer.media_type(), &triples),
        Output::Results(_) | Output::Json | Output::Document => Err(Problem::not_acceptable(&[])),
    }
}

fn display_object(term: &oxigraph::model::Term) -> String {
    match term {
        oxigraph::model::Term::Literal(l) => l.value().to_owned(),
        oxigraph::model::Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}
