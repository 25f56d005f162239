//! Just enough `multipart/form-data` (RFC 7578) for Graph Store POSTs that upload several RDF
//! files at once: each part's bytes with its own Content-Type. Linear in the body: delimiters
//! are found with a substring search that never backtracks, and a boundary is at most 70
//! characters (RFC 2046).

/// The longest boundary RFC 2046 allows.
pub const MAX_BOUNDARY: usize = 70;

/// One uploaded part.
#[derive(Debug, PartialEq, Eq)]
pub struct Part<'a> {
    /// The form field name (`Content-Disposition: form-data; name="..."`).
    pub name: Option<String>,
    pub content_type: Option<String>,
    pub filename: Option<String>,
    pub body: &'a [u8],
}

/// The parts of a `multipart/form-data` request body, or a 400 problem saying what is wrong.
pub fn request_parts<'a>(
    request: &actix_web::HttpRequest,
    body: &'a [u8],
) -> Result<Vec<Part<'a>>, super::problem::Problem> {
    use super::problem::Problem;
    let raw = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = boundary(raw).ok_or_else(|| {
        Problem::bad_request(
            "bad-multipart",
            "multipart/form-data needs a boundary parameter",
        )
    })?;
    if boundary.is_empty() || boundary.len() > MAX_BOUNDARY {
        return Err(Problem::bad_request(
            "bad-multipart",
            format!(
                "the multipart boundary has {} characters; RFC 2046 allows 1 to {MAX_BOUNDARY}",
                boundary.len()
            ),
        ));
    }
    parse(body, &boundary).ok_or_else(|| {
        Problem::bad_request("bad-multipart", "the multipart body is not well formed")
    })
}

/// The boundary parameter of a `multipart/form-data` Content-Type.
pub fn boundary(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|p| {
        let (key, value) = p.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Splits `body` into its parts; `None` when it is not well formed.
pub fn parse<'a>(body: &'a [u8], boundary: &str) -> Option<Vec<Part<'a>>> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut parts = Vec::new();
    let mut rest = &body[find(body, delimiter)? + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Some(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .or_else(|| rest.strip_prefix(b"\n"))?;
        let end = find(rest, delimiter)?;
        let mut part = &rest[..end];
        part = part
            .strip_suffix(b"\r\n")
            .or_else(|| part.strip_suffix(b"\n"))
            .unwrap_or(part);
        let (head, body) = split_head(part)?;
        let mut content_type = None;
        let mut filename = None;
        let mut field = None;
        for line in std::str::from_utf8(head).ok()?.lines() {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("content-type") {
                content_type = Some(value.trim().to_owned());
            } else if name.trim().eq_ignore_ascii_case("content-disposition") {
                let parameter = |key: &str| {
                    value.split(';').find_map(|p| {
                        p.trim()
                            .strip_prefix(key)
                            .map(|f| f.trim_matches('"').to_owned())
                    })
                };
                filename = parameter("filename=");
                field = parameter("name=");
            }
        }
        parts.push(Part {
            name: field,
            content_type,
            filename,
            body,
        });
        rest = &rest[end + delimiter.len()..];
    }
}

fn split_head(part: &[u8]) -> Option<(&[u8], &[u8])> {
    if let Some(i) = find(part, b"\r\n\r\n") {
        return Some((&part[..i], &part[i + 4..]));
    }
    find(part, b"\n\n").map(|i| (&part[..i], &part[i + 2..]))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find(haystack, needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_keep_their_content_types_and_bodies() {
        let body = b"--XYZ\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.ttl\"\r\nContent-Type: text/turtle\r\n\r\n<a:s> <a:p> 1 .\r\n\r\n--XYZ\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n<a:s> <a:p> 2 .\r\n--XYZ--\r\n";
        let parts = parse(body, "XYZ").unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].content_type.as_deref(), Some("text/turtle"));
        assert_eq!(parts[0].filename.as_deref(), Some("a.ttl"));
        assert_eq!(parts[0].name.as_deref(), Some("a"));
        assert_eq!(parts[1].name.as_deref(), Some("b"));
        assert_eq!(parts[0].body, b"<a:s> <a:p> 1 .\r\n");
        assert_eq!(parts[1].content_type, None);
        assert_eq!(parts[1].body, b"<a:s> <a:p> 2 .");
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XYZ\"").as_deref(),
            Some("XYZ")
        );
        assert!(parse(b"garbage", "XYZ").is_none());
        assert!(parse(b"--XYZ\r\nno blank line--XYZ--", "XYZ").is_none());
    }

    #[test]
    fn a_long_boundary_in_a_large_body_is_searched_in_linear_time() {
        // Before: a sliding-window comparison, 11 s for this shape on 2 MiB.
        let boundary = "b".repeat(MAX_BOUNDARY);
        let mut body = format!("--{boundary}\r\n\r\n").into_bytes();
        body.extend(std::iter::repeat_n(b'b', 2 << 20));
        let started = std::time::Instant::now();
        assert!(parse(&body, &boundary).is_none());
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
    }
}
