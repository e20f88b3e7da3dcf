//! Changes other server processes must hear about at once, carried by
//! PostgreSQL `LISTEN/NOTIFY`. SQLite serves one process, so it sends nothing.

use auth::{LoginId, UserId};
use sqlx::{Any, Transaction};
use time::OffsetDateTime;

use super::from_unix;

/// The channel every μblog process listens on.
pub const CHANNEL: &str = "ublog_auth";

/// A change to authentication state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A login ended; its tokens are refused until `until`.
    LoginRevoked {
        /// The login.
        login: LoginId,
        /// End of the revocation entry.
        until: OffsetDateTime,
    },
    /// A user's active or staff flag changed.
    UserChanged {
        /// The user.
        user: UserId,
    },
}

impl Change {
    /// The notification payload.
    pub fn encode(&self) -> String {
        match self {
            Self::LoginRevoked { login, until } => {
                format!("login {} {}", login.0, until.unix_timestamp())
            }
            Self::UserChanged { user } => format!("user {}", user.0),
        }
    }

    /// Reads a payload; `None` for anything unknown.
    pub fn decode(payload: &str) -> Option<Self> {
        let mut words = payload.split(' ');
        match (words.next()?, words.next()?.parse().ok()?, words.next()) {
            ("login", id, Some(until)) => Some(Self::LoginRevoked {
                login: LoginId(id),
                until: from_unix(until.parse().ok()?),
            }),
            ("user", id, None) => Some(Self::UserChanged { user: UserId(id) }),
            _ => None,
        }
    }
}

/// Sends `change` when the transaction commits (PostgreSQL only).
pub(super) async fn in_transaction(
    tx: &mut Transaction<'static, Any>,
    change: &Change,
) -> Result<(), sqlx::Error> {
    if tx.backend_name() != "PostgreSQL" {
        return Ok(());
    }
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(CHANNEL)
        .bind(change.encode())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip() {
        let changes = [
            Change::LoginRevoked {
                login: LoginId(7),
                until: from_unix(1_800_000_000),
            },
            Change::UserChanged { user: UserId(3) },
        ];
        for change in changes {
            assert_eq!(Change::decode(&change.encode()), Some(change));
        }
        assert_eq!(Change::decode("login x 1"), None);
        assert_eq!(Change::decode("nonsense"), None);
    }
}
