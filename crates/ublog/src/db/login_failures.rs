//! The `login_failures` table, as the login throttle's store.

use async_trait::async_trait;
use auth::error::BoxError;
use auth::rate_limit::{AttemptStore, FailureCount};
use time::OffsetDateTime;

use super::{column, from_unix, store_error, Db};

#[async_trait]
impl AttemptStore for Db {
    async fn failure_counts(&self, keys: &[String]) -> Result<Vec<FailureCount>, BoxError> {
        let mut counts = Vec::new();
        for key in keys {
            let row = sqlx::query(
                "SELECT key, window_start, failures FROM login_failures WHERE key = $1",
            )
            .bind(key)
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
            if let Some(row) = row {
                counts.push(FailureCount {
                    key: column(&row, "key")?,
                    window_start: from_unix(column(&row, "window_start")?),
                    failures: column(&row, "failures")?,
                });
            }
        }
        Ok(counts)
    }

    async fn record_failure(
        &self,
        keys: &[String],
        now: OffsetDateTime,
        expired_before: OffsetDateTime,
    ) -> Result<(), BoxError> {
        for key in keys {
            // One statement per key: concurrent failures in several processes
            // all count. Both SET expressions read the row as it was.
            sqlx::query(
                r"
                INSERT INTO login_failures (key, window_start, failures)
                VALUES ($1, $2, 1)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN login_failures.window_start <= $3
                                    THEN 1 ELSE login_failures.failures + 1 END,
                    window_start = CASE WHEN login_failures.window_start <= $3
                                        THEN $2 ELSE login_failures.window_start END
                ",
            )
            .bind(key)
            .bind(now.unix_timestamp())
            .bind(expired_before.unix_timestamp())
            .execute(self.pool())
            .await
            .map_err(store_error)?;
        }
        Ok(())
    }

    async fn clear_failures(&self, key: &str) -> Result<(), BoxError> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(self.pool())
            .await
            .map_err(store_error)?;
        Ok(())
    }
}
