//! Posts and likes.

use auth::CurrentUser;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use crate::domain::{Page, PageQuery, PostBody};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, RequestBase};
use crate::media;
use crate::routes::views::PostView;
use crate::state::AppState;

/// `POST …/new/` and `PUT …/update/` JSON body.
#[derive(Deserialize)]
pub(super) struct PostInput {
    body: String,
}

/// A new post from JSON or from a multipart form with an optional image.
pub(super) struct NewPost {
    body: String,
    image: Option<axum::body::Bytes>,
}

impl FromRequest<AppState> for NewPost {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let is_multipart = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !is_multipart {
            let ApiJson(input) = ApiJson::<PostInput>::from_request(request, state).await?;
            return Ok(Self {
                body: input.body,
                image: None,
            });
        }
        let mut form = Multipart::from_request(request, state)
            .await
            .map_err(|e| ApiError::Malformed(e.body_text()))?;
        read_form(&mut form, state.settings.max_upload_bytes).await
    }
}

async fn read_form(form: &mut Multipart, max_upload: usize) -> Result<NewPost, ApiError> {
    let mut body = None;
    let mut image = None;
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("body") => body = Some(field.text().await.map_err(multipart_error)?),
            Some("image") => {
                let bytes = field.bytes().await.map_err(multipart_error)?;
                if bytes.len() > max_upload {
                    return Err(ApiError::PayloadTooLarge);
                }
                image = (!bytes.is_empty()).then_some(bytes);
            }
            _ => {}
        }
    }
    let body = body.ok_or_else(|| ApiError::field("body", "This field is required."))?;
    Ok(NewPost { body, image })
}

#[allow(clippy::needless_pass_by_value)] // shaped for `map_err`
fn multipart_error(error: axum::extract::multipart::MultipartError) -> ApiError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::Malformed(error.body_text())
    }
}

/// `GET /api/drf/fbv/posts/`
pub(super) async fn list_posts(
    State(state): State<AppState>,
    viewer: Option<CurrentUser>,
    RequestBase(base): RequestBase,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Json<Page<PostView>>, ApiError> {
    let viewer = viewer.map(|v| v.id);
    let (posts, count) = state
        .db
        .posts()
        .list(viewer, page.limit(), page.offset())
        .await?;
    let views = posts.into_iter().map(|p| PostView::new(p, &base)).collect();
    Ok(Json(Page::new(
        views,
        count,
        &page,
        &format!("{base}/api/drf/fbv/posts/"),
    )))
}

/// `POST /api/drf/fbv/posts/new/`
pub(super) async fn create_post(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestBase(base): RequestBase,
    input: NewPost,
) -> Result<(StatusCode, Json<PostView>), ApiError> {
    let body = PostBody::parse(&input.body)?;
    let image = match &input.image {
        Some(bytes) => Some(media::store_image(&state.settings.media_dir(), bytes).await?),
        None => None,
    };

    let id = state
        .db
        .posts()
        .insert(user.id, body.as_str(), image.as_deref())
        .await?;
    let post = view_of(&state, id, Some(user.id), &base).await?;
    Ok((StatusCode::CREATED, Json(post)))
}

/// `GET /api/drf/fbv/posts/{id}/`
pub(super) async fn show_post(
    State(state): State<AppState>,
    viewer: Option<CurrentUser>,
    RequestBase(base): RequestBase,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PostView>, ApiError> {
    Ok(Json(
        view_of(&state, id, viewer.map(|v| v.id), &base).await?,
    ))
}

/// `PUT /api/drf/fbv/posts/{id}/update/`
pub(super) async fn update_post(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestBase(base): RequestBase,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PostInput>,
) -> Result<Json<PostView>, ApiError> {
    ensure_owner(&state, id, &user).await?;
    let body = PostBody::parse(&input.body)?;

    state
        .db
        .posts()
        .update_body(id, user.id, body.as_str())
        .await?;
    Ok(Json(view_of(&state, id, Some(user.id), &base).await?))
}

/// `DELETE /api/drf/fbv/posts/{id}/delete/` (and `DELETE …/{id}/`, as the
/// original front end sends it)
pub(super) async fn delete_post(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    ensure_owner(&state, id, &user).await?;

    if let Some(Some(image)) = state.db.posts().delete(id, user.id).await? {
        media::remove_image(&state.settings.media_dir(), &image).await;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/drf/fbv/posts/{id}/like/`
pub(super) async fn like_post(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestBase(base): RequestBase,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<PostView>, ApiError> {
    if state.db.posts().author_of(id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    state.db.posts().toggle_like(id, user.id).await?;
    Ok(Json(view_of(&state, id, Some(user.id), &base).await?))
}

/// The post as `viewer` sees it, 404 when it does not exist.
async fn view_of(
    state: &AppState,
    id: i64,
    viewer: Option<auth::UserId>,
    base: &str,
) -> Result<PostView, ApiError> {
    let post = state
        .db
        .posts()
        .find(id, viewer)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(PostView::new(post, base))
}

/// 404 when the post does not exist, 403 when it is someone else's.
async fn ensure_owner(state: &AppState, id: i64, user: &CurrentUser) -> Result<(), ApiError> {
    match state.db.posts().author_of(id).await? {
        None => Err(ApiError::NotFound),
        Some(author) if author != user.id => Err(ApiError::Forbidden),
        Some(_) => Ok(()),
    }
}
