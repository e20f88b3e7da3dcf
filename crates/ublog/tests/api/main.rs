//! Integration tests: the real server on a free port, spoken to over HTTP.
#![allow(clippy::unwrap_used)]

mod accounts;
mod binary;
mod errors;
mod helpers;
mod posts;
mod session;
