//! Deletes rows that can no longer matter: ended logins, revocations past
//! their end, spent or expired e-mail links, closed throttling windows.

use std::time::Duration;

use super::{unix_now, Db};

/// How often the purge runs.
const EVERY: Duration = Duration::from_secs(10 * 60);

/// Links and throttling windows are kept this long after they end, for support questions.
const KEEP_AFTER_END: i64 = 24 * 3600;

impl Db {
    /// Deletes what has expired; returns the number of rows removed.
    pub async fn purge_expired(&self) -> Result<u64, sqlx::Error> {
        let now = unix_now();
        let statements = [
            ("DELETE FROM logins WHERE expires_at < $1", now),
            ("DELETE FROM revocations WHERE until < $1", now),
            (
                "DELETE FROM account_tokens WHERE expires_at < $1",
                now - KEEP_AFTER_END,
            ),
            (
                "DELETE FROM login_failures WHERE window_start < $1",
                now - KEEP_AFTER_END,
            ),
        ];
        let mut removed = 0;
        for (sql, cutoff) in statements {
            removed += sqlx::query(sql)
                .bind(cutoff)
                .execute(self.pool())
                .await?
                .rows_affected();
        }
        Ok(removed)
    }

    /// Runs [`Db::purge_expired`] in the background for the life of the process.
    pub fn spawn_purge(&self) {
        let db = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(EVERY);
            loop {
                ticks.tick().await;
                match db.purge_expired().await {
                    Ok(0) => {}
                    Ok(removed) => tracing::info!(removed, "expired rows purged"),
                    Err(error) => tracing::warn!(error = %error, "purge failed"),
                }
            }
        });
    }
}
