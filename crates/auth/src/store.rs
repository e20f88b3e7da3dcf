//! The storage the authentication layer needs, implemented by the application.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::BoxError;
use crate::identity::{AuthMethod, AuthUser, LoginId, UserId};

/// A login about to be recorded.
#[derive(Debug, Clone)]
pub struct NewLogin {
    /// Whose login it is.
    pub user: UserId,
    /// How it was established.
    pub method: AuthMethod,
    /// Hash of the bearer secret that proves the login (see [`crate::secret::hash_token`]).
    pub secret_hash: String,
    /// When it started.
    pub created_at: OffsetDateTime,
    /// When it ends whatever its use.
    pub expires_at: OffsetDateTime,
    /// The client's `User-Agent`, truncated.
    pub user_agent: Option<String>,
    /// The client's IP address.
    pub ip: Option<String>,
}

/// A recorded login.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// Its id.
    pub id: LoginId,
    /// Whose login it is.
    pub user: UserId,
    /// How it was established.
    pub method: AuthMethod,
    /// When it started.
    pub created_at: OffsetDateTime,
    /// When it was last used, written at most every few minutes.
    pub last_used_at: OffsetDateTime,
    /// When it ends whatever its use.
    pub expires_at: OffsetDateTime,
}

/// Persistence of logins (sessions and, later, token families).
#[async_trait]
pub trait LoginStore: Send + Sync + 'static {
    /// Records a new login and returns its id.
    async fn create_login(&self, login: NewLogin) -> Result<LoginId, BoxError>;

    /// Finds a login by the hash of its secret.
    async fn find_login_by_secret(
        &self,
        secret_hash: &str,
    ) -> Result<Option<LoginRecord>, BoxError>;

    /// Records that a login was used at `at`.
    async fn touch_login(&self, id: LoginId, at: OffsetDateTime) -> Result<(), BoxError>;

    /// Deletes one login.
    async fn delete_login(&self, id: LoginId) -> Result<(), BoxError>;
}

/// Read access to users for the authentication layer.
#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// Loads the authentication view of a user, `None` when it does not exist.
    async fn find_auth_user(&self, id: UserId) -> Result<Option<AuthUser>, BoxError>;
}
