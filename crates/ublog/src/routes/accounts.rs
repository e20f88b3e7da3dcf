//! Accounts: registration, e-mail verification, password reset and change.

use auth::secret::{hash_token, random_token};
use auth::{AuthMethod, CurrentUser, UserId};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use axum_extra::extract::cookie::CookieJar;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use secrecy::{ExposeSecret as _, SecretString};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::db::{unix_now, TokenPurpose, UserRow};
use crate::domain::Email;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::mail::Letter;
use crate::routes::jwt_cookie;
use crate::routes::views::ProfileView;
use crate::state::AppState;

/// `POST /api/register/` body.
#[derive(Deserialize)]
pub(super) struct Registration {
    email: String,
    password: SecretString,
}

/// `POST /api/auth/password/reset/` body.
#[derive(Deserialize)]
pub(super) struct ResetRequest {
    email: String,
}

/// `POST /api/auth/password/reset/confirm/` body.
#[derive(Deserialize)]
pub(super) struct ResetConfirmation {
    uid: String,
    token: String,
    new_password: SecretString,
}

/// `POST /api/auth/password/change/` body.
#[derive(Deserialize)]
pub(super) struct PasswordChange {
    old_password: SecretString,
    new_password: SecretString,
}

const INVALID_LINK: &str = "The link is invalid, has expired or was already used.";

/// `POST /api/register/`
///
/// Answers the same whether or not the address is taken, so registration
/// cannot be used to find out who has an account; the owner of a taken
/// address gets a note by e-mail instead.
pub(super) async fn register(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<Registration>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let email = Email::parse("email", &input.email)?;
    check_policy(&state, &input.password, email.as_str())?;

    let hash = state.auth.hasher().hash(input.password).await?;
    let token = random_token();
    let expires_at = unix_now() + ttl_secs(state.settings.verification_link_ttl);
    let created = state
        .db
        .users()
        .register(email.as_str(), &hash, &hash_token(&token), expires_at)
        .await?;

    let base = state.settings.frontend_base();
    let letter = match created {
        Some(id) => {
            tracing::info!(user_id = id.0, "user registered");
            let link = format!("{base}/activate/{}/{token}", encode_uid(id));
            Letter::verify_email(&link, state.settings.verification_link_ttl / 3600)
        }
        None => {
            Letter::already_registered(&format!("{base}/login"), &format!("{base}/reset-password"))
        }
    };
    state.mailer.send_later(email.as_str().to_owned(), letter);
    let body = json!({
        "email": email.as_str(),
        "detail": "Check your e-mail for a link to activate your account.",
    });
    Ok((StatusCode::CREATED, Json(body)))
}

/// `POST /api/activate/{uid}/{token}/`: activates and logs in with the
/// cookie JWT flow, as the μblog front end expects.
pub(super) async fn activate(
    State(state): State<AppState>,
    headers: HeaderMap,
    client: auth::client::ClientMeta,
    jar: CookieJar,
    ApiPath((uid, token)): ApiPath<(String, String)>,
) -> Result<(CookieJar, Json<Value>), ApiError> {
    // The link logs in: refuse it from a foreign page (login CSRF).
    state.auth.csrf().check_origin(&headers)?;
    let user_id = decode_uid(&uid).ok_or(ApiError::InvalidLink(INVALID_LINK))?;
    if !state
        .db
        .account_tokens()
        .activate(user_id, &hash_token(&token))
        .await?
    {
        return Err(ApiError::InvalidLink(INVALID_LINK));
    }
    state.auth.forget_user(user_id);
    let user = load_user(&state, user_id).await?;
    tracing::info!(user_id = user.id.0, "account activated");

    let pair = state
        .auth
        .families()
        .start(user.id, AuthMethod::JwtCookie, client)
        .await?;
    let jar = jwt_cookie::with_tokens(&state, jar, &pair);
    let body = json!({ "access": pair.access, "user": ProfileView::from(&user) });
    Ok((jar, Json(body)))
}

/// `POST /api/auth/password/reset/`
///
/// Always 202, and the work for a known address happens after the response,
/// so neither the answer nor its timing reveals whether the address exists.
pub(super) async fn request_password_reset(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ResetRequest>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let email = Email::parse("email", &input.email)?;
    tokio::spawn(send_reset_link(state, email));
    let body = json!({ "detail": "If the address has an account, a reset link is on its way." });
    Ok((StatusCode::ACCEPTED, Json(body)))
}

async fn send_reset_link(state: AppState, email: Email) {
    let outcome: anyhow::Result<()> = async {
        let Some(user) = state.db.users().find_by_email(email.as_str()).await? else {
            return Ok(());
        };
        let token = random_token();
        let expires_at = unix_now() + ttl_secs(state.settings.reset_link_ttl);
        state
            .db
            .account_tokens()
            .create(
                user.id,
                TokenPurpose::Reset,
                &hash_token(&token),
                expires_at,
            )
            .await?;
        let link = format!(
            "{}/reset-password/{}/{token}",
            state.settings.frontend_base(),
            encode_uid(user.id)
        );
        let letter = Letter::reset_password(&link, state.settings.reset_link_ttl / 60);
        state.mailer.send(&user.email, letter).await
    }
    .await;
    if let Err(error) = outcome {
        tracing::error!(error = format!("{error:#}"), "password reset link not sent");
    }
}

/// `POST /api/auth/password/reset/confirm/`
pub(super) async fn confirm_password_reset(
    State(state): State<AppState>,
    ApiJson(input): ApiJson<ResetConfirmation>,
) -> Result<Json<Value>, ApiError> {
    let user_id = decode_uid(&input.uid).ok_or(ApiError::InvalidLink(INVALID_LINK))?;
    let token_hash = hash_token(&input.token);
    let live = state
        .db
        .account_tokens()
        .is_live(user_id, TokenPurpose::Reset, &token_hash)
        .await?;
    if !live {
        return Err(ApiError::InvalidLink(INVALID_LINK));
    }
    let user = load_user(&state, user_id).await?;
    check_policy_field(&state, "new_password", &input.new_password, &user)?;

    let hash = state.auth.hasher().hash(input.new_password).await?;
    let until = state.auth.revocation_until();
    let revoked = state
        .db
        .account_tokens()
        .reset_password(user_id, &token_hash, &hash, until)
        .await?
        .ok_or(ApiError::InvalidLink(INVALID_LINK))?;
    state.auth.note_revoked(user_id, &revoked, until);
    tracing::info!(user_id = user_id.0, "password reset; every login revoked");
    Ok(Json(
        json!({ "detail": "Your password has been reset. Log in with the new one." }),
    ))
}

/// `POST /api/auth/password/change/`
pub(super) async fn change_password(
    State(state): State<AppState>,
    current: CurrentUser,
    ApiJson(input): ApiJson<PasswordChange>,
) -> Result<Json<Value>, ApiError> {
    let user = load_user(&state, current.id).await?;
    let verification = state
        .auth
        .hasher()
        .verify(input.old_password, Some(user.password.clone()))
        .await?;
    if verification == auth::password::Verification::Invalid {
        return Err(ApiError::field(
            "old_password",
            "The current password is not correct.",
        ));
    }
    check_policy_field(&state, "new_password", &input.new_password, &user)?;

    let hash = state.auth.hasher().hash(input.new_password).await?;
    let until = state.auth.revocation_until();
    let revoked = state
        .db
        .users()
        .set_password_revoking_logins(user.id, &hash, Some(current.login), until)
        .await?;
    state.auth.note_revoked(user.id, &revoked, until);
    tracing::info!(
        user_id = user.id.0,
        "password changed; other logins revoked"
    );
    Ok(Json(json!({ "detail": "Your password has been changed." })))
}

fn check_policy(state: &AppState, password: &SecretString, email: &str) -> Result<(), ApiError> {
    state
        .auth
        .policy()
        .check(password.expose_secret(), &[email])
        .map_err(|problems| field_errors("password", problems))
}

fn check_policy_field(
    state: &AppState,
    field: &str,
    password: &SecretString,
    user: &UserRow,
) -> Result<(), ApiError> {
    let attributes = [user.email.as_str(), &user.first_name, &user.last_name];
    state
        .auth
        .policy()
        .check(password.expose_secret(), &attributes)
        .map_err(|problems| field_errors(field, problems))
}

fn field_errors(field: &str, problems: Vec<String>) -> ApiError {
    let mut errors = crate::error::FieldErrors::new();
    errors.insert(field.to_owned(), problems);
    ApiError::Invalid(errors)
}

async fn load_user(state: &AppState, id: UserId) -> Result<UserRow, ApiError> {
    state.db.users().find(id).await?.ok_or(ApiError::NotFound)
}

/// Django's `urlsafe_base64_encode(force_bytes(pk))`, so old links keep their shape.
fn encode_uid(id: UserId) -> String {
    URL_SAFE_NO_PAD.encode(id.0.to_string())
}

fn decode_uid(uid: &str) -> Option<UserId> {
    let bytes = URL_SAFE_NO_PAD.decode(uid.trim_end_matches('=')).ok()?;
    std::str::from_utf8(&bytes).ok()?.parse().ok().map(UserId)
}

fn ttl_secs(ttl: u64) -> i64 {
    i64::try_from(ttl).unwrap_or(i64::MAX / 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uids_round_trip_like_django() {
        assert_eq!(encode_uid(UserId(1)), "MQ");
        assert_eq!(decode_uid("MQ"), Some(UserId(1)));
        assert_eq!(decode_uid("MTIz"), Some(UserId(123)));
        assert_eq!(decode_uid("not base64!"), None);
        assert_eq!(decode_uid("YWJj"), None);
    }
}
