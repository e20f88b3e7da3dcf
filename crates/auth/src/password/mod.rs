//! Password hashing and verification, including hashes imported from Django.
//!
//! New hashes are argon2id with OWASP's recommended parameters. Hashes made by
//! Django's built-in hashers still verify and report that they need rehashing,
//! so the caller can upgrade them on the next successful login.

mod policy;

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret as _, SecretString};
use tokio::sync::Semaphore;
use tracing::Instrument as _;

pub use policy::PasswordPolicy;

use crate::error::{AuthError, BoxError};

/// OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, two passes, one lane.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const LANES: u32 = 1;

/// Prefixes of the Django hasher formats that are accepted for verification.
const DJANGO_FORMATS: [&str; 5] = [
    "pbkdf2_sha256$",
    "pbkdf2_sha1$",
    "argon2$",
    "bcrypt_sha256$",
    "scrypt$",
];

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verification {
    /// The password does not match (or there was no account to match).
    Invalid,
    /// The password matches; `needs_rehash` asks the caller to store a new hash.
    Valid {
        /// True when the stored hash is not argon2id with the current parameters.
        needs_rehash: bool,
    },
}

/// Hashes and verifies passwords on a bounded pool of blocking threads.
///
/// # Security
/// At most `concurrency` hashes run at once, so a burst of logins queues here
/// instead of occupying every blocking thread of the runtime; other requests
/// keep being served.
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    params: Params,
    dummy_hash: Arc<str>,
}

impl PasswordHasher {
    /// A hasher that runs at most `concurrency` hashes at a time.
    pub fn new(concurrency: usize) -> Self {
        Self::with_params(concurrency, MEMORY_KIB, ITERATIONS, LANES)
    }

    /// A hasher with explicit argon2id parameters (cheaper ones are handy in tests).
    ///
    /// # Panics
    /// When the parameters are outside argon2's limits, which is a programming error.
    pub fn with_params(concurrency: usize, memory_kib: u32, iterations: u32, lanes: u32) -> Self {
        let params = Params::new(memory_kib, iterations, lanes, None)
            .expect("argon2 parameters are chosen by the program, not the client");
        let dummy_hash = hash_with(&params, "timing-equaliser-for-unknown-accounts")
            .expect("hashing a constant with valid parameters cannot fail");
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            params,
            dummy_hash: dummy_hash.into(),
        }
    }

    /// Hashes a new password with argon2id.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the blocking pool is gone.
    pub async fn hash(&self, password: SecretString) -> Result<String, AuthError> {
        let params = self.params.clone();
        self.run_blocking(move || hash_with(&params, password.expose_secret()))
            .await?
            .map_err(AuthError::Internal)
    }

    /// Checks `password` against `stored`, exactly as typed.
    ///
    /// With `stored` set to `None` (no such account) a dummy hash is checked
    /// instead, so an unknown e-mail costs as much time as a wrong password.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the blocking pool is gone.
    pub async fn verify(
        &self,
        password: SecretString,
        stored: Option<String>,
    ) -> Result<Verification, AuthError> {
        let params = self.params.clone();
        let known = stored.is_some();
        let encoded = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let outcome = self
            .run_blocking(move || verify_with(&params, password.expose_secret(), &encoded))
            .await?;
        Ok(if known {
            outcome
        } else {
            Verification::Invalid
        })
    }

    async fn run_blocking<T, F>(&self, work: F) -> Result<T, AuthError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| AuthError::Internal(e.into()))?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || span.in_scope(work))
            .instrument(tracing::Span::current())
            .await
            .map_err(|e| AuthError::Internal(e.into()))
    }
}

fn argon2id(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_with(params: &Params, password: &str) -> Result<String, BoxError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let hash = argon2id(params)
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| -> BoxError { e.to_string().into() })?;
    Ok(hash.to_string())
}

fn verify_with(params: &Params, password: &str, encoded: &str) -> Verification {
    if DJANGO_FORMATS
        .iter()
        .any(|prefix| encoded.starts_with(prefix))
    {
        return match djangohashers::check_password(password, encoded) {
            Ok(true) => Verification::Valid { needs_rehash: true },
            _ => Verification::Invalid,
        };
    }
    let Ok(parsed) = PasswordHash::new(encoded) else {
        return Verification::Invalid;
    };
    // Any PHC algorithm argon2 knows verifies; only ours counts as current.
    let matches = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    if !matches {
        return Verification::Invalid;
    }
    let current = parsed.algorithm == Algorithm::Argon2id.ident()
        && Params::try_from(&parsed).is_ok_and(|p| {
            p.m_cost() == params.m_cost()
                && p.t_cost() == params.t_cost()
                && p.p_cost() == params.p_cost()
        });
    Verification::Valid {
        needs_rehash: !current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHasher {
        PasswordHasher::with_params(2, 64, 1, 1)
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[tokio::test]
    async fn a_fresh_hash_verifies_and_needs_no_rehash() {
        let hasher = cheap();

        let hash = hasher.hash(secret("correct horse")).await.unwrap();
        let ok = hasher
            .verify(secret("correct horse"), Some(hash.clone()))
            .await
            .unwrap();
        let bad = hasher
            .verify(secret("correct horsE"), Some(hash))
            .await
            .unwrap();

        assert_eq!(
            ok,
            Verification::Valid {
                needs_rehash: false
            }
        );
        assert_eq!(bad, Verification::Invalid);
    }

    #[tokio::test]
    async fn a_hash_with_other_parameters_asks_for_a_rehash() {
        let old = cheap().hash(secret("pw")).await.unwrap();

        let outcome = PasswordHasher::with_params(1, 128, 1, 1)
            .verify(secret("pw"), Some(old))
            .await
            .unwrap();

        assert_eq!(outcome, Verification::Valid { needs_rehash: true });
    }

    #[tokio::test]
    async fn django_pbkdf2_hashes_verify_and_ask_for_a_rehash() {
        let django = djangohashers::make_password_with_algorithm(
            "s3cret pass",
            djangohashers::Algorithm::PBKDF2,
        );

        let ok = cheap()
            .verify(secret("s3cret pass"), Some(django.clone()))
            .await
            .unwrap();
        let bad = cheap()
            .verify(secret("s3cret Pass"), Some(django))
            .await
            .unwrap();

        assert_eq!(ok, Verification::Valid { needs_rehash: true });
        assert_eq!(bad, Verification::Invalid);
    }

    #[tokio::test]
    async fn every_django_format_verifies() {
        let formats = [
            ("pbkdf2_sha1", djangohashers::Algorithm::PBKDF2SHA1),
            ("argon2", djangohashers::Algorithm::Argon2),
            ("bcrypt_sha256", djangohashers::Algorithm::BCryptSHA256),
            ("scrypt", djangohashers::Algorithm::Scrypt),
        ];
        for (name, algorithm) in formats {
            let encoded = djangohashers::make_password_with_algorithm("pw 1", algorithm);

            let outcome = cheap().verify(secret("pw 1"), Some(encoded)).await.unwrap();

            assert_eq!(
                outcome,
                Verification::Valid { needs_rehash: true },
                "{name}"
            );
        }
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        let outcome = cheap()
            .verify(secret("timing-equaliser-for-unknown-accounts"), None)
            .await
            .unwrap();

        assert_eq!(outcome, Verification::Invalid);
    }

    #[tokio::test]
    async fn garbage_in_the_stored_hash_is_a_mismatch_not_an_error() {
        let outcome = cheap()
            .verify(secret("pw"), Some("!unusable".to_owned()))
            .await
            .unwrap();

        assert_eq!(outcome, Verification::Invalid);
    }
}
