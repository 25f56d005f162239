//! The live city: what the observations say now and over time, kept with every write.
//! `follow.rs` is the change consumer that keeps the current values (`state.rs`) and the
//! rollups (`rollups.rs`, with `accumulator.rs`) exact inside each write; `derive.rs` turns a
//! write into derived changes, reading derived values through `known.rs` (an in-memory
//! cache of what it last wrote); `rebuild.rs` computes everything from scratch; `layout.rs`
//! names the graphs, nodes and periods; `readings.rs` reads observations; `world.rs` is the
//! data after a write as the derivation sees it; `views.rs` reads current values and series
//! back for `/state` and `/series`.

pub mod accumulator;
pub mod areas;
pub mod derive;
pub mod follow;
pub mod known;
pub mod kpi;
pub mod layout;
pub mod profile;
pub mod readings;
pub mod rebuild;
pub mod rollups;
pub mod state;
pub mod views;
pub mod world;

pub use follow::{CityState, rebuild_store};

use std::path::{Path, PathBuf};

/// The file that says the derived graphs of a data location lag behind its observations (a
/// bulk load wrote without them): the next start rebuilds them.
fn stale_marker(location: &Path) -> PathBuf {
    location.join("citykg.state-stale")
}

pub fn mark_stale(location: &Path) -> std::io::Result<()> {
    crate::core::durable::write_file(&stale_marker(location), b"")
}

pub fn is_stale(location: &Path) -> bool {
    stale_marker(location).exists()
}

pub fn clear_stale(location: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(stale_marker(location)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
