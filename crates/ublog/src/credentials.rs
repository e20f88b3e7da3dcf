//! Checking an e-mail and password, shared by every login endpoint.

use secrecy::SecretString;

use auth::client::ClientMeta;
use auth::password::Verification;
use auth::AuthError;

use crate::db::UserRow;
use crate::error::ApiError;
use crate::state::AppState;

/// The active user with this e-mail and password.
///
/// Unknown e-mail, wrong password and inactive account give the same error
/// after the same work, so a caller learns nothing about which it was. A hash
/// in an old format is upgraded on success. Failures count against the
/// account and the client address, across processes.
///
/// # Errors
/// [`AuthError::InvalidCredentials`], [`AuthError::Throttled`], or a storage failure.
pub async fn check_credentials(
    state: &AppState,
    email: &str,
    password: SecretString,
    client: &ClientMeta,
) -> Result<UserRow, ApiError> {
    let ip = client.ip.as_deref();
    state.throttle.check(email, ip).await?;
    let user = state.db.users().find_by_email(email.trim()).await?;
    let stored = user.as_ref().map(|u| u.password.clone());
    let verification = state.auth.hasher().verify(password.clone(), stored).await?;

    let (user, needs_rehash) = match (user, verification) {
        (Some(user), Verification::Valid { needs_rehash }) if user.is_active => {
            (user, needs_rehash)
        }
        (user, _) => {
            tracing::info!(user_id = user.map(|u| u.id.0), "login failed");
            state.throttle.failed(email, ip).await?;
            return Err(AuthError::InvalidCredentials.into());
        }
    };
    state.throttle.succeeded(email).await?;
    let upgraded = if needs_rehash {
        Some(state.auth.hasher().hash(password).await?)
    } else {
        None
    };
    state
        .db
        .users()
        .record_login(user.id, upgraded.as_deref())
        .await?;
    tracing::Span::current().record("user_id", user.id.0);
    Ok(user)
}
