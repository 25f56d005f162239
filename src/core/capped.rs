//! Readers and writers that stop at a byte limit: what decompression may produce from a small
//! input (a gzip or xz bomb) is refused past the limit instead of filling memory.

use std::io::{self, Read, Write};

/// The error a capped reader or writer gives past its limit.
pub fn too_large(limit: u64) -> io::Error {
    io::Error::new(
        io::ErrorKind::FileTooLarge,
        format!("the data is larger than {limit} bytes once decompressed (the limit)"),
    )
}

/// Whether `error` is the one a capped reader or writer gives.
pub fn is_too_large(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::FileTooLarge
}

/// Reads at most `limit` bytes from `inner`; one more is an error, never a silent cut.
pub struct CappedReader<R> {
    inner: R,
    limit: u64,
    read: u64,
}

impl<R> CappedReader<R> {
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            limit,
            read: 0,
        }
    }
}

impl<R: Read> Read for CappedReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // One byte beyond the limit is asked for, to tell "exactly the limit" from "more".
        let room = self.limit.saturating_sub(self.read).saturating_add(1);
        let wanted = buf.len().min(usize::try_from(room).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..wanted])?;
        self.read += n as u64;
        if self.read > self.limit {
            return Err(too_large(self.limit));
        }
        Ok(n)
    }
}

/// A `Vec` that refuses to grow past `limit` bytes.
pub struct CappedVec {
    pub bytes: Vec<u8>,
    limit: u64,
}

impl CappedVec {
    pub fn new(limit: u64) -> Self {
        Self {
            bytes: Vec::new(),
            limit,
        }
    }
}

impl Write for CappedVec {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if (self.bytes.len() + buf.len()) as u64 > self.limit {
            return Err(too_large(self.limit));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_stops_with_an_error_past_the_limit() {
        let mut exact = Vec::new();
        CappedReader::new(&[7u8; 100][..], 100)
            .read_to_end(&mut exact)
            .unwrap();
        assert_eq!(exact.len(), 100);
        let error = CappedReader::new(&[7u8; 101][..], 100)
            .read_to_end(&mut Vec::new())
            .unwrap_err();
        assert!(is_too_large(&error), "{error}");
    }

    #[test]
    fn a_gzip_bomb_stops_at_the_limit() {
        use flate2::Compression;
        use flate2::write::GzEncoder;
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        for _ in 0..64 {
            encoder.write_all(&[0u8; 1 << 20]).unwrap();
        }
        let bomb = encoder.finish().unwrap();
        assert!(bomb.len() < 200_000);
        let mut out = Vec::new();
        let error = CappedReader::new(flate2::read::GzDecoder::new(&bomb[..]), 1 << 20)
            .read_to_end(&mut out)
            .unwrap_err();
        assert!(is_too_large(&error));
        assert!(out.len() <= (1 << 20) + 1);
        let mut vec = CappedVec::new(10);
        assert!(vec.write_all(b"0123456789").is_ok());
        assert!(is_too_large(&vec.write_all(b"x").unwrap_err()));
    }
}
