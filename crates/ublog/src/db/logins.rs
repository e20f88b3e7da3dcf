//! The `logins` and `revocations` tables, as the authentication layer's
//! login and user stores.

use async_trait::async_trait;
use auth::error::BoxError;
use auth::store::{LoginRecord, LoginStore, NewLogin, UserStore};
use auth::{AuthMethod, AuthUser, LoginId, Scopes, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Transaction};
use time::OffsetDateTime;

use super::{column, flag, from_unix, store_error, Db};

const COLUMNS: &str =
    "id, user_id, method, created_at, last_used_at, expires_at, generation, rotated_at, scopes";

fn record_from(row: &AnyRow) -> Result<LoginRecord, BoxError> {
    let method: String = column(row, "method")?;
    let scopes: String = column(row, "scopes")?;
    Ok(LoginRecord {
        id: LoginId(column(row, "id")?),
        user: UserId(column(row, "user_id")?),
        method: AuthMethod::parse(&method).ok_or("unknown login method in the database")?,
        created_at: from_unix(column(row, "created_at")?),
        last_used_at: from_unix(column(row, "last_used_at")?),
        expires_at: from_unix(column(row, "expires_at")?),
        generation: column(row, "generation")?,
        rotated_at: from_unix(column(row, "rotated_at")?),
        scopes: Scopes::parse(&scopes),
    })
}

/// Deletes every login of `user` except `keep` and records their revocations
/// until `until`, inside `tx`.
pub(super) async fn revoke_in(
    tx: &mut Transaction<'static, Any>,
    user: UserId,
    keep: Option<LoginId>,
    until: OffsetDateTime,
) -> Result<Vec<LoginId>, sqlx::Error> {
    let rows = sqlx::query("DELETE FROM logins WHERE user_id = $1 AND id <> $2 RETURNING id")
        .bind(user.0)
        .bind(keep.map_or(-1, |l| l.0))
        .fetch_all(&mut **tx)
        .await?;
    let ids = rows
        .iter()
        .map(|r| column(r, "id").map(LoginId))
        .collect::<Result<Vec<_>, _>>()?;
    for id in &ids {
        record_revocation(tx, *id, user, until).await?;
    }
    Ok(ids)
}

async fn record_revocation(
    tx: &mut Transaction<'static, Any>,
    login: LoginId,
    user: UserId,
    until: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        r"
        INSERT INTO revocations (login_id, user_id, until) VALUES ($1, $2, $3)
        ON CONFLICT (login_id) DO UPDATE SET until = excluded.until
        ",
    )
    .bind(login.0)
    .bind(user.0)
    .bind(until.unix_timestamp())
    .execute(&mut **tx)
    .await?;
    super::notify::in_transaction(tx, &super::notify::Change::LoginRevoked { login, until }).await
}

#[async_trait]
impl LoginStore for Db {
    async fn create_login(&self, login: NewLogin) -> Result<LoginId, BoxError> {
        let created = login.created_at.unix_timestamp();
        let row = sqlx::query(
            r"
            INSERT INTO logins
                (user_id, method, secret_hash, created_at, last_used_at, rotated_at,
                 expires_at, user_agent, ip, name, scopes)
            VALUES ($1, $2, $3, $4, $4, $4, $5, $6, $7, $8, $9)
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
        .bind(login.name)
        .bind(login.scopes.as_str())
        .fetch_one(self.pool())
        .await
        .map_err(store_error)?;
        Ok(LoginId(column(&row, "id")?))
    }

    async fn set_login_secret(&self, id: LoginId, secret_hash: &str) -> Result<(), BoxError> {
        sqlx::query("UPDATE logins SET secret_hash = $2 WHERE id = $1")
            .bind(id.0)
            .bind(secret_hash)
            .execute(self.pool())
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn find_login_by_secret(
        &self,
        secret_hash: &str,
    ) -> Result<Option<LoginRecord>, BoxError> {
        let sql = format!("SELECT {COLUMNS} FROM logins WHERE secret_hash = $1");
        let row = sqlx::query(&sql)
            .bind(secret_hash)
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
        row.as_ref().map(record_from).transpose()
    }

    async fn find_login(&self, id: LoginId) -> Result<Option<LoginRecord>, BoxError> {
        let sql = format!("SELECT {COLUMNS} FROM logins WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
        row.as_ref().map(record_from).transpose()
    }

    async fn find_user_login(
        &self,
        user: UserId,
        method: AuthMethod,
    ) -> Result<Option<LoginRecord>, BoxError> {
        let sql = format!("SELECT {COLUMNS} FROM logins WHERE user_id = $1 AND method = $2");
        let row = sqlx::query(&sql)
            .bind(user.0)
            .bind(method.as_str())
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
        row.as_ref().map(record_from).transpose()
    }

    async fn touch_login(&self, id: LoginId, at: OffsetDateTime) -> Result<(), BoxError> {
        sqlx::query("UPDATE logins SET last_used_at = $2 WHERE id = $1 AND last_used_at < $2")
            .bind(id.0)
            .bind(at.unix_timestamp())
            .execute(self.pool())
            .await
            .map_err(store_error)?;
        Ok(())
    }

    async fn rotate_family(
        &self,
        id: LoginId,
        generation: i64,
        now: OffsetDateTime,
    ) -> Result<Option<LoginRecord>, BoxError> {
        // One statement: the generation guard makes concurrent rotations of
        // the same token race for a single winner.
        let sql = format!(
            r"
            UPDATE logins
            SET generation = generation + 1, rotated_at = $3, last_used_at = $3
            WHERE id = $1 AND generation = $2 AND expires_at > $3
              AND method IN ('jwt', 'jwt_cookie')
            RETURNING {COLUMNS}
            "
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(generation)
            .bind(now.unix_timestamp())
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
        row.as_ref().map(record_from).transpose()
    }

    async fn revoke_login(
        &self,
        id: LoginId,
        until: OffsetDateTime,
    ) -> Result<Option<UserId>, BoxError> {
        let mut tx = self.pool().begin().await.map_err(store_error)?;
        let row = sqlx::query("DELETE FROM logins WHERE id = $1 RETURNING user_id")
            .bind(id.0)
            .fetch_optional(&mut *tx)
            .await
            .map_err(store_error)?;
        let Some(row) = row else {
            return Ok(None);
        };
        let user = UserId(column(&row, "user_id")?);
        record_revocation(&mut tx, id, user, until)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(Some(user))
    }

    async fn revoke_user_logins(
        &self,
        user: UserId,
        keep: Option<LoginId>,
        until: OffsetDateTime,
    ) -> Result<Vec<LoginId>, BoxError> {
        let mut tx = self.pool().begin().await.map_err(store_error)?;
        let ids = revoke_in(&mut tx, user, keep, until)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        Ok(ids)
    }

    async fn live_revocations(
        &self,
        now: OffsetDateTime,
    ) -> Result<Vec<(LoginId, OffsetDateTime)>, BoxError> {
        let now = now.unix_timestamp();
        sqlx::query("DELETE FROM revocations WHERE until < $1")
            .bind(now)
            .execute(self.pool())
            .await
            .map_err(store_error)?;
        let rows = sqlx::query("SELECT login_id, until FROM revocations")
            .fetch_all(self.pool())
            .await
            .map_err(store_error)?;
        rows.iter()
            .map(|r| {
                Ok((
                    LoginId(column(r, "login_id")?),
                    from_unix(column(r, "until")?),
                ))
            })
            .collect()
    }
}

#[async_trait]
impl UserStore for Db {
    async fn find_auth_user(&self, id: UserId) -> Result<Option<AuthUser>, BoxError> {
        let row = sqlx::query("SELECT id, is_active, is_staff FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await
            .map_err(store_error)?;
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

/// A login as its owner sees it in the devices list.
#[derive(Debug, Clone)]
pub struct DeviceRow {
    /// The login.
    pub id: LoginId,
    /// How it was established.
    pub method: String,
    /// The API token's label.
    pub name: Option<String>,
    /// `read` or `read write`.
    pub scopes: String,
    /// When it started.
    pub created_at: i64,
    /// When it was last used (written at most every few minutes).
    pub last_used_at: i64,
    /// When it ends.
    pub expires_at: i64,
    /// The browser or client.
    pub user_agent: Option<String>,
    /// Where it logged in from.
    pub ip: Option<String>,
}

impl Db {
    /// Every live login of `user`, newest first; `methods` narrows the list.
    pub async fn list_logins(
        &self,
        user: UserId,
        methods: &[&str],
    ) -> Result<Vec<DeviceRow>, sqlx::Error> {
        let rows = sqlx::query(
            r"
            SELECT id, method, name, scopes, created_at, last_used_at, expires_at, user_agent, ip
            FROM logins
            WHERE user_id = $1 AND expires_at > $2
            ORDER BY id DESC
            ",
        )
        .bind(user.0)
        .bind(super::unix_now())
        .fetch_all(self.pool())
        .await?;
        let devices = rows
            .iter()
            .map(|r| {
                Ok(DeviceRow {
                    id: LoginId(column(r, "id")?),
                    method: column(r, "method")?,
                    name: column(r, "name")?,
                    scopes: column(r, "scopes")?,
                    created_at: column(r, "created_at")?,
                    last_used_at: column(r, "last_used_at")?,
                    expires_at: column(r, "expires_at")?,
                    user_agent: column(r, "user_agent")?,
                    ip: column(r, "ip")?,
                })
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
        Ok(devices
            .into_iter()
            .filter(|d| methods.is_empty() || methods.contains(&d.method.as_str()))
            .collect())
    }

    /// The owner of a login, `None` when it does not exist.
    pub async fn login_owner(&self, id: LoginId) -> Result<Option<UserId>, sqlx::Error> {
        let row = sqlx::query("SELECT user_id FROM logins WHERE id = $1")
            .bind(id.0)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| column(&r, "user_id").map(UserId)).transpose()
    }
}
