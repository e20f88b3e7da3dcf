//! Login throttling: failed logins counted per account and per client
//! address in fixed windows, in the store so that every process shares them.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::{AuthError, BoxError};

/// How many addresses' worth of failures an address may make: one address
/// may try several accounts (a shared office), but not without bound.
const ADDRESS_FACTOR: i64 = 10;

/// A counter as stored.
#[derive(Debug, Clone)]
pub struct FailureCount {
    /// `email:<address>` or `ip:<address>`.
    pub key: String,
    /// When its window opened.
    pub window_start: OffsetDateTime,
    /// Failures in that window.
    pub failures: i64,
}

/// Persistence of failure counters, shared by all processes.
#[async_trait]
pub trait AttemptStore: Send + Sync + 'static {
    /// The counters of these keys.
    async fn failure_counts(&self, keys: &[String]) -> Result<Vec<FailureCount>, BoxError>;

    /// Adds one failure to each key, opening a new window at `now` where the
    /// current one started at or before `expired_before`.
    async fn record_failure(
        &self,
        keys: &[String],
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> Result<(), BoxError>;

    /// Forgets a key's failures.
    async fn clear_failures(&self, key: &str) -> Result<(), BoxError>;
}

/// The login throttle.
#[derive(Clone)]
pub struct LoginThrottle {
    store: Arc<dyn AttemptStore>,
    limit: i64,
    window: Duration,
}

impl LoginThrottle {
    /// At most `limit` failures per account (ten times as many per address)
    /// in each `window`.
    pub fn new(store: Arc<dyn AttemptStore>, limit: u32, window: Duration) -> Self {
        Self {
            store,
            limit: i64::from(limit.max(1)),
            window,
        }
    }

    /// Refuses the attempt when the account or the address is over its limit.
    ///
    /// # Errors
    /// [`AuthError::Throttled`] with the seconds until the window closes.
    pub async fn check(&self, email: &str, ip: Option<&str>) -> Result<(), AuthError> {
        let keys = keys(email, ip);
        let counts = self
            .store
            .failure_counts(&keys)
            .await
            .map_err(AuthError::Internal)?;
        let now = OffsetDateTime::now_utc();
        for count in counts {
            let limit = if count.key.starts_with("ip:") {
                self.limit * ADDRESS_FACTOR
            } else {
                self.limit
            };
            let closes = count.window_start + self.window;
            if closes > now && count.failures >= limit {
                let retry_after = u64::try_from((closes - now).whole_seconds().max(1)).unwrap_or(1);
                tracing::warn!(key_kind = count.key.split(':').next(), "login throttled");
                return Err(AuthError::Throttled { retry_after });
            }
        }
        Ok(())
    }

    /// Counts a failed attempt.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn failed(&self, email: &str, ip: Option<&str>) -> Result<(), AuthError> {
        let now = OffsetDateTime::now_utc();
        self.store
            .record_failure(&keys(email, ip), now, now - self.window)
            .await
            .map_err(AuthError::Internal)
    }

    /// Clears the account's failures after a successful login.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn succeeded(&self, email: &str) -> Result<(), AuthError> {
        self.store
            .clear_failures(&email_key(email))
            .await
            .map_err(AuthError::Internal)
    }
}

fn email_key(email: &str) -> String {
    format!("email:{}", email.trim().to_lowercase())
}

fn keys(email: &str, ip: Option<&str>) -> Vec<String> {
    let mut keys = vec![email_key(email)];
    if let Some(ip) = ip {
        keys.push(format!("ip:{ip}"));
    }
    keys
}
