//! Server-side sessions: the `sessionid` cookie, idle and absolute expiry, and
//! an in-memory cache so that a warm session check needs no database query.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use time::OffsetDateTime;

use crate::client::ClientMeta;
use crate::cookies::CookieSettings;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, UserId};
use crate::secret::{hash_token, random_token};
use crate::store::{LoginRecord, LoginStore, NewLogin};

/// Longest interval between two writes of a session's "last used" time.
const MAX_TOUCH_INTERVAL_MS: i64 = 5 * 60 * 1000;

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

#[derive(Debug)]
struct CachedSession {
    login: LoginId,
    user: UserId,
    expires_at_ms: i64,
    last_seen_ms: AtomicI64,
    persisted_seen_ms: AtomicI64,
}

/// Starts, finds and ends sessions.
///
/// # Security
/// Keys are random 256-bit values; only their SHA-256 is stored, so a copy of
/// the database yields no live session. A key is never reused across logins.
pub struct Sessions {
    config: SessionConfig,
    store: Arc<dyn LoginStore>,
    cache: RwLock<HashMap<String, Arc<CachedSession>>>,
}

impl Sessions {
    /// Sessions recorded in `store`.
    pub fn new(config: SessionConfig, store: Arc<dyn LoginStore>) -> Self {
        Self {
            config,
            store,
            cache: RwLock::default(),
        }
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
            .store
            .create_login(NewLogin {
                user,
                method: AuthMethod::Session,
                secret_hash: secret_hash.clone(),
                created_at: now,
                expires_at,
                user_agent: client.user_agent,
                ip: client.ip,
            })
            .await
            .map_err(AuthError::Internal)?;

        let now_ms = unix_ms(now);
        self.cache_insert(
            secret_hash,
            CachedSession {
                login,
                user,
                expires_at_ms: unix_ms(expires_at),
                last_seen_ms: AtomicI64::new(now_ms),
                persisted_seen_ms: AtomicI64::new(now_ms),
            },
        );
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
        let secret_hash = hash_token(key);
        let now_ms = unix_ms(OffsetDateTime::now_utc());

        let cached = self.cache_get(&secret_hash);
        let entry = match cached {
            Some(entry) => entry,
            None => match self.load(&secret_hash).await? {
                Some(entry) => entry,
                None => return Ok(None),
            },
        };

        let idle_ms = duration_ms(self.config.idle_timeout);
        let last_seen = entry.last_seen_ms.load(Ordering::Relaxed);
        if now_ms >= entry.expires_at_ms || now_ms - last_seen >= idle_ms {
            self.expire(&secret_hash, entry.login);
            return Ok(None);
        }
        entry.last_seen_ms.fetch_max(now_ms, Ordering::Relaxed);
        self.persist_use_if_due(&entry, now_ms);
        Ok(Some(ActiveSession {
            login: entry.login,
            user: entry.user,
        }))
    }

    /// Drops one login from the cache after it was revoked in the store.
    pub fn forget_login(&self, login: LoginId) {
        self.write_cache().retain(|_, entry| entry.login != login);
    }

    /// Drops every cached session of `user`, except `keep`, after they were
    /// revoked in the store (password change, deactivation, logout everywhere).
    pub fn forget_user(&self, user: UserId, keep: Option<LoginId>) {
        self.write_cache()
            .retain(|_, entry| entry.user != user || Some(entry.login) == keep);
    }

    async fn load(&self, secret_hash: &str) -> Result<Option<Arc<CachedSession>>, AuthError> {
        let record = self
            .store
            .find_login_by_secret(secret_hash)
            .await
            .map_err(AuthError::Internal)?;
        let Some(record) = record.filter(|r| r.method == AuthMethod::Session) else {
            return Ok(None);
        };
        let entry = cached_from(&record);
        Ok(Some(self.cache_insert(secret_hash.to_owned(), entry)))
    }

    fn expire(&self, secret_hash: &str, login: LoginId) {
        self.cache_remove(secret_hash);
        let store = Arc::clone(&self.store);
        tokio::spawn(async move {
            if let Err(error) = store.delete_login(login).await {
                tracing::warn!(login_id = %login, error = %error, "expired session not deleted");
            }
        });
    }

    /// Writes "last used" off the request path, at most once per interval, so
    /// that idle expiry survives a restart without a write per request.
    fn persist_use_if_due(&self, entry: &CachedSession, now_ms: i64) {
        let interval = (duration_ms(self.config.idle_timeout) / 4).min(MAX_TOUCH_INTERVAL_MS);
        let persisted = entry.persisted_seen_ms.load(Ordering::Relaxed);
        if now_ms - persisted < interval {
            return;
        }
        let claimed = entry
            .persisted_seen_ms
            .compare_exchange(persisted, now_ms, Ordering::Relaxed, Ordering::Relaxed)
            .is_ok();
        if !claimed {
            return;
        }
        let store = Arc::clone(&self.store);
        let login = entry.login;
        let at = OffsetDateTime::from_unix_timestamp(now_ms / 1000)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        tokio::spawn(async move {
            if let Err(error) = store.touch_login(login, at).await {
                tracing::warn!(login_id = %login, error = %error, "session use not recorded");
            }
        });
    }

    fn cache_get(&self, secret_hash: &str) -> Option<Arc<CachedSession>> {
        self.cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(secret_hash)
            .cloned()
    }

    fn cache_insert(&self, secret_hash: String, entry: CachedSession) -> Arc<CachedSession> {
        let entry = Arc::new(entry);
        let mut cache = self.write_cache();
        // TODO: bound the cache by size, not only by expiry; a flood of logins grows it until they expire.
        if cache.len() >= 10_000 {
            let now_ms = unix_ms(OffsetDateTime::now_utc());
            cache.retain(|_, e| e.expires_at_ms > now_ms);
        }
        cache.insert(secret_hash, Arc::clone(&entry));
        entry
    }

    fn cache_remove(&self, secret_hash: &str) -> Option<Arc<CachedSession>> {
        self.write_cache().remove(secret_hash)
    }

    fn write_cache(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<CachedSession>>> {
        self.cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn cached_from(record: &LoginRecord) -> CachedSession {
    let last_used = unix_ms(record.last_used_at);
    CachedSession {
        login: record.id,
        user: record.user,
        expires_at_ms: unix_ms(record.expires_at),
        last_seen_ms: AtomicI64::new(last_used),
        persisted_seen_ms: AtomicI64::new(last_used),
    }
}

fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
