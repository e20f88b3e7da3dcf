//! The browser client: `index.html` for every page path, 404 JSON under `/api/`.

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::{Html, IntoResponse, Response};
use std::sync::Arc;

use crate::error::ApiError;
use crate::settings::Settings;

/// Fallback: the client's pages are routed in the browser, so any other GET
/// outside the API gets the one HTML page.
pub(super) async fn index_or_not_found(
    State(settings): State<Arc<Settings>>,
    method: Method,
    uri: Uri,
) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" || method != Method::GET {
        return ApiError::NotFound.into_response();
    }
    match tokio::fs::read_to_string(settings.web_dir.join("index.html")).await {
        Ok(page) => Html(page).into_response(),
        Err(_) => ApiError::NotFound.into_response(),
    }
}
