//! The NGSI-LD error types (ETSI GS CIM 009, clause 5.5.2): each is a ProblemDetails `type`
//! under `https://uri.etsi.org/ngsi-ld/errors/` with its HTTP status.

use crate::storage::StoreError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    InvalidRequest,
    BadRequestData,
    AlreadyExists,
    OperationNotSupported,
    ResourceNotFound,
    InternalError,
    TooComplexQuery,
    TooManyResults,
    LdContextNotAvailable,
    NoMultiTenantSupport,
    NonexistentTenant,
    Conflict,
    /// Not an NGSI-LD error type: the method does not apply to the resource (HTTP 405).
    MethodNotAllowed,
    /// Not an NGSI-LD error type: a body without `Content-Length` (HTTP 411).
    LengthRequired,
}

impl ErrorType {
    pub fn name(self) -> &'static str {
        match self {
            Self::InvalidRequest => "InvalidRequest",
            Self::BadRequestData => "BadRequestData",
            Self::AlreadyExists => "AlreadyExists",
            Self::OperationNotSupported => "OperationNotSupported",
            Self::ResourceNotFound => "ResourceNotFound",
            Self::InternalError => "InternalError",
            Self::TooComplexQuery => "TooComplexQuery",
            Self::TooManyResults => "TooManyResults",
            Self::LdContextNotAvailable => "LdContextNotAvailable",
            Self::NoMultiTenantSupport => "NoMultiTenantSupport",
            Self::NonexistentTenant => "NonexistentTenant",
            Self::Conflict => "Conflict",
            Self::MethodNotAllowed => "OperationNotSupported",
            Self::LengthRequired => "InvalidRequest",
        }
    }

    pub fn uri(self) -> String {
        format!("https://uri.etsi.org/ngsi-ld/errors/{}", self.name())
    }

    pub fn status(self) -> u16 {
        match self {
            Self::InvalidRequest | Self::BadRequestData => 400,
            Self::AlreadyExists | Self::Conflict => 409,
            Self::OperationNotSupported => 422,
            Self::ResourceNotFound | Self::NonexistentTenant => 404,
            Self::InternalError => 500,
            Self::TooComplexQuery | Self::TooManyResults => 403,
            Self::LdContextNotAvailable => 504,
            Self::NoMultiTenantSupport => 501,
            Self::MethodNotAllowed => 405,
            Self::LengthRequired => 411,
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Self::InvalidRequest => "The request is not well formed",
            Self::BadRequestData => "The request data are not valid",
            Self::AlreadyExists => "The resource already exists",
            Self::OperationNotSupported => "The operation is not supported",
            Self::ResourceNotFound => "The resource was not found",
            Self::InternalError => "Internal error",
            Self::TooComplexQuery => "The query is too complex",
            Self::TooManyResults => "The query gives too many results",
            Self::LdContextNotAvailable => "A JSON-LD context could not be retrieved",
            Self::NoMultiTenantSupport => "Tenants are not supported",
            Self::NonexistentTenant => "The tenant does not exist",
            Self::Conflict => "Conflict",
            Self::MethodNotAllowed => "The method is not allowed on this resource",
            Self::LengthRequired => "Content-Length is required",
        }
    }
}

/// One NGSI-LD error: its type and a detail a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {detail}", kind.name())]
pub struct NgsiError {
    pub kind: ErrorType,
    pub detail: String,
}

impl NgsiError {
    pub fn new(kind: ErrorType, detail: impl Into<String>) -> Self {
        Self {
            kind,
            detail: detail.into(),
        }
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        Self::new(ErrorType::BadRequestData, detail)
    }

    pub fn invalid(detail: impl Into<String>) -> Self {
        Self::new(ErrorType::InvalidRequest, detail)
    }

    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(ErrorType::ResourceNotFound, detail)
    }

    pub fn already_exists(detail: impl Into<String>) -> Self {
        Self::new(ErrorType::AlreadyExists, detail)
    }

    /// The ProblemDetails body.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "type": self.kind.uri(),
            "title": self.kind.title(),
            "status": self.kind.status(),
            "detail": self.detail,
        })
    }
}

impl From<StoreError> for NgsiError {
    fn from(error: StoreError) -> Self {
        tracing::error!(%error, "NGSI-LD storage error");
        Self::new(
            ErrorType::InternalError,
            "the store failed; see the server log",
        )
    }
}
