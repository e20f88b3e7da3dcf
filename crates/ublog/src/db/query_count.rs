//! Counts the database queries of each request, so tests can assert that a
//! warm authenticated request makes none.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

/// Response header with the number of queries, when enabled.
pub const HEADER: &str = "x-query-count";

tokio::task_local! {
    static QUERIES: Arc<AtomicU32>;
}

/// Counts one query against the current request, if there is one. Work
/// spawned off the request path is not counted, on purpose.
pub fn record() {
    // Outside a request scope (start-up, background tasks) there is nothing to count.
    let _ = QUERIES.try_with(|count| count.fetch_add(1, Ordering::Relaxed));
}

/// Middleware: scopes a counter around the request and reports it in
/// `X-Query-Count` when `expose` is set.
pub async fn count_queries(State(expose): State<bool>, request: Request, next: Next) -> Response {
    let count = Arc::new(AtomicU32::new(0));
    let mut response = QUERIES.scope(Arc::clone(&count), next.run(request)).await;
    if expose {
        let total = count.load(Ordering::Relaxed);
        response
            .headers_mut()
            .insert(HEADER, HeaderValue::from(total));
    }
    response
}
