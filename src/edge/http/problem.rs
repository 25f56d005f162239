//! RFC 9457 problem details: the one shape of every HTTP error, built here from every module's
//! error. A 500 says little to the caller; its cause goes to the log.

use crate::edge::auth::Role;
use crate::pipeline::ingest::deliver::{BadZone, Failure, Kept};
use crate::pipeline::ingest::quarantine::QuarantineError;
use crate::pipeline::ingest::registry::RegistryError;
use crate::pipeline::ingest::run::IngestError;
use crate::standards::sparql::SparqlError;
use crate::storage::StoreError;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::fmt;

pub const PROBLEM_JSON: &str = "application/problem+json";
const TYPE_BASE: &str = "https://w3id.org/citykg/problems/";

/// One located error when several are reported at once.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ProblemLocation {
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
    /// The triples map (and term map) involved, for mapping errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub triples_map: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term_map: Option<String>,
    /// The node (`sh:focusNode`), property (`sh:resultPath`) and value of an RDF input problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus_node: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemLocation>,
    /// `WWW-Authenticate` on 401; not part of the body.
    #[serde(skip)]
    challenge: bool,
    #[serde(skip)]
    allow: Option<&'static str>,
}

impl Problem {
    pub fn new(
        status: StatusCode,
        slug: &str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind: format!("{TYPE_BASE}{slug}"),
            title,
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
            challenge: false,
            allow: None,
        }
    }

    pub fn with_location(mut self, line: u64, column: u64) -> Self {
        self.errors.push(ProblemLocation {
            detail: self.detail.clone(),
            line: Some(line),
            column: Some(column),
            triples_map: None,
            term_map: None,
            focus_node: None,
            path: None,
            value: None,
        });
        self
    }

    /// One more problem in `errors`, without a location.
    pub fn with_item(mut self, detail: impl Into<String>) -> Self {
        self.errors.push(ProblemLocation {
            detail: detail.into(),
            line: None,
            column: None,
            triples_map: None,
            term_map: None,
            focus_node: None,
            path: None,
            value: None,
        });
        self
    }

    pub fn bad_request(slug: &str, detail: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, slug, "Bad request", detail)
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        let mut p = Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        );
        p.challenge = true;
        p
    }

    pub fn forbidden(needed: Role, had: Role) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "Insufficient role",
            format!(
                "this operation needs a token with the {needed} role; the token presented has the {had} role"
            ),
        )
    }

    pub fn method_not_allowed(allow: &'static str) -> Self {
        let mut p = Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "Method not allowed",
            format!("this resource accepts {allow}"),
        );
        p.allow = Some(allow);
        p
    }

    pub fn not_acceptable(offered: &[&str]) -> Self {
        Self::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            "Not acceptable",
            format!(
                "none of the requested media types can be produced; available: {}",
                offered.join(", ")
            ),
        )
    }

    pub fn unsupported_media_type(got: &str, accepted: &[&str]) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            format!(
                "cannot read a body of type {got:?}; send one of: {}",
                accepted.join(", ")
            ),
        )
    }

    pub fn payload_too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload-too-large",
            "Request body too large",
            format!(
                "the request body exceeds the limit of {limit} bytes (configure max_body_bytes)"
            ),
        )
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not-found", "Not found", detail)
    }

    pub fn busy(detail: impl Into<String>) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "Server busy",
            detail,
        )
    }

    /// A generic 500; the cause is logged, not sent.
    pub fn internal(cause: &dyn fmt::Display) -> Self {
        let text = cause.to_string();
        if text.contains("No space left on device") {
            tracing::error!(error = %text, "the disk is full");
            return Self::disk_full(
                "the disk of the data folder is full; nothing was written. Free space and \
                 retry (restart the server if writes still fail once space is free)"
                    .to_owned(),
            );
        }
        tracing::error!(error = %text, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal server error",
            "the server failed to complete the request; the details are in its log",
        )
    }

    /// 507: the write was refused because the disk is (nearly) full.
    pub fn disk_full(detail: String) -> Self {
        Self::new(
            StatusCode::INSUFFICIENT_STORAGE,
            "disk-full",
            "Insufficient storage",
            detail,
        )
    }

    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.title, self.detail)
    }
}

impl ResponseError for Problem {
    fn status_code(&self) -> StatusCode {
        Problem::status_code(self)
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if self.challenge {
            response.insert_header((
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"citykg\""),
            ));
        }
        if let Some(allow) = self.allow {
            response.insert_header((header::ALLOW, HeaderValue::from_static(allow)));
        }
        response.body(serde_json::to_vec(self).unwrap_or_default())
    }
}

/// How a middleware lets a request through, or answers it with the problem it was refused for
/// before any handler runs.
pub async fn refuse_or_call(
    request: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
    refused: Option<Problem>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    match refused {
        Some(problem) => {
            let response = problem.error_response();
            Ok(request.into_response(response).map_into_right_body())
        }
        None => next
            .call(request)
            .await
            .map(actix_web::dev::ServiceResponse::map_into_left_body),
    }
}

impl From<crate::core::rdf_file::Refused> for Problem {
    fn from(refused: crate::core::rdf_file::Refused) -> Self {
        let detail = refused.to_string();
        match refused {
            crate::core::rdf_file::Refused::XmlEntities => {
                Problem::bad_request("xml-entities", detail)
            }
            crate::core::rdf_file::Refused::TooDeep { line, column, .. } => {
                Problem::bad_request("too-deep", detail).with_location(line, column)
            }
        }
    }
}

impl From<SparqlError> for Problem {
    fn from(error: SparqlError) -> Self {
        let detail = error.to_string();
        match error {
            SparqlError::Syntax { line, column, .. } => {
                Problem::bad_request("sparql-syntax", detail).with_location(line, column)
            }
            SparqlError::SyntaxWithoutLocation { .. } => {
                Problem::bad_request("sparql-syntax", detail)
            }
            SparqlError::TooDeep { line, column, .. }
            | SparqlError::TooLong { line, column, .. } => {
                Problem::bad_request("sparql-too-deep", detail).with_location(line, column)
            }
            SparqlError::TooComplex { .. } => Problem::bad_request("sparql-too-deep", detail),
            SparqlError::BadGraphIri { .. } => Problem::bad_request("bad-graph-iri", detail),
            SparqlError::DatasetConflict { .. } => Problem::bad_request("dataset-conflict", detail),
            SparqlError::OutboundRefused { .. } | SparqlError::VariableService => Problem::new(
                StatusCode::FORBIDDEN,
                "outbound-refused",
                "Outbound call refused",
                detail,
            ),
            SparqlError::Timeout { .. } => Problem::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "query-timeout",
                "Query timeout",
                detail,
            ),
            SparqlError::Evaluation(_) => Problem::new(
                StatusCode::BAD_REQUEST,
                "sparql-evaluation",
                "Query evaluation error",
                detail,
            ),
            SparqlError::Storage(_) | SparqlError::Write(_) => Problem::internal(&detail),
        }
    }
}

impl From<RegistryError> for Problem {
    fn from(error: RegistryError) -> Self {
        let detail = error.to_string();
        match error {
            RegistryError::Invalid { problems } => {
                let mut problem = Problem::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid-mapping",
                    "Invalid mapping",
                    format!(
                        "the mapping cannot be registered: {}",
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                );
                problem.errors = problems
                    .into_iter()
                    .map(|p| ProblemLocation {
                        detail: p.message,
                        line: p.location.line,
                        column: p.location.column,
                        triples_map: p.location.triples_map,
                        term_map: p.location.term_map,
                        focus_node: None,
                        path: None,
                        value: None,
                    })
                    .collect();
                problem
            }
            RegistryError::ReadOnly(_) => Problem::new(
                StatusCode::FORBIDDEN,
                "read-only-mapping",
                "Read-only mapping",
                detail,
            ),
            RegistryError::NotFound(_) => Problem::not_found(detail),
            RegistryError::ReservedId(_) => Problem::bad_request("bad-mapping-id", detail),
            RegistryError::UnknownShapes { .. } => Problem::bad_request("unknown-shapes", detail),
            RegistryError::Damaged { .. } => Problem::new(
                StatusCode::CONFLICT,
                "mapping-damaged",
                "Stored mapping damaged",
                detail,
            ),
            RegistryError::Builtin { .. }
            | RegistryError::Io { .. }
            | RegistryError::Meta { .. }
            | RegistryError::Storage(_) => Problem::internal(&detail),
        }
    }
}

impl From<BadZone> for Problem {
    fn from(error: BadZone) -> Self {
        Problem::bad_request(
            "bad-timezone",
            format!("{error} (write `+` as %2B in a URL)"),
        )
    }
}

impl Problem {
    /// A payload that was not stored (ingest or replay), saying where it is now.
    /// `timed_out` is the answer for work stopped at its time limit.
    pub fn not_stored(failure: Failure, timed_out: impl FnOnce() -> Problem) -> Problem {
        let Failure { error, kept } = failure;
        let problem = match (&error, &kept) {
            (error, Kept::Lost(QuarantineError::Full { used, cap })) => {
                return Problem::new(
                    StatusCode::INSUFFICIENT_STORAGE,
                    "quarantine-full",
                    "Quarantine full",
                    format!(
                        "{error}; the payload could not be kept either: the quarantine is full ({used} of {cap} bytes), replay or delete entries first"
                    ),
                );
            }
            (_, Kept::Lost(other)) => return Problem::internal(other),
            (IngestError::Stopped, _) => timed_out(),
            (error, Kept::Kept(entry)) if error.quarantines() => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "payload-not-stored",
                "Payload not stored",
                format!(
                    "{error}. Nothing was stored; the payload is kept as /quarantine/{} for replay once the mapping or the payload is fixed",
                    entry.id
                ),
            ),
            (error, Kept::AlreadyKept) if error.quarantines() => Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "payload-not-stored",
                "Payload not stored",
                format!("{error}. Nothing was stored."),
            ),
            (IngestError::Shapes(message), _) => Problem::internal(message),
            (error, _) => Problem::internal(error),
        };
        match kept {
            Kept::Kept(entry) if matches!(error, IngestError::Stopped) => {
                problem.with_item(format!(
                    "nothing was stored; the payload is kept as /quarantine/{} for replay",
                    entry.id
                ))
            }
            Kept::Kept(entry) => problem.with_item(format!("/quarantine/{}", entry.id)),
            _ => problem,
        }
    }
}

impl From<StoreError> for Problem {
    fn from(error: StoreError) -> Self {
        Problem::internal(&error)
    }
}

/// A 422 listing every problem a document has against its shape, each with its focus node,
/// path and value; `what` says what was not done ("the use case was not stored").
pub fn invalid(
    slug: &str,
    title: &'static str,
    what: &str,
    problems: Vec<crate::catalogue::use_cases::InputProblem>,
) -> Problem {
    let mut problem = Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        slug,
        title,
        format!(
            "{what}: {}",
            problems
                .iter()
                .map(|p| match &p.path {
                    Some(path) => format!("{} [{path}]", p.message),
                    None => p.message.clone(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    );
    problem.errors = problems
        .into_iter()
        .map(|p| ProblemLocation {
            detail: p.message,
            line: None,
            column: None,
            triples_map: None,
            term_map: None,
            focus_node: p.focus_node,
            path: p.path,
            value: p.value,
        })
        .collect();
    problem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_become_located_400_problems() {
        let problem = Problem::from(SparqlError::Syntax {
            line: 2,
            column: 7,
            message: "expected '}'".into(),
        });
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["status"], 400);
        assert_eq!(
            json["type"],
            "https://w3id.org/citykg/problems/sparql-syntax"
        );
        assert_eq!(json["errors"][0]["line"], 2);
        assert_eq!(json["errors"][0]["column"], 7);
        assert!(
            json["detail"]
                .as_str()
                .unwrap()
                .contains("line 2, column 7")
        );
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let problem = Problem::internal(&"RocksDB: /secret/path is locked");
        assert!(!problem.detail.contains("secret"));
        assert_eq!(problem.status, 500);
    }
}
