//! `ApiError`: the one place where failures become HTTP responses.

use std::collections::BTreeMap;

use auth::{AuthError, AuthRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Validation messages per field, DRF's `{"field": ["message", …]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Input failed validation: 400 with the field map.
    #[error("invalid input")]
    Invalid(FieldErrors),
    /// The body could not be read as the expected document: 400.
    #[error("{0}")]
    Malformed(String),
    /// A link or token in the request is unknown, expired or spent: 400.
    #[error("{0}")]
    InvalidLink(&'static str),
    /// The body has a content type the endpoint does not take: 415.
    #[error("Unsupported media type; send application/json.")]
    UnsupportedMediaType,
    /// The body is larger than allowed: 413.
    #[error("The request body is too large.")]
    PayloadTooLarge,
    /// The caller could not be authenticated or authorised.
    #[error(transparent)]
    Auth(AuthRejection),
    /// The caller may not touch this object: 403.
    #[error("You do not have permission to perform this action.")]
    Forbidden,
    /// No such object or route: 404.
    #[error("Not found.")]
    NotFound,
    /// The route exists but not with this method: 405.
    #[error("Method not allowed.")]
    MethodNotAllowed,
    /// The database cannot be reached right now: 503.
    #[error("The service is temporarily unavailable; try again shortly.")]
    Unavailable,
    /// Anything unexpected: 500, logged with its cause, never shown.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A single field error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.insert(field.to_owned(), vec![message.into()]);
        Self::Invalid(errors)
    }
}

impl From<AuthRejection> for ApiError {
    fn from(rejection: AuthRejection) -> Self {
        Self::Auth(rejection)
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        Self::Auth(AuthRejection {
            error,
            challenge: None,
        })
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        if crate::db::is_unavailable(&error) {
            tracing::error!(error = %error, "database unavailable");
            return Self::Unavailable;
        }
        Self::Internal(anyhow::Error::new(error).context("database query failed"))
    }
}

impl From<auth::error::BoxError> for ApiError {
    fn from(error: auth::error::BoxError) -> Self {
        Self::Internal(anyhow::anyhow!(error))
    }
}

impl ApiError {
    /// The status and stable machine code; the only place they are chosen.
    fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::Invalid(_) | Self::Malformed(_) => (StatusCode::BAD_REQUEST, "parse_error"),
            Self::InvalidLink(_) => (StatusCode::BAD_REQUEST, "invalid_link"),
            Self::UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            Self::PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            Self::Auth(rejection) => rejection.error.status_and_code(),
            Self::Forbidden => (StatusCode::FORBIDDEN, "permission_denied"),
            Self::NotFound => (StatusCode::NOT_FOUND, "not_found"),
            Self::MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed"),
            Self::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code) = self.status_and_code();
        match self {
            Self::Invalid(errors) => (status, Json(errors)).into_response(),
            // The auth crate renders its own refusals, with the challenge header.
            Self::Auth(rejection) => rejection.into_response(),
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                let body = json!({ "detail": "A server error occurred.", "code": code });
                (status, Json(body)).into_response()
            }
            other => {
                let body = json!({ "detail": other.to_string(), "code": code });
                (status, Json(body)).into_response()
            }
        }
    }
}
