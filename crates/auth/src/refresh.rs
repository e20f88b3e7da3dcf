//! Refresh-token families: a login through a JWT flow, its rotation with
//! reuse detection, and its revocation.
//!
//! No row is stored per refresh token. A family row holds its current
//! generation; a refresh token carries the family id and its generation, and
//! is accepted only while that generation is current. Rotation is one atomic
//! compare-and-increment, so concurrent refreshes with one token never yield
//! two live successors.

use std::sync::Arc;

use time::OffsetDateTime;

use crate::client::ClientMeta;
use crate::error::AuthError;
use crate::identity::{AuthMethod, LoginId, Scopes, UserId};
use crate::jwt::{Claims, Jwt, TokenType};
use crate::revocation::Revoker;
use crate::secret::{hash_token, random_token};
use crate::store::{LoginRecord, NewLogin};

/// Tokens handed to a client.
#[derive(Debug, Clone)]
pub struct TokenPair {
    /// The user the tokens are for.
    pub user: UserId,
    /// The family.
    pub login: LoginId,
    /// A new access token.
    pub access: String,
    /// The refresh token; `None` when rotation is off and the old one stays valid.
    pub refresh: Option<String>,
}

/// Starts, rotates and ends refresh families.
pub struct Families {
    jwt: Arc<Jwt>,
    revoker: Arc<Revoker>,
}

impl Families {
    pub(crate) fn new(jwt: Arc<Jwt>, revoker: Arc<Revoker>) -> Self {
        Self { jwt, revoker }
    }

    /// The signer, for decoding and the JWKS document.
    pub fn jwt(&self) -> &Jwt {
        &self.jwt
    }

    /// Starts a family for `user` and returns its first pair.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store or signing fails.
    pub async fn start(
        &self,
        user: UserId,
        method: AuthMethod,
        client: ClientMeta,
    ) -> Result<TokenPair, AuthError> {
        let now = OffsetDateTime::now_utc();
        let expires_at = now + self.jwt.config().family_lifetime;
        let login = self
            .revoker
            .store()
            .create_login(NewLogin {
                user,
                method,
                // Families are proven by signed tokens; this secret is never handed out.
                secret_hash: hash_token(&random_token()),
                created_at: now,
                expires_at,
                user_agent: client.user_agent,
                ip: client.ip,
                name: None,
                scopes: Scopes::ReadWrite,
            })
            .await
            .map_err(AuthError::Internal)?;
        Ok(TokenPair {
            user,
            login,
            access: self.jwt.mint_access(user, login)?,
            refresh: Some(
                self.jwt
                    .mint_refresh(user, login, 0, truncate(now), expires_at)?,
            ),
        })
    }

    /// Exchanges a refresh token for new tokens.
    ///
    /// # Errors
    /// [`AuthError::TokenInvalid`] for a bad, expired or revoked token;
    /// [`AuthError::RefreshReused`] when a spent token comes back outside the
    /// grace period, which revokes the whole family.
    pub async fn refresh(&self, token: &str) -> Result<TokenPair, AuthError> {
        let claims = self.decode_refresh(token)?;
        let gen = claims.gen.ok_or(AuthError::TokenInvalid)?;
        let store = self.revoker.store();
        let now = OffsetDateTime::now_utc();

        if !self.jwt.config().rotate_refresh_tokens {
            let family = self.live_family(&claims).await?;
            if family.generation != gen {
                return Err(AuthError::TokenInvalid);
            }
            return self.pair(&claims, None);
        }

        let rotated = store
            .rotate_family(claims.login(), gen, now)
            .await
            .map_err(AuthError::Internal)?;
        if let Some(family) = rotated {
            return self.pair(&claims, Some(&family));
        }

        let family = self.live_family(&claims).await?;
        let since_rotation = now - family.rotated_at;
        let grace = self.jwt.config().reuse_grace;
        if family.generation == gen + 1 && since_rotation <= grace {
            // Two tabs refreshing at once: both get the same successor.
            return self.pair(&claims, Some(&family));
        }
        tracing::warn!(
            user_id = claims.user_id,
            login_id = claims.sid,
            "refresh token reuse detected"
        );
        self.revoker.revoke_login(claims.login()).await?;
        Err(AuthError::RefreshReused)
    }

    /// Revokes the family of a refresh token (simplejwt's blacklist).
    ///
    /// # Errors
    /// [`AuthError::TokenInvalid`] for a token that does not decode.
    pub async fn revoke(&self, token: &str) -> Result<(), AuthError> {
        let claims = self.jwt.decode(token, Some(TokenType::Refresh))?;
        self.revoker.revoke_login(claims.login()).await
    }

    /// Checks any token as simplejwt's verify endpoint does; a refresh token
    /// must also be the current one of a live family.
    ///
    /// # Errors
    /// [`AuthError::TokenInvalid`].
    pub async fn verify(&self, token: &str) -> Result<(), AuthError> {
        let claims = self.jwt.decode(token, None)?;
        if self.revoker.is_revoked(claims.login()) {
            return Err(AuthError::TokenInvalid);
        }
        if claims.token_type == TokenType::Refresh {
            let family = self.live_family(&claims).await?;
            if Some(family.generation) != claims.gen {
                return Err(AuthError::TokenInvalid);
            }
        }
        Ok(())
    }

    fn decode_refresh(&self, token: &str) -> Result<Claims, AuthError> {
        let claims = self.jwt.decode(token, Some(TokenType::Refresh))?;
        if self.revoker.is_revoked(claims.login()) {
            return Err(AuthError::TokenInvalid);
        }
        Ok(claims)
    }

    async fn live_family(&self, claims: &Claims) -> Result<LoginRecord, AuthError> {
        let family = self
            .revoker
            .store()
            .find_login(claims.login())
            .await
            .map_err(AuthError::Internal)?
            .ok_or(AuthError::TokenInvalid)?;
        let is_family = matches!(family.method, AuthMethod::Jwt | AuthMethod::JwtCookie);
        if !is_family
            || family.user != claims.user()
            || family.expires_at <= OffsetDateTime::now_utc()
        {
            return Err(AuthError::TokenInvalid);
        }
        Ok(family)
    }

    fn pair(&self, claims: &Claims, family: Option<&LoginRecord>) -> Result<TokenPair, AuthError> {
        let refresh = family
            .map(|f| {
                self.jwt
                    .mint_refresh(f.user, f.id, f.generation, f.rotated_at, f.expires_at)
            })
            .transpose()?;
        Ok(TokenPair {
            user: claims.user(),
            login: claims.login(),
            access: self.jwt.mint_access(claims.user(), claims.login())?,
            refresh,
        })
    }
}

/// Whole seconds, as the store keeps them, so a re-minted token is identical.
fn truncate(at: OffsetDateTime) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(at.unix_timestamp()).unwrap_or(at)
}
