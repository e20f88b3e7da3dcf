//! Health and version.

use axum::Json;
use serde_json::{json, Value};

/// `GET /api/health-check/`
pub(super) async fn health_check() -> Json<Value> {
    Json(json!({ "message": "OK" }))
}

/// `GET /api/version/`
pub(super) async fn version() -> Json<Value> {
    Json(json!({ "name": "ublog", "version": env!("CARGO_PKG_VERSION") }))
}
