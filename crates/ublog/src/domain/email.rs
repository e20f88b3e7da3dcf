//! An e-mail address used as a login.

use crate::error::ApiError;

/// Longest address accepted (RFC 5321 path limit).
const MAX_LEN: usize = 254;

/// A syntactically valid e-mail address with its domain in lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// Validates and normalises an address typed by a user.
    ///
    /// The domain is lower-cased as Django does; the local part is kept, and
    /// uniqueness is enforced case-insensitively by the database.
    ///
    /// # Errors
    /// A field error on `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let trimmed = raw.trim();
        let invalid = || ApiError::field(field, "Enter a valid e-mail address.");
        if trimmed.is_empty() {
            return Err(ApiError::field(field, "This field may not be blank."));
        }
        if trimmed.len() > MAX_LEN {
            return Err(invalid());
        }
        let (local, domain) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let normalised = format!("{local}@{}", domain.to_lowercase());
        normalised
            .parse::<lettre::Address>()
            .map_err(|_| invalid())?;
        if !domain.contains('.') && domain != "localhost" {
            return Err(invalid());
        }
        Ok(Self(normalised))
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_is_lower_cased_and_the_local_part_kept() {
        assert_eq!(
            Email::parse("email", " Alice@Example.COM ")
                .unwrap()
                .as_str(),
            "Alice@example.com"
        );
    }

    #[test]
    fn malformed_addresses_are_field_errors() {
        for raw in [
            "",
            "alice",
            "alice@",
            "@example.com",
            "a b@example.com",
            "alice@example",
        ] {
            assert!(Email::parse("email", raw).is_err(), "{raw:?}");
        }
    }
}
