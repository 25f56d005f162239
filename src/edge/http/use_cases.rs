//! `/use-cases`: the use-case catalogue over HTTP, thin handlers over `crate::catalogue::use_cases`.
//! Writes need the steward role; reads follow the read policy. A use case is written as Turtle
//! or JSON-LD and answered in any RDF format or as a page; its compacted JSON-LD is one object
//! (the use case with the sub-resources it owns nested), which is also what `PATCH` merges a
//! JSON merge patch (RFC 7396) into. The list is JSON or a page. Literal routes under
//! `/use-cases/` (compare, import) are registered before `/use-cases/{id}` in routes.rs.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::io::{RdfFormat, RdfSerializer};
use serde::Serialize;
use tera::Context;

use super::auth::authorize;
use super::body::{Params, content_type, read_limited};
use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::render;
use super::state::AppState;
use crate::catalogue::use_cases::list::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use crate::catalogue::use_cases::{CatalogError, ListPage, ListQuery};
use crate::core::ids::UseCaseId;
use crate::edge::auth::Role;
use crate::storage::{Cause, Origin, run_blocking};

const MERGE_PATCH_TYPES: &[&str] = &["application/merge-patch+json", "application/json"];

impl From<CatalogError> for Problem {
    fn from(error: CatalogError) -> Self {
        let detail = error.to_string();
        match error {
            CatalogError::Syntax { .. } => Problem::bad_request("rdf-syntax", detail),
            CatalogError::JsonLd(error) => Problem::from(error),
            CatalogError::Invalid { problems } => super::problem::invalid(
                "invalid-use-case",
                "Invalid use case",
                "the use case was not stored",
                problems,
            ),
            CatalogError::BadId(_) => Problem::bad_request("bad-use-case-id", detail),
            CatalogError::NotFound(_) => Problem::not_found(detail),
            CatalogError::Exists(_) => Problem::new(
                StatusCode::CONFLICT,
                "use-case-exists",
                "Use case exists",
                detail,
            ),
            CatalogError::Harvested { .. } => Problem::new(
                StatusCode::CONFLICT,
                "harvested-use-case",
                "Harvested use case",
                detail,
            ),
            CatalogError::Shapes(_)
            | CatalogError::Shipped { .. }
            | CatalogError::Stored(_)
            | CatalogError::Storage(_) => Problem::internal(&detail),
        }
    }
}

fn missing(id: &str) -> Problem {
    Problem::not_found(format!(
        "there is no use case {id}; GET /use-cases lists them"
    ))
}

/// `GET /use-cases`: filters `vertical`, `country`, `sdg`, `kpi`, `standard`, `maturity`
/// (repeatable), `q`; paging `page`, `page_size`.
#[tracing::instrument(skip_all)]
pub async fn list(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::JSON_OR_PAGE)?;
    let params = Params::parse_utf8(request.query_string().as_bytes())?;
    let query = list_query(&params)?;
    let catalog = state.catalog.clone();
    let page = run_blocking({
        let query = query.clone();
        move || catalog.list(&query)
    })
    .await??;
    let links = links(&params, &page);
    match offer.output {
        Output::Html => {
            let mut context = Context::new();
            context.insert("page", &page);
            context.insert("links", &links);
            context.insert("last_page", &page.last_page());
            context.insert("filters", &Filters::from(&query));
            context.insert("verticals", VERTICALS);
            context.insert("maturities", MATURITIES);
            render(&state, "use_cases.html", &context, StatusCode::OK)
        }
        _ => Ok(HttpResponse::Ok()
            .insert_header(("Vary", "Accept"))
            .json(ListBody {
                total: page.total,
                page: page.page,
                page_size: page.page_size,
                last_page: page.last_page(),
                links: &links,
                items: &page.items,
            })),
    }
}

const VERTICALS: &[&str] = &[
    "energy",
    "transportation",
    "health",
    "agriculture",
    "education",
    "environment",
    "water",
    "buildings",
    "manufacturing",
    "public-services",
    "crisis-response",
    "rural-development",
    "citizen-engagement",
    "digital-twins",
    "citiverse",
];
const MATURITIES: &[&str] = &["idea", "pilot", "deployed", "retired"];

#[derive(Serialize)]
struct ListBody<'a> {
    total: usize,
    page: usize,
    page_size: usize,
    last_page: usize,
    links: &'a Links,
    items: &'a [crate::catalogue::use_cases::Summary],
}

#[derive(Serialize, Default)]
struct Links {
    #[serde(rename = "self")]
    this: String,
    first: String,
    last: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prev: Option<String>,
}

/// The filters as the form shows them back.
#[derive(Serialize)]
struct Filters {
    vertical: String,
    country: String,
    sdg: String,
    kpi: String,
    standard: String,
    maturity: String,
    q: String,
}

impl From<&ListQuery> for Filters {
    fn from(query: &ListQuery) -> Self {
        Self {
            vertical: query.vertical.join(","),
            country: query.country.join(","),
            sdg: query.sdg.join(","),
            kpi: query.kpi.join(","),
            standard: query.standard.join(","),
            maturity: query.maturity.join(","),
            q: query.q.clone().unwrap_or_default(),
        }
    }
}

fn list_query(params: &Params) -> Result<ListQuery, Problem> {
    let many = |key: &str| -> Vec<String> {
        params
            .all(key)
            .iter()
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let number = |key: &str, default: usize| -> Result<usize, Problem> {
        match params.single(key)?.filter(|v| !v.is_empty()) {
            None => Ok(default),
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| {
                    Problem::bad_request(
                        "bad-paging",
                        format!("{key}={text:?}: give a whole number from 1"),
                    )
                }),
        }
    };
    let page_size = number("page_size", DEFAULT_PAGE_SIZE)?;
    if page_size > MAX_PAGE_SIZE {
        return Err(Problem::bad_request(
            "bad-paging",
            format!("page_size={page_size} is above the maximum of {MAX_PAGE_SIZE}"),
        ));
    }
    Ok(ListQuery {
        vertical: many("vertical"),
        country: many("country"),
        sdg: many("sdg"),
        kpi: many("kpi"),
        standard: many("standard"),
        maturity: many("maturity"),
        q: params.single("q")?.filter(|q| !q.trim().is_empty()),
        page: number("page", 1)?,
        page_size,
    })
}

/// Paging links that keep the request's filters.
fn links(params: &Params, page: &ListPage) -> Links {
    let with_page = |n: usize| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for key in [
            "vertical", "country", "sdg", "kpi", "standard", "maturity", "q",
        ] {
            for value in params.all(key) {
                query.append_pair(key, &value);
            }
        }
        query.append_pair("page", &n.to_string());
        query.append_pair("page_size", &page.page_size.to_string());
        format!("/use-cases?{}", query.finish())
    };
    let last = page.last_page();
    Links {
        this: with_page(page.page),
        first: with_page(1),
        last: with_page(last),
        next: (page.page < last).then(|| with_page(page.page + 1)),
        prev: (page.page > 1).then(|| with_page((page.page - 1).min(last))),
    }
}

/// `GET /use-cases/{id}`: every RDF format, or the page.
#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn get(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let offer = negotiate::negotiate(&request, negotiate::RDF_OR_PAGE)?;
    let id = UseCaseId::parse(&path).map_err(|_| missing(&path))?;
    let catalog = state.catalog.clone();
    match offer.output {
        Output::Html => {
            let view = run_blocking(move || crate::catalogue::use_cases::read::view(&catalog, &id))
                .await??
                .ok_or_else(|| missing(&path))?;
            let mut context = Context::new();
            context.insert("uc", &view);
            render(&state, "use_case.html", &context, StatusCode::OK)
        }
        Output::Rdf(RdfFormat::JsonLd { .. })
            if super::jsonld_out::Profile::requested(&request)
                == super::jsonld_out::Profile::Compacted =>
        {
            let document = run_blocking(move || catalog.compacted(&id))
                .await??
                .ok_or_else(|| missing(&path))?;
            let body = serde_json::to_vec_pretty(&document).map_err(|e| Problem::internal(&e))?;
            Ok(HttpResponse::Ok()
                .content_type(format!(
                    "{}; profile=\"{}\"",
                    super::jsonld_out::JSON_LD,
                    super::jsonld_out::Profile::Compacted.iri()
                ))
                .insert_header(("Vary", "Accept"))
                .body(body))
        }
        Output::Rdf(RdfFormat::JsonLd { .. }) => {
            let quads = run_blocking(move || catalog.get(&id))
                .await??
                .ok_or_else(|| missing(&path))?;
            super::jsonld_out::respond(&request, &state, quads).await
        }
        Output::Rdf(format) => {
            let quads = run_blocking(move || catalog.get(&id))
                .await??
                .ok_or_else(|| missing(&path))?;
            let body = serialize(format, &quads).map_err(|e| Problem::internal(&e))?;
            Ok(HttpResponse::Ok()
                .content_type(offer.media_type())
                .insert_header(("Vary", "Accept"))
                .body(body))
        }
        _ => Err(Problem::not_acceptable(&["text/turtle", "text/html"])),
    }
}

/// The use case as one compacted JSON-LD object, or `None` when there is no such use case.
/// `PATCH /use-cases/{id}`: a JSON merge patch applied to the compacted JSON-LD of the use case
/// (what `GET` with `Accept: application/ld+json` answers); the result is checked like a `PUT`.
#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn patch(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::UseCases);
    let media = content_type(&request);
    if !media
        .as_deref()
        .is_some_and(|m| MERGE_PATCH_TYPES.contains(&m))
    {
        return Err(Problem::unsupported_media_type(
            media.as_deref().unwrap_or("(none)"),
            MERGE_PATCH_TYPES,
        ));
    }
    let id = UseCaseId::parse(&path).map_err(|_| missing(&path))?;
    let bytes = read_limited(&request, body, state.settings.limits.max_body_bytes).await?;
    let patch: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| {
        Problem::bad_request("invalid-json", format!("the merge patch is not JSON: {e}"))
            .with_location(e.line() as u64, e.column() as u64)
    })?;
    let catalog = state.catalog.clone();
    let registry = state.registry.clone();
    let outcome =
        run_blocking(move || catalog.patch(&id, patch, &|iri| registry.knows_iri(iri), cause))
            .await??;
    Ok(HttpResponse::Ok()
        .insert_header((header::LOCATION, format!("/use-cases/{}", outcome.id)))
        .json(serde_json::json!({
            "id": outcome.id,
            "iri": outcome.iri.as_str(),
            "created": false,
        })))
}

fn serialize(format: RdfFormat, quads: &[oxigraph::model::Quad]) -> std::io::Result<Vec<u8>> {
    let mut serializer = RdfSerializer::from_format(format);
    for (prefix, iri) in [
        ("citykg", "https://w3id.org/citykg/ns#"),
        ("dcat", "http://www.w3.org/ns/dcat#"),
        ("dct", "http://purl.org/dc/terms/"),
        ("foaf", "http://xmlns.com/foaf/0.1/"),
        ("vcard", "http://www.w3.org/2006/vcard/ns#"),
        ("skos", "http://www.w3.org/2004/02/skos/core#"),
        ("dqv", "http://www.w3.org/ns/dqv#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        serializer = serializer
            .with_prefix(prefix, iri)
            .map_err(std::io::Error::other)?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for quad in quads {
        if format.supports_datasets() {
            writer.serialize_quad(quad)?;
        } else {
            writer.serialize_triple(quad.as_ref())?;
        }
    }
    writer.finish()
}

/// `POST /use-cases`: the id from `Slug` or the body's `dct:identifier`; 409 when taken.
#[tracing::instrument(skip_all)]
pub async fn post(
    request: HttpRequest,
    state: web::Data<AppState>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::UseCases);
    let slug = request
        .headers()
        .get("Slug")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(UseCaseId::parse)
        .transpose()
        .map_err(|e| Problem::bad_request("bad-use-case-id", e.to_string()))?;
    store(request, state, (slug, cause), body, true).await
}

/// `PUT /use-cases/{id}`: creates (201) or replaces (200).
#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn put(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::UseCases);
    let id = UseCaseId::parse(&path).map_err(CatalogError::from)?;
    store(request, state, (Some(id), cause), body, false).await
}

async fn store(
    request: HttpRequest,
    state: web::Data<AppState>,
    (id, cause): (Option<UseCaseId>, Cause),
    body: web::Payload,
    create_only: bool,
) -> Result<HttpResponse, Problem> {
    let (syntax, text) = super::body::rdf_document(
        &request,
        body,
        state.settings.limits.max_body_bytes,
        "the use case",
    )
    .await?;
    let catalog = state.catalog.clone();
    let registry = state.registry.clone();
    let outcome = run_blocking(move || {
        let exists = |iri: &str| registry.knows_iri(iri);
        let prepared = catalog.prepare(&text, syntax, id.as_ref(), &exists)?;
        catalog.put(&prepared, create_only, cause)
    })
    .await??;
    let status = if outcome.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(HttpResponse::build(status)
        .insert_header((header::LOCATION, format!("/use-cases/{}", outcome.id)))
        .json(serde_json::json!({
            "id": outcome.id,
            "iri": outcome.iri.as_str(),
            "created": outcome.created,
        })))
}

/// `DELETE /use-cases/{id}`: 204.
#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn delete(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let cause = Cause::new(super::auth::agent(token.as_ref()), Origin::UseCases);
    let id = UseCaseId::parse(&path).map_err(|_| missing(&path))?;
    let catalog = state.catalog.clone();
    run_blocking(move || catalog.delete(&id, cause)).await??;
    Ok(HttpResponse::NoContent().finish())
}

pub async fn method_not_allowed() -> Result<HttpResponse, Problem> {
    Err(Problem::method_not_allowed("GET, PUT, PATCH, DELETE"))
}
