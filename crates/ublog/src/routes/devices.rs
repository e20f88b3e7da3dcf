//! Sessions and devices: every live login of the caller, whatever its method.

use auth::{CurrentUser, LoginId};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use serde::Serialize;
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::routes::views::{expiry, rfc3339};
use crate::state::AppState;

/// One login as its owner sees it.
#[derive(Serialize)]
pub(super) struct DeviceView {
    id: i64,
    method: String,
    name: Option<String>,
    created: String,
    last_used: String,
    /// `None` for a token that lasts until revoked.
    expires: Option<String>,
    user_agent: Option<String>,
    ip: Option<String>,
    current: bool,
}

/// `GET /api/auth/sessions/`
pub(super) async fn list_sessions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<DeviceView>>, ApiError> {
    let logins = state.db.list_logins(user.id, &[]).await?;
    let views = logins
        .into_iter()
        .map(|l| DeviceView {
            current: l.id == user.login,
            id: l.id.0,
            method: l.method,
            name: l.name,
            created: rfc3339(l.created_at),
            last_used: rfc3339(l.last_used_at),
            expires: expiry(l.created_at, l.expires_at),
            user_agent: l.user_agent,
            ip: l.ip,
        })
        .collect();
    Ok(Json(views))
}

/// `DELETE /api/auth/sessions/{id}/`
pub(super) async fn revoke_session(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let login = LoginId(id);
    if state.db.login_owner(login).await? != Some(user.id) {
        return Err(ApiError::NotFound);
    }
    state.auth.revoke_login(login).await?;
    tracing::info!(user_id = user.id.0, login_id = id, "login revoked");
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/auth/logout-all/`
pub(super) async fn logout_all(
    State(state): State<AppState>,
    user: CurrentUser,
    jar: CookieJar,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    let revoked = state.auth.revoke_user_logins(user.id, None).await?;
    tracing::info!(
        user_id = user.id.0,
        count = revoked.len(),
        "logout everywhere"
    );

    let jar = jar
        .add(state.auth.sessions().cookie_settings().removal())
        .add(state.auth.refresh_cookie().removal());
    Ok((
        jar,
        Json(json!({ "detail": "Every login has ended.", "revoked": revoked.len() })),
    ))
}
