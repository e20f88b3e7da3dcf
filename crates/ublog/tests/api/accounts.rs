use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{
    error_code, link_in, spawn_app, spawn_app_with, unique_email, wait_for_email, PASSWORD,
};

#[tokio::test]
async fn registration_sends_a_link_that_activates_and_logs_in_once() {
    let app = spawn_app().await;
    let email = unique_email();

    let registered = app
        .post(
            "/api/register/",
            &json!({ "email": email, "password": PASSWORD }),
        )
        .await;
    let message = wait_for_email(&email, "/activate/").await;
    let link = link_in(&message, "http://front.test/activate/");
    let api_path = link.replace("http://front.test/activate/", "/api/activate/") + "/";
    let activated = app.post(&api_path, &json!({})).await;
    let again = app.new_client().post(&api_path, &json!({})).await;

    assert_eq!(registered.status(), StatusCode::CREATED);
    assert_eq!(activated.status(), StatusCode::OK);
    let cookie = activated
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("refresh_token="))
        .map(str::to_owned);
    assert!(
        cookie.is_some_and(|c| c.contains("HttpOnly")),
        "the cookie flow logs in"
    );
    let body: Value = activated.json().await.unwrap();
    assert_eq!(body["user"]["email"], email.as_str());
    assert_eq!(body["user"]["profile_setup_complete"], false);
    assert_eq!(
        app.profile_with_bearer(body["access"].as_str().unwrap())
            .await,
        StatusCode::OK
    );
    assert_eq!(
        error_code(again, StatusCode::BAD_REQUEST).await,
        "invalid_link"
    );
}

#[tokio::test]
async fn an_inactive_account_cannot_log_in() {
    let app = spawn_app().await;
    let email = unique_email();
    app.post(
        "/api/register/",
        &json!({ "email": email, "password": PASSWORD }),
    )
    .await;

    let login = app
        .login_session(&crate::helpers::TestUser {
            id: 0,
            email,
            password: PASSWORD.to_owned(),
        })
        .await;

    assert_eq!(
        error_code(login, StatusCode::UNAUTHORIZED).await,
        "no_active_account"
    );
}

#[tokio::test]
async fn a_bad_or_expired_activation_link_is_refused_and_logs_nobody_in() {
    let app = spawn_app_with(|s| s.verification_link_ttl = 0).await;
    let email = unique_email();
    app.post(
        "/api/register/",
        &json!({ "email": email, "password": PASSWORD }),
    )
    .await;
    let message = wait_for_email(&email, "/activate/").await;
    let link = link_in(&message, "http://front.test/activate/");
    let expired = link.replace("http://front.test/activate/", "/api/activate/") + "/";

    let cases = [
        ("expired", expired.clone()),
        (
            "altered token",
            format!("{}x/", expired.trim_end_matches('/')),
        ),
        ("garbage uid", "/api/activate/!!!/abc/".to_owned()),
        ("unknown user", "/api/activate/OTk5OTk/abc/".to_owned()),
    ];
    for (name, path) in cases {
        let response = app.post(&path, &json!({})).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "{name}: no login cookie"
        );
    }
    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn registering_a_taken_address_reveals_nothing_and_warns_its_owner() {
    let app = spawn_app().await;
    let user = app.active_user().await;

    let response = app
        .post(
            "/api/register/",
            &json!({ "email": user.email.replacen("user-", "USER-", 1), "password": PASSWORD }),
        )
        .await;
    let message = wait_for_email(&user.email, "already has one").await;

    assert_eq!(response.status(), StatusCode::CREATED);
    assert!(message.contains("reset-password"));
}

#[tokio::test]
async fn registration_validates_the_email_and_the_password_policy() {
    let app = spawn_app().await;
    let email = unique_email();
    let cases = [
        (
            "bad e-mail",
            json!({ "email": "not-an-email", "password": PASSWORD }),
            "email",
        ),
        (
            "short",
            json!({ "email": email, "password": "aB3$x" }),
            "password",
        ),
        (
            "common",
            json!({ "email": email, "password": "password123" }),
            "password",
        ),
        (
            "numeric",
            json!({ "email": email, "password": "9384756102938" }),
            "password",
        ),
        (
            "like the e-mail",
            json!({ "email": email, "password": email.split('@').next().unwrap() }),
            "password",
        ),
        ("missing password", json!({ "email": email }), "password"),
    ];
    for (name, body, field) in cases {
        let response = app.post("/api/register/", &body).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        let errors: Value = response.json().await.unwrap();
        assert!(errors[field].is_array(), "{name}: {errors}");
    }
}

#[tokio::test]
async fn a_password_reset_works_once_and_ends_every_login() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let other = app.new_client();

    let unknown = other
        .post(
            "/api/auth/password/reset/",
            &json!({ "email": unique_email() }),
        )
        .await;
    let known = other
        .post("/api/auth/password/reset/", &json!({ "email": user.email }))
        .await;
    let message = wait_for_email(&user.email, "/reset-password/").await;
    let link = link_in(&message, "http://front.test/reset-password/");
    let mut parts = link
        .trim_start_matches("http://front.test/reset-password/")
        .split('/');
    let (uid, token) = (parts.next().unwrap(), parts.next().unwrap());
    let body = json!({ "uid": uid, "token": token, "new_password": "brand-new-lighthouse-19" });
    let weak = other
        .post(
            "/api/auth/password/reset/confirm/",
            &json!({ "uid": uid, "token": token, "new_password": "123" }),
        )
        .await;
    let confirmed = other.post("/api/auth/password/reset/confirm/", &body).await;
    let replayed = other.post("/api/auth/password/reset/confirm/", &body).await;

    assert_eq!(unknown.status(), StatusCode::ACCEPTED);
    assert_eq!(known.status(), StatusCode::ACCEPTED);
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    assert_eq!(confirmed.status(), StatusCode::OK);
    assert_eq!(
        error_code(replayed, StatusCode::BAD_REQUEST).await,
        "invalid_link"
    );
    assert_eq!(
        app.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let old = crate::helpers::TestUser {
        id: user.id,
        email: user.email.clone(),
        password: PASSWORD.to_owned(),
    };
    let new = crate::helpers::TestUser {
        id: user.id,
        email: user.email,
        password: "brand-new-lighthouse-19".to_owned(),
    };
    assert_eq!(
        other.login_session(&old).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(other.login_session(&new).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_password_change_keeps_this_login_and_ends_the_others() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;
    let elsewhere = app.new_client();
    elsewhere.login_session(&user).await;

    let wrong = app
        .post(
            "/api/auth/password/change/",
            &json!({ "old_password": "nope", "new_password": "fresh-copper-kettle-55" }),
        )
        .await;
    let changed = app
        .post(
            "/api/auth/password/change/",
            &json!({ "old_password": PASSWORD, "new_password": "fresh-copper-kettle-55" }),
        )
        .await;

    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(app.get("/api/profile/").await.status(), StatusCode::OK);
    assert_eq!(
        elsewhere.get("/api/profile/").await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_django_password_hash_logs_in_and_is_upgraded_to_argon2id() {
    let app = spawn_app().await;
    let email = unique_email();
    let django =
        djangohashers::make_password_with_algorithm(PASSWORD, djangohashers::Algorithm::PBKDF2);
    let db = app.db().await;
    db.users()
        .create_active(&email, &django, false)
        .await
        .unwrap();
    let user = crate::helpers::TestUser {
        id: 0,
        email: email.clone(),
        password: PASSWORD.to_owned(),
    };

    let login = app.login_session(&user).await;

    assert_eq!(login.status(), StatusCode::OK);
    let stored = db
        .users()
        .find_by_email(&email)
        .await
        .unwrap()
        .unwrap()
        .password;
    assert!(stored.starts_with("$argon2id$"), "{stored}");
    assert_eq!(
        app.new_client().login_session(&user).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn login_email_is_case_insensitive_but_the_password_is_exact() {
    let app = spawn_app().await;
    let user = app.active_user().await;
    let shouted = crate::helpers::TestUser {
        id: 0,
        email: user.email.to_uppercase(),
        password: PASSWORD.to_owned(),
    };
    let spaced = crate::helpers::TestUser {
        id: 0,
        email: user.email.clone(),
        password: format!(" {PASSWORD}"),
    };

    assert_eq!(app.login_session(&shouted).await.status(), StatusCode::OK);
    assert_eq!(
        app.new_client().login_session(&spaced).await.status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_profile_can_be_completed_and_users_listed() {
    let app = spawn_app().await;
    let user = app.logged_in_user().await;

    let too_long = app
        .send(
            reqwest::Method::PATCH,
            "/api/update-user/",
            Some(&json!({ "first_name": "x".repeat(151) })),
        )
        .await;
    let updated: Value = app
        .send(
            reqwest::Method::PATCH,
            "/api/update-user/",
            Some(&json!({ "first_name": "Ada", "last_name": "Lovelace" })),
        )
        .await
        .json()
        .await
        .unwrap();
    let listed: Value = app.get("/api/users/?limit=1").await.json().await.unwrap();
    let shown = app.get(&format!("/api/users/{}/", user.id)).await;
    let missing = app.get("/api/users/999999/").await;

    assert_eq!(too_long.status(), StatusCode::BAD_REQUEST);
    assert_eq!(updated["profile_setup_complete"], true);
    assert_eq!(updated["first_name"], "Ada");
    assert_eq!(listed["count"], 1);
    assert_eq!(listed["results"][0]["id"], user.id);
    assert_eq!(shown.status(), StatusCode::OK);
    assert_eq!(
        error_code(missing, StatusCode::NOT_FOUND).await,
        "not_found"
    );
}
