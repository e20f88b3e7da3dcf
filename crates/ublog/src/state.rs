//! `AppState` and the sub-states handlers and extractors ask for.

use std::sync::Arc;

use auth::rate_limit::LoginThrottle;
use auth::AuthState;
use axum::extract::FromRef;

use crate::db::Db;
use crate::mail::Mailer;
use crate::settings::Settings;

/// Everything a handler may need; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// Authentication: sessions, CSRF, passwords, the authenticator chain.
    pub auth: AuthState,
    /// Failed-login counters.
    pub throttle: LoginThrottle,
    /// Outgoing e-mail.
    pub mailer: Mailer,
    /// The settings the app was built with.
    pub settings: Arc<Settings>,
}
