//! The browser client: `index.html` for every page path, 404 JSON under
//! `/api/`; also the client alone, for a front end on another origin.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{Method, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::Router;
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::settings::Settings;

/// What the served page is told about its deployment.
#[derive(Clone)]
pub(crate) struct PageConfig {
    web_dir: std::path::PathBuf,
    auth_mode: String,
    api_base: String,
}

impl PageConfig {
    pub(crate) fn new(settings: &Settings, api_base: &str) -> Self {
        Self {
            web_dir: settings.web_dir.clone(),
            auth_mode: settings.web_auth_mode.clone(),
            api_base: api_base.to_owned(),
        }
    }
}

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
    index(&PageConfig::new(&settings, "")).await
}

/// The client alone, calling the API at `api_base`.
pub(crate) fn site(config: PageConfig) -> Router {
    let assets = ServeDir::new(config.web_dir.join("app"));
    Router::new()
        .nest_service("/app", assets)
        .fallback(move || {
            let config = config.clone();
            async move { index(&config).await }
        })
}

async fn index(config: &PageConfig) -> Response {
    let Ok(page) = tokio::fs::read_to_string(config.web_dir.join("index.html")).await else {
        return ApiError::NotFound.into_response();
    };
    // Both values come from settings, never from the request.
    let page = set_meta(&page, "ublog-auth-mode", &config.auth_mode);
    let page = set_meta(&page, "ublog-api-base", &config.api_base);
    Html(page).into_response()
}

/// Replaces the `content` of `<meta name="NAME" content="…">`.
fn set_meta(page: &str, name: &str, value: &str) -> String {
    let marker = format!("<meta name=\"{name}\" content=\"");
    let Some(start) = page.find(&marker).map(|i| i + marker.len()) else {
        return page.to_owned();
    };
    let Some(len) = page[start..].find('"') else {
        return page.to_owned();
    };
    let escaped = value
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    format!("{}{escaped}{}", &page[..start], &page[start + len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_content_is_replaced_and_escaped() {
        let page = r#"<meta name="ublog-api-base" content=""><p>"#;

        let set = set_meta(page, "ublog-api-base", "http://a\"b");

        assert_eq!(
            set,
            r#"<meta name="ublog-api-base" content="http://a&quot;b"><p>"#
        );
        assert_eq!(set_meta(page, "missing", "x"), page);
    }
}
