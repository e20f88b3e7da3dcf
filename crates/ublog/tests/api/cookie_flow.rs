//! The μblog front end's flow: access in memory, refresh in an HttpOnly cookie.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{error_code, query_count, spawn_app, spawn_app_with, TestApp, TestUser};

async fn cookie_login(app: &TestApp, user: &TestUser) -> reqwest::Response {
    app.client
        .post(app.url("/api/auth/jwt/token/"))
        .header("X-Requested-With", "XMLHttpRequest")
        .json(&json!({ "email": user.email, "password": user.password }))
        .send()
        .await
        .unwrap()
}

async fn cookie_call(app: &TestApp, path: &str) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("X-Requested-With", "XMLHttpRequest")
        .send()
        .await
        .unwrap()
}

fn set_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("refresh_token="))
        .map(str::to_owned)
}

#[tokio::test]
async fn login_returns_only_access_and_sets_a_scoped_httponly_cookie() {
    let app = spawn_app().await;
    let user = app.active_user().await;

    let response = cookie_login(&app, &user).await;

    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response).unwrap();
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/api/auth/jwt/token/"), "{cookie}");
    let body: Value = response.json().await.unwrap();
    assert!(body["access"].is_string());
    assert!(body.get("refresh").is_none());
}

#[tokio::test]
async fn page_load_refresh_rotates_the_cookie_and_returns_a_new_access_token() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    cookie_login(&app, &user).await;
    let before = app.cookie_at("/api/auth/jwt/token/", "refresh_token");

    let response = cookie_call(&app, "/api/auth/jwt/token/refresh/").await;

    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response).is_some());
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        app.profile_with_bearer(body["access"].as_str().unwrap())
            .await,
        StatusCode::OK
    );
    assert_ne!(
        app.cookie_at("/api/auth/jwt/token/", "refresh_token"),
        before
    );
}

#[tokio::test]
async fn without_a_cookie_refresh_is_a_bare_401() {
    let app = spawn_app().await;

    let response = cookie_call(&app, "/api/auth/jwt/token/refresh/").await;

    assert!(set_cookie(&response).is_none());
    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "token_not_valid"
    );
}

#[tokio::test]
async fn a_hostile_page_can_neither_refresh_nor_log_out() {
    let app =
        spawn_app_with(|s| s.cors_allowed_origins = vec!["http://front.test".to_owned()]).await;
    let user = app.active_user().await;
    cookie_login(&app, &user).await;

    let form_like = app
        .client
        .post(app.url("/api/auth/jwt/token/refresh/"))
        .send()
        .await
        .unwrap();
    let foreign = app
        .client
        .post(app.url("/api/auth/jwt/token/logout/"))
        .header("X-Requested-With", "XMLHttpRequest")
        .header("origin", "http://evil.test")
        .send()
        .await
        .unwrap();
    let trusted = app
        .client
        .post(app.url("/api/auth/jwt/token/refresh/"))
        .header("X-Requested-With", "XMLHttpRequest")
        .header("origin", "http://front.test")
        .send()
        .await
        .unwrap();

    assert_eq!(
        error_code(form_like, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    assert_eq!(
        error_code(foreign, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    assert_eq!(trusted.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_clears_the_cookie_and_kills_the_stolen_cookie_and_access_token() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let login: Value = cookie_login(&app, &user).await.json().await.unwrap();
    let stolen_cookie = app
        .cookie_at("/api/auth/jwt/token/", "refresh_token")
        .unwrap();
    let stolen_access = login["access"].as_str().unwrap().to_owned();

    let logout = cookie_call(&app, "/api/auth/jwt/token/logout/").await;
    let thief = app.new_client();
    let replay = thief
        .client
        .post(thief.url("/api/auth/jwt/token/refresh/"))
        .header("X-Requested-With", "XMLHttpRequest")
        .header("cookie", format!("refresh_token={stolen_cookie}"))
        .send()
        .await
        .unwrap();

    assert_eq!(logout.status(), StatusCode::OK);
    assert!(set_cookie(&logout).unwrap().contains("Max-Age=0"));
    let body: Value = logout.json().await.unwrap();
    assert!(body["message"].is_string());
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        app.profile_with_bearer(&stolen_access).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_warm_bearer_check_makes_no_database_query() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let login: Value = cookie_login(&app, &user).await.json().await.unwrap();
    let access = login["access"].as_str().unwrap();
    app.with_auth(reqwest::Method::GET, "/api/auth/csrf/", "Bearer", access)
        .await;

    let warm = app
        .with_auth(reqwest::Method::GET, "/api/auth/csrf/", "Bearer", access)
        .await;

    assert_eq!(warm.status(), StatusCode::OK);
    assert_eq!(query_count(&warm), 0);
}

#[tokio::test]
async fn with_the_access_cookie_setting_the_cookie_alone_authenticates_and_is_csrf_guarded() {
    let app = spawn_app_with(|s| s.jwt_access_cookie = true).await;
    let user = app.active_user().await;
    let login = cookie_login(&app, &user).await;
    let access_cookie = login
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("access="))
        .map(str::to_owned)
        .unwrap();

    let read = app.get("/api/profile/").await;
    let bare_post = app
        .post("/api/drf/fbv/posts/new/", &json!({ "body": "x" }))
        .await;
    let script_post = app
        .client
        .post(app.url("/api/drf/fbv/posts/new/"))
        .header("X-Requested-With", "XMLHttpRequest")
        .json(&json!({ "body": "from script" }))
        .send()
        .await
        .unwrap();
    let logout = cookie_call(&app, "/api/auth/jwt/token/logout/").await;

    assert!(access_cookie.contains("HttpOnly"), "{access_cookie}");
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(
        error_code(bare_post, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    assert_eq!(script_post.status(), StatusCode::CREATED);
    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}
