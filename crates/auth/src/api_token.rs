//! API tokens: personal tokens with a name, scopes and expiry, and the one
//! token per user of Django REST framework's `/api-token-auth/`.
//!
//! A key looks like `ublog_<48 hex><8 hex>`: a fixed prefix and a CRC32 of
//! the random part, so secret scanners can recognise a leaked key and a
//! mistyped one is refused without a database query. Only its hash is stored.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;
use time::OffsetDateTime;

use crate::client::ClientMeta;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, Scopes, UserId};
use crate::login_cache::{CachedLogin, LoginCache};
use crate::secret::{hash_token, random_token};
use crate::store::NewLogin;

/// The visible prefix of every key.
pub const KEY_PREFIX: &str = "ublog_";

const RANDOM_BYTES: usize = 24;

/// Lifetime given to tokens created without an expiry.
pub const NO_EXPIRY: Duration = Duration::from_secs(100 * 365 * 24 * 3600);

/// What a new personal token is for.
#[derive(Debug, Clone)]
pub struct NewApiToken {
    /// The owner's label.
    pub name: String,
    /// What it may do.
    pub scopes: Scopes,
    /// How long it lives; `None` means until revoked.
    pub expires_in: Option<Duration>,
}

/// Creates and checks API tokens.
pub struct ApiTokens {
    cache: Arc<LoginCache>,
    derive_key: Vec<u8>,
}

impl ApiTokens {
    pub(crate) fn new(cache: Arc<LoginCache>, secret: &[u8]) -> Self {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes a key of any length");
        mac.update(b"ublog-auth drf token key");
        Self {
            cache,
            derive_key: mac.finalize().into_bytes().to_vec(),
        }
    }

    /// Creates a personal token and returns its id and its key, which is shown
    /// once and never stored.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn create(
        &self,
        user: UserId,
        token: NewApiToken,
        client: ClientMeta,
    ) -> Result<(LoginId, String), AuthError> {
        let mut random = [0u8; RANDOM_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut random);
        let key = format_key(&random);
        let now = OffsetDateTime::now_utc();
        let login = self
            .cache
            .store()
            .create_login(NewLogin {
                user,
                method: AuthMethod::ApiToken,
                secret_hash: hash_token(&key),
                created_at: now,
                expires_at: now + token.expires_in.unwrap_or(NO_EXPIRY),
                user_agent: client.user_agent,
                ip: client.ip,
                name: Some(token.name),
                scopes: token.scopes,
            })
            .await
            .map_err(AuthError::Internal)?;
        Ok((login, key))
    }

    /// The user's single DRF token, created on first use.
    ///
    /// The key is derived from the server secret and the login id, so the same
    /// key comes back on every call, as DRF promises, while the database holds
    /// only its hash.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn drf_token(&self, user: UserId, client: ClientMeta) -> Result<String, AuthError> {
        let store = self.cache.store();
        if let Some(existing) = store
            .find_user_login(user, AuthMethod::DrfToken)
            .await
            .map_err(AuthError::Internal)?
        {
            return Ok(self.derived_key(existing.id));
        }
        let now = OffsetDateTime::now_utc();
        let created = store
            .create_login(NewLogin {
                user,
                method: AuthMethod::DrfToken,
                // Replaced below once the id, and so the key, is known.
                secret_hash: hash_token(&random_token()),
                created_at: now,
                expires_at: now + NO_EXPIRY,
                user_agent: client.user_agent,
                ip: client.ip,
                name: Some("API token".to_owned()),
                scopes: Scopes::ReadWrite,
            })
            .await;
        let login = match created {
            Ok(login) => login,
            // A concurrent call won the unique index; use its token.
            Err(_) => {
                store
                    .find_user_login(user, AuthMethod::DrfToken)
                    .await
                    .map_err(AuthError::Internal)?
                    .ok_or_else(|| {
                        AuthError::Internal("the DRF token could not be created".into())
                    })?
                    .id
            }
        };
        let key = self.derived_key(login);
        store
            .set_login_secret(login, &hash_token(&key))
            .await
            .map_err(AuthError::Internal)?;
        Ok(key)
    }

    /// The live token behind `key`; malformed keys cost no query.
    pub(crate) async fn resolve(&self, key: &str) -> Result<Option<Arc<CachedLogin>>, AuthError> {
        if !is_well_formed(key) {
            return Ok(None);
        }
        self.cache
            .resolve(
                &hash_token(key),
                &[AuthMethod::ApiToken, AuthMethod::DrfToken],
                None,
            )
            .await
    }

    fn derived_key(&self, login: LoginId) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.derive_key)
            .expect("HMAC takes a key of any length");
        mac.update(login.0.to_string().as_bytes());
        let digest = mac.finalize().into_bytes();
        let mut random = [0u8; RANDOM_BYTES];
        random.copy_from_slice(&digest[..RANDOM_BYTES]);
        format_key(&random)
    }
}

fn format_key(random: &[u8; RANDOM_BYTES]) -> String {
    let body = hex(random);
    let checksum = crc32fast::hash(body.as_bytes());
    format!("{KEY_PREFIX}{body}{checksum:08x}")
}

/// True when `key` has the prefix, the length and a matching checksum.
pub fn is_well_formed(key: &str) -> bool {
    let Some(rest) = key.strip_prefix(KEY_PREFIX) else {
        return false;
    };
    if rest.len() != RANDOM_BYTES * 2 + 8 || !rest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return false;
    }
    let (body, checksum) = rest.split_at(RANDOM_BYTES * 2);
    format!("{:08x}", crc32fast::hash(body.as_bytes())) == checksum
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_a_prefix_and_a_checksum() {
        let key = format_key(&[7u8; RANDOM_BYTES]);
        let mut typo = key.clone().into_bytes();
        typo[10] = if typo[10] == b'0' { b'1' } else { b'0' };

        assert!(key.starts_with("ublog_"));
        assert!(is_well_formed(&key));
        assert!(!is_well_formed(std::str::from_utf8(&typo).unwrap()));
        assert!(!is_well_formed("ublog_short"));
        assert!(!is_well_formed(&key.replace("ublog_", "other_")));
    }
}
