//! What is recorded about the device behind a login.

use std::convert::Infallible;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;

/// Longest `User-Agent` kept with a login; longer ones are cut.
const MAX_USER_AGENT: usize = 256;

/// The device a request comes from, as recorded with a login.
#[derive(Debug, Clone, Default)]
pub struct ClientMeta {
    /// The `User-Agent` header, truncated.
    pub user_agent: Option<String>,
    /// The peer address of the connection.
    pub ip: Option<String>,
}

impl ClientMeta {
    /// Reads the device details from a request.
    pub fn from_parts(parts: &Parts) -> Self {
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
        // TODO: honour X-Forwarded-For from configured proxies; behind one, every login shows the proxy's address.
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        Self { user_agent, ip }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientMeta {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts))
    }
}
