//! The `account_tokens` table: single-use, expiring links sent by e-mail.

use auth::UserId;
use sqlx::{Any, Transaction};

use super::{unix_now, Db};

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Verifies the e-mail and activates the account.
    Activate,
    /// Sets a new password.
    Reset,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Activate => "activate",
            Self::Reset => "reset",
        }
    }
}

pub(super) async fn insert(
    tx: &mut Transaction<'static, Any>,
    user: UserId,
    purpose: &str,
    token_hash: &str,
    now: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r"
        INSERT INTO account_tokens (user_id, purpose, token_hash, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5)
        ",
    )
    .bind(user.0)
    .bind(purpose)
    .bind(token_hash)
    .bind(now)
    .bind(expires_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Queries on account tokens.
pub struct AccountTokens<'a> {
    pub(super) db: &'a Db,
}

impl AccountTokens<'_> {
    /// Stores a new token.
    pub async fn create(
        &self,
        user: UserId,
        purpose: TokenPurpose,
        token_hash: &str,
        expires_at: i64,
    ) -> Result<(), sqlx::Error> {
        let mut tx = self.db.pool().begin().await?;
        insert(
            &mut tx,
            user,
            purpose.as_str(),
            token_hash,
            unix_now(),
            expires_at,
        )
        .await?;
        tx.commit().await
    }

    /// True when the token is live for this user and purpose; spends nothing.
    pub async fn is_live(
        &self,
        user: UserId,
        purpose: TokenPurpose,
        token_hash: &str,
    ) -> Result<bool, sqlx::Error> {
        let row = sqlx::query(
            r"
            SELECT id FROM account_tokens
            WHERE token_hash = $1 AND purpose = $2 AND user_id = $3
              AND used_at IS NULL AND expires_at > $4
            ",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .bind(user.0)
        .bind(unix_now())
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Spends an activation token and activates its user, atomically.
    /// False when the token is unknown, expired or already spent.
    pub async fn activate(&self, user: UserId, token_hash: &str) -> Result<bool, sqlx::Error> {
        let mut tx = self.db.pool().begin().await?;
        if !spend(&mut tx, user, TokenPurpose::Activate, token_hash).await? {
            return Ok(false);
        }
        sqlx::query("UPDATE users SET is_active = TRUE WHERE id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        super::notify::in_transaction(&mut tx, &super::notify::Change::UserChanged { user })
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Spends a reset token, sets the new password and revokes every login of
    /// the user, atomically. `None` when the token is not live; otherwise the
    /// revoked logins.
    pub async fn reset_password(
        &self,
        user: UserId,
        token_hash: &str,
        password_hash: &str,
        until: time::OffsetDateTime,
    ) -> Result<Option<Vec<auth::LoginId>>, sqlx::Error> {
        let mut tx = self.db.pool().begin().await?;
        if !spend(&mut tx, user, TokenPurpose::Reset, token_hash).await? {
            return Ok(None);
        }
        sqlx::query("UPDATE users SET password = $2 WHERE id = $1")
            .bind(user.0)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        let revoked = super::logins::revoke_in(&mut tx, user, None, until).await?;
        tx.commit().await?;
        Ok(Some(revoked))
    }
}

/// Marks a live token used; the `used_at IS NULL` guard makes a second
/// spend of the same token, even a concurrent one, change nothing.
async fn spend(
    tx: &mut Transaction<'static, Any>,
    user: UserId,
    purpose: TokenPurpose,
    token_hash: &str,
) -> Result<bool, sqlx::Error> {
    let now = unix_now();
    let spent = sqlx::query(
        r"
        UPDATE account_tokens SET used_at = $1
        WHERE token_hash = $2 AND purpose = $3 AND user_id = $4
          AND used_at IS NULL AND expires_at > $1
        ",
    )
    .bind(now)
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(user.0)
    .execute(&mut **tx)
    .await?;
    Ok(spent.rows_affected() == 1)
}
