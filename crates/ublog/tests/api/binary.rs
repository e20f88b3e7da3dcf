//! The `ublog` binary itself: its commands, its configuration errors, and
//! what it writes to its logs.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Command, Stdio};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{link_in, smtp_sink, unique_email, wait_for_email};

fn ublog() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ublog"))
}

#[test]
fn help_lists_the_commands() {
    let output = ublog().arg("--help").output().unwrap();

    let text = String::from_utf8(output.stdout).unwrap();
    for command in [
        "serve",
        "migrate",
        "createsuperuser",
        "changepassword",
        "check",
    ] {
        assert!(text.contains(command), "{command} in {text}");
    }
}

#[test]
fn a_bad_setting_stops_start_up_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("bind", vec![("UBLOG_BIND", "not-an-address")], "bind"),
        (
            "production without secret",
            vec![("UBLOG_ENV", "production")],
            "secret_key",
        ),
        (
            "weak secret",
            vec![("UBLOG_ENV", "production"), ("UBLOG_SECRET_KEY", "short")],
            "secret_key",
        ),
        (
            "unknown back end",
            vec![("UBLOG_EMAIL_BACKEND", "pigeon")],
            "email_backend",
        ),
        (
            "smtp without url",
            vec![("UBLOG_EMAIL_BACKEND", "smtp")],
            "smtp_url",
        ),
    ];
    for (name, env, setting) in cases {
        let output = ublog()
            .args(["serve", "--data-dir"])
            .arg(dir.path())
            .envs(env)
            .output()
            .unwrap();

        let stderr = String::from_utf8_lossy(&output.stderr).to_lowercase();
        assert!(!output.status.success(), "{name}");
        assert!(stderr.contains(setting), "{name}: {stderr}");
    }
}

#[test]
fn check_deploy_reports_unsafe_settings() {
    let dir = tempfile::tempdir().unwrap();

    let output = ublog()
        .args(["check", "--deploy", "--data-dir"])
        .arg(dir.path())
        .output()
        .unwrap();

    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!output.status.success());
    assert!(
        stdout.contains("cookie_secure") && stdout.contains("email_backend"),
        "{stdout}"
    );
}

#[tokio::test]
async fn secrets_never_reach_the_logs_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let password = "violet-otter-saxophone-31";
    let mut server = ublog()
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path())
        .env("RUST_LOG", "trace")
        .env("UBLOG_EMAIL_BACKEND", "smtp")
        .env(
            "UBLOG_SMTP_URL",
            format!("smtp://127.0.0.1:{}", smtp_sink().port),
        )
        .env("UBLOG_FRONTEND_URL", "http://front.test")
        .env("UBLOG_PASSWORD_HASH_MEMORY_KIB", "256")
        .env("UBLOG_PASSWORD_HASH_ITERATIONS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Drained as it comes: a full pipe would stall the server.
    let mut stderr = server.stderr.take().unwrap();
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        stderr.read_to_string(&mut text).map(|_| text)
    });
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut ready = String::new();
    stdout.read_line(&mut ready).unwrap();
    let base = ready.trim().rsplit(' ').next().unwrap().to_owned();
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let email = unique_email();

    client
        .post(format!("{base}/api/register/"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let message = wait_for_email(&email, "/activate/").await;
    let link = link_in(&message, "http://front.test/activate/");
    let activate = link.replace(
        "http://front.test/activate/",
        &format!("{base}/api/activate/"),
    ) + "/";
    let activated = client.post(&activate).send().await.unwrap();
    let refresh = cookie_value(&activated, "refresh_token");
    let activated_status = activated.status();
    let body: serde_json::Value = activated.json().await.unwrap();
    let access = body["access"].as_str().unwrap().to_owned();
    let created = client
        .post(format!("{base}/api/drf/fbv/posts/new/"))
        .bearer_auth(&access)
        .json(&json!({ "body": "hello" }))
        .send()
        .await
        .unwrap();
    let csrf_body: serde_json::Value = client
        .get(format!("{base}/api/auth/csrf/"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let login = client
        .post(format!("{base}/api/auth/session/login/"))
        .header("X-CSRFToken", csrf_body["csrfToken"].as_str().unwrap())
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap();
    let session = cookie_value(&login, "sessionid");
    let csrf = cookie_value(&login, "csrftoken");
    server.kill().unwrap();
    server.wait().unwrap();
    let mut logs = String::new();
    stdout.read_to_string(&mut logs).unwrap();
    logs.push_str(&stderr_reader.join().unwrap().unwrap());

    assert!(
        ready.starts_with("μblog listening on http://127.0.0.1:"),
        "{ready}"
    );
    assert_eq!(activated_status, StatusCode::OK);
    assert_eq!(created.status(), StatusCode::CREATED);
    assert!(logs.contains("request finished"), "the logs were captured");
    let token = activate.trim_end_matches('/').rsplit('/').next().unwrap();
    for (name, secret) in [
        ("password", password),
        ("session key", &session),
        ("csrf token", &csrf),
        ("link token", token),
        ("refresh token", &refresh),
        ("access token", &access),
    ] {
        assert!(!logs.contains(secret), "the {name} appears in the logs");
    }
}

fn cookie_value(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn one_command_serves_the_web_client_on_its_own_origin() {
    let server = crate::helpers::ServerProcess::start(&[
        ("UBLOG_FRONTEND_BIND", "127.0.0.1:0".to_owned()),
        ("UBLOG_WEB_AUTH_MODE", "jwt-cookie".to_owned()),
    ]);
    let web = server.web_address.clone().expect("a web client address");
    let client = reqwest::Client::new();

    let page = client
        .get(format!("{web}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let preflight = client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/auth/jwt/token/", server.address),
        )
        .header("origin", &web)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "content-type,x-requested-with",
        )
        .send()
        .await
        .unwrap();
    let foreign = client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/auth/jwt/token/", server.address),
        )
        .header("origin", "http://evil.test")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();

    assert!(
        page.contains(&format!(
            r#"<meta name="ublog-api-base" content="{}">"#,
            server.address
        )),
        "{page}"
    );
    assert!(page.contains(r#"<meta name="ublog-auth-mode" content="jwt-cookie">"#));
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        web.as_str()
    );
    assert_eq!(
        preflight.headers()["access-control-allow-credentials"],
        "true"
    );
    assert!(!foreign
        .headers()
        .contains_key("access-control-allow-origin"));
}
