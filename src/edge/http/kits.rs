//! `GET /use-cases/{id}/kit` and `POST /use-cases/import`: thin handlers over `crate::catalogue::kits`.
//! Export follows the read policy; import needs the steward role (it installs mappings).

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::auth::authorize;
use super::body::{content_type, read_limited};
use super::deadline::Admitted;
use super::problem::Problem;
use super::state::AppState;
use crate::catalogue::kits::export::{self, ExportError, Sources};
use crate::catalogue::kits::import::{self, ImportError, Target};
use crate::catalogue::kits::{ArchiveLimits, Kit, KitError};
use crate::core::ids::UseCaseId;
use crate::edge::auth::Role;
use crate::storage::run_blocking;

pub const KIT_MEDIA_TYPE: &str = "application/gzip";
const ACCEPTED: &[&str] = &[
    KIT_MEDIA_TYPE,
    "application/x-gzip",
    "application/x-tar+gzip",
];

#[tracing::instrument(skip_all, fields(id = %path))]
pub async fn export(
    request: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, Problem> {
    authorize(&request, &state, Role::Read)?;
    let id = UseCaseId::parse(&path).map_err(|e| Problem::bad_request("bad-use-case-id", e.0))?;
    let state_for_work = state.clone();
    let work_id = id.clone();
    let bytes = run_blocking(move || {
        let state = state_for_work;
        let sources = Sources {
            catalog: &state.catalog,
            registry: &state.registry,
            ontologies: &state.settings.ontologies,
            base: &state.settings.base_iri,
        };
        export::export(&sources, &work_id)
    })
    .await?
    .map_err(|error| match error {
        ExportError::NotFound(id) => {
            Problem::not_found(format!("no use case {id}; GET /use-cases lists them"))
        }
        ExportError::MissingMapping { .. } => Problem::new(
            StatusCode::CONFLICT,
            "kit-incomplete",
            "Kit incomplete",
            format!("{error}; register the mapping or remove it from the use case"),
        ),
        other => Problem::internal(&other),
    })?;
    Ok(HttpResponse::Ok()
        .content_type(KIT_MEDIA_TYPE)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{id}.citykg-kit.tar.gz\""),
        ))
        .body(bytes))
}

#[tracing::instrument(skip_all)]
pub async fn import(
    request: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> Result<HttpResponse, Problem> {
    let token = authorize(&request, &state, Role::Steward)?;
    let media = content_type(&request).unwrap_or_default();
    if !ACCEPTED.contains(&media.as_str()) {
        return Err(Problem::unsupported_media_type(&media, ACCEPTED));
    }
    let limit = state.settings.limits.max_body_bytes;
    let body = read_limited(&request, payload, limit).await?;
    let author = super::auth::agent(token.as_ref());
    let state_for_work = state.clone();
    let admitted = Admitted::task(&state).await?;
    let stop = admitted.token().clone();
    let imported = run_blocking(move || {
        let state = state_for_work;
        let limits = ArchiveLimits {
            max_total_bytes: limit as u64,
            ..ArchiveLimits::default()
        };
        let kit = Kit::from_archive(&body, limits)?;
        let target = Target {
            catalog: &state.catalog,
            registry: &state.registry,
            store: &state.store,
            base: &state.settings.base_iri,
            ontologies: &state.settings.ontologies,
            reference_data: state.settings.reference_data_folder(),
            author: &author,
            journal_folder: match &state.settings.location {
                crate::core::config::StoreLocation::Disk(dir) => Some(dir.clone()),
                crate::core::config::StoreLocation::Memory => None,
            },
            stop,
        };
        import::import(&target, &kit)
    })
    .await?
    .map_err(|error| match error {
        ImportError::Stopped => admitted.timed_out("the kit import"),
        error => problem(error),
    })?;
    let location = format!("/use-cases/{}", imported.use_case);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location))
        .json(imported))
}

fn problem(error: ImportError) -> Problem {
    match error {
        ImportError::Kit(KitError::Invalid(problems)) => {
            let refused = Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "kit-refused",
                "Kit refused",
                format!(
                    "the kit was refused whole and nothing was installed: {} problem(s), each in `errors` with its file",
                    problems.len()
                ),
            );
            problems.into_iter().fold(refused, |problem, p| {
                problem.with_item(format!("{}: {}", p.file, p.message))
            })
        }
        ImportError::Kit(error @ KitError::TooLarge(_)) => Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "kit-too-large",
            "Kit too large",
            format!("{error}; nothing was installed"),
        ),
        ImportError::Kit(error @ (KitError::NotAnArchive(_) | KitError::BadEntry { .. })) => {
            Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "kit-refused",
                "Kit refused",
                format!("{error}; nothing was installed"),
            )
        }
        error @ ImportError::Exists(_) => Problem::new(
            StatusCode::CONFLICT,
            "use-case-exists",
            "Use case exists",
            error.to_string(),
        ),
        other => Problem::internal(&other),
    }
}
