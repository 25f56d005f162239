//! The live city as a change consumer: it follows every write exactly, inside the write, so
//! a reader never sees an observation without its current value and buckets, or the reverse.
//! An ingest batch is followed from the store and the batch ([`Consumer::in_batch`]); other
//! writes inside their transaction, from the quads they changed; a write whose changes are not
//! known (a SPARQL update over graphs that hold observations, or a write into the derived
//! graphs themselves) rebuilds the derived graphs in its transaction.

use super::areas::AreaMap;
use super::derive::{self, Touched};
use super::known::{Known, Learned};
use super::layout;
use super::readings::{Facts, Reading, is_reading_predicate};
use super::rebuild;
use super::world::{Read, WithBatch, is_placement_predicate};
use crate::core::config::BaseIri;
use crate::core::vocab;
use crate::storage::describe::ReadQuads;
use crate::storage::{
    Cause, Change, ChangedGraphs, Consumer, Derived, Origin, Storage, StoreError, Tx,
};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode, Quad};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

pub struct CityState {
    storage: Storage,
    base: BaseIri,
    known: Mutex<Known>,
    /// What the write in progress leaves, learned when it is committed (writes run one at a
    /// time while this consumer listens, and a failed one is forgotten by the next).
    pending: Mutex<Option<Learned>>,
    /// The profile's areas, which place sensors without an explicit link.
    areas: RwLock<Arc<AreaMap>>,
    /// The areas a write in progress leaves, taken when it is committed.
    pending_areas: Mutex<Option<Arc<AreaMap>>>,
}

impl CityState {
    pub fn new(storage: Storage, base: BaseIri) -> Self {
        Self {
            storage,
            base,
            known: Mutex::default(),
            pending: Mutex::default(),
            areas: RwLock::default(),
            pending_areas: Mutex::default(),
        }
    }

    fn known(&self) -> MutexGuard<'_, Known> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn pending(&self) -> MutexGuard<'_, Option<Learned>> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The profile's areas as last committed.
    pub fn areas(&self) -> Arc<AreaMap> {
        self.areas
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    fn pending_areas(&self) -> MutexGuard<'_, Option<Arc<AreaMap>>> {
        self.pending_areas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn read_areas(&self, reader: &impl ReadQuads) -> Result<Arc<AreaMap>, StoreError> {
        Ok(Arc::new(AreaMap::read(
            reader,
            &layout::profile_graph(&self.base),
        )?))
    }

    /// The observations a batch touches, with their facts before and after it.
    fn touched_by_batch(&self, quads: &[Quad]) -> Result<Vec<Touched>, StoreError> {
        let mut by_subject: HashMap<&NamedNode, Vec<&Quad>> = HashMap::new();
        let mut placed: HashSet<&NamedNode> = HashSet::new();
        for quad in quads {
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            if is_reading_predicate(quad.predicate.as_ref()) {
                by_subject.entry(subject).or_default().push(quad);
            } else if is_placement_predicate(quad.predicate.as_ref())
                && !already_placed(&self.storage, quad)?
            {
                placed.insert(subject);
            }
        }
        let mut touched = Vec::with_capacity(by_subject.len());
        for (observation, new) in &by_subject {
            let before = Facts::read(&self.storage, observation)?;
            let mut after = before.clone();
            for quad in new {
                after.note(quad.predicate.as_ref(), &quad.object);
            }
            if after != before {
                touched.push(Touched {
                    observation: (*observation).clone(),
                    before,
                    after,
                });
            }
        }
        // A node placed in a new area: its stored observations now count there too.
        for node in placed {
            for observation in observations_of(&self.storage, node)? {
                if by_subject.contains_key(&observation) {
                    continue;
                }
                let facts = Facts::read(&self.storage, &observation)?;
                touched.push(Touched {
                    observation,
                    before: facts.clone(),
                    after: facts,
                });
            }
        }
        Ok(touched)
    }

    /// Whether a write with these graphs may have changed readings or placements.
    fn may_hold_readings(&self, tx: &Tx<'_>, graphs: &ChangedGraphs) -> Result<bool, StoreError> {
        let ChangedGraphs::Listed(graphs) = graphs else {
            return Ok(true);
        };
        let predicates = [
            vocab::SOSA_MADE_BY_SENSOR,
            vocab::SOSA_HAS_FEATURE,
            vocab::SOSA_OBSERVED_PROPERTY,
            vocab::SOSA_RESULT_TIME,
            vocab::SOSA_HAS_SIMPLE_RESULT,
            vocab::GEO_SF_WITHIN,
            vocab::WGS84_LAT,
            vocab::WGS84_LONG,
        ];
        let profile = GraphName::from(layout::profile_graph(&self.base));
        for graph in graphs {
            if layout::is_derived(&self.base, graph) || *graph == profile {
                return Ok(true);
            }
            for predicate in predicates {
                let g = Some(graph.as_ref());
                if self
                    .storage
                    .quads(None, Some(predicate), None, g)
                    .next()
                    .is_some()
                    || tx.quads(None, Some(predicate), None, g).next().is_some()
                {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Replaces the derived graphs inside `tx` with a rebuild from what `tx` sees.
    fn rebuild_in(&self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        *self.pending() = Some(Learned {
            forget: true,
            ..Learned::default()
        });
        *self.pending_areas() = Some(self.read_areas(&*tx)?);
        let quads = rebuild::all(&self.base, tx)?;
        for graph in layout::derived_graphs(&self.base) {
            tx.clear_graph(&graph)?;
        }
        for quad in &quads {
            tx.insert(quad)?;
        }
        Ok(())
    }

    /// Writes the description of the rollup datasets, unless it is there.
    pub fn describe_datasets(&self) -> Result<(), StoreError> {
        let quads = super::rollups::datasets(&self.base);
        if quads
            .iter()
            .all(|q| self.storage.contains(q).unwrap_or(false))
        {
            return Ok(());
        }
        self.storage.extend(Cause::service(Origin::Load), quads)
    }

    /// Rebuilds the derived graphs from the whole store (at start after an unclean stop, and
    /// for `citykg rebuild-state`). Nothing else may write meanwhile.
    pub fn rebuild(&self) -> Result<u64, StoreError> {
        self.pending().take();
        let written = rebuild_store(&self.storage, &self.base)?;
        self.start()?;
        Ok(written)
    }

    /// Reads the current values into memory: from then on they are kept there with each write
    /// (and `/state` answers from memory).
    pub fn start(&self) -> Result<(), StoreError> {
        *self.areas.write().unwrap_or_else(PoisonError::into_inner) =
            self.read_areas(&self.storage)?;
        let mut known = self.known();
        known.forget();
        known.load_states(&self.storage, &self.base)
    }

    /// Every current value, when they are in memory.
    pub fn current_readings(&self) -> Option<Vec<Reading>> {
        self.known()
            .states()
            .map(|states| states.cloned().collect())
    }
}

/// Rebuilds the derived graphs of a store nothing else writes to; returns the quads written.
pub fn rebuild_store(storage: &Storage, base: &BaseIri) -> Result<u64, StoreError> {
    let graphs = layout::derived_graphs(base);
    let snapshot = storage.clone();
    storage.rewrite_graphs(Cause::service(Origin::Load), &graphs, &mut |emit| {
        rebuild::compute(base, &snapshot, emit)
    })
}

/// Whether the profile types `node` as an area or as the city.
fn is_area(
    reader: &impl ReadQuads,
    profile: &GraphName,
    node: &NamedNode,
) -> Result<bool, StoreError> {
    for class in [vocab::city::AREA, vocab::city::CITY] {
        let typed = reader
            .read(
                Some(node.as_ref().into()),
                Some(oxigraph::model::vocab::rdf::TYPE),
                Some(class.into()),
                Some(profile.as_ref()),
            )
            .next()
            .transpose()?;
        if typed.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A `geo:sfWithin` quad whose triple is already stored in another graph.
fn already_placed(storage: &Storage, quad: &Quad) -> Result<bool, StoreError> {
    Ok(storage
        .quads(
            Some(quad.subject.as_ref()),
            Some(quad.predicate.as_ref()),
            Some(quad.object.as_ref()),
            None,
        )
        .next()
        .transpose()?
        .is_some())
}

/// The observations made by `node` as a sensor or about it as a feature.
fn observations_of(
    reader: &impl ReadQuads,
    node: &NamedNode,
) -> Result<Vec<NamedNode>, StoreError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for predicate in [vocab::SOSA_MADE_BY_SENSOR, vocab::SOSA_HAS_FEATURE] {
        for quad in reader.read(None, Some(predicate), Some(node.as_ref().into()), None) {
            if let NamedOrBlankNode::NamedNode(o) = quad?.subject
                && seen.insert(o.clone())
            {
                out.push(o);
            }
        }
    }
    Ok(out)
}

impl Consumer for CityState {
    fn name(&self) -> &'static str {
        "city state"
    }

    fn exact(&self) -> bool {
        true
    }

    fn follows_batches(&self) -> bool {
        true
    }

    fn in_batch(
        &self,
        quads: &[Quad],
        _: &Change,
        derived: &mut Derived,
    ) -> Result<(), StoreError> {
        self.pending().take();
        self.pending_areas().take();
        let touched = self.touched_by_batch(quads)?;
        if touched.is_empty() {
            return Ok(());
        }
        let areas = self.areas();
        let before = Read::new(&self.storage, &areas);
        let after = WithBatch::new(&self.storage, &areas, quads);
        let (plan, learned) = {
            let known = self.known();
            derive::plan(&self.base, &self.storage, &known, &before, &after, &touched)?
        };
        derived.remove.extend(plan.remove);
        derived.insert.extend(plan.insert);
        *self.pending() = Some(learned);
        Ok(())
    }

    fn in_transaction(&self, tx: &mut Tx<'_>, change: &Change) -> Result<(), StoreError> {
        self.pending().take();
        self.pending_areas().take();
        let Some(delta) = tx.delta().cloned() else {
            if self.may_hold_readings(tx, &change.graphs)? {
                return self.rebuild_in(tx);
            }
            return Ok(());
        };
        let changed = delta.inserted.iter().chain(&delta.removed);
        let mut observations: HashSet<NamedNode> = HashSet::new();
        let mut placed: HashSet<NamedNode> = HashSet::new();
        let profile = GraphName::from(layout::profile_graph(&self.base));
        let mut profile_changed = false;
        for quad in changed {
            if let GraphName::NamedNode(_) = quad.graph_name
                && layout::is_derived(&self.base, &quad.graph_name)
            {
                return self.rebuild_in(tx);
            }
            let NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            if quad.graph_name == profile {
                profile_changed = true;
                // The areas themselves (and the city) are placed in the profile; only other
                // nodes placed there (sensors) move readings.
                if is_area(&*tx, &profile, subject)? || is_area(&self.storage, &profile, subject)? {
                    continue;
                }
            }
            if is_reading_predicate(quad.predicate.as_ref()) {
                observations.insert(subject.clone());
            } else if is_placement_predicate(quad.predicate.as_ref()) {
                placed.insert(subject.clone());
            }
        }
        if profile_changed {
            let areas = self.read_areas(&*tx)?;
            if !areas.same_places(&self.areas()) {
                // New polygons may move any sensor between areas: everything is recounted.
                return self.rebuild_in(tx);
            }
            *self.pending_areas() = Some(areas);
        }
        for node in &placed {
            observations.extend(observations_of(&self.storage, node)?);
            observations.extend(observations_of(&*tx, node)?);
        }
        if observations.is_empty() {
            return Ok(());
        }
        let mut touched = Vec::with_capacity(observations.len());
        for observation in observations {
            let before = Facts::read(&self.storage, &observation)?;
            let after = Facts::read(&*tx, &observation)?;
            touched.push(Touched {
                observation,
                before,
                after,
            });
        }
        let (mut plan, learned) = {
            let areas = self.areas();
            let before = Read::new(&self.storage, &areas);
            let after = Read::new(&*tx, &areas);
            let known = self.known();
            derive::plan(&self.base, &self.storage, &known, &before, &after, &touched)?
        };
        *self.pending() = Some(learned);
        plan.settle();
        for quad in &plan.remove {
            tx.remove(quad)?;
        }
        for quad in &plan.insert {
            tx.insert(quad)?;
        }
        Ok(())
    }

    fn committed(&self, _: &Change) {
        if let Some(areas) = self.pending_areas().take() {
            *self.areas.write().unwrap_or_else(PoisonError::into_inner) = areas;
        }
        if let Some(learned) = self.pending().take() {
            let mut known = self.known();
            if !known.learn(learned)
                && let Err(e) = known.load_states(&self.storage, &self.base)
            {
                tracing::error!(error = %e, "current values could not be read back after a rebuild");
            }
        }
    }

    fn recover(&self) {
        match self.rebuild() {
            Ok(quads) => tracing::info!(quads, "current values and rollups rebuilt"),
            Err(e) => {
                tracing::error!(error = %e, "current values and rollups could not be rebuilt")
            }
        }
    }
}
