//! Request bodies: read with the configured size limit (413 as problem+json, before reading
//! when Content-Length already says too much), and form or query-string parameters that may
//! repeat (`default-graph-uri` often does).

use super::problem::Problem;
use crate::pipeline::ingest::deliver::DeclaredZone;
use crate::pipeline::payload::text::charset_of;
use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::{self, Bytes, BytesMut};
use futures_util::StreamExt;

pub async fn read_limited(
    request: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes, Problem> {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(Problem::payload_too_large(limit));
    }
    refuse_content_encoding(request)?;
    // Memory follows the bytes that arrive, not what a header promises.
    let mut body = BytesMut::with_capacity(declared.unwrap_or(0).min(limit).min(INITIAL_CAPACITY));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            Problem::bad_request("bad-body", format!("cannot read the request body: {e}"))
        })?;
        if body.len() + chunk.len() > limit {
            return Err(Problem::payload_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// What a body buffer reserves before its bytes arrive.
const INITIAL_CAPACITY: usize = 1 << 20;

/// Bodies are read as sent: a compressed `Content-Encoding` is refused rather than read as if
/// it were the content (compressed payloads say so in their mapping's source instead).
fn refuse_content_encoding(request: &HttpRequest) -> Result<(), Problem> {
    let Some(encoding) = request.headers().get(header::CONTENT_ENCODING) else {
        return Ok(());
    };
    let encoding = encoding.to_str().unwrap_or("(not text)").trim();
    if encoding.is_empty() || encoding.eq_ignore_ascii_case("identity") {
        return Ok(());
    }
    Err(Problem::unsupported_media_type(
        &format!("Content-Encoding: {encoding}"),
        &["uncompressed bodies (no Content-Encoding, or identity)"],
    ))
}

/// What an RDF document upload (a use case, the city profile) may be.
const TURTLE_TYPES: &[&str] = &["text/turtle", "application/x-turtle"];
const JSON_LD_TYPES: &[&str] = &["application/ld+json"];
const INPUT_TYPES: &[&str] = &["text/turtle", "application/ld+json"];

/// An uploaded RDF document (a use case, the city profile): its syntax from `Content-Type` (415
/// otherwise) and its UTF-8 text, read within `limit` bytes. `what` names it in errors.
pub async fn rdf_document(
    request: &HttpRequest,
    body: web::Payload,
    limit: usize,
    what: &str,
) -> Result<(crate::catalogue::use_cases::InputSyntax, String), Problem> {
    use crate::catalogue::use_cases::InputSyntax;
    let syntax = match content_type(request).as_deref() {
        Some(t) if TURTLE_TYPES.contains(&t) => InputSyntax::Turtle,
        Some(t) if JSON_LD_TYPES.contains(&t) => InputSyntax::JsonLd,
        other => {
            return Err(Problem::unsupported_media_type(
                other.unwrap_or("(none)"),
                INPUT_TYPES,
            ));
        }
    };
    let bytes = read_limited(request, body, limit).await?;
    let text = String::from_utf8(bytes.to_vec())
        .map_err(|_| Problem::bad_request("not-utf8", format!("{what} must be UTF-8")))?;
    Ok((syntax, text))
}

/// `application/x-www-form-urlencoded` or query-string pairs, in order, repeats kept.
#[derive(Debug, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(encoded: &[u8]) -> Self {
        Self(form_urlencoded::parse(encoded).into_owned().collect())
    }

    /// Form bodies must be UTF-8 once percent-decoded (the protocol tests send Latin-1 bytes);
    /// the lossy decoding of `parse` would turn those into U+FFFD silently.
    pub fn parse_utf8(encoded: &[u8]) -> Result<Self, Problem> {
        for part in encoded.split(|b| *b == b'&' || *b == b'=') {
            let decoded: Vec<u8> = percent_encoding::percent_decode(part).collect();
            if std::str::from_utf8(&decoded).is_err() {
                return Err(Problem::bad_request(
                    "bad-encoding",
                    "the form body is not valid UTF-8 after percent-decoding",
                ));
            }
        }
        Ok(Self::parse(encoded))
    }

    pub fn all(&self, key: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The only value of `key`; two values are an error (the protocol forbids repeats).
    pub fn single(&self, key: &str) -> Result<Option<String>, Problem> {
        let mut values = self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v);
        let first = values.next().cloned();
        if values.next().is_some() {
            return Err(Problem::bad_request(
                "repeated-parameter",
                format!("the {key} parameter may be given only once"),
            ));
        }
        Ok(first)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    pub fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }
}

/// The media type of the request body without parameters, lowercased.
pub fn content_type(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|v| !v.is_empty())
}

/// The `charset` of the request's Content-Type, as sent.
pub fn raw_charset(request: &HttpRequest) -> Option<String> {
    request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(charset_of)
}

/// The `timezone` parameter: the zone the sender declares for payload times written without
/// one (`Z`, `UTC`, `+01:00`).
pub fn declared_zone(request: &HttpRequest) -> Result<Option<DeclaredZone>, Problem> {
    Params::parse_utf8(request.query_string().as_bytes())?
        .single("timezone")?
        .map(|text| DeclaredZone::parse(&text).map_err(Problem::from))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_repeat_and_decode() {
        let params = Params::parse(b"query=ASK%20%7B%7D&default-graph-uri=a&default-graph-uri=b");
        assert_eq!(params.single("query").unwrap().as_deref(), Some("ASK {}"));
        assert_eq!(params.all("default-graph-uri"), ["a", "b"]);
        assert!(params.single("default-graph-uri").is_err());
        assert!(Params::parse_utf8(b"query=%E9").is_err());
        assert!(Params::parse_utf8("query=caf%C3%A9".as_bytes()).is_ok());
        // A real U+FFFD in the text is fine; only undecodable bytes are refused.
        assert!(Params::parse_utf8("query=%EF%BF%BD".as_bytes()).is_ok());
    }
}
