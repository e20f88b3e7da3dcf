//! μblog: a micro-blog with a decoupled front end, and every common way of
//! authenticating its clients.

pub mod cli;
pub mod credentials;
pub mod db;
pub mod domain;
pub mod error;
pub mod extract;
pub mod invalidation;
pub mod mail;
pub mod media;
pub mod routes;
pub mod settings;
pub mod startup;
pub mod state;
pub mod telemetry;

pub use startup::App;
