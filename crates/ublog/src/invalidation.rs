//! Keeps this process's authentication caches fresh when other processes
//! revoke logins or change users, through PostgreSQL `LISTEN/NOTIFY`.
//!
//! The safe fallback: whenever the listening connection drops, the process
//! reconnects, listens again, and only then drops every cache and reloads the
//! revocations from the database, so nothing sent while it was away is missed.

use std::time::Duration;

use anyhow::Context as _;
use auth::AuthState;
use sqlx::postgres::PgListener;

use crate::db::notify::{Change, CHANNEL};

/// Delay between reconnection attempts.
const RETRY: Duration = Duration::from_secs(1);

/// Starts listening; returns once the channel is live, so that no change made
/// after start-up is missed.
///
/// # Errors
/// When the first connection cannot be made.
pub async fn start(database_url: String, auth: AuthState) -> anyhow::Result<()> {
    let listener = listen(&database_url).await?;
    tokio::spawn(run(database_url, auth, listener));
    Ok(())
}

async fn listen(database_url: &str) -> anyhow::Result<PgListener> {
    let mut listener = PgListener::connect(database_url)
        .await
        .context("connecting the notification listener")?;
    listener
        .listen(CHANNEL)
        .await
        .context("listening for authentication changes")?;
    Ok(listener)
}

async fn run(database_url: String, auth: AuthState, mut listener: PgListener) {
    loop {
        receive_until_dropped(&auth, &mut listener).await;
        tracing::warn!("notification channel lost; reconnecting");
        listener = loop {
            tokio::time::sleep(RETRY).await;
            match listen(&database_url).await {
                Ok(listener) => break listener,
                Err(error) => tracing::warn!(
                    error = format!("{error:#}"),
                    "notification channel still down"
                ),
            }
        };
        if let Err(error) = auth.resync().await {
            tracing::error!(error = %error, "caches not resynchronised");
        }
        tracing::info!("notification channel restored; caches resynchronised");
    }
}

async fn receive_until_dropped(auth: &AuthState, listener: &mut PgListener) {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => apply(auth, notification.payload()),
            Ok(None) => return,
            Err(error) => {
                tracing::warn!(error = %error, "notification channel failed");
                return;
            }
        }
    }
}

fn apply(auth: &AuthState, payload: &str) {
    match Change::decode(payload) {
        Some(Change::LoginRevoked { login, until }) => auth.apply_remote_revocation(login, until),
        Some(Change::UserChanged { user }) => auth.forget_user(user),
        None => tracing::warn!("unknown notification ignored"),
    }
}
