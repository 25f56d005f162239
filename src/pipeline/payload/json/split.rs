//! The fast path for the common payload shape, a top-level JSON array: element boundaries are
//! found by a byte scanner (strings, escapes and nesting only; it jumps from one interesting
//! byte to the next with memchr) over a reused buffer, and each element is parsed from its
//! slice. serde_json parses a slice several times faster than a reader, and memory still holds
//! one element at a time. Line numbers are only worked out when there is an error to report.

use std::io::BufRead;

use serde_json::Value as Json;

use super::JsonSpec;
use super::stream::Context;
use crate::pipeline::payload::reader::Visit;
use crate::pipeline::payload::{PayloadError, ReadError};

/// Whether the document starts (after whitespace) with `[`.
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

/// Bytes that matter inside an element outside strings.
const STRUCTURE: [bool; 256] = table(b"\"{}[]");
/// Bytes that end a scalar element.
const SCALAR_END: [bool; 256] = table(b",] \t\r\n");

const fn table(bytes: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    BeforeArray,
    /// After `[` or `,`: an element (or, after `[`, the closing `]`) comes next.
    BeforeElement {
        first: bool,
    },
    InObject {
        depth: u32,
    },
    InString {
        depth: u32,
    },
    InScalar,
    AfterElement,
    Done,
}

/// Lines and columns for error messages, counted lazily over the bytes dropped so far.
struct Lines {
    dropped_newlines: u64,
    /// Bytes since the last newline at the end of the dropped part.
    dropped_tail: u64,
}

impl Lines {
    fn drop(&mut self, bytes: &[u8]) {
        let newlines = memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.dropped_newlines += newlines;
        self.dropped_tail = match memchr::memrchr(b'\n', bytes) {
            Some(last) => (bytes.len() - last - 1) as u64,
            None => self.dropped_tail + bytes.len() as u64,
        };
    }

    /// 1-based line and column of `position` in the buffer.
    fn at(&self, buffer: &[u8], position: usize) -> (u64, u64) {
        let before = buffer.get(..position).unwrap_or(buffer);
        let newlines = memchr::memchr_iter(b'\n', before).count() as u64;
        let column = match memchr::memrchr(b'\n', before) {
            Some(last) => (before.len() - last - 1) as u64,
            None => self.dropped_tail + before.len() as u64,
        };
        (self.dropped_newlines + newlines + 1, column + 1)
    }
}

pub(super) fn read_array<E>(
    specs: &[JsonSpec],
    input: &mut dyn BufRead,
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    let mut context = Context::new(specs, visit);
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 16);
    let mut lines = Lines {
        dropped_newlines: 0,
        dropped_tail: 0,
    };
    let mut start = 0usize;
    let mut position = 0usize;
    let mut state = State::BeforeArray;
    loop {
        if position >= buffer.len() {
            // Keep only the element in progress, then read more.
            let keep_from = match state {
                State::InObject { .. } | State::InString { .. } | State::InScalar => start,
                _ => position.min(buffer.len()),
            };
            lines.drop(buffer.get(..keep_from).unwrap_or_default());
            buffer.drain(..keep_from);
            position -= keep_from;
            start -= keep_from.min(start);
            let chunk = input.fill_buf().map_err(PayloadError::Io)?;
            if chunk.is_empty() {
                break;
            }
            let len = chunk.len();
            buffer.extend_from_slice(chunk);
            input.consume(len);
        }
        let rest = buffer.get(position..).unwrap_or_default();
        match state {
            State::InString { depth } => match memchr::memchr2(b'"', b'\\', rest) {
                None => position = buffer.len(),
                Some(offset) => {
                    position += offset;
                    if rest.get(offset) == Some(&b'\\') {
                        // Skip the escaped byte (it may be in the next chunk: position can pass the end).
                        position += 2;
                    } else {
                        position += 1;
                        if depth == 0 {
                            finish(&mut context, &buffer, start, position, &lines)?;
                            state = State::AfterElement;
                        } else {
                            state = State::InObject { depth };
                        }
                    }
                }
            },
            State::InObject { depth } => match rest.iter().position(|b| STRUCTURE[usize::from(*b)])
            {
                None => position = buffer.len(),
                Some(offset) => {
                    position += offset + 1;
                    state = match rest.get(offset) {
                        Some(b'"') => State::InString { depth },
                        Some(b'{' | b'[') => State::InObject { depth: depth + 1 },
                        _ if depth <= 1 => {
                            finish(&mut context, &buffer, start, position, &lines)?;
                            State::AfterElement
                        }
                        _ => State::InObject { depth: depth - 1 },
                    };
                }
            },
            State::InScalar => match rest.iter().position(|b| SCALAR_END[usize::from(*b)]) {
                None => position = buffer.len(),
                Some(offset) => {
                    position += offset;
                    finish(&mut context, &buffer, start, position, &lines)?;
                    state = State::AfterElement;
                }
            },
            _ => {
                let Some(&byte) = rest.first() else { continue };
                let is_space = matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
                state = match (state, byte) {
                    (_, _) if is_space => state,
                    (State::BeforeArray, b'[') => State::BeforeElement { first: true },
                    (State::BeforeElement { first: true }, b']') | (State::AfterElement, b']') => {
                        State::Done
                    }
                    (State::AfterElement, b',') => State::BeforeElement { first: false },
                    (State::BeforeElement { .. }, _) if !matches!(byte, b']' | b',') => {
                        start = position;
                        match byte {
                            b'"' => State::InString { depth: 0 },
                            b'{' | b'[' => State::InObject { depth: 1 },
                            _ => State::InScalar,
                        }
                    }
                    _ => {
                        let (line, column) = lines.at(&buffer, position);
                        return Err(syntax(line, column, "expected a JSON array of records"));
                    }
                };
                position += 1;
            }
        }
    }
    match state {
        State::Done => Ok(()),
        State::InScalar => {
            finish(&mut context, &buffer, start, buffer.len(), &lines)?;
            let (line, column) = lines.at(&buffer, buffer.len());
            Err(syntax(
                line,
                column,
                "unexpected end of the JSON document: the array is not closed",
            ))
        }
        _ => {
            let (line, column) = lines.at(&buffer, buffer.len());
            Err(syntax(line, column, "unexpected end of the JSON document"))
        }
    }
}

fn syntax<E>(line: u64, column: u64, message: &str) -> ReadError<E> {
    ReadError::Payload(PayloadError::Syntax {
        line,
        column,
        message: message.to_owned(),
    })
}

/// Parses one element from its bytes and hands it to the iterators.
fn finish<E>(
    context: &mut Context<'_, '_, E>,
    buffer: &[u8],
    start: usize,
    end: usize,
    lines: &Lines,
) -> Result<(), ReadError<E>> {
    let bytes = buffer.get(start..end).unwrap_or_default();
    let element: Json = serde_json::from_slice(bytes).map_err(|error| {
        let (start_line, start_column) = lines.at(buffer, start);
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
    match context.next_element::<serde_json::Error>(&element) {
        Ok(()) => Ok(()),
        Err(_) => match context.failed.take() {
            Some(error) => Err(ReadError::Visit(error)),
            None => Ok(()),
        },
    }
}
