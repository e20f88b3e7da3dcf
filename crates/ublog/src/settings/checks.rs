//! Validation of the settings: what stops start-up, and what `ublog check
//! --deploy` reports as unsafe for production.

use std::net::SocketAddr;

use secrecy::ExposeSecret as _;

use super::{EmailBackend, JwtAlgorithmSetting, SameSitePolicy, Settings};

/// Shortest signing secret accepted in production, as Django's deploy check asks.
const MIN_SECRET_LEN: usize = 50;

impl Settings {
    /// Every setting that stops start-up, each naming the setting.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        if self.bind.parse::<SocketAddr>().is_err() {
            problems.push(format!(
                "bind: `{}` is not an address like 127.0.0.1:8000",
                self.bind
            ));
        }
        if self.is_production() {
            match &self.secret_key {
                None => problems.push("secret_key: UBLOG_SECRET_KEY is required in production".to_owned()),
                Some(key) if is_weak_secret(key.expose_secret()) => problems.push(format!(
                    "secret_key: must be at least {MIN_SECRET_LEN} characters with at least 5 distinct ones"
                )),
                Some(_) => {}
            }
            if !self.cookie_secure() {
                problems.push("cookie_secure: cookies must be Secure in production".to_owned());
            }
        }
        if self.email_backend == EmailBackend::File && self.email_dir.is_none() {
            problems.push(
                "email_dir: UBLOG_EMAIL_DIR is required by the file e-mail back end".to_owned(),
            );
        }
        if self.email_backend == EmailBackend::Smtp && self.smtp_url.is_none() {
            problems.push(
                "smtp_url: UBLOG_SMTP_URL is required by the smtp e-mail back end".to_owned(),
            );
        }
        if self.cookie_samesite == SameSitePolicy::None && !self.cookie_secure() {
            problems.push("cookie_samesite: None requires cookie_secure".to_owned());
        }
        for origin in self
            .cors_allowed_origins
            .iter()
            .chain(&self.csrf_trusted_origins)
        {
            if !is_origin(origin) {
                problems.push(format!(
                    "`{origin}` is not an origin like https://app.example.com"
                ));
            }
        }
        if let Some(url) = &self.frontend_url {
            if url::Url::parse(url).is_err() {
                problems.push(format!("frontend_url: `{url}` is not a URL"));
            }
        }
        if self.session_idle_timeout == 0 || self.session_cookie_age == 0 {
            problems
                .push("session_idle_timeout and session_cookie_age must be positive".to_owned());
        }
        if !["session", "jwt-local", "jwt-cookie", "api-token"]
            .contains(&self.web_auth_mode.as_str())
        {
            problems
                .push("web_auth_mode: use session, jwt-local, jwt-cookie or api-token".to_owned());
        }
        if let Some(bind) = &self.frontend_bind {
            if bind.parse::<SocketAddr>().is_err() {
                problems.push(format!(
                    "frontend_bind: `{bind}` is not an address like 127.0.0.1:8080"
                ));
            }
        }
        for name in &self.authenticators {
            if auth::authenticator::AuthenticatorKind::parse(name).is_none() {
                problems.push(format!(
                    "authenticators: `{name}` is not one of session, jwt, token"
                ));
            }
        }
        if self.jwt_algorithm != JwtAlgorithmSetting::HS256 && self.jwt_private_key_file.is_none() {
            problems.push("jwt_private_key_file: EdDSA and RS256 need the signing key".to_owned());
        }
        if self.access_token_lifetime == 0 || self.refresh_token_lifetime == 0 {
            problems.push(
                "access_token_lifetime and refresh_token_lifetime must be positive".to_owned(),
            );
        }
        if self.refresh_cookie_samesite == SameSitePolicy::None && !self.cookie_secure() {
            problems.push("refresh_cookie_samesite: None requires cookie_secure".to_owned());
        }
        if self.password_hash_memory_kib < 8 || self.password_hash_iterations == 0 {
            problems.push(
                "password_hash_memory_kib must be at least 8 and iterations at least 1".to_owned(),
            );
        }
        problems
    }

    /// What `ublog check --deploy` reports beyond [`Settings::problems`]:
    /// settings that work but are unsafe for production.
    pub fn deploy_warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        if !self.is_production() {
            warnings.push("env: UBLOG_ENV is not `production`".to_owned());
        }
        if self.secret_key.is_none() {
            warnings.push(
                "secret_key: no UBLOG_SECRET_KEY; a generated development key is used".to_owned(),
            );
        }
        if !self.cookie_secure() {
            warnings.push("cookie_secure: cookies are sent over plain HTTP".to_owned());
        }
        if self.email_backend == EmailBackend::Console {
            warnings
                .push("email_backend: `console` prints verification and reset links".to_owned());
        }
        if self.password_hash_memory_kib < 19 * 1024 || self.password_hash_iterations < 2 {
            warnings
                .push("password_hash_*: weaker than OWASP's argon2id recommendation".to_owned());
        }
        if self.expose_query_count {
            warnings
                .push("expose_query_count: internal details are exposed in responses".to_owned());
        }
        if self.frontend_url.is_none() {
            warnings.push("frontend_url: e-mailed links point at the bind address".to_owned());
        }
        warnings
    }
}

fn is_weak_secret(secret: &str) -> bool {
    let distinct: std::collections::HashSet<char> = secret.chars().collect();
    secret.chars().count() < MIN_SECRET_LEN || distinct.len() < 5
}

fn is_origin(origin: &str) -> bool {
    url::Url::parse(origin).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.path() == "/" && !origin.ends_with('/')
    })
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::super::Environment;
    use super::*;

    #[test]
    fn production_refuses_a_missing_or_weak_secret() {
        let mut settings = Settings {
            env: Environment::Production,
            ..Settings::default()
        };
        assert!(settings
            .problems()
            .iter()
            .any(|p| p.starts_with("secret_key")));

        settings.secret_key = Some(SecretString::from("short".to_owned()));
        assert!(settings
            .problems()
            .iter()
            .any(|p| p.starts_with("secret_key")));

        settings.secret_key = Some(SecretString::from("x".repeat(60)));
        assert!(settings
            .problems()
            .iter()
            .any(|p| p.starts_with("secret_key")));
    }

    #[test]
    fn origins_must_be_bare_origins() {
        assert!(is_origin("http://localhost:8080"));
        assert!(!is_origin("http://localhost:8080/"));
        assert!(!is_origin("localhost:8080"));
        assert!(!is_origin("ftp://example.com"));
    }
}
