//! The μblog front end's flow: the access token in memory, the refresh token
//! in an HttpOnly cookie scoped to these endpoints.

use auth::refresh::TokenPair;
use auth::{AuthError, AuthMethod, CookieFlowChecked};
use axum::extract::State;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use serde_json::{json, Value};

use crate::credentials::check_credentials;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::routes::token_pair::TokenObtain;
use crate::state::AppState;

/// `POST /api/auth/jwt/token/`
pub(super) async fn obtain_cookie_token(
    State(state): State<AppState>,
    _checked: CookieFlowChecked,
    client: auth::client::ClientMeta,
    jar: CookieJar,
    ApiJson(input): ApiJson<TokenObtain>,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    let user = check_credentials(&state, &input.email, input.password, &client).await?;

    let pair = state
        .auth
        .families()
        .start(user.id, AuthMethod::JwtCookie, client)
        .await?;
    tracing::info!(
        user_id = user.id.0,
        method = "jwt_cookie",
        "login succeeded"
    );
    let jar = with_tokens(&state, jar, &pair);
    Ok((jar, Json(json!({ "access": pair.access }))))
}

/// `POST /api/auth/jwt/token/refresh/`: without a valid cookie, a 401 and
/// nothing else.
pub(super) async fn refresh_cookie_token(
    State(state): State<AppState>,
    _checked: CookieFlowChecked,
    jar: CookieJar,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    let name = state.auth.refresh_cookie().wire_name();
    let token = jar
        .get(&name)
        .map(|c| c.value().to_owned())
        .filter(|v| !v.is_empty())
        .ok_or(AuthError::TokenInvalid)?;

    let pair = state.auth.refresh_pair(&token).await?;
    let jar = with_tokens(&state, jar, &pair);
    Ok((jar, Json(json!({ "access": pair.access }))))
}

/// `POST /api/auth/jwt/token/logout/`
pub(super) async fn logout_cookie_token(
    State(state): State<AppState>,
    _checked: CookieFlowChecked,
    jar: CookieJar,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    let name = state.auth.refresh_cookie().wire_name();
    if let Some(cookie) = jar.get(&name) {
        match state.auth.families().revoke(cookie.value()).await {
            Ok(()) => tracing::info!(method = "jwt_cookie", "logout"),
            // A bad cookie ends nothing, but it is still removed below.
            Err(AuthError::TokenInvalid) => {}
            Err(other) => return Err(other.into()),
        }
    }
    let mut jar = jar.add(state.auth.refresh_cookie().removal());
    if let Some(access) = state.auth.access_cookie() {
        jar = jar.add(access.removal());
    }
    Ok((jar, Json(json!({ "message": "Logged out." }))))
}

/// The rotated refresh cookie, and the access cookie when enabled.
pub(super) fn with_tokens(state: &AppState, mut jar: CookieJar, pair: &TokenPair) -> CookieJar {
    if let Some(refresh) = &pair.refresh {
        jar = jar.add(refresh_cookie(state, refresh.clone()));
    }
    if let Some(access) = state.auth.access_cookie() {
        let lifetime = i64::try_from(state.settings.access_token_lifetime).unwrap_or(300);
        jar = jar.add(access.build(pair.access.clone(), time::Duration::seconds(lifetime)));
    }
    jar
}

fn refresh_cookie(
    state: &AppState,
    refresh: String,
) -> axum_extra::extract::cookie::Cookie<'static> {
    let lifetime = state
        .settings
        .refresh_token_lifetime
        .min(state.settings.refresh_family_lifetime);
    let max_age = time::Duration::seconds(i64::try_from(lifetime).unwrap_or(i64::MAX / 2));
    state.auth.refresh_cookie().build(refresh, max_age)
}
