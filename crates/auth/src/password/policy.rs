//! Password rules in the spirit of Django's four default validators.

/// Rules a new password must pass; each failure is one message for the field.
#[derive(Debug, Clone)]
pub struct PasswordPolicy {
    /// Minimum number of characters.
    pub min_length: usize,
    /// Similarity ratio (0–1) to a user attribute at which a password is refused.
    pub max_similarity: f64,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            max_similarity: 0.7,
        }
    }
}

impl PasswordPolicy {
    /// Checks `password` against every rule and returns all the failures.
    ///
    /// `attributes` are what the password must not resemble: the e-mail
    /// address and the names of the user.
    ///
    /// # Errors
    /// The list of messages, one per rule the password breaks.
    pub fn check(&self, password: &str, attributes: &[&str]) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        if password.chars().count() < self.min_length {
            problems.push(format!(
                "The password is too short: use at least {} characters.",
                self.min_length
            ));
        }
        if self.resembles_any(password, attributes) {
            problems.push("The password is too close to your e-mail address or name.".to_owned());
        }
        if passwords::analyzer::is_common_password(password.to_lowercase()) {
            problems.push("The password is one of the most commonly used.".to_owned());
        }
        if !password.is_empty() && password.chars().all(|c| c.is_numeric()) {
            problems.push("The password cannot be made of digits only.".to_owned());
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// True when the password is close to an attribute or to one of its parts
    /// (an e-mail also counts as its local part and each of its words).
    fn resembles_any(&self, password: &str, attributes: &[&str]) -> bool {
        let password = password.to_lowercase();
        attributes
            .iter()
            .flat_map(|value| {
                let value = value.to_lowercase();
                let mut parts: Vec<String> = value
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|p| p.len() >= 3)
                    .map(str::to_owned)
                    .collect();
                if let Some((local, _domain)) = value.split_once('@') {
                    parts.push(local.to_owned());
                }
                parts.push(value);
                parts
            })
            .any(|part| {
                strsim::normalized_levenshtein(&password, &part) >= self.max_similarity
                    || (part.len() >= 4
                        && password.contains(&part)
                        && part.len() * 2 >= password.len())
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(password: &str) -> Vec<String> {
        PasswordPolicy::default()
            .check(password, &["alice.smith@example.com", "Alice", "Smith"])
            .err()
            .unwrap_or_default()
    }

    #[test]
    fn a_long_unusual_password_passes() {
        assert!(problems("tangerine-orbit-47-sloop").is_empty());
    }

    #[test]
    fn each_rule_reports_its_own_message() {
        let cases = [
            ("short", "short", "too short"),
            ("digits only", "84736251994", "digits only"),
            ("common", "password123", "commonly used"),
            ("like the e-mail", "alice.smith1", "too close"),
        ];
        for (name, password, expected) in cases {
            let found = problems(password);

            assert!(
                found.iter().any(|p| p.contains(expected)),
                "{name}: {found:?}"
            );
        }
    }

    #[test]
    fn passwords_are_checked_as_typed() {
        let policy = PasswordPolicy::default();

        assert!(policy.check("  spaced  out  words  ", &[]).is_ok());
    }
}
