//! The in-memory cache of logins proven by an opaque secret (session keys and
//! API token keys), so that a warm check makes no database query.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use time::OffsetDateTime;

use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, Scopes, UserId};
use crate::store::{LoginRecord, LoginStore};

/// Longest interval between two writes of a login's "last used" time.
const MAX_TOUCH_INTERVAL_MS: i64 = 5 * 60 * 1000;

/// Entries kept before expired ones are swept out.
const SWEEP_THRESHOLD: usize = 10_000;

/// A live login as cached.
#[derive(Debug)]
pub(crate) struct CachedLogin {
    pub(crate) login: LoginId,
    pub(crate) user: UserId,
    pub(crate) method: AuthMethod,
    pub(crate) scopes: Scopes,
    expires_at_ms: i64,
    last_seen_ms: AtomicI64,
    persisted_seen_ms: AtomicI64,
}

impl CachedLogin {
    pub(crate) fn new(record: &LoginRecord) -> Self {
        let last_used = unix_ms(record.last_used_at);
        Self {
            login: record.id,
            user: record.user,
            method: record.method,
            scopes: record.scopes,
            expires_at_ms: unix_ms(record.expires_at),
            last_seen_ms: AtomicI64::new(last_used),
            persisted_seen_ms: AtomicI64::new(last_used),
        }
    }
}

/// Logins by the hash of their secret.
pub(crate) struct LoginCache {
    store: Arc<dyn LoginStore>,
    map: RwLock<HashMap<String, Arc<CachedLogin>>>,
}

impl LoginCache {
    pub(crate) fn new(store: Arc<dyn LoginStore>) -> Self {
        Self {
            store,
            map: RwLock::default(),
        }
    }

    pub(crate) fn store(&self) -> &Arc<dyn LoginStore> {
        &self.store
    }

    /// The live login of one of `methods` behind `secret_hash`, refreshing its
    /// idle clock. Expired logins are deleted and give `None`.
    pub(crate) async fn resolve(
        &self,
        secret_hash: &str,
        methods: &[AuthMethod],
        idle_timeout: Option<Duration>,
    ) -> Result<Option<Arc<CachedLogin>>, AuthError> {
        let entry = match self.get(secret_hash) {
            Some(entry) => entry,
            None => {
                let record = self
                    .store
                    .find_login_by_secret(secret_hash)
                    .await
                    .map_err(AuthError::Internal)?;
                let Some(record) = record else {
                    return Ok(None);
                };
                self.insert(secret_hash.to_owned(), CachedLogin::new(&record))
            }
        };
        if !methods.contains(&entry.method) {
            return Ok(None);
        }

        let now_ms = unix_ms(OffsetDateTime::now_utc());
        let idle_ms = idle_timeout.map_or(i64::MAX, duration_ms);
        let last_seen = entry.last_seen_ms.load(Ordering::Relaxed);
        if now_ms >= entry.expires_at_ms || now_ms.saturating_sub(last_seen) >= idle_ms {
            self.expire(secret_hash, entry.login);
            return Ok(None);
        }
        entry.last_seen_ms.fetch_max(now_ms, Ordering::Relaxed);
        self.persist_use_if_due(&entry, now_ms, idle_ms);
        Ok(Some(entry))
    }

    pub(crate) fn insert(&self, secret_hash: String, entry: CachedLogin) -> Arc<CachedLogin> {
        let entry = Arc::new(entry);
        let mut map = self.write();
        // TODO: bound the cache by size, not only by expiry; a flood of logins grows it until they expire.
        if map.len() >= SWEEP_THRESHOLD {
            let now_ms = unix_ms(OffsetDateTime::now_utc());
            map.retain(|_, e| e.expires_at_ms > now_ms);
        }
        map.insert(secret_hash, Arc::clone(&entry));
        entry
    }

    pub(crate) fn forget_login(&self, login: LoginId) {
        self.write().retain(|_, entry| entry.login != login);
    }

    /// Drops everything, after the process may have missed revocations.
    pub(crate) fn clear(&self) {
        self.write().clear();
    }

    pub(crate) fn forget_user(&self, user: UserId, keep: Option<LoginId>) {
        self.write()
            .retain(|_, entry| entry.user != user || Some(entry.login) == keep);
    }

    fn get(&self, secret_hash: &str) -> Option<Arc<CachedLogin>> {
        self.map
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(secret_hash)
            .cloned()
    }

    fn expire(&self, secret_hash: &str, login: LoginId) {
        self.write().remove(secret_hash);
        let store = Arc::clone(&self.store);
        tokio::spawn(async move {
            if let Err(error) = store.revoke_login(login, OffsetDateTime::now_utc()).await {
                tracing::warn!(login_id = %login, error = %error, "expired login not deleted");
            }
        });
    }

    /// Writes "last used" off the request path, at most once per interval, so
    /// that idle expiry and the devices list survive a restart without a
    /// write per request.
    fn persist_use_if_due(&self, entry: &CachedLogin, now_ms: i64, idle_ms: i64) {
        let interval = (idle_ms / 4).min(MAX_TOUCH_INTERVAL_MS);
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
                tracing::warn!(login_id = %login, error = %error, "login use not recorded");
            }
        });
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<CachedLogin>>> {
        self.map
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

pub(crate) fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn duration_ms(d: Duration) -> i64 {
    i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
}
