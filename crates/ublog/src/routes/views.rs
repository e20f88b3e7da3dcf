//! Response bodies shared by several endpoints.

use serde::Serialize;
use time::format_description::well_known::Rfc3339;

use crate::db::{from_unix, PostRow, UserRow};

/// A stored Unix time as RFC 3339, as DRF renders dates.
pub(crate) fn rfc3339(seconds: i64) -> String {
    from_unix(seconds).format(&Rfc3339).unwrap_or_default()
}

/// The end of a login as shown: `None` for tokens made to last until revoked.
pub(crate) fn expiry(created_at: i64, expires_at: i64) -> Option<String> {
    let never = i64::try_from(auth::api_token::NO_EXPIRY.as_secs()).unwrap_or(i64::MAX);
    (expires_at - created_at < never).then(|| rfc3339(expires_at))
}

/// `GET /api/profile/` and the login responses: the user as others see
/// them, plus whether the profile is complete.
#[derive(Debug, Serialize)]
pub(crate) struct ProfileView {
    #[serde(flatten)]
    user: UserView,
    profile_setup_complete: bool,
}

impl From<&UserRow> for ProfileView {
    fn from(user: &UserRow) -> Self {
        Self {
            user: UserView::from(user),
            profile_setup_complete: !user.first_name.is_empty() && !user.last_name.is_empty(),
        }
    }
}

/// A user as others see them.
#[derive(Debug, Serialize)]
pub(crate) struct UserView {
    id: i64,
    email: String,
    first_name: String,
    last_name: String,
}

impl From<&UserRow> for UserView {
    fn from(user: &UserRow) -> Self {
        Self {
            id: user.id.0,
            email: user.email.clone(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
        }
    }
}

/// A post as the feed shows it.
#[derive(Debug, Serialize)]
pub(crate) struct PostView {
    id: i64,
    body: String,
    created_by: UserView,
    modified_on: String,
    liked: bool,
    like_count: i64,
    image: Option<String>,
}

impl PostView {
    /// The post, with its image as an absolute URL under `base`.
    pub(crate) fn new(post: PostRow, base: &str) -> Self {
        Self {
            id: post.id,
            created_by: UserView {
                id: post.author_id.0,
                email: post.author_email,
                first_name: post.author_first_name,
                last_name: post.author_last_name,
            },
            body: post.body,
            modified_on: from_unix(post.modified_on)
                .format(&Rfc3339)
                .unwrap_or_default(),
            liked: post.liked,
            like_count: post.like_count,
            image: post.image.map(|name| format!("{base}/media/{name}")),
        }
    }
}
