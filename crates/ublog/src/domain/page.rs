//! DRF's limit/offset pagination: `{"count", "next", "previous", "results"}`.

use serde::{Deserialize, Serialize};

/// Page size when the client asks for none.
pub(crate) const DEFAULT_LIMIT: i64 = 10;
/// Largest page a client may ask for.
pub(crate) const MAX_LIMIT: i64 = 100;

/// `?limit=&offset=`.
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    /// Items per page.
    pub limit: Option<i64>,
    /// Items to skip.
    pub offset: Option<i64>,
}

impl PageQuery {
    /// The limit, defaulted and clamped to 1..=100.
    pub fn limit(&self) -> i64 {
        match self.limit {
            Some(limit) if limit > 0 => limit.min(MAX_LIMIT),
            _ => DEFAULT_LIMIT,
        }
    }

    /// The offset, never negative.
    pub fn offset(&self) -> i64 {
        self.offset.unwrap_or(0).max(0)
    }
}

/// One page of results with links to its neighbours.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    /// Total number of items.
    pub count: i64,
    /// Absolute URL of the next page.
    pub next: Option<String>,
    /// Absolute URL of the previous page.
    pub previous: Option<String>,
    /// The items.
    pub results: Vec<T>,
}

impl<T> Page<T> {
    /// A page of `results` out of `count`, linked from `base` (absolute URL, no query).
    pub fn new(results: Vec<T>, count: i64, query: &PageQuery, base: &str) -> Self {
        let (limit, offset) = (query.limit(), query.offset());
        let next = (offset + limit < count)
            .then(|| format!("{base}?limit={limit}&offset={}", offset + limit));
        let previous = (offset > 0).then(|| {
            let before = (offset - limit).max(0);
            if before == 0 {
                format!("{base}?limit={limit}")
            } else {
                format!("{base}?limit={limit}&offset={before}")
            }
        });
        Self {
            count,
            next,
            previous,
            results,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(limit: i64, offset: i64, count: i64) -> Page<()> {
        let query = PageQuery {
            limit: Some(limit),
            offset: Some(offset),
        };
        Page::new(vec![], count, &query, "http://h/api/x/")
    }

    #[test]
    fn links_follow_drf() {
        let first = page(10, 0, 25);
        let middle = page(10, 10, 25);
        let last = page(10, 20, 25);

        assert_eq!(
            first.next.as_deref(),
            Some("http://h/api/x/?limit=10&offset=10")
        );
        assert_eq!(first.previous, None);
        assert_eq!(middle.previous.as_deref(), Some("http://h/api/x/?limit=10"));
        assert_eq!(last.next, None);
        assert_eq!(
            last.previous.as_deref(),
            Some("http://h/api/x/?limit=10&offset=10")
        );
    }

    #[test]
    fn silly_limits_are_clamped() {
        assert_eq!(
            PageQuery {
                limit: Some(0),
                offset: None
            }
            .limit(),
            DEFAULT_LIMIT
        );
        assert_eq!(
            PageQuery {
                limit: Some(10_000),
                offset: None
            }
            .limit(),
            MAX_LIMIT
        );
        assert_eq!(
            PageQuery {
                limit: None,
                offset: Some(-5)
            }
            .offset(),
            0
        );
    }
}
