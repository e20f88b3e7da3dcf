//! The one error type of the crate, and the status and machine code of each case.

use axum::http::StatusCode;

/// A boxed error from a storage back end.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Wraps a storage failure that is temporary (the database is unreachable or
/// its pool is exhausted), so that it is answered with 503, not 500.
#[derive(Debug, thiserror::Error)]
#[error("storage unavailable: {0}")]
pub struct Unavailable(#[source] pub BoxError);

/// Why a request could not be authenticated or authorised.
///
/// Each variant maps to exactly one HTTP status and one stable machine code
/// through [`AuthError::status_and_code`]; the application turns it into its
/// error body.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// No credential was presented where one is required.
    #[error("Authentication credentials were not provided.")]
    NotAuthenticated,
    /// The e-mail and password do not match an active account.
    #[error("No active account found with the given credentials.")]
    InvalidCredentials,
    /// A credential was presented but is unknown, expired or revoked.
    #[error("The credential is invalid, expired or revoked.")]
    InvalidCredential,
    /// A JWT is malformed, expired, of the wrong type, signed otherwise, or revoked.
    #[error("The token is invalid, expired or revoked.")]
    TokenInvalid,
    /// A spent refresh token was presented again: its family is revoked.
    #[error("The refresh token was already used; every token of this login is revoked.")]
    RefreshReused,
    /// A read-only token was used for an unsafe method.
    #[error("This token is read-only.")]
    ReadOnlyToken,
    /// A cookie-acting endpoint was called without the header forms cannot send.
    #[error("CSRF check failed: the X-Requested-With header is missing.")]
    CsrfHeaderMissing,
    /// The account behind a valid credential has been deactivated.
    #[error("This account is inactive.")]
    InactiveUser,
    /// The `X-CSRFToken` header is absent on an unsafe request.
    #[error("CSRF check failed: the X-CSRFToken header is missing.")]
    CsrfMissing,
    /// The CSRF token does not belong to this session or was altered.
    #[error("CSRF check failed: the token is invalid for this session.")]
    CsrfMismatch,
    /// The request comes from an origin that is neither the site nor trusted.
    #[error("CSRF check failed: the request origin is not trusted.")]
    CsrfOrigin,
    /// Too many failed logins for this account or address.
    #[error("Too many failed logins. Try again in {retry_after} seconds.")]
    Throttled {
        /// Seconds until the window closes.
        retry_after: u64,
    },
    /// The caller is authenticated but may not do this.
    #[error("You do not have permission to perform this action.")]
    Forbidden,
    /// Storage failed; the cause is logged, never shown.
    #[error("authentication storage failed")]
    Internal(#[source] BoxError),
}

impl AuthError {
    /// The HTTP status and the stable machine code of this error.
    pub fn status_and_code(&self) -> (StatusCode, &'static str) {
        match self {
            Self::NotAuthenticated => (StatusCode::UNAUTHORIZED, "not_authenticated"),
            Self::InvalidCredentials => (StatusCode::UNAUTHORIZED, "no_active_account"),
            Self::InvalidCredential => (StatusCode::UNAUTHORIZED, "authentication_failed"),
            Self::InactiveUser => (StatusCode::UNAUTHORIZED, "user_inactive"),
            Self::TokenInvalid | Self::RefreshReused => {
                (StatusCode::UNAUTHORIZED, "token_not_valid")
            }
            Self::ReadOnlyToken => (StatusCode::FORBIDDEN, "read_only_token"),
            Self::CsrfMissing | Self::CsrfMismatch | Self::CsrfOrigin | Self::CsrfHeaderMissing => {
                (StatusCode::FORBIDDEN, "csrf_failed")
            }
            Self::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "throttled"),
            Self::Forbidden => (StatusCode::FORBIDDEN, "permission_denied"),
            Self::Internal(source) if source.is::<Unavailable>() => {
                (StatusCode::SERVICE_UNAVAILABLE, "service_unavailable")
            }
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        }
    }
}
