use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_code, query_count, spawn_app, spawn_app_with, TestUser, PASSWORD};

#[tokio::test]
async fn login_sets_an_httponly_session_cookie_and_a_csrf_cookie() {
    let app = spawn_app().await;
    let user = app.active_user().await;

    let response = app.login_session(&user).await;

    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("sessionid="))
        .unwrap();
    let csrf = cookies
        .iter()
        .find(|c| c.starts_with("csrftoken="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax"),
        "{session}"
    );
    assert!(!csrf.contains("HttpOnly"), "{csrf}");
}

#[tokio::test]
async fn a_warm_session_check_makes_no_database_query() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let cold = app.get("/api/auth/csrf/").await;

    let warm = app.get("/api/auth/csrf/").await;

    assert_eq!(cold.status(), StatusCode::OK);
    assert_eq!(warm.status(), StatusCode::OK);
    assert_eq!(query_count(&warm), 0);
}

#[tokio::test]
async fn the_session_key_changes_at_every_login_and_the_old_one_dies() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let first = app.cookie("sessionid").unwrap();

    app.login_session(&user).await;
    let second = app.cookie("sessionid").unwrap();
    let replay = app
        .new_client()
        .client
        .get(app.url("/api/profile/"))
        .header("cookie", format!("sessionid={first}"))
        .send()
        .await
        .unwrap();

    assert_ne!(first, second);
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_planted_session_cookie_is_ignored_and_replaced_at_login() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let planted = "attacker-chosen-session-key";
    app.cookies.add_cookie_str(
        &format!("sessionid={planted}"),
        &app.address.parse().unwrap(),
    );

    app.login_session(&user).await;

    assert_ne!(app.cookie("sessionid").unwrap(), planted);
    assert_eq!(app.get("/api/profile/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_deletes_the_session_on_the_server() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let stolen = app.cookie("sessionid").unwrap();

    let logout = app.post("/api/auth/session/logout/", &json!({})).await;
    let replay = app
        .new_client()
        .client
        .get(app.url("/api/profile/"))
        .header("cookie", format!("sessionid={stolen}"))
        .send()
        .await
        .unwrap();

    assert_eq!(logout.status(), StatusCode::OK);
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sessions_survive_a_restart_and_are_stored_only_as_hashes() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let key = app.cookie("sessionid").unwrap();

    let restarted = app.restart().await;
    let after_restart = restarted.get("/api/profile/").await;
    let db = app.db().await;
    let stored = sqlx::query_scalar::<_, String>("SELECT secret_hash FROM logins")
        .fetch_all(db_pool(&db))
        .await
        .unwrap();
    let with_hash_as_key = restarted
        .new_client()
        .client
        .get(restarted.url("/api/profile/"))
        .header("cookie", format!("sessionid={}", stored[0]))
        .send()
        .await
        .unwrap();

    assert_eq!(after_restart.status(), StatusCode::OK);
    assert!(!stored.contains(&key));
    assert_eq!(with_hash_as_key.status(), StatusCode::UNAUTHORIZED);
}

fn db_pool(db: &ublog::db::Db) -> &sqlx::AnyPool {
    db.raw_pool()
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = spawn_app_with(|s| s.session_idle_timeout = 1).await;
    app.logged_in_user().await;

    tokio::time::sleep(Duration::from_millis(1300)).await;

    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_used_session_still_ends_at_its_absolute_expiry() {
    let app = spawn_app_with(|s| {
        s.session_idle_timeout = 60;
        s.session_cookie_age = 2;
    })
    .await;
    app.logged_in_user().await;

    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(app.get("/api/profile/").await.status(), StatusCode::OK);
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;

    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn unsafe_session_request_without_csrf_header_is_rejected() {
    let app = spawn_app().await;
    app.logged_in_user().await;

    let response = app
        .client
        .post(app.url("/api/drf/fbv/posts/new/"))
        .json(&json!({ "body": "no header" }))
        .send()
        .await
        .unwrap();

    assert_eq!(
        error_code(response, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
}

#[tokio::test]
async fn a_wrong_or_foreign_csrf_token_is_rejected() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let other = app.new_client();
    other.logged_in_user().await;
    let foreign = other.csrf_cookie();

    for (name, token) in [
        ("garbage", "abc".to_owned()),
        ("another session's", foreign),
    ] {
        let response = app
            .client
            .post(app.url("/api/drf/fbv/posts/new/"))
            .header("X-CSRFToken", token)
            .json(&json!({ "body": "x" }))
            .send()
            .await
            .unwrap();

        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{name}");
    }
}

#[tokio::test]
async fn a_foreign_origin_is_rejected_even_with_a_valid_token() {
    let app =
        spawn_app_with(|s| s.cors_allowed_origins = vec!["http://front.test".to_owned()]).await;
    app.logged_in_user().await;
    let token = app.csrf_cookie();

    let send = |headers: Vec<(&'static str, &'static str)>| {
        let mut request = app
            .client
            .post(app.url("/api/drf/fbv/posts/new/"))
            .header("X-CSRFToken", token.clone())
            .json(&json!({ "body": "x" }));
        for (name, value) in headers {
            request = request.header(name, value);
        }
        request.send()
    };
    let foreign = send(vec![("origin", "http://evil.test")]).await.unwrap();
    let referer = send(vec![("referer", "http://evil.test/page")])
        .await
        .unwrap();
    let cross_site = send(vec![("sec-fetch-site", "cross-site")]).await.unwrap();
    let trusted = send(vec![
        ("origin", "http://front.test"),
        ("sec-fetch-site", "same-site"),
    ])
    .await
    .unwrap();

    assert_eq!(
        error_code(foreign, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    assert_eq!(referer.status(), StatusCode::FORBIDDEN);
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    assert_eq!(trusted.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn login_itself_needs_the_csrf_token_and_a_same_site_origin() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let body = json!({ "email": user.email, "password": PASSWORD });

    let without = app
        .client
        .post(app.url("/api/auth/session/login/"))
        .json(&body)
        .send()
        .await
        .unwrap();
    app.get("/api/auth/csrf/").await;
    let foreign = app
        .client
        .post(app.url("/api/auth/session/login/"))
        .header("X-CSRFToken", app.csrf_cookie())
        .header("origin", "http://evil.test")
        .json(&body)
        .send()
        .await
        .unwrap();
    let proper = app.post("/api/auth/session/login/", &body).await;

    assert_eq!(
        error_code(without, StatusCode::FORBIDDEN).await,
        "csrf_failed"
    );
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    assert_eq!(proper.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_csrf_endpoint_returns_a_fresh_masked_token_each_time() {
    let app = spawn_app().await;

    let first: serde_json::Value = app.get("/api/auth/csrf/").await.json().await.unwrap();
    let second: serde_json::Value = app.get("/api/auth/csrf/").await.json().await.unwrap();

    assert_ne!(first["csrfToken"], second["csrfToken"]);
}

#[tokio::test]
async fn wrong_credentials_get_the_same_answer_for_unknown_and_known_users() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let unknown = TestUser {
        id: 0,
        email: "nobody@example.com".to_owned(),
        password: PASSWORD.to_owned(),
    };
    let wrong = TestUser {
        id: 0,
        email: user.email,
        password: "not-the-password-1".to_owned(),
    };

    let a = app.login_session(&unknown).await;
    let b = app.login_session(&wrong).await;

    let (a, b): (serde_json::Value, serde_json::Value) =
        (a.json().await.unwrap(), b.json().await.unwrap());
    assert_eq!(a, b);
    assert_eq!(a["code"], "no_active_account");
}

#[tokio::test]
async fn the_purge_removes_ended_sessions_and_keeps_live_ones() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let live = app.new_client();
    live.logged_in_user().await;
    let db = app.db().await;
    sqlx::query("UPDATE logins SET expires_at = 0 WHERE id = (SELECT MIN(id) FROM logins)")
        .execute(db.raw_pool())
        .await
        .unwrap();

    let removed = db.purge_expired().await.unwrap();

    assert_eq!(removed, 1);
    assert_eq!(live.get("/api/profile/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn production_cookies_take_the_host_prefix_and_secure() {
    let app = spawn_app_with(|s| {
        s.env = ublog::settings::Environment::Production;
        s.secret_key = Some(secrecy::SecretString::from(
            "p".repeat(30) + &"q".repeat(30) + "rstuvw",
        ));
    })
    .await;
    let user = app.active_user().await;
    let csrf: serde_json::Value = app.get("/api/auth/csrf/").await.json().await.unwrap();

    let response = app
        .client
        .post(app.url("/api/auth/session/login/"))
        .header("X-CSRFToken", csrf["csrfToken"].as_str().unwrap())
        .header(
            "cookie",
            format!("__Host-csrftoken={}", csrf["csrfToken"].as_str().unwrap()),
        )
        .json(&json!({ "email": user.email, "password": user.password }))
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::OK);
    let cookies: Vec<&str> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("__Host-sessionid="))
        .unwrap();
    assert!(
        session.contains("Secure") && session.contains("Path=/") && !session.contains("Domain"),
        "{session}"
    );
    assert!(cookies.iter().any(|c| c.starts_with("__Host-csrftoken=")));
}
