//! Writes stop before the disk is full: while the data folder's disk has less than
//! `--min-free-bytes` free, every request that may write is answered 507 before any work, so
//! the store never meets a full disk (RocksDB stays read-only after a failed write until it is
//! reopened). Reads go on; deletions are let through, as they are how space is given back; writes
//! work again as soon as space is free.

use super::problem::Problem;
use super::state::AppState;
use crate::core::config::StoreLocation;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::web;
use std::path::Path;

/// POST routes that only read: the protocol's query by POST, validation, previews.
fn only_reads(method: &Method, path: &str) -> bool {
    *method == Method::POST
        && (matches!(path, "/query" | "/sparql" | "/shacl" | "/mappings/preview")
            || path.ends_with("/preview"))
}

/// Middleware: 507 for a request that may write while free space is below the limit.
pub async fn free_space_gate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let writes = matches!(
        *request.method(),
        Method::POST | Method::PUT | Method::PATCH
    ) && !only_reads(request.method(), request.path());
    let refused = match request.app_data::<web::Data<AppState>>() {
        Some(state) if writes => refuse_when_full(state),
        _ => None,
    };
    super::problem::refuse_or_call(request, next, refused).await
}

fn refuse_when_full(state: &AppState) -> Option<Problem> {
    let minimum = state.settings.limits.min_free_bytes;
    let StoreLocation::Disk(folder) = &state.settings.location else {
        return None;
    };
    if minimum == 0 {
        return None;
    }
    let free = free_bytes(folder)?;
    (free < minimum).then(|| {
        Problem::disk_full(format!(
            "the disk of the data folder has {free} bytes free, less than the {minimum} kept \
             free (--min-free-bytes); nothing was written. Free space or delete data and retry"
        ))
    })
}

/// Bytes free to an unprivileged writer on the file system of `folder` (`None`: unknown).
pub fn free_bytes(folder: &Path) -> Option<u64> {
    let stats = rustix::fs::statvfs(folder).ok()?;
    Some(stats.f_bavail.saturating_mul(stats.f_frsize))
}
