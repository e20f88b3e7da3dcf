//! Sessions and devices: one list of every login, whatever its method.

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_login_is_listed_with_its_method_and_the_current_one_marked() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    app.obtain_pair(&user).await;
    app.post("/api/auth/tokens/", &json!({ "name": "script" }))
        .await;

    let listed: Value = app.get("/api/auth/sessions/").await.json().await.unwrap();

    let methods: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["api_token", "jwt", "session"]);
    let current: Vec<&Value> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["current"] == true)
        .collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["method"], "session");
    assert!(current[0]["user_agent"].is_string() && current[0]["ip"] == "127.0.0.1");
}

#[tokio::test]
async fn revoking_one_login_ends_every_credential_derived_from_it() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let pair = app.obtain_pair(&user).await;
    let listed: Value = app.get("/api/auth/sessions/").await.json().await.unwrap();
    let jwt_login = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["method"] == "jwt")
        .unwrap()["id"]
        .clone();

    let revoked = app
        .send(
            Method::DELETE,
            &format!("/api/auth/sessions/{jwt_login}/"),
            None,
        )
        .await;

    assert_eq!(revoked.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        app.profile_with_bearer(pair["access"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.refresh(&pair["refresh"]).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get("/api/profile/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn nobody_can_revoke_someone_elses_login() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let victim = app.new_client();
    victim.logged_in_user().await;
    let theirs: Value = victim
        .get("/api/auth/sessions/")
        .await
        .json()
        .await
        .unwrap();

    let attempt = app
        .send(
            Method::DELETE,
            &format!("/api/auth/sessions/{}/", theirs[0]["id"]),
            None,
        )
        .await;

    assert_eq!(attempt.status(), StatusCode::NOT_FOUND);
    assert_eq!(victim.get("/api/profile/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_everywhere_ends_sessions_tokens_and_families() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let pair = app.obtain_pair(&user).await;
    let token: Value = app
        .post("/api/auth/tokens/", &json!({ "name": "x" }))
        .await
        .json()
        .await
        .unwrap();
    let other_browser = app.new_client();
    other_browser.login_session(&user).await;

    let out = app.post("/api/auth/logout-all/", &json!({})).await;

    assert_eq!(out.status(), StatusCode::OK);
    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        other_browser.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.profile_with_bearer(pair["access"].as_str().unwrap())
            .await,
        StatusCode::UNAUTHORIZED
    );
    let key = token["key"].as_str().unwrap();
    assert_eq!(
        app.with_auth(Method::GET, "/api/profile/", "Token", key)
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.new_client().login_session(&user).await.status(),
        StatusCode::OK
    );
}
