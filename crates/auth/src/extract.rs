//! The axum extractors: `CurrentUser` and `Option<CurrentUser>`.

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::header::WWW_AUTHENTICATE;
use axum::http::request::Parts;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::AuthError;
use crate::identity::CurrentUser;
use crate::state::AuthState;

/// Why the caller could not be established, with the challenge to send.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct AuthRejection {
    /// What went wrong.
    #[source]
    pub error: AuthError,
    /// The `WWW-Authenticate` scheme for a 401, if the chain has one.
    pub challenge: Option<&'static str>,
}

impl IntoResponse for AuthRejection {
    /// `{"detail", "code"}` with the status of the error.
    fn into_response(self) -> Response {
        let (status, code) = self.error.status_and_code();
        if let AuthError::Internal(source) = &self.error {
            tracing::error!(error = %source, "authentication storage failed");
        }
        let detail = if status == axum::http::StatusCode::SERVICE_UNAVAILABLE {
            "The service is temporarily unavailable; try again shortly.".to_owned()
        } else {
            self.error.to_string()
        };
        let body = Json(serde_json::json!({ "detail": detail, "code": code }));
        let mut response = (status, body).into_response();
        if let AuthError::Throttled { retry_after } = &self.error {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                HeaderValue::from(*retry_after),
            );
        }
        if status == axum::http::StatusCode::UNAUTHORIZED {
            if let Some(scheme) = self.challenge {
                let value = format!("{scheme} realm=\"api\"");
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(WWW_AUTHENTICATE, value);
                }
            }
        }
        response
    }
}

/// Proof that an unsafe request which acts on cookies passed the CSRF checks.
///
/// For endpoints that need protection without requiring a login, such as the
/// login itself (login CSRF). With a live session the token must be bound to
/// it; without one, the header must repeat the `csrftoken` cookie.
#[derive(Debug, Clone, Copy)]
pub struct CsrfChecked;

impl<S> FromRequestParts<S> for CsrfChecked
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        let reject = |error| AuthRejection {
            error,
            challenge: None,
        };
        let session = match auth.sessions().presented_key(parts) {
            Some(key) => auth.sessions().resolve(&key).await.map_err(reject)?,
            None => None,
        };
        match session {
            Some(session) => auth.csrf().check_session_request(parts, session.login),
            None => auth.csrf().check_anonymous_request(parts),
        }
        .map(|()| CsrfChecked)
        .map_err(reject)
    }
}

/// Proof that a request to an endpoint acting on the refresh cookie comes
/// from script on the site or a trusted front end.
///
/// # Security
/// It needs `X-Requested-With`, which an HTML form cannot send and which a
/// cross-origin script can send only after a CORS preflight that untrusted
/// origins fail, and an `Origin` (or `Sec-Fetch-Site`) that is the site or
/// trusted. A hostile page can neither refresh nor log out a user.
#[derive(Debug, Clone, Copy)]
pub struct CookieFlowChecked;

impl<S> FromRequestParts<S> for CookieFlowChecked
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        let reject = |error| AuthRejection {
            error,
            challenge: None,
        };
        let has_header = parts
            .headers
            .get("x-requested-with")
            .is_some_and(|v| !v.is_empty());
        if !has_header {
            return Err(reject(AuthError::CsrfHeaderMissing));
        }
        auth.csrf().check_origin(&parts.headers).map_err(reject)?;
        Ok(CookieFlowChecked)
    }
}

/// The outcome of authenticating a request, kept so that several extractors
/// in one request run the chain once.
#[derive(Clone)]
struct Authenticated(Option<CurrentUser>);

async fn current_user(
    parts: &mut Parts,
    auth: &AuthState,
) -> Result<Option<CurrentUser>, AuthRejection> {
    if let Some(Authenticated(found)) = parts.extensions.get::<Authenticated>() {
        return Ok(found.clone());
    }
    let found = auth.authenticate(parts).await?;
    if let Some(user) = &found {
        tracing::Span::current().record("user_id", user.id.0);
    }
    parts.extensions.insert(Authenticated(found.clone()));
    Ok(found)
}

impl<S> FromRequestParts<S> for CurrentUser
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        current_user(parts, &auth).await?.ok_or(AuthRejection {
            error: AuthError::NotAuthenticated,
            challenge: auth.challenge(),
        })
    }
}

impl<S> OptionalFromRequestParts<S> for CurrentUser
where
    AuthState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let auth = AuthState::from_ref(state);
        current_user(parts, &auth).await
    }
}
