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
}

impl AuthMethod {
    /// The name stored in the database and shown in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Session => "session",
        }
    }

    /// Parses a stored name.
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "session" => Some(Self::Session),
            _ => None,
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
}
