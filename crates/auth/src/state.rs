//! The shared authentication state: the chain, sessions, token families, API
//! tokens, CSRF, passwords, revocations, and a cache of users so that a warm
//! request costs no query.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::request::Parts;

use crate::api_token::ApiTokens;
use crate::authenticator::{
    Authenticator, AuthenticatorKind, JwtAuthenticator, SessionAuthenticator, TokenAuthenticator,
};
use crate::cookies::CookieSettings;
use crate::csrf::Csrf;
use crate::error::AuthError;
use crate::extract::AuthRejection;
use crate::identity::{AuthUser, CurrentUser, LoginId, UserId};
use crate::jwt::{Jwt, JwtConfig};
use crate::login_cache::LoginCache;
use crate::password::{PasswordHasher, PasswordPolicy};
use crate::refresh::{Families, TokenPair};
use crate::revocation::Revoker;
use crate::session::{SessionConfig, Sessions};
use crate::store::{LoginStore, UserStore};

/// Everything needed to build an [`AuthState`].
pub struct AuthConfig {
    /// Key material for signing (CSRF tokens, HS256 JWTs, DRF keys). Keep it
    /// secret and identical across processes of one deployment.
    pub secret: Vec<u8>,
    /// The authenticators, in the order they are tried.
    pub authenticators: Vec<AuthenticatorKind>,
    /// Server-side sessions.
    pub session: SessionConfig,
    /// The CSRF cookie (not HttpOnly: front ends read it).
    pub csrf_cookie: CookieSettings,
    /// Origins other than the site itself allowed to make unsafe requests.
    pub trusted_origins: Vec<String>,
    /// JWTs and refresh families.
    pub jwt: JwtConfig,
    /// The HttpOnly cookie of the refresh-cookie flow, scoped to its endpoints.
    pub refresh_cookie: CookieSettings,
    /// When set, the cookie flow also sets the access token in this HttpOnly
    /// cookie and the JWT authenticator accepts it there.
    pub access_cookie: Option<CookieSettings>,
    /// The password hasher.
    pub hasher: PasswordHasher,
    /// Rules for new passwords.
    pub policy: PasswordPolicy,
}

/// Shared authentication state; cheap to clone.
///
/// Put it in the application state and implement `FromRef` so that the
/// [`CurrentUser`] extractor can find it.
#[derive(Clone)]
pub struct AuthState(Arc<Inner>);

struct Inner {
    authenticators: Vec<Arc<dyn Authenticator>>,
    sessions: Arc<Sessions>,
    families: Families,
    tokens: Arc<ApiTokens>,
    csrf: Arc<Csrf>,
    revoker: Arc<Revoker>,
    refresh_cookie: CookieSettings,
    access_cookie: Option<CookieSettings>,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    users: Arc<dyn UserStore>,
    user_cache: RwLock<HashMap<UserId, AuthUser>>,
}

impl AuthState {
    /// Builds the state over the application's stores.
    ///
    /// # Errors
    /// A JWT key that cannot be loaded.
    pub fn new(
        config: AuthConfig,
        users: Arc<dyn UserStore>,
        logins: Arc<dyn LoginStore>,
    ) -> Result<Self, String> {
        let cache = Arc::new(LoginCache::new(logins));
        let margin = config.jwt.access_lifetime + config.jwt.leeway;
        let revoker = Arc::new(Revoker::new(Arc::clone(&cache), margin));
        let jwt = Arc::new(Jwt::new(config.jwt, &config.secret)?);
        let csrf = Arc::new(Csrf::new(
            &config.secret,
            config.csrf_cookie,
            &config.trusted_origins,
        ));
        let tokens = Arc::new(ApiTokens::new(Arc::clone(&cache), &config.secret));
        let sessions = Arc::new(Sessions::new(config.session, Arc::clone(&cache)));
        let session_auth = Arc::new(SessionAuthenticator::new(
            Arc::clone(&sessions),
            Arc::clone(&csrf),
        ));

        let authenticators = config
            .authenticators
            .iter()
            .map(|kind| -> Arc<dyn Authenticator> {
                match kind {
                    AuthenticatorKind::Session => session_auth.clone(),
                    AuthenticatorKind::Jwt => Arc::new(JwtAuthenticator::new(
                        Arc::clone(&jwt),
                        config.access_cookie.clone().map(|c| (c, Arc::clone(&csrf))),
                    )),
                    AuthenticatorKind::Token => {
                        Arc::new(TokenAuthenticator::new(Arc::clone(&tokens)))
                    }
                }
            })
            .collect();
        Ok(Self(Arc::new(Inner {
            authenticators,
            sessions,
            families: Families::new(jwt, Arc::clone(&revoker)),
            tokens,
            csrf,
            revoker,
            refresh_cookie: config.refresh_cookie,
            access_cookie: config.access_cookie,
            hasher: config.hasher,
            policy: config.policy,
            users,
            user_cache: RwLock::default(),
        })))
    }

    /// Loads the revocations still in force; call before accepting traffic.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn load_revocations(&self) -> Result<(), AuthError> {
        self.0.revoker.load().await
    }

    /// Applies a revocation made by another process (received, for example,
    /// through PostgreSQL `LISTEN/NOTIFY`).
    pub fn apply_remote_revocation(&self, login: LoginId, until: time::OffsetDateTime) {
        self.0.revoker.noted(&[login], until);
    }

    /// Drops every cache and reloads the revocations. Call it when the channel
    /// that carries other processes' changes was interrupted: whatever was
    /// missed is then read from the store again.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn resync(&self) -> Result<(), AuthError> {
        self.0
            .user_cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
        self.0.revoker.resync().await
    }

    /// Server-side sessions.
    pub fn sessions(&self) -> &Sessions {
        &self.0.sessions
    }

    /// Refresh-token families and the JWT signer.
    pub fn families(&self) -> &Families {
        &self.0.families
    }

    /// API tokens.
    pub fn tokens(&self) -> &ApiTokens {
        &self.0.tokens
    }

    /// The CSRF checker.
    pub fn csrf(&self) -> &Csrf {
        &self.0.csrf
    }

    /// The refresh cookie of the cookie flow.
    pub fn refresh_cookie(&self) -> &CookieSettings {
        &self.0.refresh_cookie
    }

    /// The access cookie of the cookie flow, when enabled.
    pub fn access_cookie(&self) -> Option<&CookieSettings> {
        self.0.access_cookie.as_ref()
    }

    /// The password hasher.
    pub fn hasher(&self) -> &PasswordHasher {
        &self.0.hasher
    }

    /// Rules for new passwords.
    pub fn policy(&self) -> &PasswordPolicy {
        &self.0.policy
    }

    /// The `WWW-Authenticate` scheme of the first authenticator that has one.
    pub fn challenge(&self) -> Option<&'static str> {
        self.0.authenticators.iter().find_map(|a| a.challenge())
    }

    /// Runs the chain over a request.
    ///
    /// `Ok(None)` means anonymous. A credential of a revoked login or of an
    /// inactive user is refused.
    ///
    /// # Errors
    /// A presented credential that is refused (with the challenge of its
    /// scheme), or a storage failure.
    pub async fn authenticate(&self, parts: &Parts) -> Result<Option<CurrentUser>, AuthRejection> {
        for authenticator in &self.0.authenticators {
            let reject = |error| AuthRejection {
                error,
                challenge: authenticator.challenge(),
            };
            let Some(credential) = authenticator.authenticate(parts).await.map_err(reject)? else {
                continue;
            };
            if self.0.revoker.is_revoked(credential.login) {
                tracing::debug!(login_id = %credential.login, "credential of a revoked login");
                return Err(reject(revoked_error(authenticator.challenge())));
            }
            let user = self.auth_user(credential.user).await.map_err(reject)?;
            let Some(user) = user.filter(|u| u.is_active) else {
                return Err(reject(AuthError::InactiveUser));
            };
            return Ok(Some(CurrentUser {
                id: user.id,
                is_staff: user.is_staff,
                login: credential.login,
                method: credential.method,
                scopes: credential.scopes,
            }));
        }
        Ok(None)
    }

    /// Exchanges a refresh token, refusing it when its user is no longer active.
    ///
    /// # Errors
    /// See [`Families::refresh`]; [`AuthError::InactiveUser`].
    pub async fn refresh_pair(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        let pair = self.0.families.refresh(refresh_token).await?;
        let active = self
            .auth_user(pair.user)
            .await?
            .is_some_and(|u| u.is_active);
        if !active {
            self.revoke_login(pair.login).await?;
            return Err(AuthError::InactiveUser);
        }
        Ok(pair)
    }

    /// The authentication view of a user, from the cache when warm.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn auth_user(&self, id: UserId) -> Result<Option<AuthUser>, AuthError> {
        let cached = self
            .0
            .user_cache
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&id)
            .cloned();
        if let Some(user) = cached {
            return Ok(Some(user));
        }
        let loaded = self
            .0
            .users
            .find_auth_user(id)
            .await
            .map_err(AuthError::Internal)?;
        if let Some(user) = &loaded {
            self.0
                .user_cache
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(id, user.clone());
        }
        Ok(loaded)
    }

    /// Forgets what is cached about a user after the application changed it
    /// (activation, deactivation, staff flag).
    pub fn forget_user(&self, id: UserId) {
        self.0
            .user_cache
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(&id);
    }

    /// Ends one login everywhere: store, revocation set and caches. Its
    /// session, refresh family or API token and every access token minted
    /// from it stop working at once.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn revoke_login(&self, login: LoginId) -> Result<(), AuthError> {
        self.0.revoker.revoke_login(login).await
    }

    /// Ends every login of `user` except `keep` (logout everywhere, password
    /// change, deactivation).
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn revoke_user_logins(
        &self,
        user: UserId,
        keep: Option<LoginId>,
    ) -> Result<Vec<LoginId>, AuthError> {
        self.0.revoker.revoke_user_logins(user, keep).await
    }

    /// Until when a revocation made now must be remembered; for applications
    /// that revoke logins inside their own transaction.
    pub fn revocation_until(&self) -> time::OffsetDateTime {
        self.0.revoker.until()
    }

    /// Applies in memory the revocations an application made in its own
    /// transaction (see [`AuthState::revocation_until`]).
    pub fn note_revoked(&self, user: UserId, logins: &[LoginId], until: time::OffsetDateTime) {
        self.0.revoker.noted(logins, until);
        self.forget_user(user);
    }
}

fn revoked_error(challenge: Option<&'static str>) -> AuthError {
    if challenge == Some("Bearer") {
        AuthError::TokenInvalid
    } else {
        AuthError::InvalidCredential
    }
}
