//! The entities: kept in the store (one named graph each, `rdf.rs`) and mirrored in memory per
//! tenant so that retrieval and queries read no store. NGSI-LD writes go through the store first
//! and update the mirror after the commit, one at a time; a write by another path (SPARQL
//! Update, Graph Store) marks the graphs it touched, and they are read again before the next
//! NGSI-LD operation.

use oxigraph::model::{GraphName, GraphNameRef, NamedNode, NamedNodeRef, Quad};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use super::context::{ActiveContext, NGSI_LD};
use super::entity::Entity;
use super::error::NgsiError;
use crate::core::config::BaseIri;
use crate::storage::{Cause, Change, ChangedGraphs, Consumer, Origin, Storage, StoreError};

/// The tenant of requests without `NGSILD-Tenant`.
pub const DEFAULT_TENANT: &str = "";

type Mirror = HashMap<String, HashMap<String, Arc<Entity>>>;

/// What other writers changed since the mirror was last brought up to date.
#[derive(Debug, Default)]
struct Stale {
    all: bool,
    graphs: HashSet<GraphName>,
}

/// One committed change of an entity: before and after (`None`: absent).
pub type Committed = (Option<Arc<Entity>>, Option<Arc<Entity>>);

/// Told of every committed change of a tenant's entities.
pub type Listener = dyn Fn(&str, &[Committed]) + Send + Sync;

pub struct Broker {
    storage: Storage,
    listener: std::sync::OnceLock<Box<Listener>>,
    base: BaseIri,
    mirror: RwLock<Mirror>,
    /// NGSI-LD writes, one at a time: read, change, commit, mirror.
    writing: Mutex<()>,
    /// What other writers changed, shared with the follower thread (which holds no broker
    /// while it waits, so that dropping the service releases the store at once).
    stale: Arc<(Mutex<Stale>, std::sync::Condvar)>,
    refreshing: Mutex<()>,
}

/// One entity's change in a write: its new state, or `None` to delete it.
pub struct Put {
    pub id: String,
    pub entity: Option<Entity>,
}

impl Broker {
    /// Reads every entity graph of the store into the mirror.
    pub fn open(storage: Storage, base: BaseIri) -> Result<Arc<Self>, String> {
        let broker = Arc::new(Self {
            listener: std::sync::OnceLock::new(),
            storage,
            base,
            mirror: RwLock::new(HashMap::new()),
            writing: Mutex::new(()),
            stale: Arc::new((Mutex::new(Stale::default()), std::sync::Condvar::new())),
            refreshing: Mutex::new(()),
        });
        broker.reload_all().map_err(|e| e.to_string())?;
        Self::follow(&broker).map_err(|e| format!("cannot start the NGSI-LD follower: {e}"))?;
        Ok(broker)
    }

    /// The named graph of entity `id` of `tenant`: the entity's IRI for the default tenant,
    /// `{base}graph/ngsi-ld/{tenant}/{id}` (both percent-encoded) for the others.
    pub fn graph_of(&self, tenant: &str, id: &str) -> GraphName {
        if tenant == DEFAULT_TENANT {
            return NamedNode::new_unchecked(id).into();
        }
        NamedNode::new_unchecked(self.base.join(&format!(
            "graph/ngsi-ld/{}/{}",
            encode(tenant),
            encode(id)
        )))
        .into()
    }

    fn tenant_prefix(&self) -> String {
        self.base.join("graph/ngsi-ld/")
    }

    /// Which (tenant, id) a graph holds, if it is an entity graph of that name.
    fn owner_of(&self, graph: &GraphName, subject: &str) -> Option<String> {
        let GraphName::NamedNode(graph) = graph else {
            return None;
        };
        if graph.as_str() == subject {
            return Some(DEFAULT_TENANT.to_owned());
        }
        let rest = graph.as_str().strip_prefix(&self.tenant_prefix())?;
        let (tenant, id) = rest.split_once('/')?;
        (decode(id) == subject).then(|| decode(tenant))
    }

    /// Entity ids must stay outside the service's own IRIs (its graphs live there).
    pub fn check_id(&self, id: &str) -> Result<(), NgsiError> {
        if self.base.covers(id) {
            return Err(NgsiError::bad_request(format!(
                "{id} is under the service's base IRI, which is reserved for its own resources"
            )));
        }
        Ok(())
    }

    fn reload_all(&self) -> Result<(), StoreError> {
        let created = NamedNode::new_unchecked(format!("{NGSI_LD}createdAt"));
        let mut found: Vec<(String, String, GraphName)> = Vec::new();
        for quad in self.storage.quads(None, Some(created.as_ref()), None, None) {
            let quad = quad?;
            let oxigraph::model::NamedOrBlankNode::NamedNode(subject) = &quad.subject else {
                continue;
            };
            if let Some(tenant) = self.owner_of(&quad.graph_name, subject.as_str()) {
                found.push((tenant, subject.as_str().to_owned(), quad.graph_name.clone()));
            }
        }
        let mut mirror = Mirror::new();
        let core = ActiveContext::core();
        for (tenant, id, graph) in found {
            if let Some(entity) = self.read_graph(&id, graph.as_ref(), &core)? {
                mirror
                    .entry(tenant)
                    .or_default()
                    .insert(id, Arc::new(entity));
            }
        }
        *self.mirror.write().unwrap_or_else(PoisonError::into_inner) = mirror;
        Ok(())
    }

    fn read_graph(
        &self,
        id: &str,
        graph: GraphNameRef<'_>,
        context: &ActiveContext,
    ) -> Result<Option<Entity>, StoreError> {
        let quads: Vec<Quad> = self
            .storage
            .quads(None, None, None, Some(graph))
            .collect::<Result<_, _>>()?;
        Ok(super::rdf::from_quads(id, &quads, context))
    }

    /// Brings the mirror up to date with what other writers changed.
    fn refresh(&self) -> Result<(), NgsiError> {
        // One refresh at a time: a reader waits for one in progress rather than read before it.
        let _refreshing = self
            .refreshing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let stale =
            std::mem::take(&mut *self.stale.0.lock().unwrap_or_else(PoisonError::into_inner));
        if stale.all {
            self.reload_all()?;
            return Ok(());
        }
        if stale.graphs.is_empty() {
            return Ok(());
        }
        let core = ActiveContext::core();
        let mut changes: HashMap<String, Vec<Committed>> = HashMap::new();
        let mut mirror = self.mirror.write().unwrap_or_else(PoisonError::into_inner);
        for graph in stale.graphs {
            let GraphName::NamedNode(name) = &graph else {
                continue;
            };
            // Which entity the graph is (or was): its name for the default tenant, else read it
            // back from the tenant graph's name.
            let (tenant, id) = match name.as_str().strip_prefix(&self.tenant_prefix()) {
                Some(rest) => match rest.split_once('/') {
                    Some((t, i)) => (decode(t), decode(i)),
                    None => continue,
                },
                None => (DEFAULT_TENANT.to_owned(), name.as_str().to_owned()),
            };
            let entities = mirror.entry(tenant.clone()).or_default();
            let before = entities.get(&id).cloned();
            let marker = NamedNode::new_unchecked(format!("{NGSI_LD}createdAt"));
            let holds_entity = NamedNode::new(&id).is_ok_and(|node| {
                self.storage
                    .quads(
                        Some(node.as_ref().into()),
                        Some(marker.as_ref()),
                        None,
                        Some(graph.as_ref()),
                    )
                    .next()
                    .is_some()
            });
            let after = if holds_entity {
                self.read_graph(&id, graph.as_ref(), &core)?.map(Arc::new)
            } else {
                None
            };
            match &after {
                Some(entity) => entities.insert(id, entity.clone()),
                None => entities.remove(&id),
            };
            if before != after {
                changes.entry(tenant).or_default().push((before, after));
            }
        }
        drop(mirror);
        if let Some(listener) = self.listener.get() {
            for (tenant, changes) in &changes {
                listener(tenant, changes);
            }
        }
        Ok(())
    }

    /// Refreshes the mirror as soon as another writer changed an entity graph (so that
    /// subscriptions hear of it), on a thread of its own.
    fn follow(broker: &Arc<Self>) -> std::io::Result<()> {
        let weak = Arc::downgrade(broker);
        let stale = broker.stale.clone();
        std::thread::Builder::new()
            .name("ngsi-ld-follow".into())
            .spawn(move || {
                loop {
                    let (lock, woken) = &*stale;
                    let mut guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
                    if !guard.all && guard.graphs.is_empty() {
                        guard = woken
                            .wait_timeout(guard, std::time::Duration::from_secs(1))
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                    let pending = guard.all || !guard.graphs.is_empty();
                    drop(guard);
                    let Some(broker) = weak.upgrade() else {
                        return;
                    };
                    if pending {
                        let _writing = broker
                            .writing
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner);
                        if let Err(error) = broker.refresh() {
                            tracing::warn!(%error, "NGSI-LD entities could not be refreshed");
                        }
                    }
                }
            })?;
        Ok(())
    }

    /// Sets who is told of committed changes (once).
    pub fn listen(&self, listener: Box<Listener>) {
        let _ = self.listener.set(listener);
    }

    /// One entity of a tenant.
    pub fn get(&self, tenant: &str, id: &str) -> Result<Option<Arc<Entity>>, NgsiError> {
        self.refresh()?;
        Ok(self
            .mirror
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tenant)
            .and_then(|entities| entities.get(id))
            .cloned())
    }

    /// Every entity of a tenant that `keep` accepts, sorted by id.
    pub fn select(
        &self,
        tenant: &str,
        keep: impl Fn(&Entity) -> bool,
    ) -> Result<Vec<Arc<Entity>>, NgsiError> {
        self.refresh()?;
        let mirror = self.mirror.read().unwrap_or_else(PoisonError::into_inner);
        let mut selected: Vec<Arc<Entity>> = mirror
            .get(tenant)
            .map(|entities| entities.values().filter(|e| keep(e)).cloned().collect())
            .unwrap_or_default();
        selected.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(selected)
    }

    /// The tenants that hold entities.
    pub fn tenants(&self) -> Vec<String> {
        let mirror = self.mirror.read().unwrap_or_else(PoisonError::into_inner);
        mirror
            .iter()
            .filter(|(_, e)| !e.is_empty())
            .map(|(t, _)| t.clone())
            .collect()
    }

    /// Whether a tenant is known (holds or held entities since the start).
    pub fn has_tenant(&self, tenant: &str) -> bool {
        tenant == DEFAULT_TENANT
            || self
                .mirror
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .contains_key(tenant)
    }

    /// Runs `work` with the writer's lock held and the mirror current; `work` reads entities
    /// through the lookup it is given and returns the puts to commit (in one transaction) and a
    /// result.
    pub fn write<T>(
        &self,
        tenant: &str,
        cause: Cause,
        work: impl FnOnce(&dyn Fn(&str) -> Option<Arc<Entity>>) -> Result<(Vec<Put>, T), NgsiError>,
    ) -> Result<T, NgsiError> {
        let _writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        self.refresh()?;
        let (puts, result) = {
            let mirror = self.mirror.read().unwrap_or_else(PoisonError::into_inner);
            let entities = mirror.get(tenant);
            let lookup = |id: &str| entities.and_then(|e| e.get(id)).cloned();
            work(&lookup)?
        };
        if puts.is_empty() {
            return Ok(result);
        }
        let core = ActiveContext::core();
        let mut graphs = Vec::with_capacity(puts.len());
        for put in &puts {
            let graph = self.graph_of(tenant, &put.id);
            let known = self
                .mirror
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .get(tenant)
                .is_some_and(|e| e.contains_key(&put.id));
            if !known && put.entity.is_some() {
                // A graph of that name that is no entity belongs to someone else.
                if let GraphName::NamedNode(name) = &graph
                    && self.storage.contains_graph(name.as_ref())?
                {
                    return Err(NgsiError::already_exists(format!(
                        "a graph named {} already exists in the store and is not an NGSI-LD entity",
                        name.as_str()
                    )));
                }
            }
            graphs.push(graph);
        }
        self.storage.write(cause, |tx| {
            for (put, graph) in puts.iter().zip(&graphs) {
                let GraphName::NamedNode(name) = graph else {
                    continue;
                };
                match &put.entity {
                    Some(entity) => {
                        // Only the quads that differ: instance nodes are stable across writes.
                        let old: HashSet<Quad> = tx
                            .quads(None, None, None, Some(graph.as_ref()))
                            .collect::<Result<_, _>>()?;
                        let new: HashSet<Quad> = super::rdf::to_quads(entity, graph, &core)
                            .into_iter()
                            .collect();
                        for quad in old.difference(&new) {
                            tx.remove(quad.as_ref())?;
                        }
                        for quad in new.difference(&old) {
                            tx.insert(quad.as_ref())?;
                        }
                    }
                    None => tx.remove_graph(NamedNodeRef::from(name))?,
                }
            }
            Ok::<(), StoreError>(())
        })?;
        let mut changes = Vec::with_capacity(puts.len());
        {
            let mut mirror = self.mirror.write().unwrap_or_else(PoisonError::into_inner);
            let entities = mirror.entry(tenant.to_owned()).or_default();
            for put in puts {
                let new = put.entity.map(Arc::new);
                let old = match &new {
                    Some(entity) => entities.insert(put.id, entity.clone()),
                    None => entities.remove(&put.id),
                };
                changes.push((old, new));
            }
        }
        if let Some(listener) = self.listener.get() {
            listener(tenant, &changes);
        }
        Ok(result)
    }
}

impl Consumer for Broker {
    fn name(&self) -> &'static str {
        "ngsi-ld"
    }

    fn committed(&self, change: &Change) {
        if change.cause.origin == Origin::NgsiLd {
            return;
        }
        let mut stale = self.stale.0.lock().unwrap_or_else(PoisonError::into_inner);
        match &change.graphs {
            ChangedGraphs::Unknown => stale.all = true,
            // Entity graphs are named by the entity (outside the base IRI) or under the
            // tenants' prefix; the service's other graphs are never entities.
            ChangedGraphs::Listed(graphs) => {
                let tenants = self.tenant_prefix();
                stale.graphs.extend(
                    graphs
                        .iter()
                        .filter(|g| match g {
                            GraphName::NamedNode(n) => {
                                n.as_str().starts_with(&tenants) || !self.base.covers(n.as_str())
                            }
                            _ => false,
                        })
                        .cloned(),
                );
            }
        }
        drop(stale);
        self.stale.1.notify_one();
    }
}

fn encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ngsild::entity::{Shape, parse};
    use serde_json::json;

    #[test]
    fn a_new_broker_reads_back_every_tenant_from_the_store() {
        let storage = Storage::in_memory().unwrap_or_else(|e| panic!("{e}"));
        let base = BaseIri::parse("http://citykg.test/").unwrap_or_else(|e| panic!("{e}"));
        let broker = Broker::open(storage.clone(), base.clone()).unwrap_or_else(|e| panic!("{e}"));
        let core = ActiveContext::core();
        for (tenant, id) in [(DEFAULT_TENANT, "urn:x:1"), ("north", "urn:x:2")] {
            let body = json!({"id": id, "type": "T", "a": {"type": "Property", "value": 1,
                "b": {"type": "Relationship", "object": "urn:y:1"}}});
            let entity = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z")
                .unwrap_or_else(|e| panic!("{e}"));
            let put = Put {
                id: id.to_owned(),
                entity: Some(entity),
            };
            broker
                .write(tenant, Cause::service(Origin::NgsiLd), |_| {
                    Ok((vec![put], ()))
                })
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let again = Broker::open(storage, base).unwrap_or_else(|e| panic!("{e}"));
        for (tenant, id) in [(DEFAULT_TENANT, "urn:x:1"), ("north", "urn:x:2")] {
            let first = broker.get(tenant, id).ok().flatten();
            let second = again.get(tenant, id).ok().flatten();
            assert!(first.is_some());
            assert_eq!(first, second, "{tenant} {id}");
        }
        assert!(again.get("north", "urn:x:1").ok().flatten().is_none());
        assert!(again.has_tenant("north"));
    }
}
