//! Database faults: while PostgreSQL is down, requests that need it get a
//! prompt 503 with the documented body, and service resumes by itself when it
//! returns. Uses a private PostgreSQL instance that the test creates and
//! stops; runs when the suite runs on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{error_code, free_port, spawn_app_with, within};

/// A PostgreSQL server of the test's own, in a temporary folder.
struct PrivatePostgres {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
}

impl PrivatePostgres {
    fn create() -> Option<Self> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()?
            .flatten()
            .next()?
            .path()
            .join("bin");
        let dir = tempfile::tempdir().ok()?.keep();
        let port = free_port();
        // PostgreSQL refuses to run as root; the folder goes to its own user.
        run("chown", &["-R", "postgres", &dir.to_string_lossy()]);
        as_postgres(
            &bin.join("initdb"),
            &[
                "-D",
                &dir.join("data").to_string_lossy(),
                "-A",
                "trust",
                "-U",
                "postgres",
            ],
        );
        let server = Self { bin, dir, port };
        server.start();
        Some(server)
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    fn start(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.display()
        );
        let data = self.dir.join("data");
        let log = self.dir.join("log");
        as_postgres(
            &self.bin.join("pg_ctl"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-l",
                &log.to_string_lossy(),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
    }

    fn stop(&self) {
        let data = self.dir.join("data");
        as_postgres(
            &self.bin.join("pg_ctl"),
            &[
                "-D",
                &data.to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(program: &str, args: &[&str]) {
    let status = Command::new(program).args(args).status().expect(program);
    assert!(status.success(), "{program} {args:?}");
}

fn as_postgres(program: &Path, args: &[&str]) {
    let mut all = vec!["-u", "postgres", "--", program.to_str().unwrap()];
    all.extend_from_slice(args);
    let output = Command::new("runuser")
        .args(&all)
        .output()
        .expect("runuser");
    assert!(
        output.status.success(),
        "{program:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[tokio::test]
async fn an_unreachable_database_gives_a_prompt_503_and_service_resumes_by_itself() {
    if std::env::var_os("UBLOG_TEST_POSTGRES").is_none() {
        return;
    }
    let postgres = PrivatePostgres::create().expect("a private PostgreSQL");
    let url = postgres.url();
    let app = spawn_app_with(move |s| s.database_url = Some(url)).await;
    let user = app.logged_in_user().await;
    app.create_post("before the outage").await;
    app.get("/api/auth/csrf/").await;

    postgres.stop();
    let started = Instant::now();
    let feed = app.get("/api/drf/fbv/posts/").await;
    let waited = started.elapsed();
    let login = app
        .new_client()
        .post(
            "/api/token/",
            &json!({ "email": user.email, "password": user.password }),
        )
        .await;
    let warm_session = app.get("/api/auth/csrf/").await;

    assert_eq!(
        error_code(feed, StatusCode::SERVICE_UNAVAILABLE).await,
        "service_unavailable"
    );
    assert!(waited < Duration::from_secs(4), "answered after {waited:?}");
    assert_eq!(
        error_code(login, StatusCode::SERVICE_UNAVAILABLE).await,
        "service_unavailable"
    );
    assert_eq!(
        warm_session.status(),
        StatusCode::OK,
        "a cached session needs no database"
    );

    postgres.start();
    let recovered = within(Duration::from_secs(15), || async {
        app.get("/api/drf/fbv/posts/").await.status() == StatusCode::OK
    })
    .await;

    assert!(recovered.is_some(), "service did not resume");
    assert_eq!(
        app.post("/api/drf/fbv/posts/new/", &json!({ "body": "after" }))
            .await
            .status(),
        StatusCode::CREATED
    );
}
