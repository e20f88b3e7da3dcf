use std::collections::HashSet;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, spawn_app, spawn_app_with, TestUser, PASSWORD};

fn payload(token: &str) -> Value {
    let part = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

#[tokio::test]
async fn a_simplejwt_client_obtains_uses_refreshes_and_verifies_tokens() {
    let app = spawn_app().await;
    let user = app.active_user().await;

    let pair = app.obtain_pair(&user).await;
    let access = pair["access"].as_str().unwrap();
    let profile = app.profile_with_bearer(access).await;
    let refreshed: Value = app.refresh(&pair["refresh"]).await.json().await.unwrap();
    let verified = app
        .post("/api/token/verify/", &json!({ "token": access }))
        .await;
    let bad = app
        .post("/api/token/verify/", &json!({ "token": "nonsense" }))
        .await;

    let claims = payload(access);
    assert_eq!(claims["token_type"], "access");
    assert_eq!(claims["user_id"], user.id);
    assert!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap() == 300);
    assert!(claims["jti"].is_string());
    assert_eq!(
        payload(pair["refresh"].as_str().unwrap())["token_type"],
        "refresh"
    );
    assert_eq!(profile, StatusCode::OK);
    assert!(refreshed["access"].is_string() && refreshed["refresh"].is_string());
    assert_ne!(refreshed["refresh"], pair["refresh"]);
    assert_eq!(verified.status(), StatusCode::OK);
    assert_eq!(verified.json::<Value>().await.unwrap(), json!({}));
    assert_eq!(
        error_code(bad, StatusCode::UNAUTHORIZED).await,
        "token_not_valid"
    );
}

#[tokio::test]
async fn wrong_credentials_get_simplejwts_error() {
    let app = spawn_app().await;
    let user = app.active_user().await;

    let response = app
        .post(
            "/api/token/",
            &json!({ "email": user.email, "password": "wrong-password-9" }),
        )
        .await;

    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "no_active_account"
    );
}

#[tokio::test]
async fn a_spent_refresh_token_revokes_its_whole_family() {
    let app = spawn_app_with(|s| s.refresh_reuse_grace = 0).await;
    let user = app.active_user().await;
    let first = app.obtain_pair(&user).await;
    let second: Value = app.refresh(&first["refresh"]).await.json().await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;

    let replay = app.refresh(&first["refresh"]).await;

    assert_eq!(
        error_code(replay, StatusCode::UNAUTHORIZED).await,
        "token_not_valid"
    );
    assert_eq!(
        app.refresh(&second["refresh"]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let access = second["access"].as_str().unwrap();
    assert_eq!(
        app.profile_with_bearer(access).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_get_the_same_successor() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    let first: Value = app.refresh(&pair["refresh"]).await.json().await.unwrap();
    let second: Value = app.refresh(&pair["refresh"]).await.json().await.unwrap();

    assert_eq!(first["refresh"], second["refresh"]);
    assert_eq!(
        app.refresh(&first["refresh"]).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn many_concurrent_refreshes_with_one_token_leave_one_live_family() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    let responses = join_all((0..12).map(|_| app.refresh(&pair["refresh"]))).await;
    let mut successors = HashSet::new();
    for response in responses {
        assert_eq!(response.status(), StatusCode::OK);
        let body: Value = response.json().await.unwrap();
        successors.insert(body["refresh"].as_str().unwrap().to_owned());
    }
    let families: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM logins WHERE method = 'jwt'")
        .fetch_one(app.db().await.raw_pool())
        .await
        .unwrap();

    assert_eq!(successors.len(), 1);
    assert_eq!(families, 1);
}

#[tokio::test]
async fn rotation_does_not_extend_a_familys_absolute_lifetime() {
    let app = spawn_app_with(|s| s.refresh_family_lifetime = 2).await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    tokio::time::sleep(Duration::from_millis(1000)).await;
    let rotated: Value = app.refresh(&pair["refresh"]).await.json().await.unwrap();
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let late = app.refresh(&rotated["refresh"]).await;

    assert!(rotated["refresh"].is_string());
    assert_eq!(late.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_stolen_access_token_stops_working_at_blacklist_and_after_a_restart() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;
    let stolen = pair["access"].as_str().unwrap().to_owned();

    let blacklisted = app
        .post(
            "/api/token/blacklist/",
            &json!({ "refresh": pair["refresh"] }),
        )
        .await;
    let refused_now = app.profile_with_bearer(&stolen).await;
    let restarted = app.restart().await;
    let refused_after_restart = restarted.profile_with_bearer(&stolen).await;

    assert_eq!(blacklisted.status(), StatusCode::OK);
    assert_eq!(refused_now, StatusCode::UNAUTHORIZED);
    assert_eq!(refused_after_restart, StatusCode::UNAUTHORIZED);
    assert_eq!(
        restarted.refresh(&pair["refresh"]).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn logout_everywhere_refuses_tokens_of_the_same_second_but_not_a_new_login() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let old = app.obtain_pair(&user).await;
    let old_access = old["access"].as_str().unwrap();

    let out = app
        .with_auth(
            reqwest::Method::POST,
            "/api/auth/logout-all/",
            "Bearer",
            old_access,
        )
        .await;
    let fresh = app.obtain_pair(&user).await;

    assert_eq!(out.status(), StatusCode::OK);
    assert_eq!(
        app.profile_with_bearer(old_access).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.profile_with_bearer(fresh["access"].as_str().unwrap())
            .await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_password_change_ends_every_other_token_login() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let elsewhere = app.obtain_pair(&user).await;

    app.post(
        "/api/auth/password/change/",
        &json!({ "old_password": PASSWORD, "new_password": "second-pelican-harbor-4" }),
    )
    .await;

    assert_eq!(
        app.profile_with_bearer(elsewhere["access"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.refresh(&elsewhere["refresh"]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/profile/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn without_rotation_the_refresh_token_stays_and_only_access_comes_back() {
    let app = spawn_app_with(|s| s.rotate_refresh_tokens = false).await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    let first: Value = app.refresh(&pair["refresh"]).await.json().await.unwrap();
    let second = app.refresh(&pair["refresh"]).await;

    assert!(first["access"].is_string());
    assert!(first.get("refresh").is_none());
    assert_eq!(second.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_inactive_users_tokens_are_refused() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;
    let db = app.db().await;
    sqlx::query("UPDATE users SET is_active = FALSE WHERE id = $1")
        .bind(user.id)
        .execute(db.raw_pool())
        .await
        .unwrap();
    let restarted = app.restart().await;

    let status = restarted
        .profile_with_bearer(pair["access"].as_str().unwrap())
        .await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        restarted.refresh(&pair["refresh"]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    let _ = TestUser {
        id: user.id,
        email: user.email,
        password: user.password,
    };
}

#[tokio::test]
async fn a_switched_off_authenticator_ignores_its_credential() {
    let app = spawn_app_with(|s| s.authenticators = vec!["session".to_owned()]).await;
    let user = app.active_user().await;
    let pair = app.obtain_pair(&user).await;

    let status = app
        .profile_with_bearer(pair["access"].as_str().unwrap())
        .await;

    assert_eq!(status, StatusCode::UNAUTHORIZED);
}
