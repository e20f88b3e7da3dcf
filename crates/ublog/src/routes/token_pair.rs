//! JWT pairs, compatible with djangorestframework-simplejwt clients.

use auth::AuthMethod;
use axum::extract::State;
use axum::Json;
use secrecy::SecretString;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::credentials::check_credentials;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;

/// `POST /api/token/` body.
#[derive(Deserialize)]
pub(super) struct TokenObtain {
    pub(super) email: String,
    pub(super) password: SecretString,
}

/// `POST /api/token/refresh/` and `/api/token/blacklist/` body.
#[derive(Deserialize)]
pub(super) struct RefreshInput {
    refresh: String,
}

/// `POST /api/token/verify/` body.
#[derive(Deserialize)]
pub(super) struct VerifyInput {
    token: String,
}

/// `POST /api/token/`
pub(super) async fn obtain_token_pair(
    State(state): State<AppState>,
    client: auth::client::ClientMeta,
    ApiJson(input): ApiJson<TokenObtain>,
) -> Result<Json<Value>, ApiError> {
    let user = check_credentials(&state, &input.email, input.password, &client).await?;

    let pair = state
        .auth
        .families()
        .start(user.id, AuthMethod::Jwt, client)
        .await?;
    tracing::info!(user_id = user.id.0, method = "jwt", "login succeeded");
    Ok(Json(
        json!({ "access": pair.access, "refresh": pair.refresh }),
    ))
}

/// `POST /api/token/refresh/`
pub(super) async fn refresh_token_pair(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<RefreshInput>,
) -> Result<Json<Value>, ApiError> {
    let pair = state.auth.refresh_pair(&input.refresh).await?;

    // simplejwt leaves `refresh` out when rotation is off.
    Ok(Json(match pair.refresh {
        Some(refresh) => json!({ "access": pair.access, "refresh": refresh }),
        None => json!({ "access": pair.access }),
    }))
}

/// `POST /api/token/verify/`
pub(super) async fn verify_token(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> Result<Json<Value>, ApiError> {
    state.auth.families().verify(&input.token).await?;

    // simplejwt answers an empty object; clients check the status only.
    Ok(Json(json!({})))
}

/// `POST /api/token/blacklist/`
pub(super) async fn blacklist_refresh(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<RefreshInput>,
) -> Result<Json<Value>, ApiError> {
    state.auth.families().revoke(&input.refresh).await?;

    tracing::info!(method = "jwt", "logout");
    Ok(Json(json!({})))
}

/// `GET /api/auth/jwks.json`
pub(super) async fn jwks(State(state): State<AppState>) -> Json<Value> {
    Json(state.auth.families().jwt().jwks().clone())
}
