//! Integration tests: the real server on a free port, spoken to over HTTP.
#![allow(clippy::unwrap_used)]

mod accounts;
mod api_tokens;
mod binary;
mod cluster;
mod cookie_flow;
mod devices;
mod errors;
mod faults;
mod helpers;
mod jwt_attacks;
mod jwt_pair;
mod posts;
mod session;
mod throttle;
