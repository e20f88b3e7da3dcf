//! Settings: defaults, then `ublog.toml`, then `UBLOG_…` environment, then flags,
//! built in one place and validated by `checks`.

mod checks;

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format as _, Serialized, Toml};
use figment::Figment;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

/// Development or production; production refuses unsafe settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// Laptop defaults: generated secret, plain-HTTP cookies.
    #[default]
    Development,
    /// Stricter defaults; start-up fails on anything unsafe.
    Production,
}

/// Where e-mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum EmailBackend {
    /// Printed on standard output (development only).
    #[default]
    Console,
    /// One `.eml` file per message in `email_dir`.
    File,
    /// Delivered to the SMTP server at `smtp_url`.
    Smtp,
}

/// The `SameSite` attribute of the cookies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SameSitePolicy {
    /// Sent on same-site requests only.
    Strict,
    /// Also sent on top-level navigation from other sites (Django's default).
    #[default]
    Lax,
    /// Sent everywhere; needs `Secure`. Only for front ends on another site.
    None,
}

/// The JWT signing algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum JwtAlgorithmSetting {
    /// HMAC-SHA256 with a key derived from `secret_key`.
    #[default]
    HS256,
    /// Ed25519 with `jwt_private_key_file`; public keys at `/api/auth/jwks.json`.
    EdDSA,
    /// RSA-SHA256 with `jwt_private_key_file`; public keys at `/api/auth/jwks.json`.
    RS256,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Pretty,
    /// One JSON object per line, for log shippers.
    Json,
}

/// Every setting of μblog. Field names are the TOML keys; the environment
/// variable is the name upper-cased with the `UBLOG_` prefix.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `development` or `production` (`UBLOG_ENV`). Production: stricter defaults.
    pub env: Environment,
    /// Listen address (`UBLOG_BIND`, `--bind`).
    pub bind: String,
    /// Data folder: SQLite file, media, generated dev secret (`UBLOG_DATA_DIR`, `--data-dir`).
    pub data_dir: PathBuf,
    /// Database URL (`DATABASE_URL`); SQLite in the data folder when unset.
    pub database_url: Option<String>,
    /// Signing secret (`UBLOG_SECRET_KEY`); generated and kept in the data folder
    /// in development, required (50+ characters) in production.
    #[serde(skip_serializing)]
    pub secret_key: Option<SecretString>,
    /// `console`, `file` or `smtp` (`UBLOG_EMAIL_BACKEND`).
    pub email_backend: EmailBackend,
    /// Folder for the `file` e-mail back end (`UBLOG_EMAIL_DIR`).
    pub email_dir: Option<PathBuf>,
    /// SMTP server, e.g. `smtp://127.0.0.1:2525`, `smtps://…` or `…?tls=required`
    /// for STARTTLS (`UBLOG_SMTP_URL`). May carry credentials; never logged.
    #[serde(skip_serializing)]
    pub smtp_url: Option<SecretString>,
    /// Sender of outgoing e-mail.
    pub email_from: String,
    /// Front-end origins allowed cross-origin, comma-separated in the environment.
    #[serde(deserialize_with = "comma_list")]
    pub cors_allowed_origins: Vec<String>,
    /// Extra origins trusted for unsafe cookie-authenticated requests (Django's
    /// `CSRF_TRUSTED_ORIGINS`); the CORS origins are trusted too.
    #[serde(deserialize_with = "comma_list")]
    pub csrf_trusted_origins: Vec<String>,
    /// Public URL of the front end, used in e-mailed links (`UBLOG_FRONTEND_URL`);
    /// defaults to `http://<bind>`.
    pub frontend_url: Option<String>,
    /// Name of the session cookie (Django's `SESSION_COOKIE_NAME`).
    pub session_cookie_name: String,
    /// Name of the CSRF cookie (Django's `CSRF_COOKIE_NAME`).
    pub csrf_cookie_name: String,
    /// Send cookies over HTTPS only; defaults to true in production.
    pub cookie_secure: Option<bool>,
    /// `Strict`, `Lax` or `None` for every cookie.
    pub cookie_samesite: SameSitePolicy,
    /// Cookie `Domain`, e.g. `example.com` to share with sub-domains; unset keeps
    /// cookies on the API host (and allows the `__Host-` prefix).
    pub cookie_domain: Option<String>,
    /// A session unused this many seconds ends.
    pub session_idle_timeout: u64,
    /// A session ends this many seconds after login (Django's `SESSION_COOKIE_AGE`).
    pub session_cookie_age: u64,
    /// Authenticators tried in order (DRF's `DEFAULT_AUTHENTICATION_CLASSES`):
    /// any of `session`, `jwt`, `token`; leave one out to switch it off.
    #[serde(deserialize_with = "comma_list")]
    pub authenticators: Vec<String>,
    /// `HS256` (default), `EdDSA` or `RS256`.
    pub jwt_algorithm: JwtAlgorithmSetting,
    /// PEM file of the signing key (EdDSA: PKCS#8 Ed25519; RS256: RSA).
    pub jwt_private_key_file: Option<PathBuf>,
    /// SPKI PEM files of retired public keys that still verify until their
    /// last token expires (key rotation).
    #[serde(deserialize_with = "comma_list_paths")]
    pub jwt_previous_public_key_files: Vec<PathBuf>,
    /// Access token lifetime in seconds (simplejwt's `ACCESS_TOKEN_LIFETIME`).
    pub access_token_lifetime: u64,
    /// Refresh token lifetime in seconds (simplejwt's `REFRESH_TOKEN_LIFETIME`).
    pub refresh_token_lifetime: u64,
    /// Absolute lifetime of a login through a JWT flow, in seconds; rotation
    /// does not extend it.
    pub refresh_family_lifetime: u64,
    /// Clock skew tolerated on `exp`/`nbf`, seconds (simplejwt's `LEEWAY`).
    pub jwt_leeway: u64,
    /// `iss` set and required (simplejwt's `ISSUER`).
    pub jwt_issuer: Option<String>,
    /// `aud` set and required (simplejwt's `AUDIENCE`).
    pub jwt_audience: Option<String>,
    /// Issue a new refresh token at each refresh (simplejwt's `ROTATE_REFRESH_TOKENS`).
    pub rotate_refresh_tokens: bool,
    /// Seconds after a rotation during which the previous refresh token yields
    /// the same successor instead of revoking the login (two tabs racing).
    pub refresh_reuse_grace: u64,
    /// Name of the HttpOnly refresh cookie of the cookie flow.
    pub refresh_cookie_name: String,
    /// `SameSite` of the refresh cookie: `Strict` works for same-site front
    /// ends (sub-domains, other ports); `None` only for other sites.
    pub refresh_cookie_samesite: SameSitePolicy,
    /// Failed logins allowed per account in each window (ten times as many
    /// per client address); shared by every process.
    pub login_failure_limit: u32,
    /// The throttling window, in seconds.
    pub login_failure_window: u64,
    /// Seconds a request waits for a database connection before a 503.
    pub database_acquire_timeout: u64,
    /// Also set the access token in an HttpOnly `access` cookie in the cookie
    /// flow and accept it from there, as the later μblog back end does.
    pub jwt_access_cookie: bool,
    /// Largest JSON body in bytes.
    pub max_body_bytes: usize,
    /// Largest uploaded image in bytes.
    pub max_upload_bytes: usize,
    /// Password hashes computed at once; defaults to the number of CPUs.
    pub password_hash_concurrency: Option<usize>,
    /// argon2id memory in KiB; OWASP's 19 MiB unless lowered for tests.
    pub password_hash_memory_kib: u32,
    /// argon2id passes.
    pub password_hash_iterations: u32,
    /// Lifetime of an e-mail verification link, in seconds.
    pub verification_link_ttl: u64,
    /// Lifetime of a password reset link, in seconds.
    pub reset_link_ttl: u64,
    /// Return `X-Query-Count` (database queries of the request); for tests.
    pub expose_query_count: bool,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// Folder of the browser client.
    pub web_dir: PathBuf,
    /// Authentication mode the browser client starts in: `session`,
    /// `jwt-local`, `jwt-cookie` or `api-token` (visitors can switch).
    pub web_auth_mode: String,
    /// Also serve the browser client alone on this address, as a front end on
    /// another origin (`--frontend-bind`); its origin is allowed by CORS.
    pub frontend_bind: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            env: Environment::Development,
            bind: "127.0.0.1:8000".to_owned(),
            data_dir: PathBuf::from("./data"),
            database_url: None,
            secret_key: None,
            email_backend: EmailBackend::Console,
            email_dir: None,
            smtp_url: None,
            email_from: "μblog <noreply@localhost>".to_owned(),
            cors_allowed_origins: Vec::new(),
            csrf_trusted_origins: Vec::new(),
            frontend_url: None,
            session_cookie_name: "sessionid".to_owned(),
            csrf_cookie_name: "csrftoken".to_owned(),
            cookie_secure: None,
            cookie_samesite: SameSitePolicy::Lax,
            cookie_domain: None,
            session_idle_timeout: 7 * 24 * 3600,
            session_cookie_age: 14 * 24 * 3600,
            authenticators: vec!["session".to_owned(), "jwt".to_owned(), "token".to_owned()],
            jwt_algorithm: JwtAlgorithmSetting::HS256,
            jwt_private_key_file: None,
            jwt_previous_public_key_files: Vec::new(),
            access_token_lifetime: 5 * 60,
            refresh_token_lifetime: 24 * 3600,
            refresh_family_lifetime: 14 * 24 * 3600,
            jwt_leeway: 0,
            jwt_issuer: None,
            jwt_audience: None,
            rotate_refresh_tokens: true,
            refresh_reuse_grace: 5,
            refresh_cookie_name: "refresh_token".to_owned(),
            refresh_cookie_samesite: SameSitePolicy::Strict,
            login_failure_limit: 10,
            login_failure_window: 15 * 60,
            database_acquire_timeout: 2,
            jwt_access_cookie: false,
            max_body_bytes: 64 * 1024,
            max_upload_bytes: 5 * 1024 * 1024,
            password_hash_concurrency: None,
            password_hash_memory_kib: 19 * 1024,
            password_hash_iterations: 2,
            verification_link_ttl: 3 * 24 * 3600,
            reset_link_ttl: 3600,
            expose_query_count: false,
            log_format: LogFormat::Pretty,
            web_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web")),
            web_auth_mode: "session".to_owned(),
            frontend_bind: None,
        }
    }
}

/// Values given on the command line; they override everything else.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    /// `--config FILE`.
    pub config_file: Option<PathBuf>,
    /// `--bind ADDR`.
    pub bind: Option<String>,
    /// `--data-dir DIR`.
    pub data_dir: Option<PathBuf>,
    /// `--frontend-bind ADDR`.
    pub frontend_bind: Option<String>,
}

impl Settings {
    /// Builds the settings from every layer and validates them.
    ///
    /// # Errors
    /// Every problem found, each naming the setting.
    pub fn load(overrides: &Overrides) -> anyhow::Result<Self> {
        let file = overrides
            .config_file
            .clone()
            .unwrap_or_else(|| PathBuf::from("ublog.toml"));
        let mut figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&file))
            .merge(Env::prefixed("UBLOG_").split("__"))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        if let Some(bind) = &overrides.bind {
            figment = figment.merge(Serialized::default("bind", bind));
        }
        if let Some(bind) = &overrides.frontend_bind {
            figment = figment.merge(Serialized::default("frontend_bind", bind));
        }
        if let Some(dir) = &overrides.data_dir {
            figment = figment.merge(Serialized::default("data_dir", dir));
        }
        let settings: Settings = figment
            .extract()
            .map_err(|e| anyhow::anyhow!("invalid configuration: {e}"))?;
        let problems = settings.problems();
        if !problems.is_empty() {
            anyhow::bail!("invalid configuration:\n  - {}", problems.join("\n  - "));
        }
        Ok(settings)
    }

    /// True with `UBLOG_ENV=production`.
    pub fn is_production(&self) -> bool {
        self.env == Environment::Production
    }

    /// Whether cookies carry `Secure`.
    pub fn cookie_secure(&self) -> bool {
        self.cookie_secure.unwrap_or(self.is_production())
    }

    /// The base URL of e-mailed links, without a trailing slash.
    pub fn frontend_base(&self) -> String {
        self.frontend_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.bind))
            .trim_end_matches('/')
            .to_owned()
    }

    /// The SQLite database URL in the data folder.
    pub fn database_url(&self) -> String {
        self.database_url.clone().unwrap_or_else(|| {
            let path = self.data_dir.join("ublog.sqlite3");
            format!("sqlite://{}?mode=rwc", path.display())
        })
    }

    /// The folder of uploaded images.
    pub fn media_dir(&self) -> PathBuf {
        self.data_dir.join("media")
    }

    /// Origins trusted for CSRF: the explicit list plus the CORS origins.
    pub fn trusted_origins(&self) -> Vec<String> {
        self.csrf_trusted_origins
            .iter()
            .chain(&self.cors_allowed_origins)
            .cloned()
            .collect()
    }

    /// The signing secret: configured, or generated once into the data folder
    /// in development.
    ///
    /// # Errors
    /// When the generated secret cannot be read or written.
    pub fn signing_secret(&self) -> anyhow::Result<SecretString> {
        if let Some(key) = &self.secret_key {
            return Ok(key.clone());
        }
        load_or_create_dev_secret(&self.data_dir.join("secret_key"))
    }
}

fn load_or_create_dev_secret(path: &Path) -> anyhow::Result<SecretString> {
    use anyhow::Context as _;

    if let Ok(existing) = std::fs::read_to_string(path) {
        let existing = existing.trim().to_owned();
        if !existing.is_empty() {
            return Ok(SecretString::from(existing));
        }
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).context("creating the data folder")?;
    }
    let secret = format!(
        "{}{}",
        auth::secret::random_token(),
        auth::secret::random_token()
    );
    write_private(path, &secret).context("writing the generated secret key")?;
    Ok(SecretString::from(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;

    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

fn comma_list_paths<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<PathBuf>, D::Error> {
    Ok(comma_list(deserializer)?
        .into_iter()
        .map(PathBuf::from)
        .collect())
}

/// Accepts a list or a comma-separated string, as environment variables give.
fn comma_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrString {
        List(Vec<String>),
        String(String),
    }
    Ok(match ListOrString::deserialize(deserializer)? {
        ListOrString::List(list) => list,
        ListOrString::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    })
}
