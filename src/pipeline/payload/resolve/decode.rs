//! Payload bytes in another character encoding than UTF-8 decoded, as a stream, with
//! encoding_rs (a byte order mark picks UTF-16 BE or LE). Malformed input is an error, never
//! replaced silently.

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{DecoderResult, Encoding, UTF_8};

use crate::pipeline::payload::PayloadError;

/// `input` as UTF-8: as it is when `label` is absent or UTF-8, decoded otherwise.
pub(super) fn utf8(
    input: Box<dyn BufRead>,
    label: Option<&str>,
) -> Result<Box<dyn BufRead>, PayloadError> {
    let Some(label) = label else {
        return Ok(input);
    };
    let encoding =
        Encoding::for_label(label.trim().as_bytes()).ok_or_else(|| PayloadError::Refused {
            reason: format!("unknown character encoding `{label}`"),
        })?;
    if encoding == UTF_8 {
        return Ok(input);
    }
    Ok(Box::new(BufReader::new(Decoding {
        inner: input,
        decoder: encoding.new_decoder(),
        name: encoding.name(),
        decoded: Vec::new(),
        start: 0,
        finished: false,
    })))
}

struct Decoding {
    inner: Box<dyn BufRead>,
    decoder: encoding_rs::Decoder,
    name: &'static str,
    decoded: Vec<u8>,
    start: usize,
    finished: bool,
}

impl Read for Decoding {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.start >= self.decoded.len() {
            if self.finished {
                return Ok(0);
            }
            self.refill()?;
        }
        let pending = self.decoded.get(self.start..).unwrap_or(&[]);
        let count = pending.len().min(out.len());
        if let (Some(target), Some(source)) = (out.get_mut(..count), pending.get(..count)) {
            target.copy_from_slice(source);
        }
        self.start += count;
        Ok(count)
    }
}

impl Decoding {
    fn refill(&mut self) -> io::Result<()> {
        let input = self.inner.fill_buf()?;
        let last = input.is_empty();
        let room = self
            .decoder
            .max_utf8_buffer_length_without_replacement(input.len())
            .unwrap_or(input.len().saturating_mul(3))
            .max(16);
        self.decoded.clear();
        self.decoded.resize(room, 0);
        self.start = 0;
        let (result, read, written) =
            self.decoder
                .decode_to_utf8_without_replacement(input, &mut self.decoded, last);
        self.decoded.truncate(written);
        self.inner.consume(read);
        match result {
            DecoderResult::Malformed(..) => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the payload is not valid {}", self.name),
            )),
            DecoderResult::InputEmpty => {
                self.finished = last;
                Ok(())
            }
            DecoderResult::OutputFull => Ok(()),
        }
    }
}
