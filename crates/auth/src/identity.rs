//! Who the caller is: user and login identifiers and the authenticated caller.

use serde::Serialize;

/// The primary key of a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The primary key of a login: one sign-in on one device, whatever its method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct LoginId(pub i64);

impl std::fmt::Display for LoginId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// How a login was established; stored with the login and shown to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthMethod {
    /// A server-side session behind the `sessionid` cookie.
    Session,
    /// A JWT pair returned as JSON (simplejwt's flow).
    Jwt,
    /// A JWT family whose refresh token lives in an HttpOnly cookie.
    JwtCookie,
    /// A personal API token with a name, scopes and optional expiry.
    ApiToken,
    /// The one token per user of Django REST framework's `/api-token-auth/`.
    DrfToken,
}

impl AuthMethod {
    /// The name stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
            Self::Jwt => "jwt",
            Self::JwtCookie => "jwt_cookie",
            Self::ApiToken => "api_token",
            Self::DrfToken => "drf_token",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Session,
            Self::Jwt,
            Self::JwtCookie,
            Self::ApiToken,
            Self::DrfToken,
        ]
        .into_iter()
        .find(|m| m.as_str() == name)
    }
}

/// What a login may do: read only, or read and write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scopes {
    /// Safe methods only (GET, HEAD, OPTIONS); anything else is 403.
    ReadOnly,
    /// Everything the user may do.
    ReadWrite,
}

impl Scopes {
    /// The stored form: `"read"` or `"read write"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ReadOnly => "read",
            Self::ReadWrite => "read write",
        }
    }

    /// Parses the stored form; anything unknown is read-only, the safe side.
    pub fn parse(stored: &str) -> Self {
        if stored.split_whitespace().any(|s| s == "write") {
            Self::ReadWrite
        } else {
            Self::ReadOnly
        }
    }
}

/// What the authentication layer needs to know about a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthUser {
    /// The user's id.
    pub id: UserId,
    /// Inactive users cannot authenticate by any method.
    pub is_active: bool,
    /// Staff users may use administrative endpoints.
    pub is_staff: bool,
}

/// The authenticated caller of a request.
///
/// Use it as an axum extractor: required as `CurrentUser`, optional as
/// `Option<CurrentUser>`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// The user's id.
    pub id: UserId,
    /// Whether the user is staff.
    pub is_staff: bool,
    /// The login the request was made under.
    pub login: LoginId,
    /// How that login was established.
    pub method: AuthMethod,
    /// What the login may do.
    pub scopes: Scopes,
}
