//! Bearer-token checks at the edge: a missing or unknown token is 401, a token without the
//! role is 403. Reads are public unless the server runs `--private`; then every route but
//! `PUBLIC_WHEN_PRIVATE` needs a token, checked once for all routes (`private_gate`) as well as
//! by each handler, so a route that forgets to ask is still closed.

use super::problem::Problem;
use super::state::AppState;
use crate::edge::auth::{Role, TokenInfo};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{HttpRequest, web};

/// Paths anyone may reach on a private server: liveness, and the JSON-LD context (vocabulary,
/// not data).
const PUBLIC_WHEN_PRIVATE: [&str; 2] = ["/health", "/ns/context.jsonld"];

/// Middleware: on a `--private` server, a request without a valid token is answered 401 before
/// any handler runs.
pub async fn private_gate(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let refused = match request.app_data::<web::Data<AppState>>() {
        Some(state) if state.settings.private && !PUBLIC_WHEN_PRIVATE.contains(&request.path()) => {
            authorize(request.request(), state, Role::Read).err()
        }
        _ => None,
    };
    super::problem::refuse_or_call(request, next, refused).await
}

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

/// Who a write is recorded as: the token's name, or `anonymous` where no token was needed.
pub fn agent(token: Option<&TokenInfo>) -> String {
    token.map_or_else(|| "anonymous".to_owned(), |t| t.name.clone())
}
