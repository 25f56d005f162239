//! Bearer tokens and roles, with no HTTP types. Secrets are never stored: only their SHA-256.
//! Secrets are 256 random bits, so a fast hash is enough (nothing to brute-force), and a
//! lookup by hash needs no constant-time comparison of secrets.

mod role;
mod tokens;

pub use role::Role;
pub use tokens::{TokenError, TokenInfo, TokenStore};
