//! Authentication for axum applications.
//!
//! The crate knows who the caller is and nothing about the application's
//! domain. It provides password hashing (argon2id, with Django's formats
//! accepted for migration) and policy, server-side sessions cached in memory,
//! signed and masked CSRF tokens with origin checks, simplejwt-compatible JWTs
//! whose refresh families rotate with reuse detection, API tokens with scopes,
//! a revocation set that refuses access tokens of ended logins without a
//! query, and an authenticator chain behind two extractors: [`CurrentUser`]
//! and `Option<CurrentUser>`.
//!
//! The application supplies storage by implementing [`store::UserStore`] and
//! [`store::LoginStore`], builds an [`AuthState`], and makes it reachable from
//! its router state with `FromRef`:
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//!
//! use auth::authenticator::AuthenticatorKind;
//! use auth::cookies::CookieSettings;
//! use auth::jwt::{JwtAlgorithm, JwtConfig};
//! use auth::password::{PasswordHasher, PasswordPolicy};
//! use auth::session::SessionConfig;
//! use auth::store::{LoginStore, UserStore};
//! use auth::{AuthConfig, AuthState, CurrentUser};
//! use axum::extract::FromRef;
//! use axum::{routing::get, Router};
//! use axum_extra::extract::cookie::SameSite;
//!
//! #[derive(Clone, FromRef)]
//! struct AppState {
//!     auth: AuthState,
//! }
//!
//! async fn whoami(user: CurrentUser) -> String {
//!     format!("user {}", user.id)
//! }
//!
//! async fn greeting(user: Option<CurrentUser>) -> &'static str {
//!     if user.is_some() { "welcome back" } else { "hello, stranger" }
//! }
//!
//! fn app(users: Arc<dyn UserStore>, logins: Arc<dyn LoginStore>) -> Router {
//!     let cookie = |name: &str, http_only| CookieSettings {
//!         name: name.to_owned(),
//!         secure: true,
//!         same_site: SameSite::Lax,
//!         domain: None,
//!         path: "/".to_owned(),
//!         http_only,
//!         prefixed: true,
//!     };
//!     let minutes = |m: u64| Duration::from_secs(60 * m);
//!     let config = AuthConfig {
//!         secret: b"a long random secret from your configuration".to_vec(),
//!         authenticators: vec![
//!             AuthenticatorKind::Session,
//!             AuthenticatorKind::Jwt,
//!             AuthenticatorKind::Token,
//!         ],
//!         jwt: JwtConfig {
//!             algorithm: JwtAlgorithm::Hs256,
//!             private_key_pem: None,
//!             previous_public_keys_pem: vec![],
//!             access_lifetime: minutes(5),
//!             refresh_lifetime: minutes(24 * 60),
//!             family_lifetime: minutes(14 * 24 * 60),
//!             leeway: Duration::ZERO,
//!             issuer: None,
//!             audience: None,
//!             rotate_refresh_tokens: true,
//!             reuse_grace: Duration::from_secs(5),
//!         },
//!         refresh_cookie: CookieSettings {
//!             path: "/api/auth/jwt/token/".to_owned(),
//!             same_site: SameSite::Strict,
//!             ..cookie("refresh_token", true)
//!         },
//!         access_cookie: None,
//!         session: SessionConfig {
//!             cookie: cookie("sessionid", true),
//!             idle_timeout: Duration::from_secs(24 * 3600),
//!             absolute_timeout: Duration::from_secs(14 * 24 * 3600),
//!         },
//!         csrf_cookie: cookie("csrftoken", false),
//!         trusted_origins: vec!["https://app.example.com".to_owned()],
//!         hasher: PasswordHasher::new(2),
//!         policy: PasswordPolicy::default(),
//!     };
//!     let auth = AuthState::new(config, users, logins).expect("HS256 needs no key file");
//!     let state = AppState { auth };
//!     Router::new()
//!         .route("/me", get(whoami))
//!         .route("/", get(greeting))
//!         .with_state(state)
//! }
//! ```
//!
//! Unsafe requests authenticated by session must carry a valid `X-CSRFToken`
//! header; the extractor enforces it, so handlers cannot forget.
#![warn(missing_docs)]

pub mod api_token;
pub mod authenticator;
pub mod client;
pub mod cookies;
pub mod csrf;
pub mod error;
mod extract;
pub mod identity;
pub mod jwt;
mod login_cache;
pub mod password;
pub mod rate_limit;
pub mod refresh;
pub mod revocation;
pub mod secret;
pub mod session;
mod state;
pub mod store;

pub use error::AuthError;
pub use extract::{AuthRejection, CookieFlowChecked, CsrfChecked};
pub use identity::{AuthMethod, AuthUser, CurrentUser, LoginId, Scopes, UserId};
pub use state::{AuthConfig, AuthState};
