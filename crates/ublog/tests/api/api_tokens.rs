//! API tokens: DRF's contract and personal tokens.

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{error_code, query_count, spawn_app};

#[tokio::test]
async fn drf_token_auth_returns_the_same_key_every_time() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let body = json!({ "username": user.email, "password": user.password });

    let first: Value = app
        .post("/api-token-auth/", &body)
        .await
        .json()
        .await
        .unwrap();
    let second: Value = app
        .post("/api-token-auth/", &body)
        .await
        .json()
        .await
        .unwrap();
    let key = first["token"].as_str().unwrap();
    let used = app
        .with_auth(Method::GET, "/api/profile/", "Token", key)
        .await;
    let bad = app
        .post(
            "/api-token-auth/",
            &json!({ "username": user.email, "password": "nope-nope-1" }),
        )
        .await;

    assert_eq!(first, second);
    assert!(key.starts_with("ublog_"));
    assert_eq!(used.status(), StatusCode::OK);
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let errors: Value = bad.json().await.unwrap();
    assert!(errors["non_field_errors"].is_array());
}

#[tokio::test]
async fn personal_tokens_are_shown_once_listed_without_keys_and_stored_hashed() {
    let app = spawn_app().await;
    app.logged_in_user().await;

    let created = app
        .post(
            "/api/auth/tokens/",
            &json!({ "name": "ci", "expires_in": 3600 }),
        )
        .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let listed: Value = app.get("/api/auth/tokens/").await.json().await.unwrap();
    let stored: Vec<String> = sqlx::query_scalar("SELECT secret_hash FROM logins")
        .fetch_all(app.db().await.raw_pool())
        .await
        .unwrap();

    let key = created["key"].as_str().unwrap();
    assert_eq!(listed[0]["name"], "ci");
    assert!(listed[0]["expires"].is_string());
    assert_eq!(listed[0]["last_used"], Value::Null);
    assert!(listed[0].get("key").is_none());
    assert!(!listed.to_string().contains(key));
    assert!(!stored.iter().any(|h| h == key));
    assert_eq!(
        app.with_auth(Method::GET, "/api/profile/", "Token", key)
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_read_only_token_is_refused_on_unsafe_methods() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let created: Value = app
        .post(
            "/api/auth/tokens/",
            &json!({ "name": "reader", "scopes": ["read"] }),
        )
        .await
        .json()
        .await
        .unwrap();
    let key = created["key"].as_str().unwrap();

    let read = app
        .with_auth(Method::GET, "/api/drf/fbv/posts/", "Token", key)
        .await;
    let write = app
        .with_auth(Method::POST, "/api/drf/fbv/posts/new/", "Token", key)
        .await;

    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(
        error_code(write, StatusCode::FORBIDDEN).await,
        "read_only_token"
    );
}

#[tokio::test]
async fn a_write_token_can_post_without_csrf() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let created: Value = app
        .post("/api/auth/tokens/", &json!({ "name": "bot" }))
        .await
        .json()
        .await
        .unwrap();

    let post = app
        .with_auth(
            Method::POST,
            "/api/drf/fbv/posts/new/",
            "Token",
            created["key"].as_str().unwrap(),
        )
        .await;

    assert_eq!(post.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn revoked_expired_malformed_and_unknown_tokens_are_401_with_a_challenge() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let revoked: Value = app
        .post("/api/auth/tokens/", &json!({ "name": "a" }))
        .await
        .json()
        .await
        .unwrap();
    let expiring: Value = app
        .post(
            "/api/auth/tokens/",
            &json!({ "name": "b", "expires_in": 1 }),
        )
        .await
        .json()
        .await
        .unwrap();
    let revoked_key = revoked["key"].as_str().unwrap().to_owned();
    app.with_auth(Method::GET, "/api/profile/", "Token", &revoked_key)
        .await;
    let gone = app
        .send(
            Method::DELETE,
            &format!("/api/auth/tokens/{}/", revoked["id"]),
            None,
        )
        .await;
    tokio::time::sleep(Duration::from_millis(2100)).await;

    let mut unknown = revoked_key.clone();
    unknown.replace_range(6..12, "000000");
    let cases = [
        ("revoked", revoked_key.clone()),
        ("expired", expiring["key"].as_str().unwrap().to_owned()),
        ("bad checksum", unknown),
        ("malformed", "hello".to_owned()),
    ];
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    for (name, key) in cases {
        let response = app
            .with_auth(Method::GET, "/api/profile/", "Token", &key)
            .await;

        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{name}");
        assert_eq!(
            response.headers()["www-authenticate"],
            "Token realm=\"api\"",
            "{name}"
        );
    }
}

#[tokio::test]
async fn token_input_is_validated() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let cases = [
        ("no name", json!({ "name": " " }), "name"),
        (
            "zero expiry",
            json!({ "name": "x", "expires_in": 0 }),
            "expires_in",
        ),
        (
            "unknown scope",
            json!({ "name": "x", "scopes": ["admin"] }),
            "scopes",
        ),
    ];
    for (name, body, field) in cases {
        let response = app.post("/api/auth/tokens/", &body).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        let errors: Value = response.json().await.unwrap();
        assert!(errors[field].is_array(), "{name}: {errors}");
    }
}

#[tokio::test]
async fn a_warm_token_check_makes_no_database_query() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let created: Value = app
        .post("/api/auth/tokens/", &json!({ "name": "fast" }))
        .await
        .json()
        .await
        .unwrap();
    let key = created["key"].as_str().unwrap();
    app.with_auth(Method::GET, "/api/auth/csrf/", "Token", key)
        .await;

    let warm = app
        .with_auth(Method::GET, "/api/auth/csrf/", "Token", key)
        .await;

    assert_eq!(warm.status(), StatusCode::OK);
    assert_eq!(query_count(&warm), 0);
}
