//! Several processes on one PostgreSQL database serve as one: a change made
//! through one is enforced by the others within a second, with no query per
//! request. Runs when the suite runs on PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::helpers::{
    fresh_database, query_count, unique_email, within, ServerProcess, TestApp, TestUser, PASSWORD,
};

const SECRET: &str = "a-shared-secret-for-every-process-of-this-test-deployment-0123456789";

struct Cluster {
    a: ServerProcess,
    b: ServerProcess,
    database_url: String,
}

async fn cluster() -> Option<Cluster> {
    let database_url = fresh_database().await?;
    let env = [
        ("DATABASE_URL", database_url.clone()),
        ("UBLOG_SECRET_KEY", SECRET.to_owned()),
        ("UBLOG_LOGIN_FAILURE_LIMIT", "4".to_owned()),
    ];
    let a = ServerProcess::start(&env);
    let b = ServerProcess::start(&env);
    Some(Cluster { a, b, database_url })
}

impl Cluster {
    /// A client of A and a client of B sharing one cookie jar, as one browser
    /// behind a load balancer.
    fn clients_of_one_browser(&self) -> (TestApp, TestApp) {
        let cookies = Arc::new(reqwest::cookie::Jar::default());
        (self.a.client(&cookies), self.b.client(&cookies))
    }

    async fn user(&self) -> TestUser {
        let db = ublog::db::Db::connect(&self.database_url).await.unwrap();
        let email = unique_email();
        let hasher = auth::password::PasswordHasher::with_params(1, 256, 1, 1);
        let hash = hasher
            .hash(SecretString::from(PASSWORD.to_owned()))
            .await
            .unwrap();
        let id = db
            .users()
            .create_active(&email, &hash, false)
            .await
            .unwrap()
            .unwrap();
        TestUser {
            id: id.0,
            email,
            password: PASSWORD.to_owned(),
        }
    }
}

/// Asserts that `a` refuses within a second, and returns how long it took.
async fn refused_within_a_second<F, Fut>(what: &str, check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let took = within(Duration::from_secs(1), check)
        .await
        .unwrap_or_else(|| panic!("{what}: still accepted after one second"));
    eprintln!("{what}: refused after {took:?}");
    took
}

#[tokio::test]
async fn a_session_ended_through_one_process_is_refused_by_the_other_at_once() {
    let Some(cluster) = cluster().await else {
        return;
    };
    let user = cluster.user().await;
    let (on_a, on_b) = cluster.clients_of_one_browser();
    assert_eq!(on_a.login_session(&user).await.status(), StatusCode::OK);
    assert_eq!(
        on_b.get("/api/profile/").await.status(),
        StatusCode::OK,
        "B accepts A's session"
    );
    on_a.get("/api/profile/").await;
    let warm = on_a.get("/api/auth/csrf/").await;
    assert_eq!(query_count(&warm), 0, "A checks the session from memory");
    let stolen = on_a.cookie("sessionid").unwrap();

    let logout = on_b.post("/api/auth/session/logout/", &json!({})).await;

    assert_eq!(logout.status(), StatusCode::OK);
    let a_url = format!("{}/api/profile/", cluster.a.address);
    refused_within_a_second("session on A", || {
        let request = reqwest::Client::new()
            .get(&a_url)
            .header("cookie", format!("sessionid={stolen}"));
        async move { request.send().await.unwrap().status() == StatusCode::UNAUTHORIZED }
    })
    .await;
}

#[tokio::test]
async fn tokens_and_families_revoked_through_one_process_die_on_the_other() {
    let Some(cluster) = cluster().await else {
        return;
    };
    let user = cluster.user().await;
    let (on_a, on_b) = cluster.clients_of_one_browser();
    let pair = on_a.obtain_pair(&user).await;
    let access = pair["access"].as_str().unwrap().to_owned();
    on_a.login_session(&user).await;
    let token: Value = on_a
        .post("/api/auth/tokens/", &json!({ "name": "x" }))
        .await
        .json()
        .await
        .unwrap();
    let key = token["key"].as_str().unwrap().to_owned();
    assert_eq!(
        on_b.profile_with_bearer(&access).await,
        StatusCode::OK,
        "B accepts A's JWT"
    );
    assert_eq!(
        on_b.with_auth(Method::GET, "/api/profile/", "Token", &key)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        on_a.with_auth(Method::GET, "/api/profile/", "Token", &key)
            .await
            .status(),
        StatusCode::OK
    );

    on_b.post(
        "/api/token/blacklist/",
        &json!({ "refresh": pair["refresh"] }),
    )
    .await;
    on_b.send(
        Method::DELETE,
        &format!("/api/auth/tokens/{}/", token["id"]),
        None,
    )
    .await;

    refused_within_a_second("JWT on A", || async {
        on_a.profile_with_bearer(&access).await == StatusCode::UNAUTHORIZED
    })
    .await;
    refused_within_a_second("API token on A", || async {
        on_a.with_auth(Method::GET, "/api/profile/", "Token", &key)
            .await
            .status()
            == StatusCode::UNAUTHORIZED
    })
    .await;
}

#[tokio::test]
async fn a_password_change_or_deactivation_through_one_process_reaches_the_other() {
    let Some(cluster) = cluster().await else {
        return;
    };
    let user = cluster.user().await;
    let jar_a = Arc::new(reqwest::cookie::Jar::default());
    let jar_b = Arc::new(reqwest::cookie::Jar::default());
    let on_a = cluster.a.client(&jar_a);
    let on_b = cluster.b.client(&jar_b);
    on_a.login_session(&user).await;
    on_b.login_session(&user).await;
    let pair = on_a.obtain_pair(&user).await;
    let access = pair["access"].as_str().unwrap().to_owned();
    on_a.get("/api/profile/").await;

    on_b.post(
        "/api/auth/password/change/",
        &json!({ "old_password": PASSWORD, "new_password": "cluster-wide-pelican-77" }),
    )
    .await;

    refused_within_a_second("A's session after the password change", || async {
        on_a.get("/api/profile/").await.status() == StatusCode::UNAUTHORIZED
    })
    .await;
    refused_within_a_second("A's JWT after the password change", || async {
        on_a.profile_with_bearer(&access).await == StatusCode::UNAUTHORIZED
    })
    .await;

    let fresh = on_a
        .post(
            "/api/token/",
            &json!({ "email": user.email, "password": "cluster-wide-pelican-77" }),
        )
        .await
        .json::<Value>()
        .await
        .unwrap();
    let fresh_access = fresh["access"].as_str().unwrap().to_owned();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ublog"))
        .args(["deactivate", &user.email])
        .env("DATABASE_URL", &cluster.database_url)
        .env("UBLOG_SECRET_KEY", SECRET)
        .env("UBLOG_DATA_DIR", tempfile::tempdir().unwrap().path())
        .status()
        .unwrap();
    assert!(status.success());
    refused_within_a_second("A's JWT after deactivation", || async {
        on_a.profile_with_bearer(&fresh_access).await == StatusCode::UNAUTHORIZED
    })
    .await;
}

#[tokio::test]
async fn failed_logins_count_across_processes() {
    let Some(cluster) = cluster().await else {
        return;
    };
    let user = cluster.user().await;
    let (on_a, on_b) = cluster.clients_of_one_browser();
    let wrong = json!({ "email": user.email, "password": "wrong-password-1" });

    for app in [&on_a, &on_b, &on_a, &on_b] {
        assert_eq!(
            app.post("/api/token/", &wrong).await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let right = json!({ "email": user.email, "password": user.password });
    let on_a_now = on_a.post("/api/token/", &right).await;
    let on_b_now = on_b.post("/api/token/", &right).await;

    assert_eq!(on_a_now.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(on_a_now.headers().contains_key("retry-after"));
    assert_eq!(on_b_now.status(), StatusCode::TOO_MANY_REQUESTS);
}
