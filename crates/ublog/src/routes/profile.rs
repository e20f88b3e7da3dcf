//! The caller's profile, and other users.

use auth::{CurrentUser, UserId};
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

use crate::domain::{Page, PageQuery, PersonName};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, RequestBase};
use crate::routes::views::{ProfileView, UserView};
use crate::state::AppState;

/// `PATCH /api/update-user/` body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct UserUpdate {
    first_name: Option<String>,
    last_name: Option<String>,
}

/// `GET /api/profile/`
pub(super) async fn show_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ProfileView>, ApiError> {
    let user = state
        .db
        .users()
        .find(user.id)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ProfileView::from(&user)))
}

/// `PATCH /api/update-user/`
pub(super) async fn update_user(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(input): ApiJson<UserUpdate>,
) -> Result<Json<ProfileView>, ApiError> {
    let first = input
        .first_name
        .as_deref()
        .map(|n| PersonName::parse("first_name", n))
        .transpose()?;
    let last = input
        .last_name
        .as_deref()
        .map(|n| PersonName::parse("last_name", n))
        .transpose()?;

    let updated = state
        .db
        .users()
        .update_names(
            user.id,
            first.as_ref().map(PersonName::as_str),
            last.as_ref().map(PersonName::as_str),
        )
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ProfileView::from(&updated)))
}

/// `GET /api/users/`
pub(super) async fn list_users(
    State(state): State<AppState>,
    _user: CurrentUser,
    RequestBase(base): RequestBase,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<UserView>>, ApiError> {
    let (users, count) = state.db.users().list(page.limit(), page.offset()).await?;
    let views = users.iter().map(UserView::from).collect();
    Ok(Json(Page::new(
        views,
        count,
        &page,
        &format!("{base}/api/users/"),
    )))
}

/// `GET /api/users/{id}/`
pub(super) async fn show_user(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserView>, ApiError> {
    let user = state
        .db
        .users()
        .find(UserId(id))
        .await?
        .filter(|u| u.is_active)
        .ok_or(ApiError::NotFound)?;
    Ok(Json(UserView::from(&user)))
}
