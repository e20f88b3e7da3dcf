//! API tokens: DRF's `/api-token-auth/` and personal tokens.

use std::time::Duration;

use auth::api_token::NewApiToken;
use auth::{AuthMethod, CurrentUser, LoginId, Scopes};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use secrecy::SecretString;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::credentials::check_credentials;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::views::{expiry, rfc3339};
use crate::state::AppState;

/// Longest lifetime a personal token may ask for: ten years.
const MAX_EXPIRES_IN: u64 = 10 * 365 * 24 * 3600;

/// `POST /api-token-auth/` body, DRF's field names.
#[derive(Deserialize)]
pub(super) struct DrfCredentials {
    username: String,
    password: SecretString,
}

/// `POST /api/auth/tokens/` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewToken {
    name: String,
    expires_in: Option<u64>,
    scopes: Option<Vec<String>>,
}

/// A token as listed; never with its key.
#[derive(Serialize)]
pub(super) struct TokenView {
    id: i64,
    name: Option<String>,
    scopes: Vec<&'static str>,
    created: String,
    /// `None` until the token is first used.
    last_used: Option<String>,
    /// `None` for a token that lasts until revoked.
    expires: Option<String>,
}

/// `POST /api-token-auth/`
pub(super) async fn obtain_drf_token(
    State(state): State<AppState>,
    client: auth::client::ClientMeta,
    ApiJson(input): ApiJson<DrfCredentials>,
) -> Result<Json<Value>, ApiError> {
    // DRF reports bad credentials as a validation error, and its clients expect that.
    let user = check_credentials(&state, &input.username, input.password, &client)
        .await
        .map_err(|e| match e {
            ApiError::Auth(ref rejection)
                if matches!(rejection.error, auth::AuthError::InvalidCredentials) =>
            {
                ApiError::field(
                    "non_field_errors",
                    "Unable to log in with the credentials given.",
                )
            }
            other => other,
        })?;

    let key = state.auth.tokens().drf_token(user.id, client).await?;
    tracing::info!(user_id = user.id.0, method = "drf_token", "login succeeded");
    Ok(Json(json!({ "token": key })))
}

/// `POST /api/auth/tokens/`
pub(super) async fn create_api_token(
    State(state): State<AppState>,
    user: CurrentUser,
    client: auth::client::ClientMeta,
    ApiJson(input): ApiJson<NewToken>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let token = validate(&input)?;

    let name = token.name.clone();
    let scopes = token.scopes;
    let (id, key) = state.auth.tokens().create(user.id, token, client).await?;
    tracing::info!(user_id = user.id.0, login_id = id.0, "api token created");
    let body = json!({ "id": id.0, "name": name, "key": key, "scopes": scope_list(scopes) });
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /api/auth/tokens/`
pub(super) async fn list_api_tokens(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<TokenView>>, ApiError> {
    let methods = [AuthMethod::ApiToken.as_str(), AuthMethod::DrfToken.as_str()];
    let tokens = state.db.list_logins(user.id, &methods).await?;
    let views = tokens
        .into_iter()
        .map(|t| TokenView {
            id: t.id.0,
            name: t.name,
            scopes: scope_list(Scopes::parse(&t.scopes)),
            created: rfc3339(t.created_at),
            last_used: (t.last_used_at > t.created_at).then(|| rfc3339(t.last_used_at)),
            expires: expiry(t.created_at, t.expires_at),
        })
        .collect();
    Ok(Json(views))
}

/// `DELETE /api/auth/tokens/{id}/`
pub(super) async fn revoke_api_token(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let methods = [AuthMethod::ApiToken.as_str(), AuthMethod::DrfToken.as_str()];
    let owned = state.db.list_logins(user.id, &methods).await?;
    if !owned.iter().any(|t| t.id.0 == id) {
        return Err(ApiError::NotFound);
    }
    state.auth.revoke_login(LoginId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn validate(input: &NewToken) -> Result<NewApiToken, ApiError> {
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ApiError::field(
            "name",
            "Give the token a name of 1 to 100 characters.",
        ));
    }
    let expires_in = match input.expires_in {
        Some(0) => {
            return Err(ApiError::field(
                "expires_in",
                "Use a positive number of seconds.",
            ))
        }
        Some(secs) if secs > MAX_EXPIRES_IN => {
            return Err(ApiError::field("expires_in", "Use at most ten years."))
        }
        other => other.map(Duration::from_secs),
    };
    let scopes = match input.scopes.as_deref() {
        None => Scopes::ReadWrite,
        Some(list) if list.iter().all(|s| s == "read") && !list.is_empty() => Scopes::ReadOnly,
        Some(list)
            if list.iter().all(|s| s == "read" || s == "write")
                && list.iter().any(|s| s == "write") =>
        {
            Scopes::ReadWrite
        }
        Some(_) => {
            return Err(ApiError::field(
                "scopes",
                "Scopes are \"read\" and \"write\".",
            ))
        }
    };
    Ok(NewApiToken {
        name,
        scopes,
        expires_in,
    })
}

fn scope_list(scopes: Scopes) -> Vec<&'static str> {
    match scopes {
        Scopes::ReadOnly => vec!["read"],
        Scopes::ReadWrite => vec!["read", "write"],
    }
}
