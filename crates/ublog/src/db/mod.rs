//! The database: one pool for SQLite or PostgreSQL, migrations, and the
//! repositories of each table.

mod account_tokens;
mod login_failures;
mod logins;
pub mod notify;
mod posts;
mod purge;
pub mod query_count;
mod users;

use std::time::Duration;

use anyhow::Context as _;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Executor as _};
use time::OffsetDateTime;

pub use account_tokens::{AccountTokens, TokenPurpose};
pub use logins::DeviceRow;
pub use posts::{PostRow, Posts};
pub use users::{UserRow, Users};

/// Which SQL dialect the pool speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite in the data folder.
    Sqlite,
    /// PostgreSQL at `DATABASE_URL`.
    Postgres,
}

/// A pool of connections to the configured database.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    ///
    /// # Errors
    /// An unsupported URL or an unreachable database.
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        Self::connect_with(url, Duration::from_secs(2)).await
    }

    /// Connects with a bound on how long a query waits for a connection, so
    /// that an unreachable database gives a prompt 503 instead of a hang.
    ///
    /// # Errors
    /// An unsupported URL or an unreachable database.
    pub async fn connect_with(url: &str, acquire_timeout: Duration) -> anyhow::Result<Self> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
        };
        let options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(acquire_timeout)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the writer; foreign keys are
                        // off by default in SQLite and the schema relies on them.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(url)
            .await
            .context("connecting to the database")?;
        Ok(Self { pool, backend })
    }

    /// Applies the migrations that have not run yet.
    ///
    /// # Errors
    /// A failed or modified migration.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&self.pool)
            .await
            .context("applying database migrations")?;
        Ok(())
    }

    /// The back end in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, counting one query against the current request; every
    /// repository call goes through here.
    pub(crate) fn pool(&self) -> &AnyPool {
        query_count::record();
        &self.pool
    }

    /// The pool itself, uncounted, for tests and tools that inspect tables.
    pub fn raw_pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Users.
    pub fn users(&self) -> Users<'_> {
        Users { db: self }
    }

    /// E-mail verification and password reset tokens.
    pub fn account_tokens(&self) -> AccountTokens<'_> {
        AccountTokens { db: self }
    }

    /// Posts and likes.
    pub fn posts(&self) -> Posts<'_> {
        Posts { db: self }
    }
}

/// Now, in the Unix seconds the schema stores.
pub fn unix_now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A stored Unix time as a date.
pub fn from_unix(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Reads a column, naming it in the error.
pub(crate) fn column<'r, T>(row: &'r AnyRow, name: &str) -> Result<T, sqlx::Error>
where
    T: sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    use sqlx::Row as _;
    row.try_get(name)
}

/// Reads a flag stored as BOOLEAN (PostgreSQL) or INTEGER 0/1 (SQLite).
pub(crate) fn flag(row: &AnyRow, name: &str) -> Result<bool, sqlx::Error> {
    use sqlx::Row as _;
    row.try_get::<bool, _>(name)
        .or_else(|_| row.try_get::<i64, _>(name).map(|n| n != 0))
}

/// True when `error` means the database cannot be reached right now, rather
/// than that the query is wrong: such failures are answered with 503.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::WorkerCrashed
    ) || error.as_database_error().is_some_and(|e| {
        // PostgreSQL: the server is shutting down or refuses connections.
        e.code()
            .is_some_and(|c| c.starts_with("57P") || c.starts_with("08"))
    })
}

/// A storage error for the authentication layer, marked temporary when it is.
pub(crate) fn store_error(error: sqlx::Error) -> auth::error::BoxError {
    if is_unavailable(&error) {
        Box::new(auth::error::Unavailable(Box::new(error)))
    } else {
        Box::new(error)
    }
}

/// True when `error` is a unique-constraint violation, on either back end.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}
