//! Where generated quads go: the one type the engine and the store share. The engine pushes one
//! quad at a time into a [`QuadSink`]; a sink writes N-Quads, fills a store transaction or counts.

use std::io::Write;

use oxigraph::model::QuadRef;

/// The sink's own failure (disk full, store error), kept apart from mapping and payload errors.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the output: {0}")]
pub struct SinkError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

pub trait QuadSink {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError>;
}

/// N-Quads to any writer (buffer it: a quad is one small write).
pub struct NQuadsSink<W: Write> {
    out: W,
    written: u64,
}

impl<W: Write> NQuadsSink<W> {
    pub fn new(out: W) -> Self {
        Self { out, written: 0 }
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    pub fn finish(mut self) -> Result<W, SinkError> {
        self.out.flush().map_err(|e| SinkError(Box::new(e)))?;
        Ok(self.out)
    }
}

impl<W: Write> QuadSink for NQuadsSink<W> {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError> {
        // oxrdf's Display of a quad is N-Quads without the final dot (default graph omitted).
        writeln!(self.out, "{quad} .").map_err(|e| SinkError(Box::new(e)))?;
        self.written += 1;
        Ok(())
    }
}

/// Collects quads in memory (tests, previews of small payloads).
impl QuadSink for Vec<oxigraph::model::Quad> {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError> {
        self.push(quad.into_owned());
        Ok(())
    }
}
