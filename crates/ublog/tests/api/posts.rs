use futures::future::join_all;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{error_code, spawn_app};

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0,
    1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde, 0, 0, 0, 0x0c, 0x49, 0x44, 0x41, 0x54,
    0x78, 0x9c, 0x63, 0xf8, 0x0f, 0, 0, 1, 1, 0, 5, 0x18, 0xd8, 0x4e, 0, 0, 0, 0, 0x49, 0x45, 0x4e,
    0x44, 0xae, 0x42, 0x60, 0x82,
];

#[tokio::test]
async fn the_feed_is_paginated_newest_first_like_drf() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    for n in 0..12 {
        app.create_post(&format!("post {n}")).await;
    }

    let first: Value = app.get("/api/drf/fbv/posts/").await.json().await.unwrap();
    let next = first["next"].as_str().unwrap().replace(&app.address, "");
    let second: Value = app.get(&next).await.json().await.unwrap();
    let anonymous: Value = app
        .new_client()
        .get("/api/drf/fbv/posts/?limit=2")
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(first["count"], 12);
    assert_eq!(first["results"].as_array().unwrap().len(), 10);
    assert_eq!(first["results"][0]["body"], "post 11");
    assert_eq!(first["previous"], Value::Null);
    assert_eq!(second["results"].as_array().unwrap().len(), 2);
    assert_eq!(second["next"], Value::Null);
    assert_eq!(anonymous["results"][0]["liked"], false);
}

#[tokio::test]
async fn anonymous_callers_cannot_post() {
    let app = spawn_app().await;

    let response = app
        .post("/api/drf/fbv/posts/new/", &json!({ "body": "hi" }))
        .await;

    assert_eq!(
        error_code(response, StatusCode::UNAUTHORIZED).await,
        "not_authenticated"
    );
}

#[tokio::test]
async fn post_bodies_are_validated() {
    let app = spawn_app().await;
    app.logged_in_user().await;

    for (name, body) in [
        ("empty", json!({ "body": "  " })),
        ("too long", json!({ "body": "x".repeat(201) })),
    ] {
        let response = app.post("/api/drf/fbv/posts/new/", &body).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{name}");
        let errors: Value = response.json().await.unwrap();
        assert!(errors["body"].is_array(), "{name}");
    }
}

#[tokio::test]
async fn a_post_with_an_image_is_stored_and_served() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let form = reqwest::multipart::Form::new()
        .text("body", "with a picture")
        .part(
            "image",
            reqwest::multipart::Part::bytes(PNG).file_name("x.txt"),
        );

    let response = app
        .client
        .post(app.url("/api/drf/fbv/posts/new/"))
        .header("X-CSRFToken", app.csrf_cookie())
        .multipart(form)
        .send()
        .await
        .unwrap();

    assert_eq!(response.status(), StatusCode::CREATED);
    let post: Value = response.json().await.unwrap();
    let image_url = post["image"].as_str().unwrap();
    assert!(image_url.ends_with(".png"), "{image_url}");
    let image = app.client.get(image_url).send().await.unwrap();
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
}

#[tokio::test]
async fn an_upload_that_is_not_an_image_or_too_large_is_refused() {
    let app = spawn_app_small_uploads().await;
    app.logged_in_user().await;
    let upload = |bytes: Vec<u8>| {
        let form = reqwest::multipart::Form::new().text("body", "x").part(
            "image",
            reqwest::multipart::Part::bytes(bytes)
                .file_name("a.png")
                .mime_str("image/png")
                .unwrap(),
        );
        app.client
            .post(app.url("/api/drf/fbv/posts/new/"))
            .header("X-CSRFToken", app.csrf_cookie())
            .multipart(form)
            .send()
    };

    let script = upload(b"<script>alert(1)</script>".to_vec()).await.unwrap();
    let huge = upload([PNG, &vec![0u8; 4096]].concat()).await.unwrap();

    assert_eq!(script.status(), StatusCode::BAD_REQUEST);
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let feed: Value = app.get("/api/drf/fbv/posts/").await.json().await.unwrap();
    assert_eq!(feed["count"], 0, "nothing half-written");
}

async fn spawn_app_small_uploads() -> crate::helpers::TestApp {
    crate::helpers::spawn_app_with(|s| s.max_upload_bytes = 1024).await
}

#[tokio::test]
async fn only_the_owner_can_update_or_delete_a_post() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let post = app.create_post("mine").await;
    let id = post["id"].as_i64().unwrap();
    let intruder = app.new_client();
    intruder.logged_in_user().await;

    let foreign_update = intruder
        .send(
            Method::PUT,
            &format!("/api/drf/fbv/posts/{id}/update/"),
            Some(&json!({ "body": "pwned" })),
        )
        .await;
    let foreign_delete = intruder
        .send(
            Method::DELETE,
            &format!("/api/drf/fbv/posts/{id}/delete/"),
            None,
        )
        .await;
    let update: Value = app
        .send(
            Method::PUT,
            &format!("/api/drf/fbv/posts/{id}/update/"),
            Some(&json!({ "body": "edited" })),
        )
        .await
        .json()
        .await
        .unwrap();
    let delete = app
        .send(Method::DELETE, &format!("/api/drf/fbv/posts/{id}/"), None)
        .await;
    let gone = app.get(&format!("/api/drf/fbv/posts/{id}/")).await;

    assert_eq!(
        error_code(foreign_update, StatusCode::FORBIDDEN).await,
        "permission_denied"
    );
    assert_eq!(foreign_delete.status(), StatusCode::FORBIDDEN);
    assert_eq!(update["body"], "edited");
    assert_eq!(delete.status(), StatusCode::NO_CONTENT);
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn concurrent_likes_from_many_users_count_each_once() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let id = app.create_post("popular").await["id"].as_i64().unwrap();
    let mut fans = Vec::new();
    for _ in 0..8 {
        let fan = app.new_client();
        fan.logged_in_user().await;
        fans.push(fan);
    }
    let path = format!("/api/drf/fbv/posts/{id}/like/");
    let empty = json!({});

    let likes = join_all(fans.iter().map(|fan| fan.post(&path, &empty))).await;
    let liked: Value = app
        .get(&format!("/api/drf/fbv/posts/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    join_all(fans.iter().map(|fan| fan.post(&path, &empty))).await;
    let unliked: Value = app
        .get(&format!("/api/drf/fbv/posts/{id}/"))
        .await
        .json()
        .await
        .unwrap();

    assert!(likes.iter().all(|r| r.status() == StatusCode::OK));
    assert_eq!(liked["like_count"], 8);
    assert_eq!(unliked["like_count"], 0);
}

#[tokio::test]
async fn one_user_racing_their_own_likes_never_makes_two_rows() {
    let app = spawn_app().await;
    app.logged_in_user().await;
    let id = app.create_post("racy").await["id"].as_i64().unwrap();
    let path = format!("/api/drf/fbv/posts/{id}/like/");
    let empty = json!({});

    join_all((0..10).map(|_| app.post(&path, &empty))).await;
    let post: Value = app
        .get(&format!("/api/drf/fbv/posts/{id}/"))
        .await
        .json()
        .await
        .unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM likes")
        .fetch_one(app.db().await.raw_pool())
        .await
        .unwrap();

    assert!(rows <= 1);
    assert_eq!(post["like_count"], rows);
    assert_eq!(post["liked"], rows == 1);
}
