//! Extractors whose rejections are `ApiError`, so a bad body, path or query
//! is always a documented 4xx.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::FromRequest;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;

use crate::error::ApiError;

/// `Json<T>` with API errors.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);

/// `Path<T>` with API errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub struct ApiPath<T>(pub T);

/// `Query<T>` with API errors.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub struct ApiQuery<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::UnsupportedMediaType,
            _ => {
                let text = rejection.body_text();
                // serde names a missing field; report it the way DRF does.
                if let Some(field) = missing_field(&text) {
                    return Self::field(field, "This field is required.");
                }
                Self::Malformed(format!("Invalid JSON body: {}", without_prefix(&text)))
            }
        }
    }
}

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        // An id that is not a number names no object.
        Self::NotFound
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        Self::Malformed(format!(
            "Invalid query string: {}",
            without_prefix(&rejection.body_text())
        ))
    }
}

fn missing_field(text: &str) -> Option<&str> {
    let start = text.find("missing field `")? + "missing field `".len();
    let rest = &text[start..];
    rest.find('`').map(|end| &rest[..end])
}

/// axum prefixes its messages with the rejection kind; keep serde's part.
fn without_prefix(text: &str) -> &str {
    text.rsplit_once(": ").map_or(text, |(_, tail)| tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_field_is_found_in_serde_messages() {
        let text = "Failed to deserialize the JSON body into the target type: missing field `email` at line 1 column 2";

        assert_eq!(missing_field(text), Some("email"));
        assert_eq!(missing_field("expected value at line 1"), None);
    }
}

/// The absolute base URL of the request (`scheme://host`), for links in
/// responses such as pagination and image URLs, as DRF builds them.
#[derive(Debug, Clone)]
pub struct RequestBase(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        // TODO: trust X-Forwarded-Proto only from configured proxies; any client can set it today.
        let scheme = header("x-forwarded-proto")
            .filter(|s| s == "https" || s == "http")
            .unwrap_or_else(|| "http".to_owned());
        let host = header("host")
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or_else(|| "localhost".to_owned());
        Ok(Self(format!("{scheme}://{host}")))
    }
}
