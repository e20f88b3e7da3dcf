use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{error_code, spawn_app, spawn_app_with};

#[tokio::test]
async fn malformed_input_gets_a_documented_4xx() {
    let app = spawn_app_with(|s| s.max_body_bytes = 1024).await;
    app.logged_in_user().await;
    let raw = |content_type: &'static str, body: String| {
        app.client
            .patch(app.url("/api/update-user/"))
            .header("X-CSRFToken", app.csrf_cookie())
            .header("content-type", content_type)
            .body(body)
            .send()
    };

    let broken = raw("application/json", "{\"body\": ".to_owned())
        .await
        .unwrap();
    let wrong_type = raw("text/plain", "{}".to_owned()).await.unwrap();
    let oversized = raw(
        "application/json",
        format!("{{\"first_name\": \"{}\"}}", "x".repeat(4096)),
    )
    .await
    .unwrap();
    let not_an_object = raw("application/json", "[1, 2]".to_owned()).await.unwrap();
    let wrong_field_type = raw("application/json", "{\"first_name\": 5}".to_owned())
        .await
        .unwrap();

    assert_eq!(
        error_code(broken, StatusCode::BAD_REQUEST).await,
        "parse_error"
    );
    assert_eq!(
        error_code(wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE).await,
        "unsupported_media_type"
    );
    assert_eq!(
        error_code(oversized, StatusCode::PAYLOAD_TOO_LARGE).await,
        "payload_too_large"
    );
    assert_eq!(not_an_object.status(), StatusCode::BAD_REQUEST);
    assert_eq!(wrong_field_type.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_missing_field_is_a_field_error() {
    let app = spawn_app().await;

    let response = app.post("/api/auth/password/reset/", &json!({})).await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let errors: Value = response.json().await.unwrap();
    assert_eq!(errors["email"][0], "This field is required.");
}

#[tokio::test]
async fn ids_that_are_not_numbers_and_unknown_routes_are_404() {
    let app = spawn_app().await;

    let not_a_number = app.get("/api/drf/fbv/posts/abc/").await;
    let huge = app.get("/api/drf/fbv/posts/99999999999999999999999/").await;
    let unknown = app.get("/api/nothing-here/").await;

    assert_eq!(
        error_code(not_a_number, StatusCode::NOT_FOUND).await,
        "not_found"
    );
    assert_eq!(huge.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        error_code(unknown, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}

#[tokio::test]
async fn a_wrong_method_is_405_with_the_error_body() {
    let app = spawn_app().await;

    let response = app.send(Method::PATCH, "/api/drf/fbv/posts/", None).await;

    assert_eq!(
        error_code(response, StatusCode::METHOD_NOT_ALLOWED).await,
        "method_not_allowed"
    );
}

#[tokio::test]
async fn bad_pagination_parameters_are_a_400_not_a_500() {
    let app = spawn_app().await;

    let response = app.get("/api/drf/fbv/posts/?limit=abc").await;
    let clamped = app.get("/api/drf/fbv/posts/?limit=-5&offset=-3").await;

    assert_eq!(
        error_code(response, StatusCode::BAD_REQUEST).await,
        "parse_error"
    );
    assert_eq!(clamped.status(), StatusCode::OK);
}

#[tokio::test]
async fn health_and_version_answer() {
    let app = spawn_app().await;

    let health: Value = app.get("/api/health-check/").await.json().await.unwrap();
    let version = app.get("/api/version/").await;

    assert_eq!(health, json!({ "message": "OK" }));
    assert_eq!(version.status(), StatusCode::OK);
    assert!(version.headers().contains_key("x-request-id"));
}
