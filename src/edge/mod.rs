//! Where requests come in: `http` (every endpoint and page, the only module that knows
//! actix-web), `cli` (the command line's arguments) and `settings` (flags, file and environment
//! resolved into `core::config`), `auth` (bearer tokens and roles), `telemetry` (logs).

pub mod auth;
pub mod cli;
pub mod http;
pub mod settings;
pub mod telemetry;
