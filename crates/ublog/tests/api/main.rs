//! Integration tests: the real server on a free port, spoken to over HTTP.
#![allow(clippy::unwrap_used)]

mod accounts;
mod api_tokens;
mod binary;
mod cookie_flow;
mod devices;
mod errors;
mod helpers;
mod jwt_attacks;
mod jwt_pair;
mod posts;
mod session;
