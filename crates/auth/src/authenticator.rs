//! The authenticator chain: each method of proving who the caller is.

use std::sync::Arc;

use async_trait::async_trait;
use axum::http::request::Parts;

use crate::api_token::ApiTokens;
use crate::cookies::CookieSettings;
use crate::csrf::Csrf;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, Scopes, UserId};
use crate::jwt::{Jwt, TokenType};
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
    /// What the login may do.
    pub scopes: Scopes,
}

/// The authenticators that can be put in the chain, named as in settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthenticatorKind {
    /// The session cookie (with CSRF on unsafe methods).
    Session,
    /// `Authorization: Bearer <access JWT>`.
    Jwt,
    /// `Authorization: Token <key>`.
    Token,
}

impl AuthenticatorKind {
    /// Parses a settings name: `session`, `jwt` or `token`.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "session" => Some(Self::Session),
            "jwt" => Some(Self::Jwt),
            "token" => Some(Self::Token),
            _ => None,
        }
    }
}

/// The credential of an `Authorization` header with `scheme`, if it has that scheme.
fn authorization<'a>(parts: &'a Parts, scheme: &str) -> Option<&'a str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (given, credential) = value.split_once(' ')?;
    given
        .eq_ignore_ascii_case(scheme)
        .then(|| credential.trim())
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
            scopes: Scopes::ReadWrite,
        }))
    }
}

/// `Authorization: Bearer <access token>`, checked without any query: the
/// signature and claims here, revocation by the chain's in-memory set.
/// Optionally also the access token from an HttpOnly cookie.
pub struct JwtAuthenticator {
    jwt: Arc<Jwt>,
    access_cookie: Option<(CookieSettings, Arc<Csrf>)>,
}

impl JwtAuthenticator {
    /// An authenticator over this signer; with `access_cookie`, a request
    /// without an `Authorization` header may carry the token in that cookie.
    pub fn new(jwt: Arc<Jwt>, access_cookie: Option<(CookieSettings, Arc<Csrf>)>) -> Self {
        Self { jwt, access_cookie }
    }

    /// The token from the access cookie, after the checks an ambient
    /// credential needs on unsafe methods.
    fn token_in_cookie(&self, parts: &Parts) -> Result<Option<String>, AuthError> {
        let Some((cookie, csrf)) = &self.access_cookie else {
            return Ok(None);
        };
        let jar = axum_extra::extract::cookie::CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(&cookie.wire_name()).map(|c| c.value().to_owned()) else {
            return Ok(None);
        };
        if !parts.method.is_safe() {
            // The browser sends this cookie by itself: refuse what a foreign
            // page or a plain form could have sent.
            if parts.headers.get("x-requested-with").is_none() {
                return Err(AuthError::CsrfHeaderMissing);
            }
            csrf.check_origin(&parts.headers)?;
        }
        Ok(Some(token))
    }
}

#[async_trait]
impl Authenticator for JwtAuthenticator {
    async fn authenticate(&self, parts: &Parts) -> Result<Option<Credential>, AuthError> {
        let token = match authorization(parts, "Bearer") {
            Some(token) => token.to_owned(),
            None => match self.token_in_cookie(parts)? {
                Some(token) => token,
                None => return Ok(None),
            },
        };
        let claims = self.jwt.decode(&token, Some(TokenType::Access))?;
        Ok(Some(Credential {
            user: claims.user(),
            login: claims.login(),
            method: AuthMethod::Jwt,
            scopes: Scopes::ReadWrite,
        }))
    }

    fn challenge(&self) -> Option<&'static str> {
        Some("Bearer")
    }
}

/// `Authorization: Token <key>`, as Django REST framework's token
/// authentication; read-only tokens are refused on unsafe methods.
pub struct TokenAuthenticator {
    tokens: Arc<ApiTokens>,
}

impl TokenAuthenticator {
    /// An authenticator over these tokens.
    pub fn new(tokens: Arc<ApiTokens>) -> Self {
        Self { tokens }
    }
}

#[async_trait]
impl Authenticator for TokenAuthenticator {
    async fn authenticate(&self, parts: &Parts) -> Result<Option<Credential>, AuthError> {
        let Some(key) = authorization(parts, "Token") else {
            return Ok(None);
        };
        let token = self
            .tokens
            .resolve(key)
            .await?
            .ok_or(AuthError::InvalidCredential)?;
        if token.scopes == Scopes::ReadOnly && !parts.method.is_safe() {
            return Err(AuthError::ReadOnlyToken);
        }
        Ok(Some(Credential {
            user: token.user,
            login: token.login,
            method: token.method,
            scopes: token.scopes,
        }))
    }

    fn challenge(&self) -> Option<&'static str> {
        Some("Token")
    }
}
