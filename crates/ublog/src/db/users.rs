//! The `users` table.

use auth::{LoginId, UserId};
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use super::{column, flag, is_unique_violation, unix_now, Db};

/// A user as stored.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Primary key.
    pub id: UserId,
    /// The login e-mail, as the user typed it.
    pub email: String,
    /// The password hash (argon2id, or a Django format awaiting upgrade).
    pub password: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// False until the e-mail is verified, or after deactivation.
    pub is_active: bool,
    /// May use administrative features.
    pub is_staff: bool,
    /// When the account was created.
    pub date_joined: i64,
    /// When the user last logged in.
    pub last_login: Option<i64>,
}

impl UserRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: UserId(column(row, "id")?),
            email: column(row, "email")?,
            password: column(row, "password")?,
            first_name: column(row, "first_name")?,
            last_name: column(row, "last_name")?,
            is_active: flag(row, "is_active")?,
            is_staff: flag(row, "is_staff")?,
            date_joined: column(row, "date_joined")?,
            last_login: column(row, "last_login")?,
        })
    }
}

const COLUMNS: &str =
    "id, email, password, first_name, last_name, is_active, is_staff, date_joined, last_login";

/// Queries on users.
pub struct Users<'a> {
    pub(super) db: &'a Db,
}

impl Users<'_> {
    /// The user with this id.
    pub async fn find(&self, id: UserId) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id.0)
            .fetch_optional(self.db.pool())
            .await?;
        row.as_ref().map(UserRow::from_row).transpose()
    }

    /// The user with this e-mail, compared case-insensitively.
    pub async fn find_by_email(&self, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!("SELECT {COLUMNS} FROM users WHERE lower(email) = lower($1)");
        let row = sqlx::query(&sql)
            .bind(email)
            .fetch_optional(self.db.pool())
            .await?;
        row.as_ref().map(UserRow::from_row).transpose()
    }

    /// Creates an inactive user together with its verification token, in one
    /// transaction. `None` when the e-mail is taken.
    pub async fn register(
        &self,
        email: &str,
        password_hash: &str,
        token_hash: &str,
        token_expires_at: i64,
    ) -> Result<Option<UserId>, sqlx::Error> {
        let now = unix_now();
        let mut tx = self.db.pool().begin().await?;
        let inserted = sqlx::query(
            r"
            INSERT INTO users (email, password, is_active, date_joined)
            VALUES ($1, $2, FALSE, $3)
            RETURNING id
            ",
        )
        .bind(email)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let id: i64 = match inserted {
            Ok(row) => column(&row, "id")?,
            Err(e) if is_unique_violation(&e) => return Ok(None),
            Err(e) => return Err(e),
        };
        super::account_tokens::insert(
            &mut tx,
            UserId(id),
            "activate",
            token_hash,
            now,
            token_expires_at,
        )
        .await?;
        tx.commit().await?;
        Ok(Some(UserId(id)))
    }

    /// Creates an active user directly (command line). `None` when the e-mail is taken.
    pub async fn create_active(
        &self,
        email: &str,
        password_hash: &str,
        is_staff: bool,
    ) -> Result<Option<UserId>, sqlx::Error> {
        let inserted = sqlx::query(
            r"
            INSERT INTO users (email, password, is_active, is_staff, is_superuser, date_joined)
            VALUES ($1, $2, TRUE, $3, $3, $4)
            RETURNING id
            ",
        )
        .bind(email)
        .bind(password_hash)
        .bind(is_staff)
        .bind(unix_now())
        .fetch_one(self.db.pool())
        .await;
        match inserted {
            Ok(row) => Ok(Some(UserId(column(&row, "id")?))),
            Err(e) if is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Records a successful login, upgrading the stored hash when given one.
    pub async fn record_login(
        &self,
        id: UserId,
        upgraded_hash: Option<&str>,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            r"
            UPDATE users
            SET last_login = $2, password = COALESCE($3, password)
            WHERE id = $1
            ",
        )
        .bind(id.0)
        .bind(unix_now())
        .bind(upgraded_hash)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Sets a new password and revokes every login of the user except `keep`,
    /// in one transaction. Returns the revoked logins.
    pub async fn set_password_revoking_logins(
        &self,
        id: UserId,
        password_hash: &str,
        keep: Option<LoginId>,
        until: OffsetDateTime,
    ) -> Result<Vec<LoginId>, sqlx::Error> {
        let mut tx = self.db.pool().begin().await?;
        sqlx::query("UPDATE users SET password = $2 WHERE id = $1")
            .bind(id.0)
            .bind(password_hash)
            .execute(&mut *tx)
            .await?;
        let revoked = super::logins::revoke_in(&mut tx, id, keep, until).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Deactivates a user and revokes every login, in one transaction.
    pub async fn deactivate(
        &self,
        id: UserId,
        until: OffsetDateTime,
    ) -> Result<Vec<LoginId>, sqlx::Error> {
        let mut tx = self.db.pool().begin().await?;
        sqlx::query("UPDATE users SET is_active = FALSE WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        let revoked = super::logins::revoke_in(&mut tx, id, None, until).await?;
        super::notify::in_transaction(&mut tx, &super::notify::Change::UserChanged { user: id })
            .await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Changes the names and returns the updated user.
    pub async fn update_names(
        &self,
        id: UserId,
        first_name: Option<&str>,
        last_name: Option<&str>,
    ) -> Result<Option<UserRow>, sqlx::Error> {
        let sql = format!(
            r"
            UPDATE users
            SET first_name = COALESCE($2, first_name), last_name = COALESCE($3, last_name)
            WHERE id = $1
            RETURNING {COLUMNS}
            "
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(first_name)
            .bind(last_name)
            .fetch_optional(self.db.pool())
            .await?;
        row.as_ref().map(UserRow::from_row).transpose()
    }

    /// A page of active users, oldest first, and the total count.
    pub async fn list(&self, limit: i64, offset: i64) -> Result<(Vec<UserRow>, i64), sqlx::Error> {
        let sql = format!(
            r"
            SELECT {COLUMNS} FROM users
            WHERE is_active = TRUE
            ORDER BY id
            LIMIT $1 OFFSET $2
            "
        );
        let rows = sqlx::query(&sql)
            .bind(limit)
            .bind(offset)
            .fetch_all(self.db.pool())
            .await?;
        let count = sqlx::query("SELECT COUNT(*) AS n FROM users WHERE is_active = TRUE")
            .fetch_one(self.db.pool())
            .await?;
        let users = rows
            .iter()
            .map(UserRow::from_row)
            .collect::<Result<_, _>>()?;
        Ok((users, column(&count, "n")?))
    }
}
