//! The authenticator chain: each method of proving who the caller is.

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::request::Parts;

use crate::csrf::Csrf;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, UserId};
use crate::session::Sessions;

/// A credential that an authenticator accepted.
#[derive(Debug, Clone, Copy)]
pub struct Credential {
    /// Whose credential it is.
    pub user: UserId,
    /// The login it belongs to.
    pub login: LoginId,
    /// How the login was established.
    pub method: AuthMethod,
}

/// One way of authenticating a request.
///
/// Authenticators are tried in the configured order; the first one that
/// finds its kind of credential decides, as in Django REST framework.
#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// `Ok(None)` when the request carries no credential of this kind.
    ///
    /// # Errors
    /// A credential of this kind that is present but unacceptable.
    async fn authenticate(&self, parts: &Parts) -> Result<Option<Credential>, AuthError>;

    /// The `WWW-Authenticate` scheme to send with a 401, if the method has one.
    fn challenge(&self) -> Option<&'static str> {
        None
    }
}

/// Session authentication through the session cookie, with CSRF enforcement
/// on unsafe methods.
pub struct SessionAuthenticator {
    sessions: Arc<Sessions>,
    csrf: Arc<Csrf>,
}

impl SessionAuthenticator {
    /// An authenticator over these sessions and this CSRF checker.
    pub fn new(sessions: Arc<Sessions>, csrf: Arc<Csrf>) -> Self {
        Self { sessions, csrf }
    }
}

#[async_trait]
impl Authenticator for SessionAuthenticator {
    async fn authenticate(&self, parts: &Parts) -> Result<Option<Credential>, AuthError> {
        let Some(key) = self.sessions.presented_key(parts) else {
            return Ok(None);
        };
        // A stale cookie is ambient and not the caller's choice: treat it as
        // no credential at all, as Django does, rather than failing the request.
        let Some(session) = self.sessions.resolve(&key).await? else {
            tracing::debug!("session cookie unknown or expired");
            return Ok(None);
        };
        if !parts.method.is_safe() {
            self.csrf.check_session_request(parts, session.login)?;
        }
        Ok(Some(Credential {
            user: session.user,
            login: session.login,
            method: AuthMethod::Session,
        }))
    }
}
