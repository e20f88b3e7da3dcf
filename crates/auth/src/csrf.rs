//! CSRF protection for cookie-authenticated requests.
//!
//! Tokens are signed and bound to what they protect: a session's login id, or
//! "anonymous" for the login form itself. Each response gets a freshly masked
//! copy, so the token on the page never repeats (BREACH). On top of the token,
//! `Sec-Fetch-Site`, `Origin` and `Referer` must point at the site itself or a
//! trusted origin.

use axum::http::header::{ORIGIN, REFERER};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum_extra::extract::cookie::{Cookie, CookieJar};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;
use subtle::ConstantTimeEq as _;

use crate::cookies::CookieSettings;
use crate::error::AuthError;
use crate::identity::LoginId;

/// The request header that carries the token, as in Django.
pub const HEADER: &str = "x-csrftoken";

const NONCE: usize = 16;
const TAG: usize = 16;
const RAW: usize = NONCE + TAG;

type HmacSha256 = Hmac<Sha256>;

/// What a CSRF token protects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsrfBinding {
    /// A caller without a session: the login request.
    Anonymous,
    /// The session with this login id.
    Login(LoginId),
}

impl CsrfBinding {
    fn label(self) -> String {
        match self {
            Self::Anonymous => "anonymous".to_owned(),
            Self::Login(id) => format!("login:{id}"),
        }
    }
}

/// Issues and checks CSRF tokens.
pub struct Csrf {
    key: Vec<u8>,
    cookie: CookieSettings,
    trusted_origins: Vec<String>,
}

impl Csrf {
    /// A checker signing with a key derived from `secret`, trusting the
    /// listed origins (`scheme://host[:port]`) besides the site itself.
    pub fn new(secret: &[u8], cookie: CookieSettings, trusted_origins: &[String]) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("HMAC takes a key of any length");
        mac.update(b"ublog-auth csrf key");
        Self {
            key: mac.finalize().into_bytes().to_vec(),
            cookie,
            trusted_origins: trusted_origins
                .iter()
                .filter_map(|o| normalise_origin(o))
                .collect(),
        }
    }

    /// A new masked token for `binding`.
    pub fn issue(&self, binding: CsrfBinding) -> String {
        let mut raw = [0u8; RAW];
        rand::rngs::OsRng.fill_bytes(&mut raw[..NONCE]);
        let tag = self.tag(binding, &raw[..NONCE]);
        raw[NONCE..].copy_from_slice(&tag);
        mask(&raw)
    }

    /// The `csrftoken` cookie holding `token` (readable by JavaScript on purpose).
    pub fn cookie(&self, token: String) -> Cookie<'static> {
        self.cookie.build(token, time::Duration::days(365))
    }

    /// Checks an unsafe request made with the session `login`.
    ///
    /// # Errors
    /// [`AuthError::CsrfOrigin`], [`AuthError::CsrfMissing`] or [`AuthError::CsrfMismatch`].
    pub fn check_session_request(&self, parts: &Parts, login: LoginId) -> Result<(), AuthError> {
        self.check_origin(&parts.headers)?;
        let presented = header_token(&parts.headers).ok_or(AuthError::CsrfMissing)?;
        self.verify(CsrfBinding::Login(login), presented)
            .map(|_| ())
    }

    /// Checks an unsafe request made without a session, such as the login
    /// itself: the header must repeat the token of the `csrftoken` cookie.
    ///
    /// # Errors
    /// [`AuthError::CsrfOrigin`], [`AuthError::CsrfMissing`] or [`AuthError::CsrfMismatch`].
    pub fn check_anonymous_request(&self, parts: &Parts) -> Result<(), AuthError> {
        self.check_origin(&parts.headers)?;
        let presented = header_token(&parts.headers).ok_or(AuthError::CsrfMissing)?;
        let jar = CookieJar::from_headers(&parts.headers);
        let cookie = jar
            .get(&self.cookie.wire_name())
            .ok_or(AuthError::CsrfMissing)?;
        let from_header = self.verify(CsrfBinding::Anonymous, presented)?;
        let from_cookie = self.verify(CsrfBinding::Anonymous, cookie.value())?;
        if bool::from(from_header.ct_eq(&from_cookie)) {
            Ok(())
        } else {
            Err(AuthError::CsrfMismatch)
        }
    }

    /// Refuses requests whose browser says they come from another site.
    ///
    /// Requests without `Sec-Fetch-Site`, `Origin` and `Referer` (scripts,
    /// command-line clients) pass this step and rely on the token alone.
    ///
    /// # Errors
    /// [`AuthError::CsrfOrigin`].
    pub fn check_origin(&self, headers: &HeaderMap) -> Result<(), AuthError> {
        let site = headers
            .get(axum::http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let origin = headers
            .get(ORIGIN)
            .or_else(|| headers.get(REFERER))
            .map(|v| v.to_str().ok().and_then(|s| url::Url::parse(s).ok()));
        let fetch_site = headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none");

        let allowed = match origin {
            // A header that is present but unparsable ("null" included) is refused.
            Some(None) => false,
            Some(Some(url)) => authority(&url) == site || self.is_trusted(&url),
            None => matches!(fetch_site, "same-origin" | "none"),
        };
        if allowed {
            Ok(())
        } else {
            tracing::warn!(fetch_site, "csrf origin refused");
            Err(AuthError::CsrfOrigin)
        }
    }

    fn is_trusted(&self, url: &url::Url) -> bool {
        let origin = url.origin().ascii_serialization();
        self.trusted_origins.contains(&origin)
    }

    /// Unmasks `presented`, checks its signature for `binding`, and returns its nonce.
    fn verify(&self, binding: CsrfBinding, presented: &str) -> Result<[u8; NONCE], AuthError> {
        let raw = unmask(presented).ok_or(AuthError::CsrfMismatch)?;
        let expected = self.tag(binding, &raw[..NONCE]);
        // Compared in constant time: the token is attacker-controlled.
        if !bool::from(expected.ct_eq(&raw[NONCE..])) {
            return Err(AuthError::CsrfMismatch);
        }
        let mut nonce = [0u8; NONCE];
        nonce.copy_from_slice(&raw[..NONCE]);
        Ok(nonce)
    }

    fn tag(&self, binding: CsrfBinding, nonce: &[u8]) -> [u8; TAG] {
        let mut mac =
            HmacSha256::new_from_slice(&self.key).expect("HMAC takes a key of any length");
        mac.update(binding.label().as_bytes());
        mac.update(b"\0");
        mac.update(nonce);
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; TAG];
        tag.copy_from_slice(&full[..TAG]);
        tag
    }
}

fn header_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty())
}

fn authority(url: &url::Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => String::new(),
    }
}

fn normalise_origin(origin: &str) -> Option<String> {
    let url = url::Url::parse(origin.trim()).ok()?;
    Some(url.origin().ascii_serialization())
}

/// `mask || (raw XOR mask)`, so the same secret never shows the same bytes twice.
fn mask(raw: &[u8; RAW]) -> String {
    let mut out = [0u8; RAW * 2];
    rand::rngs::OsRng.fill_bytes(&mut out[..RAW]);
    for i in 0..RAW {
        out[RAW + i] = raw[i] ^ out[i];
    }
    URL_SAFE_NO_PAD.encode(out)
}

/// Accepts the masked form and the bare form, as Django does for its tokens.
fn unmask(presented: &str) -> Option<[u8; RAW]> {
    if presented.len() > 128 {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(presented).ok()?;
    let mut raw = [0u8; RAW];
    match bytes.len() {
        RAW => raw.copy_from_slice(&bytes),
        n if n == RAW * 2 => {
            for i in 0..RAW {
                raw[i] = bytes[RAW + i] ^ bytes[i];
            }
        }
        _ => return None,
    }
    Some(raw)
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderValue, Request};
    use axum_extra::extract::cookie::SameSite;

    use super::*;

    fn csrf() -> Csrf {
        let cookie = CookieSettings {
            name: "csrftoken".to_owned(),
            secure: false,
            same_site: SameSite::Lax,
            domain: None,
            path: "/".to_owned(),
            http_only: false,
            prefixed: false,
        };
        Csrf::new(
            b"test secret",
            cookie,
            &["http://localhost:8080".to_owned()],
        )
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert("host", HeaderValue::from_static("localhost:8000"));
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn a_token_verifies_only_for_its_binding_and_never_repeats() {
        let csrf = csrf();
        let binding = CsrfBinding::Login(LoginId(7));

        let first = csrf.issue(binding);
        let second = csrf.issue(binding);

        assert_ne!(first, second);
        assert!(csrf.verify(binding, &first).is_ok());
        assert!(csrf.verify(CsrfBinding::Login(LoginId(8)), &first).is_err());
        assert!(csrf.verify(CsrfBinding::Anonymous, &first).is_err());
    }

    #[test]
    fn an_altered_or_foreign_token_is_refused() {
        let csrf = csrf();
        let other = Csrf::new(b"other secret", csrf.cookie.clone(), &[]);
        let token = csrf.issue(CsrfBinding::Anonymous);
        let mut altered = token.clone().into_bytes();
        altered[80] = if altered[80] == b'A' { b'B' } else { b'A' };

        assert!(other.verify(CsrfBinding::Anonymous, &token).is_err());
        assert!(csrf
            .verify(
                CsrfBinding::Anonymous,
                std::str::from_utf8(&altered).unwrap()
            )
            .is_err());
        assert!(csrf.verify(CsrfBinding::Anonymous, "not base64 !").is_err());
        assert!(csrf.verify(CsrfBinding::Anonymous, "").is_err());
    }

    #[test]
    fn origins_are_checked_against_the_site_and_the_trusted_list() {
        let csrf = csrf();
        let cases = [
            (
                "same origin",
                vec![("origin", "http://localhost:8000")],
                true,
            ),
            (
                "trusted front end",
                vec![("origin", "http://localhost:8080")],
                true,
            ),
            (
                "foreign origin",
                vec![("origin", "http://evil.test")],
                false,
            ),
            ("null origin", vec![("origin", "null")], false),
            (
                "foreign referer",
                vec![("referer", "http://evil.test/page")],
                false,
            ),
            (
                "cross-site fetch",
                vec![("sec-fetch-site", "cross-site")],
                false,
            ),
            ("no browser headers", vec![], true),
        ];
        for (name, pairs, expected) in cases {
            let allowed = csrf.check_origin(&headers(&pairs)).is_ok();

            assert_eq!(allowed, expected, "{name}");
        }
    }

    #[test]
    fn login_needs_the_header_to_match_the_cookie() {
        let csrf = csrf();
        let token = csrf.issue(CsrfBinding::Anonymous);
        let other = csrf.issue(CsrfBinding::Anonymous);
        let request = |header: &str, cookie: &str| {
            Request::builder()
                .header("host", "localhost:8000")
                .header(HEADER, header)
                .header("cookie", format!("csrftoken={cookie}"))
                .body(())
                .unwrap()
                .into_parts()
                .0
        };

        assert!(csrf
            .check_anonymous_request(&request(&token, &token))
            .is_ok());
        assert!(csrf
            .check_anonymous_request(&request(&other, &token))
            .is_err());
    }
}
