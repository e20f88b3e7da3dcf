//! Server-side sessions: the `sessionid` cookie, idle and absolute expiry, and
//! the login cache so that a warm session check needs no database query.

use std::sync::Arc;
use std::time::Duration;

use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use time::OffsetDateTime;

use crate::client::ClientMeta;
use crate::cookies::CookieSettings;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, Scopes, UserId};
use crate::login_cache::{CachedLogin, LoginCache};
use crate::secret::{hash_token, random_token};
use crate::store::{LoginRecord, NewLogin};

/// Lifetimes and cookie of server-side sessions.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// The session cookie.
    pub cookie: CookieSettings,
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after login, however much it is used.
    pub absolute_timeout: Duration,
}

/// A session that was just started; its cookie must go into the response.
#[derive(Debug)]
pub struct StartedSession {
    /// The new login.
    pub login: LoginId,
    /// The cookie carrying the session key.
    pub cookie: Cookie<'static>,
}

/// A live session found from its cookie.
#[derive(Debug, Clone, Copy)]
pub struct ActiveSession {
    /// The login behind the session.
    pub login: LoginId,
    /// Whose session it is.
    pub user: UserId,
}

/// Starts and finds sessions.
///
/// # Security
/// Keys are random 256-bit values; only their SHA-256 is stored, so a copy of
/// the database yields no live session. A key is never reused across logins.
pub struct Sessions {
    config: SessionConfig,
    cache: Arc<LoginCache>,
}

impl Sessions {
    pub(crate) fn new(config: SessionConfig, cache: Arc<LoginCache>) -> Self {
        Self { config, cache }
    }

    /// The cookie settings of sessions.
    pub fn cookie_settings(&self) -> &CookieSettings {
        &self.config.cookie
    }

    /// The session key presented by a request, if any.
    pub fn presented_key(&self, parts: &Parts) -> Option<String> {
        let jar = CookieJar::from_headers(&parts.headers);
        let cookie = jar.get(&self.config.cookie.wire_name())?;
        let value = cookie.value();
        (!value.is_empty()).then(|| value.to_owned())
    }

    /// Starts a new session for `user` and returns the cookie to set.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the login cannot be stored.
    pub async fn start(
        &self,
        user: UserId,
        client: ClientMeta,
    ) -> Result<StartedSession, AuthError> {
        let key = random_token();
        let secret_hash = hash_token(&key);
        let now = OffsetDateTime::now_utc();
        let expires_at = now + self.config.absolute_timeout;
        let login = self
            .cache
            .store()
            .create_login(NewLogin {
                user,
                method: AuthMethod::Session,
                secret_hash: secret_hash.clone(),
                created_at: now,
                expires_at,
                user_agent: client.user_agent,
                ip: client.ip,
                name: None,
                scopes: Scopes::ReadWrite,
            })
            .await
            .map_err(AuthError::Internal)?;

        let record = LoginRecord {
            id: login,
            user,
            method: AuthMethod::Session,
            created_at: now,
            last_used_at: now,
            expires_at,
            generation: 0,
            rotated_at: now,
            scopes: Scopes::ReadWrite,
        };
        self.cache.insert(secret_hash, CachedLogin::new(&record));
        let max_age =
            time::Duration::try_from(self.config.absolute_timeout).unwrap_or(time::Duration::WEEK);
        let cookie = self.config.cookie.build(key, max_age);
        Ok(StartedSession { login, cookie })
    }

    /// Finds the live session behind `key`, updating its idle clock.
    ///
    /// Expired or unknown keys give `None`. A cached session costs no query.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails on a cache miss.
    pub async fn resolve(&self, key: &str) -> Result<Option<ActiveSession>, AuthError> {
        let found = self
            .cache
            .resolve(
                &hash_token(key),
                &[AuthMethod::Session],
                Some(self.config.idle_timeout),
            )
            .await?;
        Ok(found.map(|entry| ActiveSession {
            login: entry.login,
            user: entry.user,
        }))
    }
}
