//! Streaming a blocking producer into an HTTP body. The producer runs on the blocking pool and
//! writes through `ChunkWriter`, which hands 64 KiB chunks to the response as the client reads
//! them (a bounded channel gives back-pressure). Nothing is sent until the first chunk is
//! full or the producer ends, so an early error still becomes a problem+json response. A result
//! that fits in the first chunk goes out whole, with a Content-Length.

use super::problem::Problem;
use crate::standards::sparql::SparqlError;
use crate::storage::pool::EvalPool;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, HttpResponseBuilder};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::io::{self, Write};
use std::time::Duration;
use tokio::sync::mpsc;

const CHUNK: usize = 64 * 1024;
/// Most answers are small: start small and let the buffer grow towards `CHUNK`.
const INITIAL: usize = 4 * 1024;

/// A chunk of output, and whether it is the last one.
type Item = Result<(Bytes, bool), SparqlError>;

/// A response body: whole when the result fit in one chunk, streamed otherwise.
pub enum ResultBody {
    Whole(Bytes),
    Streamed(BoxStream<'static, Result<Bytes, io::Error>>),
}

impl ResultBody {
    pub fn respond(self, mut response: HttpResponseBuilder) -> HttpResponse {
        match self {
            ResultBody::Whole(bytes) => response.body(bytes),
            ResultBody::Streamed(stream) => response.streaming(stream),
        }
    }
}

pub struct ChunkWriter {
    buffer: Vec<u8>,
    sender: mpsc::Sender<Item>,
}

impl Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        self.send_chunk(false)
    }

    fn send_chunk(&mut self, last: bool) -> io::Result<()> {
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(if last { 0 } else { CHUNK }),
        ));
        self.sender
            .blocking_send(Ok((chunk, last)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

/// Runs `produce` on the blocking pool and returns the body, or the error the producer
/// hit before its first chunk. With `respond_by`, a producer still silent at that time gets a
/// timeout answer: oxigraph checks its cancellation token when it reads the store, and some
/// plans (cross products, big sorts) read nothing for a long while.
pub async fn stream_blocking<F>(
    produce: F,
    respond_by: Option<Duration>,
    pool: Option<&EvalPool>,
) -> Result<ResultBody, Problem>
where
    F: FnOnce(&mut ChunkWriter) -> Result<(), SparqlError> + Send + 'static,
{
    let (sender, mut receiver) = mpsc::channel::<Item>(4);
    let span = tracing::Span::current();
    let job = move || {
        let _entered = span.enter();
        let mut writer = ChunkWriter {
            buffer: Vec::with_capacity(INITIAL),
            sender: sender.clone(),
        };
        let outcome =
            produce(&mut writer).and_then(|()| writer.send_chunk(true).map_err(SparqlError::Write));
        if let Err(error) = outcome {
            // If the receiver is gone the client left; there is nobody to tell.
            let _ = sender.blocking_send(Err(error));
        }
    };
    match pool {
        Some(pool) => pool.spawn(job),
        None => drop(tokio::task::spawn_blocking(job)),
    }
    let first = match respond_by {
        Some(limit) => match tokio::time::timeout(limit, receiver.recv()).await {
            Ok(first) => first,
            Err(_) => {
                return Err(Problem::from(SparqlError::Timeout {
                    seconds: limit.as_secs_f64(),
                }));
            }
        },
        None => receiver.recv().await,
    };
    let first = match first {
        Some(Ok((bytes, true))) => return Ok(ResultBody::Whole(bytes)),
        Some(Ok((bytes, false))) => bytes,
        Some(Err(error)) => return Err(Problem::from(error)),
        None => {
            return Err(Problem::internal(
                &"the result producer stopped without output",
            ));
        }
    };
    let rest = stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    })
    .map(|item| {
        item.map(|(bytes, _)| bytes).map_err(|error| {
            tracing::warn!(%error, "result stream cut short");
            io::Error::other(error.to_string())
        })
    });
    Ok(ResultBody::Streamed(
        stream::once(async move { Ok(first) }).chain(rest).boxed(),
    ))
}
