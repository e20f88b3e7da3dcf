//! Session authentication: CSRF token, login and logout.

use auth::csrf::CsrfBinding;
use auth::{AuthMethod, CsrfChecked, CurrentUser};
use axum::extract::State;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::credentials::check_credentials;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::views::ProfileView;
use crate::state::AppState;

/// Body of a login with e-mail and password.
#[derive(Deserialize)]
pub(super) struct Credentials {
    email: String,
    password: SecretString,
}

/// `GET /api/auth/csrf/`
pub(super) async fn issue_csrf_token(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
) -> (CookieJar, Json<Value>) {
    let binding = match user {
        Some(user) if user.method == AuthMethod::Session => CsrfBinding::Login(user.login),
        _ => CsrfBinding::Anonymous,
    };
    let token = state.auth.csrf().issue(binding);
    let jar = jar.add(state.auth.csrf().cookie(token.clone()));
    (jar, Json(json!({ "csrfToken": token })))
}

/// `POST /api/auth/session/login/`
pub(super) async fn login_session(
    State(state): State<AppState>,
    _csrf: CsrfChecked,
    previous: Option<CurrentUser>,
    client: auth::client::ClientMeta,
    jar: CookieJar,
    ApiJson(input): ApiJson<Credentials>,
) -> Result<(CookieJar, Json<ProfileView>), ApiError> {
    let user = check_credentials(&state, &input.email, input.password, &client).await?;

    // A new key at every login, and the old session ended: no fixation.
    if let Some(previous) = previous.filter(|p| p.method == AuthMethod::Session) {
        state.auth.revoke_login(previous.login).await?;
    }
    let session = state.auth.sessions().start(user.id, client).await?;
    let token = state.auth.csrf().issue(CsrfBinding::Login(session.login));
    tracing::info!(user_id = user.id.0, method = "session", "login succeeded");

    let jar = jar.add(session.cookie).add(state.auth.csrf().cookie(token));
    Ok((jar, Json(ProfileView::from(&user))))
}

/// `POST /api/auth/session/logout/`
pub(super) async fn logout_session(
    State(state): State<AppState>,
    user: Option<CurrentUser>,
    jar: CookieJar,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    if let Some(user) = user.filter(|u| u.method == AuthMethod::Session) {
        state.auth.revoke_login(user.login).await?;
        tracing::info!(user_id = user.id.0, method = "session", "logout");
    }
    let anonymous = state.auth.csrf().issue(CsrfBinding::Anonymous);
    let jar = jar
        .add(state.auth.sessions().cookie_settings().removal())
        .add(state.auth.csrf().cookie(anonymous));
    Ok((jar, Json(json!({ "detail": "Logged out." }))))
}
