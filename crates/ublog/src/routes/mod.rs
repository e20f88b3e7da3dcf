//! The route table: every endpoint of the API and the web client, and the
//! layers each request passes through.

mod accounts;
mod api_tokens;
mod devices;
mod jwt_cookie;
mod ops;
mod posts;
mod profile;
mod session_auth;
mod token_pair;
mod views;
mod web;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::routing::{delete, get, patch, post, put};
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::db::query_count;
use crate::error::ApiError;
use crate::state::AppState;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let settings = state.settings.clone();
    let upload_limit = settings.max_upload_bytes + 64 * 1024;

    let api = Router::new()
        .route("/api/auth/csrf/", get(session_auth::issue_csrf_token))
        .route(
            "/api/auth/session/login/",
            post(session_auth::login_session),
        )
        .route(
            "/api/auth/session/logout/",
            post(session_auth::logout_session),
        )
        .route("/api/token/", post(token_pair::obtain_token_pair))
        .route("/api/token/refresh/", post(token_pair::refresh_token_pair))
        .route("/api/token/verify/", post(token_pair::verify_token))
        .route("/api/token/blacklist/", post(token_pair::blacklist_refresh))
        .route("/api/auth/jwks.json", get(token_pair::jwks))
        .route(
            "/api/auth/jwt/token/",
            post(jwt_cookie::obtain_cookie_token),
        )
        .route(
            "/api/auth/jwt/token/refresh/",
            post(jwt_cookie::refresh_cookie_token),
        )
        .route(
            "/api/auth/jwt/token/logout/",
            post(jwt_cookie::logout_cookie_token),
        )
        .route("/api-token-auth/", post(api_tokens::obtain_drf_token))
        .route(
            "/api/auth/tokens/",
            get(api_tokens::list_api_tokens).post(api_tokens::create_api_token),
        )
        .route(
            "/api/auth/tokens/{id}/",
            delete(api_tokens::revoke_api_token),
        )
        .route("/api/auth/sessions/", get(devices::list_sessions))
        .route("/api/auth/sessions/{id}/", delete(devices::revoke_session))
        .route("/api/auth/logout-all/", post(devices::logout_all))
        .route("/api/register/", post(accounts::register))
        .route("/api/activate/{uid}/{token}/", post(accounts::activate))
        .route(
            "/api/auth/password/reset/",
            post(accounts::request_password_reset),
        )
        .route(
            "/api/auth/password/reset/confirm/",
            post(accounts::confirm_password_reset),
        )
        .route(
            "/api/auth/password/change/",
            post(accounts::change_password),
        )
        .route("/api/profile/", get(profile::show_profile))
        .route("/api/update-user/", patch(profile::update_user))
        .route("/api/users/", get(profile::list_users))
        .route("/api/users/{id}/", get(profile::show_user))
        .route("/api/drf/fbv/posts/", get(posts::list_posts))
        .route(
            "/api/drf/fbv/posts/new/",
            post(posts::create_post).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route(
            "/api/drf/fbv/posts/{id}/",
            get(posts::show_post).delete(posts::delete_post),
        )
        .route("/api/drf/fbv/posts/{id}/update/", put(posts::update_post))
        .route(
            "/api/drf/fbv/posts/{id}/delete/",
            delete(posts::delete_post),
        )
        .route("/api/drf/fbv/posts/{id}/like/", post(posts::like_post))
        .route("/api/health-check/", get(ops::health_check))
        .route("/api/version/", get(ops::version))
        .layer(DefaultBodyLimit::max(settings.max_body_bytes))
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed });

    let media = ServeDir::new(settings.media_dir());
    let app_assets = ServeDir::new(settings.web_dir.join("app"));

    api.nest_service("/media", media)
        .nest_service("/app", app_assets)
        .fallback(web::index_or_not_found)
        .layer(axum::middleware::from_fn_with_state(
            settings.expose_query_count,
            query_count::count_queries,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::telemetry::request_span)
                .on_request(())
                .on_response(crate::telemetry::log_response),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(cors_layer(&settings.cors_allowed_origins))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .with_state(state)
}

/// The browser client alone, for a front end on another origin that calls
/// the API at `api_base`.
pub fn web_site(settings: &crate::settings::Settings, api_base: &str) -> Router {
    web::site(web::PageConfig::new(settings, api_base)).layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
}

/// CORS for the configured front-end origins only: credentials are allowed,
/// so the origin list is explicit and never `*`.
fn cors_layer(origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            HeaderName::from_static("x-csrftoken"),
            HeaderName::from_static("x-requested-with"),
        ])
        .max_age(Duration::from_secs(3600))
}
