//! A byte scan of a query or update before it is parsed, for the two shapes of text that
//! would make the parser, the tree it builds, or its evaluation recurse without bound:
//! - brackets nested deeper than `MAX_NESTING` (the parser recurses once per level);
//! - long operator chains without brackets (`:a/:a/...`, `1+1+...`, `{..}{..}...`): they are
//!   parsed iteratively but build left-deep trees that later steps recurse through, so the
//!   text outside data blocks is limited to `MAX_PATTERN_BYTES`. Data blocks (`INSERT DATA`,
//!   `DELETE DATA`, `VALUES`) are flat lists of terms and may be as large as the body limit.
//!
//! Refused text gets the line and column of where it went too far.

use super::SparqlError;
use crate::core::rdf_file::line_column;

/// Deeper than any hand-written or generated query we know of, and within what the parser
/// does on `stack::LARGE_STACK_BYTES` in a debug build.
pub const MAX_NESTING: usize = 256;
/// The text of a query outside its data blocks. The longest chain it can hold (about 85,000
/// path steps) is parsed and refused on `stack::LARGE_STACK_BYTES` with room to spare in a
/// debug build (measured: 90,000 steps pass, 200,000 overflow); real queries are far smaller.
pub const MAX_PATTERN_BYTES: usize = 256 << 10;

/// Refuses `text` when `(`, `{` and `[` nest deeper than `MAX_NESTING`, or when its text outside
/// data blocks is longer than `MAX_PATTERN_BYTES`. Brackets in strings and comments do not
/// count; brackets in what may be an IRI do (`<` may be the less-than operator).
pub fn check(text: &str) -> Result<(), SparqlError> {
    check_with(text, MAX_NESTING, MAX_PATTERN_BYTES)
}

fn check_with(text: &str, max_depth: usize, max_pattern: usize) -> Result<(), SparqlError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // Set by `DATA` or `VALUES`; the next `{` opens a data block at this depth.
    let mut block_ahead = false;
    let mut block_depth: Option<usize> = None;
    let mut pattern_bytes = 0usize;
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        let start = i;
        match byte {
            b'"' | b'\'' => i = skip_string(bytes, i),
            b'<' => {
                let end = iri_end(bytes, i);
                for (offset, &inner) in bytes.iter().enumerate().take(end).skip(i) {
                    match inner {
                        b'(' | b'[' => {
                            depth += 1;
                            if depth > max_depth {
                                return Err(too_deep(text, offset, max_depth));
                            }
                        }
                        b')' | b']' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                i = end;
            }
            b'#' => i = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |n| i + n),
            b'(' | b'{' | b'[' => {
                depth += 1;
                if depth > max_depth {
                    return Err(too_deep(text, i, max_depth));
                }
                if byte == b'{' && block_ahead && block_depth.is_none() {
                    block_depth = Some(depth);
                    block_ahead = false;
                }
                i += 1;
            }
            b')' | b'}' | b']' => {
                if byte == b'}' && block_depth == Some(depth) {
                    block_depth = None;
                }
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | b'0'..=b'9' | b'?' | b'$' | b':' => {
                let end = bytes[i..]
                    .iter()
                    .position(|b| !(b.is_ascii_alphanumeric() || b"_-:.?$%\\".contains(b)))
                    .map_or(bytes.len(), |n| i + n);
                let word = &bytes[i..end];
                if word.eq_ignore_ascii_case(b"DATA") || word.eq_ignore_ascii_case(b"VALUES") {
                    block_ahead = true;
                }
                i = end;
            }
            _ => i += 1,
        }
        if block_depth.is_none() {
            pattern_bytes += i - start;
            if pattern_bytes > max_pattern {
                let (line, column) = line_column(text.as_bytes(), i);
                return Err(SparqlError::TooLong {
                    line,
                    column,
                    max: max_pattern,
                });
            }
        }
    }
    Ok(())
}

fn too_deep(text: &str, offset: usize, max: usize) -> SparqlError {
    let (line, column) = line_column(text.as_bytes(), offset);
    SparqlError::TooDeep { line, column, max }
}

/// The offset after the string literal starting at `start` (short or long form, with escapes).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let long = bytes.get(start + 1) == Some(&quote) && bytes.get(start + 2) == Some(&quote);
    let mut i = start + if long { 3 } else { 1 };
    while let Some(&byte) = bytes.get(i) {
        if byte == b'\\' {
            i += 2;
        } else if byte == quote {
            if !long {
                return i + 1;
            }
            if bytes.get(i + 1) == Some(&quote) && bytes.get(i + 2) == Some(&quote) {
                return i + 3;
            }
            i += 1;
        } else if !long && (byte == b'\n' || byte == b'\r') {
            // A short string cannot span lines: the parser reports it; scanning goes on.
            return i;
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The offset after the IRI reference starting at `start`, or just after `<` when what follows
/// cannot be an IRI (then `<` is the less-than operator). Inside it, `#` is no comment.
fn iri_end(bytes: &[u8], start: usize) -> usize {
    for (n, &byte) in bytes.iter().enumerate().skip(start + 1) {
        match byte {
            b'>' => return n + 1,
            b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\' => break,
            _ if byte <= b' ' => break,
            _ => {}
        }
    }
    start + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(levels: usize) -> String {
        format!(
            "ASK {{ FILTER({}1{}) }}",
            "(".repeat(levels),
            ")".repeat(levels)
        )
    }

    #[test]
    fn refuses_the_first_bracket_too_many_with_its_place() {
        let text = nested(MAX_NESTING);
        match check(&text) {
            Err(SparqlError::TooDeep { line, column, max }) => {
                assert_eq!((line, max), (1, MAX_NESTING));
                // `ASK { FILTER(` (13 characters) holds two levels, so the first level too
                // many is the (MAX_NESTING - 1)th `(` after it.
                assert_eq!(column, 13 + MAX_NESTING as u64 - 1);
            }
            other => panic!("expected TooDeep, got {other:?}"),
        }
        assert!(check(&nested(MAX_NESTING - 2)).is_ok());
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let deep = "(".repeat(500);
        let text = format!(
            "SELECT * WHERE {{ ?s ?p \"{deep}\" , '''{deep}\n''' , <http://x/#a> }} # {deep}\n"
        );
        assert!(check_with(&text, 4, MAX_PATTERN_BYTES).is_ok());
    }

    #[test]
    fn brackets_after_less_than_count_even_when_they_look_like_an_iri() {
        let (open, close) = ("(".repeat(50), ")".repeat(50));
        let hidden = format!("ASK {{ FILTER(1<{open}1{close}&&2>1) }}");
        assert!(matches!(
            check_with(&hidden, 10, MAX_PATTERN_BYTES),
            Err(SparqlError::TooDeep { .. })
        ));
        // A `#` inside an IRI starts no comment that could hide the rest of the line.
        let after_fragment = format!("ASK {{ <http://x#a> <p:q> ?o FILTER({open}1{close}) }}");
        assert!(matches!(
            check_with(&after_fragment, 10, MAX_PATTERN_BYTES),
            Err(SparqlError::TooDeep { .. })
        ));
    }

    #[test]
    fn less_than_is_not_an_iri() {
        let text = format!("ASK {{ FILTER(1 < 2 && ({})) }}", "(".repeat(10));
        assert!(matches!(
            check_with(&text, 5, MAX_PATTERN_BYTES),
            Err(SparqlError::TooDeep { .. })
        ));
    }

    #[test]
    fn escaped_quotes_stay_inside_the_string() {
        let text = "ASK { FILTER(\"a\\\"(((\" = \"b\") }";
        assert!(check_with(text, 2, MAX_PATTERN_BYTES).is_ok());
    }

    #[test]
    fn data_blocks_may_be_large_but_patterns_may_not() {
        let triples = "<http://example.com/s> <http://example.com/p> \"v\" .\n".repeat(20_000);
        let insert = format!(
            "PREFIX ex: <http://example.com/>\nINSERT DATA {{ GRAPH ex:g {{ {triples} }} }}"
        );
        assert!(insert.len() > MAX_PATTERN_BYTES);
        assert!(check(&insert).is_ok());
        let values = format!(
            "SELECT * {{ ?s ?p ?o }} VALUES ?s {{ {} }}",
            "<http://example.com/s> ".repeat(20_000)
        );
        assert!(check(&values).is_ok());
        let chain = format!(
            "PREFIX : <x:> SELECT * {{ ?s :a{} ?o }}",
            "/:a".repeat(100_000)
        );
        match check(&chain) {
            Err(SparqlError::TooLong { line, max, .. }) => {
                assert_eq!((line, max), (1, MAX_PATTERN_BYTES))
            }
            other => panic!("expected TooLong, got {other:?}"),
        }
        // After a data block, the pattern counts again.
        let after = format!(
            "INSERT DATA {{ {triples} }} ; DELETE WHERE {{ ?s ?p ?o {} }}",
            "FILTER(1)".repeat(40_000)
        );
        assert!(matches!(check(&after), Err(SparqlError::TooLong { .. })));
        // A keyword inside a name or a string opens no block.
        let hidden = format!(
            "SELECT * {{ ?s <p:DATA> \"VALUES\" . ex:DATA {{ {} }} }}",
            "FILTER(1)".repeat(40_000)
        );
        assert!(matches!(check(&hidden), Err(SparqlError::TooLong { .. })));
    }
}
