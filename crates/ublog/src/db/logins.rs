//! The `logins` table, as the authentication layer's login and user stores.

use async_trait::async_trait;
use auth::error::BoxError;
use auth::store::{LoginRecord, LoginStore, NewLogin, UserStore};
use auth::{AuthMethod, AuthUser, LoginId, UserId};
use sqlx::any::AnyRow;

use super::{column, flag, from_unix, Db};

fn record_from(row: &AnyRow) -> Result<LoginRecord, BoxError> {
    let method: String = column(row, "method")?;
    Ok(LoginRecord {
        id: LoginId(column(row, "id")?),
        user: UserId(column(row, "user_id")?),
        method: AuthMethod::parse(&method).ok_or("unknown login method in the database")?,
        created_at: from_unix(column(row, "created_at")?),
        last_used_at: from_unix(column(row, "last_used_at")?),
        expires_at: from_unix(column(row, "expires_at")?),
    })
}

#[async_trait]
impl LoginStore for Db {
    async fn create_login(&self, login: NewLogin) -> Result<LoginId, BoxError> {
        let created = login.created_at.unix_timestamp();
        let row = sqlx::query(
            r"
            INSERT INTO logins
                (user_id, method, secret_hash, created_at, last_used_at, expires_at, user_agent, ip)
            VALUES ($1, $2, $3, $4, $4, $5, $6, $7)
            RETURNING id
            ",
        )
        .bind(login.user.0)
        .bind(login.method.as_str())
        .bind(login.secret_hash)
        .bind(created)
        .bind(login.expires_at.unix_timestamp())
        .bind(login.user_agent)
        .bind(login.ip)
        .fetch_one(self.pool())
        .await?;
        Ok(LoginId(column(&row, "id")?))
    }

    async fn find_login_by_secret(
        &self,
        secret_hash: &str,
    ) -> Result<Option<LoginRecord>, BoxError> {
        let row = sqlx::query(
            r"
            SELECT id, user_id, method, created_at, last_used_at, expires_at
            FROM logins
            WHERE secret_hash = $1
            ",
        )
        .bind(secret_hash)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(record_from).transpose()
    }

    async fn touch_login(&self, id: LoginId, at: time::OffsetDateTime) -> Result<(), BoxError> {
        sqlx::query("UPDATE logins SET last_used_at = $2 WHERE id = $1 AND last_used_at < $2")
            .bind(id.0)
            .bind(at.unix_timestamp())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    async fn delete_login(&self, id: LoginId) -> Result<(), BoxError> {
        sqlx::query("DELETE FROM logins WHERE id = $1")
            .bind(id.0)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

#[async_trait]
impl UserStore for Db {
    async fn find_auth_user(&self, id: UserId) -> Result<Option<AuthUser>, BoxError> {
        let row = sqlx::query("SELECT id, is_active, is_staff FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        Ok(Some(AuthUser {
            id: UserId(column(&row, "id")?),
            is_active: flag(&row, "is_active")?,
            is_staff: flag(&row, "is_staff")?,
        }))
    }
}
