//! Login throttling: failed logins per account and per address.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_code, spawn_app_with};

#[tokio::test]
async fn repeated_failures_lock_the_account_for_every_login_method() {
    let app = spawn_app_with(|s| s.login_failure_limit = 3).await;
    let user = app.active_user().await;
    let bystander = app.active_user().await;
    let wrong = json!({ "email": user.email, "password": "wrong-password-1" });
    for _ in 0..3 {
        assert_eq!(
            app.post("/api/token/", &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }

    let right = app
        .post(
            "/api/token/",
            &json!({ "email": user.email, "password": user.password }),
        )
        .await;
    let drf = app
        .post(
            "/api-token-auth/",
            &json!({ "username": user.email, "password": user.password }),
        )
        .await;
    let other = app
        .post(
            "/api/token/",
            &json!({ "email": bystander.email, "password": bystander.password }),
        )
        .await;

    let retry_after: u64 = right.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after > 0 && retry_after <= 900);
    assert_eq!(
        error_code(right, StatusCode::TOO_MANY_REQUESTS).await,
        "throttled"
    );
    assert_eq!(drf.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(other.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_successful_login_clears_the_accounts_failures() {
    let app = spawn_app_with(|s| s.login_failure_limit = 3).await;
    let user = app.active_user().await;
    let wrong = json!({ "email": user.email, "password": "wrong-password-1" });
    let right = json!({ "email": user.email, "password": user.password });

    for _ in 0..2 {
        app.post("/api/token/", &wrong).await;
    }
    assert_eq!(
        app.post("/api/token/", &right).await.status(),
        StatusCode::OK
    );
    for _ in 0..2 {
        app.post("/api/token/", &wrong).await;
    }

    assert_eq!(
        app.post("/api/token/", &right).await.status(),
        StatusCode::OK
    );
}
