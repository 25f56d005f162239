//! Small byte-level helpers the readers share: the UTF-8 byte order mark, turning a byte
//! offset into the line and column a syntax error reports, and a media type's charset.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// The `charset` parameter of a media type (`text/csv; charset=ISO-8859-1`), if any.
pub fn charset_of(media_type: &str) -> Option<String> {
    media_type.split(';').skip(1).find_map(|parameter| {
        let (key, value) = parameter.trim().split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// Consumes a UTF-8 byte order mark at the start of `input`, if there is one.
pub(super) fn skip_utf8_bom(input: &mut impl BufRead) -> io::Result<()> {
    let buffer = input.fill_buf()?;
    if buffer.starts_with(UTF8_BOM) {
        input.consume(UTF8_BOM.len());
    } else if !buffer.is_empty() && UTF8_BOM.starts_with(buffer) {
        // A BOM split over two reads: rare enough to read it byte by byte.
        let mut head = [0_u8; 3];
        let mut filled = 0;
        while filled < 3 {
            let read = input.read(&mut head[filled..])?;
            if read == 0 {
                break;
            }
            filled += read;
            if !UTF8_BOM.starts_with(&head[..filled]) {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "the payload starts with an incomplete byte order mark",
                ));
            }
        }
    }
    Ok(())
}

/// How many recent line starts are remembered to place an error (errors are reported where the
/// parser stands, which is always among the last bytes read).
const REMEMBERED_LINES: usize = 4096;

/// A `BufRead` that counts lines as its bytes are consumed, to turn an offset into line/column.
pub(super) struct LineCounter<R> {
    inner: R,
    consumed: u64,
    /// Lines started before the first remembered line start.
    forgotten: u64,
    /// Offsets of the first byte of recent lines (after each `\n`).
    line_starts: VecDeque<u64>,
}

impl<R: BufRead> LineCounter<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            consumed: 0,
            forgotten: 0,
            line_starts: VecDeque::new(),
        }
    }

    /// 1-based line and column (in bytes) of byte `offset`.
    pub(super) fn position(&self, offset: u64) -> (u64, u64) {
        let before = self.line_starts.partition_point(|start| *start <= offset);
        let line = self.forgotten + before as u64 + 1;
        let line_start = match before.checked_sub(1) {
            Some(index) => self.line_starts.get(index).copied().unwrap_or(0),
            None => 0,
        };
        (line, offset.saturating_sub(line_start) + 1)
    }
}

impl<R: BufRead> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(out.len());
        out[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

impl<R: BufRead> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        if let Ok(buffer) = self.inner.fill_buf() {
            let taken = buffer.get(..amount).unwrap_or(buffer);
            for at in memchr_all(taken) {
                if self.line_starts.len() == REMEMBERED_LINES {
                    self.line_starts.pop_front();
                    self.forgotten += 1;
                }
                self.line_starts.push_back(self.consumed + at as u64 + 1);
            }
        }
        self.consumed += amount as u64;
        self.inner.consume(amount);
    }
}

fn memchr_all(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'\n')
        .map(|(at, _)| at)
}

#[cfg(test)]
mod tests {
    use super::charset_of;

    #[test]
    fn charsets_come_from_the_media_type() {
        assert_eq!(
            charset_of("text/csv; charset=ISO-8859-1").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(
            charset_of("application/json;Charset=\"utf-8\"").as_deref(),
            Some("utf-8")
        );
        assert_eq!(charset_of("text/csv"), None);
    }
}
