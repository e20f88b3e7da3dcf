//! First and last names.

use crate::error::ApiError;

/// Longest name accepted, as Django's `first_name`/`last_name` fields.
const MAX_LEN: usize = 150;

/// A first or last name, trimmed; may be empty.
#[derive(Debug, Clone)]
pub struct PersonName(String);

impl PersonName {
    /// Validates a name.
    ///
    /// # Errors
    /// A field error on `field` when the name is too long or holds control characters.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ApiError> {
        let name = raw.trim();
        if name.chars().count() > MAX_LEN {
            return Err(ApiError::field(
                field,
                format!("Use at most {MAX_LEN} characters."),
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ApiError::field(
                field,
                "Control characters are not allowed.",
            ));
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}
