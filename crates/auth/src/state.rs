//! The shared authentication state: the chain, sessions, CSRF, passwords and
//! a cache of users so that a warm request costs no query.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::request::Parts;

use crate::authenticator::{Authenticator, SessionAuthenticator};
use crate::cookies::CookieSettings;
use crate::csrf::Csrf;
use crate::error::AuthError;
use crate::identity::{AuthUser, CurrentUser, LoginId, UserId};
use crate::password::{PasswordHasher, PasswordPolicy};
use crate::session::{SessionConfig, Sessions};
use crate::store::{LoginStore, UserStore};

/// Everything needed to build an [`AuthState`].
pub struct AuthConfig {
    /// Key material for signing (CSRF tokens). Keep it secret and identical
    /// across processes of one deployment.
    pub secret: Vec<u8>,
    /// Server-side sessions.
    pub session: SessionConfig,
    /// The CSRF cookie (not HttpOnly: front ends read it).
    pub csrf_cookie: CookieSettings,
    /// Origins other than the site itself allowed to make unsafe requests.
    pub trusted_origins: Vec<String>,
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
    csrf: Arc<Csrf>,
    hasher: PasswordHasher,
    policy: PasswordPolicy,
    users: Arc<dyn UserStore>,
    logins: Arc<dyn LoginStore>,
    user_cache: RwLock<HashMap<UserId, AuthUser>>,
}

impl AuthState {
    /// Builds the state over the application's stores.
    pub fn new(config: AuthConfig, users: Arc<dyn UserStore>, logins: Arc<dyn LoginStore>) -> Self {
        let sessions = Arc::new(Sessions::new(config.session, Arc::clone(&logins)));
        let csrf = Arc::new(Csrf::new(
            &config.secret,
            config.csrf_cookie,
            &config.trusted_origins,
        ));
        let authenticators: Vec<Arc<dyn Authenticator>> = vec![Arc::new(
            SessionAuthenticator::new(Arc::clone(&sessions), Arc::clone(&csrf)),
        )];
        Self(Arc::new(Inner {
            authenticators,
            sessions,
            csrf,
            hasher: config.hasher,
            policy: config.policy,
            users,
            logins,
            user_cache: RwLock::default(),
        }))
    }

    /// Server-side sessions.
    pub fn sessions(&self) -> &Sessions {
        &self.0.sessions
    }

    /// The CSRF checker.
    pub fn csrf(&self) -> &Csrf {
        &self.0.csrf
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
    /// `Ok(None)` means anonymous. Inactive users are anonymous too.
    ///
    /// # Errors
    /// A presented credential that is refused, or a storage failure.
    pub async fn authenticate(&self, parts: &Parts) -> Result<Option<CurrentUser>, AuthError> {
        for authenticator in &self.0.authenticators {
            let Some(credential) = authenticator.authenticate(parts).await? else {
                continue;
            };
            let user = self.auth_user(credential.user).await?;
            return Ok(user.filter(|u| u.is_active).map(|u| CurrentUser {
                id: u.id,
                is_staff: u.is_staff,
                login: credential.login,
                method: credential.method,
            }));
        }
        Ok(None)
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

    /// Forgets every cached login of `user` except `keep`, after the
    /// application revoked them in the store.
    pub fn forget_logins_of(&self, user: UserId, keep: Option<LoginId>) {
        self.0.sessions.forget_user(user, keep);
    }

    /// Forgets one cached login after the application revoked it in the store.
    pub fn forget_login(&self, login: LoginId) {
        self.0.sessions.forget_login(login);
    }

    /// Ends one login: deletes it from the store, then from every cache.
    ///
    /// # Errors
    /// [`AuthError::Internal`] when the store fails.
    pub async fn revoke_login(&self, login: LoginId) -> Result<(), AuthError> {
        self.0
            .logins
            .delete_login(login)
            .await
            .map_err(AuthError::Internal)?;
        self.forget_login(login);
        Ok(())
    }
}
