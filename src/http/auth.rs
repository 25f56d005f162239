//! Bearer-token checks at the edge: a missing or unknown token is 401, a token without the
//! role is 403. Reads are public unless the server runs `--private`.

use super::problem::Problem;
use super::state::AppState;
use crate::auth::{Role, TokenInfo};
use actix_web::HttpRequest;
use actix_web::http::header;

/// Checks that the request may do what `needed` allows; returns the token used, if any.
pub fn authorize(
    request: &HttpRequest,
    state: &AppState,
    needed: Role,
) -> Result<Option<TokenInfo>, Problem> {
    if needed == Role::Read && !state.settings.private {
        return Ok(None);
    }
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Err(Problem::unauthorized(format!(
            "this operation needs a bearer token with the {needed} role (Authorization: Bearer <token>)"
        )));
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .ok_or_else(|| {
            Problem::unauthorized("the Authorization header must be \"Bearer <token>\"")
        })?;
    let token = state.tokens.authenticate(secret).ok_or_else(|| {
        Problem::unauthorized("the bearer token is not valid (unknown or revoked)")
    })?;
    if !token.role.grants(needed) {
        return Err(Problem::forbidden(needed, token.role));
    }
    Ok(Some(token))
}
