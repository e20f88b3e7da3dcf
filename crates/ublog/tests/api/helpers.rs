//! `spawn_app()`: the real application on a free port with its own data folder,
//! a real SMTP sink, and a cookie-keeping HTTP client.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use reqwest::cookie::CookieStore as _;
use reqwest::{Response, StatusCode};
use secrecy::SecretString;
use serde_json::{json, Value};
use ublog::settings::{EmailBackend, Settings};
use ublog::App;

/// Password of every factory-made user; passes the policy.
pub(crate) const PASSWORD: &str = "quiet-harbour-lantern-82";

/// The SMTP sink shared by every test of this binary.
pub(crate) struct SmtpSink {
    pub(crate) port: u16,
    pub(crate) folder: PathBuf,
    _process: Child,
    _dir: tempfile::TempDir,
}

pub(crate) fn smtp_sink() -> &'static SmtpSink {
    static SINK: OnceLock<SmtpSink> = OnceLock::new();
    SINK.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary folder");
        let folder = dir.path().join("mail");
        let port = free_port();
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/smtp_sink.py");
        // stdin stays open for the life of this process; the sink exits when it closes.
        let mut process = Command::new("python3")
            .arg(script)
            .arg(port.to_string())
            .arg(&folder)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd must be installed (pip install aiosmtpd)");
        let stdout = process.stdout.take().expect("piped stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("sink output");
        assert_eq!(line.trim(), "ready", "the SMTP sink did not start");
        SmtpSink {
            port,
            folder,
            _process: process,
            _dir: dir,
        }
    })
}

/// With `UBLOG_TEST_POSTGRES` set to an admin URL (for example
/// `postgres://postgres@127.0.0.1:5432/test`), a new empty database for one
/// test, named after `UBLOG_TEST_RUN` so that the test command can drop the
/// run's databases at the end and parallel runs never collide. Otherwise
/// `None`: SQLite in the test's data folder.
pub(crate) async fn fresh_database() -> Option<String> {
    let admin = std::env::var("UBLOG_TEST_POSTGRES").ok()?;
    let run = std::env::var("UBLOG_TEST_RUN").unwrap_or_else(|_| "local".to_owned());
    let name = format!("ublog_{run}_{}", uuid::Uuid::new_v4().simple());
    let pool = sqlx::postgres::PgPool::connect(&admin)
        .await
        .expect("the PostgreSQL admin URL");
    sqlx::query(&format!("CREATE DATABASE \"{name}\""))
        .execute(&pool)
        .await
        .expect("creating a test database");
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').expect("a database in the admin URL");
    Some(format!("{base}/{name}"))
}

/// A port that was free a moment ago.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Settings for a test: a fresh data folder, port 0, cheap hashing, SMTP to the sink.
pub(crate) fn test_settings(data_dir: &Path) -> Settings {
    let sink = smtp_sink();
    Settings {
        database_url: None,
        bind: "127.0.0.1:0".to_owned(),
        data_dir: data_dir.to_owned(),
        email_backend: EmailBackend::Smtp,
        smtp_url: Some(SecretString::from(format!(
            "smtp://127.0.0.1:{}",
            sink.port
        ))),
        frontend_url: Some("http://front.test".to_owned()),
        password_hash_memory_kib: 256,
        password_hash_iterations: 1,
        expose_query_count: true,
        ..Settings::default()
    }
}

/// A running application and a client that keeps cookies.
pub(crate) struct TestApp {
    pub(crate) address: String,
    pub(crate) client: reqwest::Client,
    pub(crate) cookies: Arc<reqwest::cookie::Jar>,
    pub(crate) settings: Settings,
    pub(crate) data_dir: Arc<tempfile::TempDir>,
}

/// A user that can log in.
pub(crate) struct TestUser {
    pub(crate) id: i64,
    pub(crate) email: String,
    pub(crate) password: String,
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the app with test settings changed by `adjust`.
pub(crate) async fn spawn_app_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
    if std::env::var_os("TEST_LOG").is_some() {
        ublog::telemetry::init(ublog::settings::LogFormat::Pretty);
    }
    let data_dir = Arc::new(tempfile::tempdir().expect("temporary folder"));
    let mut settings = test_settings(data_dir.path());
    settings.database_url = fresh_database().await;
    adjust(&mut settings);
    start(settings, data_dir).await
}

async fn start(settings: Settings, data_dir: Arc<tempfile::TempDir>) -> TestApp {
    let app = App::build(settings.clone()).await.expect("the app builds");
    let address = format!("http://{}", app.address());
    tokio::spawn(app.serve());
    let cookies = Arc::new(reqwest::cookie::Jar::default());
    TestApp {
        client: client_with(Arc::clone(&cookies)),
        address,
        cookies,
        settings,
        data_dir,
    }
}

fn client_with(cookies: Arc<reqwest::cookie::Jar>) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_provider(cookies)
        .user_agent("ublog-tests")
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

impl TestApp {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The same running application seen by a second browser (own cookies).
    pub(crate) fn new_client(&self) -> TestApp {
        let cookies = Arc::new(reqwest::cookie::Jar::default());
        TestApp {
            client: client_with(Arc::clone(&cookies)),
            address: self.address.clone(),
            cookies,
            settings: self.settings.clone(),
            data_dir: Arc::clone(&self.data_dir),
        }
    }

    /// A second application on the same data folder with other settings.
    pub(crate) async fn with_settings(&self, settings: Settings) -> TestApp {
        start(settings, Arc::clone(&self.data_dir)).await
    }

    /// A second application process on the same data folder, as after a restart.
    pub(crate) async fn restart(&self) -> TestApp {
        let mut app = start(self.settings.clone(), Arc::clone(&self.data_dir)).await;
        app.cookies = Arc::clone(&self.cookies);
        app.client = client_with(Arc::clone(&self.cookies));
        app
    }

    /// The database the app uses, for factories and assertions.
    pub(crate) async fn db(&self) -> ublog::db::Db {
        ublog::db::Db::connect(&self.settings.database_url())
            .await
            .expect("database")
    }

    /// A cookie's value as the browser holds it.
    pub(crate) fn cookie(&self, name: &str) -> Option<String> {
        self.cookie_at("/", name)
    }

    /// A cookie's value as the browser would send it to `path`.
    pub(crate) fn cookie_at(&self, path: &str, name: &str) -> Option<String> {
        let url = self.url(path).parse().expect("a URL");
        let header = self.cookies.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_owned())
    }

    pub(crate) fn csrf_cookie(&self) -> String {
        self.cookie("csrftoken").expect("a csrftoken cookie")
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// POST JSON with the CSRF header taken from the cookie, as a front end does.
    pub(crate) async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    /// Any method, JSON body optional, with the CSRF header when the cookie exists.
    pub(crate) async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Response {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = self.cookie("csrftoken") {
            request = request.header("X-CSRFToken", token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        request.send().await.expect("request")
    }

    /// Fetches a CSRF cookie, then logs in with a session.
    pub(crate) async fn login_session(&self, user: &TestUser) -> Response {
        self.get("/api/auth/csrf/").await;
        self.post(
            "/api/auth/session/login/",
            &json!({ "email": user.email, "password": user.password }),
        )
        .await
    }

    /// An active user, made directly in the database.
    pub(crate) async fn active_user(&self) -> TestUser {
        let email = unique_email();
        let hasher = auth::password::PasswordHasher::with_params(1, 256, 1, 1);
        let hash = hasher
            .hash(SecretString::from(PASSWORD.to_owned()))
            .await
            .expect("hash");
        let id = self
            .db()
            .await
            .users()
            .create_active(&email, &hash, false)
            .await
            .expect("insert")
            .expect("a new e-mail");
        TestUser {
            id: id.0,
            email,
            password: PASSWORD.to_owned(),
        }
    }

    /// An active user, logged in with a session on this client.
    pub(crate) async fn logged_in_user(&self) -> TestUser {
        let user = self.active_user().await;
        let response = self.login_session(&user).await;
        assert_eq!(response.status(), StatusCode::OK, "login of a factory user");
        user
    }

    /// Creates a post through the API.
    pub(crate) async fn create_post(&self, body: &str) -> Value {
        let response = self
            .post("/api/drf/fbv/posts/new/", &json!({ "body": body }))
            .await;
        assert_eq!(response.status(), StatusCode::CREATED);
        response.json().await.expect("a post")
    }
}

pub(crate) fn unique_email() -> String {
    format!("user-{}@example.com", uuid::Uuid::new_v4().simple())
}

/// The number of queries the server made for a response.
pub(crate) fn query_count(response: &Response) -> u32 {
    response
        .headers()
        .get("x-query-count")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("X-Query-Count header")
}

/// Waits for the message sent to `to` whose body contains `marker`, and returns it.
pub(crate) async fn wait_for_email(to: &str, marker: &str) -> String {
    let folder = &smtp_sink().folder;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Ok(entries) = std::fs::read_dir(folder) {
            for entry in entries.flatten() {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "eml") {
                    let text = std::fs::read_to_string(&path).unwrap_or_default();
                    let envelope = format!("x-envelope-to: {}", to.to_lowercase());
                    if text.to_lowercase().contains(&envelope) && text.contains(marker) {
                        return text;
                    }
                }
            }
        }
        assert!(
            Instant::now() < deadline,
            "no e-mail to {to} containing {marker:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The first link in a message that starts with `prefix`.
pub(crate) fn link_in(message: &str, prefix: &str) -> String {
    let start = message.find(prefix).expect("the link in the message");
    message[start..]
        .split_whitespace()
        .next()
        .expect("a link")
        .to_owned()
}

/// Asserts the documented error shape and returns its code.
pub(crate) async fn error_code(response: Response, status: StatusCode) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.expect("a JSON error body");
    assert!(body["detail"].is_string(), "detail in {body}");
    body["code"].as_str().expect("a code").to_owned()
}

impl TestApp {
    /// `POST /api/token/` for `user`; returns `{access, refresh}`.
    pub(crate) async fn obtain_pair(&self, user: &TestUser) -> Value {
        let response = self
            .post(
                "/api/token/",
                &json!({ "email": user.email, "password": user.password }),
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "obtain a pair");
        response.json().await.expect("a pair")
    }

    /// `POST /api/token/refresh/`.
    pub(crate) async fn refresh(&self, refresh: &Value) -> Response {
        self.post("/api/token/refresh/", &json!({ "refresh": refresh }))
            .await
    }

    /// A request with `Authorization: <scheme> <credential>` and no cookies.
    pub(crate) async fn with_auth(
        &self,
        method: reqwest::Method,
        path: &str,
        scheme: &str,
        credential: &str,
    ) -> Response {
        let mut request = reqwest::Client::new()
            .request(method.clone(), self.url(path))
            .header("authorization", format!("{scheme} {credential}"));
        if method == reqwest::Method::POST {
            request = request.json(&json!({ "body": "from a token" }));
        }
        request.send().await.expect("request")
    }

    /// `GET /api/profile/` with a bearer token; the status tells if it is accepted.
    pub(crate) async fn profile_with_bearer(&self, access: &str) -> StatusCode {
        self.with_auth(reqwest::Method::GET, "/api/profile/", "Bearer", access)
            .await
            .status()
    }
}

/// An Ed25519 key pair written as PEM files with openssl; returns (private, public) paths.
pub(crate) fn ed25519_key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    key_pair(dir, name, &["-algorithm", "ed25519"])
}

/// A 2048-bit RSA key pair written as PEM files with openssl; returns (private, public) paths.
pub(crate) fn rsa_key_pair(dir: &Path, name: &str) -> (PathBuf, PathBuf) {
    key_pair(
        dir,
        name,
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
    )
}

fn key_pair(dir: &Path, name: &str, genpkey: &[&str]) -> (PathBuf, PathBuf) {
    let private = dir.join(format!("{name}.pem"));
    let public = dir.join(format!("{name}.pub.pem"));
    let openssl = |args: Vec<&std::ffi::OsStr>| {
        let status = Command::new("openssl")
            .args(args)
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl failed");
    };
    let mut generate: Vec<&std::ffi::OsStr> = vec!["genpkey".as_ref()];
    generate.extend(genpkey.iter().map(std::ffi::OsStr::new));
    generate.extend(["-out".as_ref(), private.as_os_str()]);
    openssl(generate);
    openssl(vec![
        "pkey".as_ref(),
        "-pubout".as_ref(),
        "-in".as_ref(),
        private.as_os_str(),
        "-out".as_ref(),
        public.as_os_str(),
    ]);
    (private, public)
}

/// Starts an app signing with EdDSA; returns it and its private key file.
pub(crate) async fn spawn_eddsa_app() -> (TestApp, PathBuf) {
    let keys = tempfile::tempdir().expect("temporary folder").keep();
    let (private, _) = ed25519_key_pair(&keys, "signing");
    let app = spawn_app_with(|s| {
        s.jwt_algorithm = ublog::settings::JwtAlgorithmSetting::EdDSA;
        s.jwt_private_key_file = Some(private.clone());
    })
    .await;
    (app, private)
}

/// A second application on `app`'s data folder with `settings`.
pub(crate) async fn spawn_same_data(app: &TestApp, settings: Settings) -> TestApp {
    app.with_settings(settings).await
}

/// A `ublog serve` process, killed when dropped.
pub(crate) struct ServerProcess {
    pub(crate) address: String,
    pub(crate) web_address: Option<String>,
    child: Child,
    _data_dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the binary with test settings plus `env`, and waits until ready.
    pub(crate) fn start(env: &[(&str, String)]) -> ServerProcess {
        let data_dir = tempfile::tempdir().expect("temporary folder");
        let mut child = Command::new(env!("CARGO_BIN_EXE_ublog"))
            .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
            .arg(data_dir.path())
            .env("UBLOG_EMAIL_BACKEND", "smtp")
            .env(
                "UBLOG_SMTP_URL",
                format!("smtp://127.0.0.1:{}", smtp_sink().port),
            )
            .env("UBLOG_PASSWORD_HASH_MEMORY_KIB", "256")
            .env("UBLOG_PASSWORD_HASH_ITERATIONS", "1")
            .env("UBLOG_EXPOSE_QUERY_COUNT", "true")
            .env("RUST_LOG", "warn")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the ublog binary");
        let stdout = child.stdout.take().expect("piped stdout");
        let mut ready = String::new();
        BufReader::new(stdout)
            .read_line(&mut ready)
            .expect("the ready line");
        let address = ready
            .split("listening on ")
            .nth(1)
            .and_then(|rest| rest.split_whitespace().next())
            .expect("an address")
            .to_owned();
        assert!(address.starts_with("http://"), "not ready: {ready:?}");
        let web_address = ready
            .split("web client on ")
            .nth(1)
            .map(|rest| rest.trim().trim_end_matches(')').to_owned());
        ServerProcess {
            address,
            web_address,
            child,
            _data_dir: data_dir,
        }
    }

    /// A cookie-keeping client of this process (sharing `cookies`).
    pub(crate) fn client(&self, cookies: &Arc<reqwest::cookie::Jar>) -> TestApp {
        TestApp {
            address: self.address.clone(),
            client: client_with(Arc::clone(cookies)),
            cookies: Arc::clone(cookies),
            settings: Settings::default(),
            data_dir: Arc::new(tempfile::tempdir().expect("temporary folder")),
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Polls `check` until it is true or `limit` passes; returns the time it took.
pub(crate) async fn within<F, Fut>(limit: Duration, mut check: F) -> Option<Duration>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let start = Instant::now();
    while start.elapsed() < limit {
        if check().await {
            return Some(start.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    None
}
