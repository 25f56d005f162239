//! The fast path for the common payload shape, a top-level JSON array: element boundaries are
//! found by a byte scanner (strings, escapes and nesting only) over a reused buffer, and each
//! element is parsed from its slice. serde_json parses a slice several times faster than a
//! reader, and memory still holds one element at a time.

use std::io::BufRead;

use serde_json::Value as Json;

use super::JsonSpec;
use super::stream::Context;
use crate::payload::reader::Visit;
use crate::payload::{PayloadError, ReadError};

/// Whether the document starts (after whitespace and a UTF-8 BOM) with `[`.
pub(super) fn starts_with_array(input: &mut dyn BufRead) -> Result<bool, PayloadError> {
    loop {
        let buffer = input.fill_buf()?;
        let Some(position) = buffer.iter().position(|b| !b" \t\r\n".contains(b)) else {
            if buffer.is_empty() {
                return Ok(false);
            }
            let len = buffer.len();
            input.consume(len);
            continue;
        };
        return Ok(buffer.get(position) == Some(&b'['));
    }
}

/// Scanner state between elements and inside one.
struct Scan {
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Inside a number, `true`, `false` or `null` at the element's top level.
    in_scalar: bool,
}

pub(super) fn read_array<E>(
    specs: &[JsonSpec],
    input: &mut dyn BufRead,
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    let mut context = Context {
        specs,
        visit,
        failed: None,
    };
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut start: Option<usize> = None;
    let mut position = 0usize;
    // Where the element being scanned starts, for error positions in the whole document.
    let (mut line, mut column) = (1u64, 1u64);
    let (mut start_line, mut start_column) = (1u64, 1u64);
    let mut opened = false;
    let mut closed = false;
    let mut expect_element = true;
    let mut scan = Scan {
        depth: 0,
        in_string: false,
        escaped: false,
        in_scalar: false,
    };
    let error_at = |line: u64, column: u64, message: &str| {
        ReadError::Payload(PayloadError::Syntax {
            line,
            column,
            message: message.to_owned(),
        })
    };
    loop {
        if position == buffer.len() {
            // Keep only the element in progress, then read more.
            let keep_from = start.unwrap_or(position);
            buffer.drain(..keep_from);
            position -= keep_from;
            start = start.map(|_| 0);
            let chunk = input.fill_buf().map_err(PayloadError::Io)?;
            if chunk.is_empty() {
                break;
            }
            let len = chunk.len();
            buffer.extend_from_slice(chunk);
            input.consume(len);
        }
        let Some(&byte) = buffer.get(position) else {
            continue;
        };
        let mut element_ends = false;
        if start.is_some() {
            if scan.in_string {
                if scan.escaped {
                    scan.escaped = false;
                } else if byte == b'\\' {
                    scan.escaped = true;
                } else if byte == b'"' {
                    scan.in_string = false;
                    element_ends = scan.depth == 0;
                }
            } else if scan.in_scalar {
                if matches!(byte, b',' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                    // The scalar ended just before this byte: parse it, then look at the byte again.
                    finish(
                        &mut context,
                        &buffer,
                        start,
                        position,
                        start_line,
                        start_column,
                    )?;
                    start = None;
                    scan.in_scalar = false;
                    continue;
                }
            } else {
                match byte {
                    b'"' => scan.in_string = true,
                    b'{' | b'[' => scan.depth += 1,
                    b'}' | b']' => {
                        scan.depth = scan.depth.saturating_sub(1);
                        element_ends = scan.depth == 0;
                    }
                    _ => {}
                }
            }
        } else {
            match byte {
                b' ' | b'\t' | b'\r' | b'\n' => {}
                0xEF | 0xBB | 0xBF if !opened => {}
                b'[' if !opened => opened = true,
                b',' if opened && !closed && !expect_element => expect_element = true,
                b']' if opened && !closed => closed = true,
                _ if opened && !closed && expect_element => {
                    start = Some(position);
                    (start_line, start_column) = (line, column);
                    expect_element = false;
                    match byte {
                        b'"' => scan.in_string = true,
                        b'{' | b'[' => scan.depth = 1,
                        _ => scan.in_scalar = true,
                    }
                }
                _ => return Err(error_at(line, column, "expected a JSON array of records")),
            }
        }
        if byte == b'\n' {
            line += 1;
            column = 1;
        } else if byte & 0xC0 != 0x80 {
            column += 1;
        }
        position += 1;
        if element_ends {
            finish(
                &mut context,
                &buffer,
                start,
                position,
                start_line,
                start_column,
            )?;
            start = None;
        }
    }
    if start.is_some() && scan.in_scalar {
        finish(
            &mut context,
            &buffer,
            start,
            position,
            start_line,
            start_column,
        )?;
        start = None;
    }
    if start.is_some() || !opened || !closed {
        return Err(error_at(
            line,
            column,
            "unexpected end of the JSON document",
        ));
    }
    Ok(())
}

/// Parses one element from its bytes and hands it to the iterators.
fn finish<E>(
    context: &mut Context<'_, '_, E>,
    buffer: &[u8],
    start: Option<usize>,
    end: usize,
    start_line: u64,
    start_column: u64,
) -> Result<(), ReadError<E>> {
    let bytes = start.and_then(|s| buffer.get(s..end)).unwrap_or_default();
    let element: Json = serde_json::from_slice(bytes).map_err(|error| {
        let line = start_line + error.line() as u64 - 1;
        let column = if error.line() <= 1 {
            start_column + error.column() as u64 - 1
        } else {
            error.column() as u64
        };
        ReadError::Payload(PayloadError::Syntax {
            line,
            column,
            message: error.to_string(),
        })
    })?;
    match context.element::<serde_json::Error>(&element) {
        Ok(()) => Ok(()),
        Err(_) => match context.failed.take() {
            Some(error) => Err(ReadError::Visit(error)),
            None => Ok(()),
        },
    }
}
