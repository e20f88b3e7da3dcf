//! The text of a post.

use crate::error::ApiError;

/// Longest post, in characters.
pub(crate) const MAX_CHARS: usize = 200;

/// Post text of 1 to 200 characters.
#[derive(Debug, Clone)]
pub struct PostBody(String);

impl PostBody {
    /// Validates post text; surrounding blanks do not count.
    ///
    /// # Errors
    /// A field error on `body`.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let body = raw.trim();
        if body.is_empty() {
            return Err(ApiError::field("body", "This field may not be blank."));
        }
        if body.chars().count() > MAX_CHARS {
            return Err(ApiError::field(
                "body",
                format!("Ensure this field has no more than {MAX_CHARS} characters."),
            ));
        }
        Ok(Self(body.to_owned()))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_is_counted_in_characters() {
        assert!(PostBody::parse(&"é".repeat(200)).is_ok());
        assert!(PostBody::parse(&"é".repeat(201)).is_err());
        assert!(PostBody::parse("   ").is_err());
    }
}
