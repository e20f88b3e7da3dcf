//! Logins revoked recently: the in-memory set that refuses their access
//! tokens at once, without a database query.
//!
//! An entry lives only as long as an access token minted before the
//! revocation could still be unexpired; the set is loaded from the store at
//! start so a restart forgets nothing.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use time::OffsetDateTime;

use crate::error::AuthError;
use crate::identity::{LoginId, UserId};
use crate::login_cache::LoginCache;
use crate::store::LoginStore;

/// Revoked login ids and when each entry may be forgotten.
#[derive(Debug, Default)]
pub struct Revocations {
    until: RwLock<HashMap<LoginId, i64>>,
}

impl Revocations {
    /// True when `login` was revoked and the entry is still in force.
    pub fn contains(&self, login: LoginId) -> bool {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.until
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&login)
            .is_some_and(|until| *until >= now)
    }

    /// Adds entries, dropping the ones that expired.
    pub fn extend(&self, entries: impl IntoIterator<Item = (LoginId, OffsetDateTime)>) {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let mut map = self
            .until
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.retain(|_, until| *until >= now);
        for (login, until) in entries {
            let until = until.unix_timestamp();
            let slot = map.entry(login).or_insert(until);
            *slot = (*slot).max(until);
        }
    }
}

/// Revokes logins everywhere at once: in the store, in the revocation set,
/// and in the login cache. The one way logins end.
pub(crate) struct Revoker {
    store: Arc<dyn LoginStore>,
    cache: Arc<LoginCache>,
    set: Revocations,
    /// How long an entry must outlive the revocation: the longest an access
    /// token minted just before it could still be accepted.
    margin: Duration,
}

impl Revoker {
    pub(crate) fn new(cache: Arc<LoginCache>, margin: Duration) -> Self {
        Self {
            store: Arc::clone(cache.store()),
            cache,
            set: Revocations::default(),
            margin,
        }
    }

    pub(crate) fn store(&self) -> &Arc<dyn LoginStore> {
        &self.store
    }

    pub(crate) fn is_revoked(&self, login: LoginId) -> bool {
        self.set.contains(login)
    }

    /// Until when a revocation made now must be remembered.
    pub(crate) fn until(&self) -> OffsetDateTime {
        OffsetDateTime::now_utc() + self.margin
    }

    /// Forgets every cached login and reloads the revocations, for when
    /// notifications from other processes may have been missed.
    pub(crate) async fn resync(&self) -> Result<(), AuthError> {
        self.cache.clear();
        self.load().await
    }

    /// Loads the revocations still in force, before traffic is accepted.
    pub(crate) async fn load(&self) -> Result<(), AuthError> {
        let live = self
            .store
            .live_revocations(OffsetDateTime::now_utc())
            .await
            .map_err(AuthError::Internal)?;
        self.set.extend(live);
        Ok(())
    }

    pub(crate) async fn revoke_login(&self, login: LoginId) -> Result<(), AuthError> {
        let until = self.until();
        self.store
            .revoke_login(login, until)
            .await
            .map_err(AuthError::Internal)?;
        self.noted(&[login], until);
        Ok(())
    }

    pub(crate) async fn revoke_user_logins(
        &self,
        user: UserId,
        keep: Option<LoginId>,
    ) -> Result<Vec<LoginId>, AuthError> {
        let until = self.until();
        let revoked = self
            .store
            .revoke_user_logins(user, keep, until)
            .await
            .map_err(AuthError::Internal)?;
        self.noted(&revoked, until);
        self.cache.forget_user(user, keep);
        Ok(revoked)
    }

    /// Records in memory revocations the application made in the store itself
    /// (inside its own transaction).
    pub(crate) fn noted(&self, logins: &[LoginId], until: OffsetDateTime) {
        self.set.extend(logins.iter().map(|l| (*l, until)));
        for login in logins {
            self.cache.forget_login(*login);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_expire() {
        let set = Revocations::default();
        let now = OffsetDateTime::now_utc();

        set.extend([
            (LoginId(1), now + time::Duration::minutes(5)),
            (LoginId(2), now - time::Duration::minutes(1)),
        ]);

        assert!(set.contains(LoginId(1)));
        assert!(!set.contains(LoginId(2)));
        assert!(!set.contains(LoginId(3)));
    }
}
