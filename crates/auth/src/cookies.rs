//! Cookie attributes shared by every cookie the crate sets.

use axum_extra::extract::cookie::{Cookie, SameSite};

/// How a cookie is named and scoped.
#[derive(Debug, Clone)]
pub struct CookieSettings {
    /// The configured name, without any `__Host-`/`__Secure-` prefix.
    pub name: String,
    /// Send only over HTTPS. Required in production.
    pub secure: bool,
    /// The `SameSite` attribute.
    pub same_site: SameSite,
    /// The `Domain` attribute; `None` keeps the cookie on the exact host.
    pub domain: Option<String>,
    /// The `Path` attribute.
    pub path: String,
    /// Hide the cookie from JavaScript.
    pub http_only: bool,
    /// Add the strongest name prefix the attributes allow.
    pub prefixed: bool,
}

impl CookieSettings {
    /// The name on the wire, with a prefix when `prefixed` and the attributes allow it.
    ///
    /// # Security
    /// `__Host-` (Secure, Path=/, no Domain) stops a sibling sub-domain from
    /// planting the cookie; `__Secure-` at least proves it came over HTTPS.
    pub fn wire_name(&self) -> String {
        if !self.prefixed || !self.secure {
            return self.name.clone();
        }
        if self.domain.is_none() && self.path == "/" {
            format!("__Host-{}", self.name)
        } else {
            format!("__Secure-{}", self.name)
        }
    }

    /// A cookie holding `value` for `max_age`.
    pub fn build(&self, value: String, max_age: time::Duration) -> Cookie<'static> {
        let mut cookie = Cookie::build((self.wire_name(), value))
            .path(self.path.clone())
            .secure(self.secure)
            .http_only(self.http_only)
            .same_site(self.same_site)
            .max_age(max_age)
            .build();
        if let Some(domain) = &self.domain {
            cookie.set_domain(domain.clone());
        }
        cookie
    }

    /// A cookie that makes the browser forget this one.
    pub fn removal(&self) -> Cookie<'static> {
        self.build(String::new(), time::Duration::ZERO)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> CookieSettings {
        CookieSettings {
            name: "sessionid".to_owned(),
            secure: true,
            same_site: SameSite::Lax,
            domain: None,
            path: "/".to_owned(),
            http_only: true,
            prefixed: true,
        }
    }

    #[test]
    fn host_prefix_needs_secure_root_path_and_no_domain() {
        let mut with_domain = settings();
        with_domain.domain = Some("example.com".to_owned());
        let mut insecure = settings();
        insecure.secure = false;

        assert_eq!(settings().wire_name(), "__Host-sessionid");
        assert_eq!(with_domain.wire_name(), "__Secure-sessionid");
        assert_eq!(insecure.wire_name(), "sessionid");
    }
}
