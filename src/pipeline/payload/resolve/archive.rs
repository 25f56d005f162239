//! The first file of a zip or tar archive, read as a stream. Enough for a payload shipped as an
//! archive of one file; entries after the first file are ignored.

use std::io::{self, Read};
use std::path::Path;

use flate2::read::DeflateDecoder;

use crate::pipeline::payload::PayloadError;

fn refused(path: &Path, why: &str) -> PayloadError {
    PayloadError::Refused {
        reason: format!("`{}` {why}", path.display()),
    }
}

fn read_exact_or(
    input: &mut impl Read,
    buffer: &mut [u8],
    path: &Path,
) -> Result<(), PayloadError> {
    input
        .read_exact(buffer)
        .map_err(|error| match error.kind() {
            io::ErrorKind::UnexpectedEof => refused(path, "is a truncated archive"),
            _ => PayloadError::Io(error),
        })
}

fn skip(input: &mut impl Read, count: u64) -> Result<(), PayloadError> {
    io::copy(&mut input.take(count), &mut io::sink())?;
    Ok(())
}

fn le16(bytes: &[u8], at: usize) -> u16 {
    match bytes.get(at..at + 2) {
        Some([low, high]) => u16::from_le_bytes([*low, *high]),
        _ => 0,
    }
}

fn le32(bytes: &[u8], at: usize) -> u32 {
    match bytes.get(at..at + 4) {
        Some([a, b, c, d]) => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    }
}

/// The first file entry of a zip archive (stored or deflated), from its local header on.
pub(super) fn first_zip_entry(
    mut input: impl Read + 'static,
    path: &Path,
) -> Result<Box<dyn Read>, PayloadError> {
    loop {
        let mut header = [0_u8; 30];
        read_exact_or(&mut input, &mut header, path)?;
        if le32(&header, 0) != 0x0403_4b50 {
            return Err(refused(path, "holds no file (or is not a zip archive)"));
        }
        let flags = le16(&header, 6);
        let method = le16(&header, 8);
        let compressed = u64::from(le32(&header, 18));
        let mut name = vec![0_u8; usize::from(le16(&header, 26))];
        read_exact_or(&mut input, &mut name, path)?;
        skip(&mut input, u64::from(le16(&header, 28)))?;
        if flags & 1 != 0 {
            return Err(refused(path, "is an encrypted zip archive"));
        }
        let sized = flags & 0b1000 == 0 && compressed != u64::from(u32::MAX);
        if name.ends_with(b"/") {
            if !sized {
                return Err(refused(path, "starts with a directory of unknown size"));
            }
            skip(&mut input, compressed)?;
            continue;
        }
        return match method {
            0 if sized => Ok(Box::new(input.take(compressed))),
            0 => Err(refused(path, "stores its file with an unknown size")),
            8 => Ok(Box::new(DeflateDecoder::new(input))),
            other => Err(refused(
                path,
                &format!(
                    "uses zip compression method {other}; only stored and deflate are supported"
                ),
            )),
        };
    }
}

/// The first regular file of a tar archive.
pub(super) fn first_tar_entry(
    mut input: impl Read + 'static,
    path: &Path,
) -> Result<Box<dyn Read>, PayloadError> {
    loop {
        let mut header = [0_u8; 512];
        read_exact_or(&mut input, &mut header, path)?;
        if header.iter().all(|byte| *byte == 0) {
            return Err(refused(path, "is a tar archive with no file"));
        }
        let size = tar_size(header.get(124..136).unwrap_or(&[]))
            .ok_or_else(|| refused(path, "has a tar header with an invalid size"))?;
        match header.get(156).copied().unwrap_or(0) {
            b'0' | 0 | b'7' => return Ok(Box::new(input.take(size))),
            _ => skip(&mut input, size.div_ceil(512) * 512)?,
        }
    }
}

/// A tar size field: octal digits, or base-256 when the high bit of the first byte is set.
fn tar_size(field: &[u8]) -> Option<u64> {
    match field.split_first() {
        Some((first, rest)) if first & 0x80 != 0 => {
            rest.iter().try_fold(u64::from(first & 0x7f), |size, byte| {
                size.checked_mul(256)?.checked_add(u64::from(*byte))
            })
        }
        _ => {
            let digits = std::str::from_utf8(field).ok()?;
            let digits = digits.trim_matches(|c: char| c == '\0' || c == ' ');
            if digits.is_empty() {
                Some(0)
            } else {
                u64::from_str_radix(digits, 8).ok()
            }
        }
    }
}
