//! Store figures for the home page and `/metrics`. Counting quads walks the whole store, so
//! the figures are cached for a short while instead of being computed per request.

use super::problem::Problem;
use super::state::AppState;
use crate::storage::{Change, Consumer, run_blocking};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const MAX_AGE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct Summary {
    pub quads: usize,
    pub graphs: Vec<String>,
}

#[derive(Debug, Default)]
pub struct StatsCache {
    last: Mutex<Option<(Instant, Summary)>>,
}

/// Any committed write makes the figures stale.
impl Consumer for StatsCache {
    fn name(&self) -> &'static str {
        "store figures"
    }

    fn committed(&self, _change: &Change) {
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }
}

pub async fn summary(state: &AppState) -> Result<Summary, Problem> {
    if let Some((at, summary)) = state
        .stats
        .last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
    {
        if at.elapsed() < MAX_AGE {
            return Ok(summary.clone());
        }
    }
    let store = state.store.clone();
    let summary = run_blocking(move || -> Result<Summary, crate::storage::StoreError> {
        let quads = store.len()?;
        let graphs = store
            .named_graphs()
            .map(|g| {
                g.map(|g| match g {
                    oxigraph::model::NamedOrBlankNode::NamedNode(n) => n.into_string(),
                    oxigraph::model::NamedOrBlankNode::BlankNode(b) => b.to_string(),
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Summary { quads, graphs })
    })
    .await??;
    *state
        .stats
        .last
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) =
        Some((Instant::now(), summary.clone()));
    Ok(summary)
}
