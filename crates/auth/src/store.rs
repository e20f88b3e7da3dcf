//! The storage the authentication layer needs, implemented by the application.

use async_trait::async_trait;
use time::OffsetDateTime;

use crate::error::BoxError;
use crate::identity::{AuthMethod, AuthUser, LoginId, Scopes, UserId};

/// A login about to be recorded.
#[derive(Debug, Clone)]
pub struct NewLogin {
    /// Whose login it is.
    pub user: UserId,
    /// How it was established.
    pub method: AuthMethod,
    /// Hash of the bearer secret that proves the login (see [`crate::secret::hash_token`]).
    /// Token families store the hash of a random value nobody holds.
    pub secret_hash: String,
    /// When it started.
    pub created_at: OffsetDateTime,
    /// When it ends whatever its use.
    pub expires_at: OffsetDateTime,
    /// The client's `User-Agent`, truncated.
    pub user_agent: Option<String>,
    /// The client's IP address.
    pub ip: Option<String>,
    /// A label chosen by the user (API tokens).
    pub name: Option<String>,
    /// What the login may do.
    pub scopes: Scopes,
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
    /// The current refresh generation of a token family.
    pub generation: i64,
    /// When the family last rotated (its creation before the first rotation).
    pub rotated_at: OffsetDateTime,
    /// What the login may do.
    pub scopes: Scopes,
}

/// Persistence of logins: sessions, token families and API tokens.
#[async_trait]
pub trait LoginStore: Send + Sync + 'static {
    /// Records a new login and returns its id.
    async fn create_login(&self, login: NewLogin) -> Result<LoginId, BoxError>;

    /// Replaces the secret hash of a login (for keys derived from its id).
    async fn set_login_secret(&self, id: LoginId, secret_hash: &str) -> Result<(), BoxError>;

    /// Finds a login by the hash of its secret.
    async fn find_login_by_secret(
        &self,
        secret_hash: &str,
    ) -> Result<Option<LoginRecord>, BoxError>;

    /// Finds a login by id.
    async fn find_login(&self, id: LoginId) -> Result<Option<LoginRecord>, BoxError>;

    /// The user's login of `method`, if any (the single DRF token).
    async fn find_user_login(
        &self,
        user: UserId,
        method: AuthMethod,
    ) -> Result<Option<LoginRecord>, BoxError>;

    /// Records that a login was used at `at`.
    async fn touch_login(&self, id: LoginId, at: OffsetDateTime) -> Result<(), BoxError>;

    /// Moves a token family from `generation` to the next, atomically, if it is
    /// still live and at that generation. Returns the updated login, or `None`
    /// when another request rotated it first or it no longer exists.
    async fn rotate_family(
        &self,
        id: LoginId,
        generation: i64,
        now: OffsetDateTime,
    ) -> Result<Option<LoginRecord>, BoxError>;

    /// Deletes a login and records its revocation until `until`, atomically.
    /// Returns its owner, or `None` when it did not exist.
    async fn revoke_login(
        &self,
        id: LoginId,
        until: OffsetDateTime,
    ) -> Result<Option<UserId>, BoxError>;

    /// Deletes every login of `user` except `keep` and records their
    /// revocations until `until`, atomically. Returns the revoked ids.
    async fn revoke_user_logins(
        &self,
        user: UserId,
        keep: Option<LoginId>,
        until: OffsetDateTime,
    ) -> Result<Vec<LoginId>, BoxError>;

    /// Revocations still in force at `now`, with their end.
    async fn live_revocations(
        &self,
        now: OffsetDateTime,
    ) -> Result<Vec<(LoginId, OffsetDateTime)>, BoxError>;
}

/// Read access to users for the authentication layer.
#[async_trait]
pub trait UserStore: Send + Sync + 'static {
    /// Loads the authentication view of a user, `None` when it does not exist.
    async fn find_auth_user(&self, id: UserId) -> Result<Option<AuthUser>, BoxError>;
}
