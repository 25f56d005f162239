//! What citykg holds from one harvested catalogue: the source node in `graph/harvest`
//! (watermark, runs, support nodes) and the harvested records in `graph/catalog` (found by
//! `citykg:harvestedFrom`), and the writes of a run: one transaction per fetched page.

use crate::storage::{Cause, Origin, Storage, StoreError};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple,
};
use std::collections::{HashMap, HashSet};

use super::page::RemoteItem;
use crate::core::config::BaseIri;
use crate::core::vocab::*;
use crate::storage::describe::owned_by_subject;

/// A dataset held from this source.
#[derive(Debug, Clone)]
pub struct Held {
    pub record: NamedNode,
    pub remote_modified: Option<Literal>,
    pub issued: Option<Term>,
}

pub struct Source {
    pub url: NamedNode,
    pub node: NamedNode,
    pub slug: String,
    pub catalog: NamedNode,
    pub harvest: NamedNode,
    base: BaseIri,
    pub watermark: Option<String>,
    pub runs: u64,
    pub held: HashMap<NamedNode, Held>,
}

/// `127-0-0-1-8080-catalog-1a2b3c4d`: readable, and unique by the hash of the whole URL.
pub fn slug(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let mut readable: String = rest
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    readable.truncate(40);
    let readable = readable.trim_matches('-').to_owned();
    let hash = crate::core::digest::hex_sha256(url.as_bytes());
    format!("{readable}-{}", hash.get(..8).unwrap_or_default())
}

impl Source {
    pub fn load(store: &Storage, base: &BaseIri, url: &str) -> Result<Self, super::HarvestError> {
        let url_node =
            NamedNode::new(url).map_err(|_| super::HarvestError::BadUrl(url.to_owned()))?;
        let slug = slug(url);
        let node = NamedNode::new(base.join(&format!("id/harvest/{slug}")))?;
        let catalog = crate::core::graphs::catalog_graph(base);
        let harvest = crate::core::graphs::harvest_graph(base);
        let mut source = Self {
            url: url_node,
            node,
            slug,
            catalog,
            harvest,
            base: base.clone(),
            watermark: None,
            runs: 0,
            held: HashMap::new(),
        };
        let h = GraphNameRef::NamedNode(source.harvest.as_ref());
        for quad in store.quads(Some(source.node.as_ref().into()), None, None, Some(h)) {
            let quad = quad?;
            match (quad.predicate.as_ref(), &quad.object) {
                (p, Term::Literal(l)) if p == HARVEST_WATERMARK => {
                    source.watermark = Some(l.value().to_owned());
                }
                (p, Term::Literal(l)) if p == HARVEST_RUNS => {
                    source.runs = l.value().parse().unwrap_or(0);
                }
                _ => {}
            }
        }
        source.held = source.read_held(store)?;
        Ok(source)
    }

    fn graph(&self) -> GraphNameRef<'_> {
        GraphNameRef::NamedNode(self.catalog.as_ref())
    }

    fn read_held(&self, store: &Storage) -> Result<HashMap<NamedNode, Held>, StoreError> {
        let mut held = HashMap::new();
        for quad in store.quads(
            None,
            Some(HARVESTED_FROM),
            Some(self.url.as_ref().into()),
            Some(self.graph()),
        ) {
            let NamedOrBlankNode::NamedNode(record) = quad?.subject else {
                continue;
            };
            let mut dataset = None;
            let mut remote_modified = None;
            let mut issued = None;
            for q in store.quads(Some(record.as_ref().into()), None, None, Some(self.graph())) {
                let q = q?;
                match (q.predicate.as_ref(), q.object) {
                    (p, Term::NamedNode(n)) if p == FOAF_PRIMARY_TOPIC => dataset = Some(n),
                    (p, Term::Literal(l)) if p == REMOTE_MODIFIED => remote_modified = Some(l),
                    (p, o) if p == DCT_ISSUED => issued = Some(o),
                    _ => {}
                }
            }
            if let Some(dataset) = dataset {
                held.insert(
                    dataset,
                    Held {
                        record,
                        remote_modified,
                        issued,
                    },
                );
            }
        }
        Ok(held)
    }

    fn record_iri(&self, dataset: &NamedNode) -> Result<NamedNode, oxigraph::model::IriParseError> {
        NamedNode::new(self.base.join(&format!(
            "id/harvest/{}/record/{}",
            self.slug,
            crate::core::digest::hex_sha256(dataset.as_str().as_bytes())
        )))
    }

    /// Whether `dataset` may be written from this source: not a local IRI nor a parent of the
    /// base (whose namespace would take in local resources), not inside a dataset another
    /// record describes, and not described by a record of another source.
    pub fn may_write(&self, store: &Storage, dataset: &NamedNode) -> Result<bool, StoreError> {
        if self.base.covers(dataset.as_str())
            || self.held_elsewhere(store, parents(dataset.as_str()))?
        {
            return Ok(false);
        }
        let ours = self.held.get(dataset).map(|h| h.record.clone());
        for quad in store.quads(
            None,
            Some(FOAF_PRIMARY_TOPIC),
            Some(dataset.as_ref().into()),
            Some(self.graph()),
        ) {
            let quad = quad?;
            if ours
                .as_ref()
                .is_none_or(|r| NamedOrBlankNode::from(r.clone()) != quad.subject)
            {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Whether `iri` is in this source's own namespace (`id/harvest/{slug}/...`: its records).
    fn is_own(&self, iri: &str) -> bool {
        iri.strip_prefix(self.node.as_str())
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// Whether a harvest of this source may write or remove triples about `subject`: never a
    /// local resource (except its own records), never one inside another record's dataset.
    fn may_touch(&self, store: &Storage, subject: &NamedOrBlankNode) -> Result<bool, StoreError> {
        let NamedOrBlankNode::NamedNode(node) = subject else {
            return Ok(true);
        };
        let iri = node.as_str();
        if self.is_own(iri) {
            return Ok(true);
        }
        Ok(!self.base.covers(iri)
            && !self.held_elsewhere(store, std::iter::once(iri).chain(parents(iri)))?)
    }

    /// Whether one of `iris` is the topic of a record that is not this source's.
    fn held_elsewhere<'a>(
        &self,
        store: &Storage,
        iris: impl Iterator<Item = &'a str>,
    ) -> Result<bool, StoreError> {
        for iri in iris {
            let Ok(node) = NamedNode::new(iri) else {
                continue;
            };
            for quad in store.quads(
                None,
                Some(FOAF_PRIMARY_TOPIC),
                Some(node.as_ref().into()),
                Some(self.graph()),
            ) {
                let record = quad?.subject;
                let ours =
                    matches!(&record, NamedOrBlankNode::NamedNode(r) if self.is_own(r.as_str()));
                if !ours {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Writes the items of one page (replacing what was held of them), in one transaction.
    pub fn write(
        &mut self,
        store: &Storage,
        items: &[&RemoteItem],
        now: &Literal,
    ) -> Result<(), super::HarvestError> {
        let graph = GraphName::NamedNode(self.catalog.clone());
        let mut remove: Vec<Quad> = Vec::new();
        let mut insert: Vec<Quad> = Vec::new();
        let mut support_links = Vec::new();
        let mut replaced_support: HashSet<NamedNode> = HashSet::new();
        for item in items {
            let record = self.record_iri(&item.dataset)?;
            let previous = self.held.get(&item.dataset).cloned();
            // A dataset not held yet has nothing stored to replace (may_write checked that
            // no other record describes it).
            if previous.is_some() {
                self.old_quads(store, &item.dataset, &record, &mut remove)?;
            }
            // Asked once per subject, not per triple: each answer costs a few index lookups.
            let mut allowed: HashMap<&NamedOrBlankNode, bool> = HashMap::new();
            for t in &item.description {
                let may = match allowed.get(&t.subject) {
                    Some(may) => *may,
                    None => {
                        let may = self.may_touch(store, &t.subject)?;
                        allowed.insert(&t.subject, may);
                        may
                    }
                };
                if may {
                    insert.push(t.clone().in_graph(graph.clone()));
                }
            }
            let mut add = |p, o: Term| insert.push(Quad::new(record.clone(), p, o, graph.clone()));
            add(rdf::TYPE, DCAT_CATALOG_RECORD.into());
            add(FOAF_PRIMARY_TOPIC, item.dataset.clone().into());
            add(HARVESTED_FROM, self.url.clone().into());
            add(
                DCT_ISSUED,
                previous
                    .as_ref()
                    .and_then(|p| p.issued.clone())
                    .unwrap_or_else(|| now.clone().into()),
            );
            add(DCT_MODIFIED, now.clone().into());
            if let Some(source) = &item.record {
                add(DCT_SOURCE, source.clone().into());
            }
            if let Some(modified) = &item.modified {
                add(REMOTE_MODIFIED, modified.clone().into());
            }
            for (node, triples) in &item.support {
                if !self.may_touch(store, &node.clone().into())? {
                    continue;
                }
                if replaced_support.insert(node.clone()) {
                    for quad in
                        store.quads(Some(node.as_ref().into()), None, None, Some(self.graph()))
                    {
                        remove.push(quad?);
                    }
                    support_links.push(node.clone());
                }
                for t in triples {
                    insert.push(t.clone().in_graph(graph.clone()));
                }
            }
            self.held.insert(
                item.dataset.clone(),
                Held {
                    record,
                    remote_modified: item.modified.clone(),
                    issued: previous
                        .and_then(|p| p.issued)
                        .or_else(|| Some(now.clone().into())),
                },
            );
        }
        let harvest = GraphName::NamedNode(self.harvest.clone());
        for node in support_links {
            insert.push(Quad::new(
                self.node.clone(),
                SUPPORT_NODE,
                node,
                harvest.clone(),
            ));
        }
        Ok(store.apply(Cause::service(Origin::Harvest), &remove, &insert)?)
    }

    /// The stored description of a held dataset and its record.
    fn old_quads(
        &self,
        store: &Storage,
        dataset: &NamedNode,
        record: &NamedNode,
        out: &mut Vec<Quad>,
    ) -> Result<(), StoreError> {
        let graph = GraphName::NamedNode(self.catalog.clone());
        for (subject, triples) in owned_by_subject(store, self.graph(), &dataset.clone().into())? {
            // Data held from before ownership was checked may reach local resources: those are
            // never removed by a harvest.
            if !self.may_touch(store, &subject)? {
                continue;
            }
            out.extend(
                triples
                    .into_iter()
                    .map(|t: Triple| t.in_graph(graph.clone())),
            );
        }
        for quad in store.quads(Some(record.as_ref().into()), None, None, Some(self.graph())) {
            out.push(quad?);
        }
        Ok(())
    }

    /// Removes held datasets the remote no longer lists; returns how many.
    pub fn remove_missing(
        &mut self,
        store: &Storage,
        seen: &HashSet<NamedNode>,
    ) -> Result<usize, StoreError> {
        let gone: Vec<(NamedNode, Held)> = self
            .held
            .iter()
            .filter(|(d, _)| !seen.contains(*d))
            .map(|(d, h)| (d.clone(), h.clone()))
            .collect();
        if gone.is_empty() {
            return Ok(0);
        }
        let mut remove = Vec::new();
        for (dataset, held) in &gone {
            self.old_quads(store, dataset, &held.record, &mut remove)?;
        }
        store.apply(Cause::service(Origin::Harvest), &remove, &[])?;
        for (dataset, _) in &gone {
            self.held.remove(dataset);
        }
        Ok(gone.len())
    }

    /// Drops support nodes nothing in the catalogue points to any more, and saves the
    /// source's watermark and run count.
    pub fn finish(&self, store: &Storage, watermark: &str) -> Result<(), StoreError> {
        let harvest = GraphName::NamedNode(self.harvest.clone());
        let h = GraphNameRef::NamedNode(self.harvest.as_ref());
        let mut remove: Vec<Quad> = Vec::new();
        for quad in store.quads(Some(self.node.as_ref().into()), None, None, Some(h)) {
            let quad = quad?;
            let predicate = quad.predicate.as_ref();
            if predicate == SUPPORT_NODE {
                if let Term::NamedNode(node) = &quad.object {
                    if !self.may_touch(store, &node.clone().into())? {
                        remove.push(quad);
                        continue;
                    }
                    let used = store
                        .quads(None, None, Some(node.as_ref().into()), Some(self.graph()))
                        .next()
                        .is_some();
                    if !used {
                        for q in
                            store.quads(Some(node.as_ref().into()), None, None, Some(self.graph()))
                        {
                            remove.push(q?);
                        }
                        remove.push(quad);
                    }
                }
            } else {
                remove.push(quad);
            }
        }
        let state = |p, o: Term| Quad::new(self.node.clone(), p, o, harvest.clone());
        let insert = [
            state(rdf::TYPE, HARVEST_SOURCE.into()),
            state(HARVESTED_FROM, self.url.clone().into()),
            state(
                HARVEST_WATERMARK,
                Literal::new_typed_literal(watermark, xsd::DATE_TIME).into(),
            ),
            state(
                HARVEST_RUNS,
                Literal::new_typed_literal(self.runs.saturating_add(1).to_string(), xsd::INTEGER)
                    .into(),
            ),
        ];
        store.apply(Cause::service(Origin::Harvest), &remove, &insert)
    }
}

/// The parents of `iri` in the sense of `storage::describe::owns`, nearest first: every prefix
/// followed by `/` or `#`, after the scheme.
fn parents(iri: &str) -> impl Iterator<Item = &str> {
    let start = iri.find("://").map_or(0, |i| i + 3);
    iri.char_indices()
        .rev()
        .filter(move |(i, c)| *i >= start && matches!(c, '/' | '#'))
        .filter_map(move |(i, _)| iri.get(..i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable_and_distinct() {
        let a = slug("http://127.0.0.1:8080/catalog");
        assert!(a.starts_with("127-0-0-1-8080-catalog-"), "{a}");
        assert_eq!(a.len(), "127-0-0-1-8080-catalog-".len() + 8);
        assert_ne!(a, slug("http://127.0.0.1:8080/catalog?x=1"));
    }

    #[test]
    fn parents_are_the_prefixes_an_owner_could_have() {
        assert_eq!(
            parents("http://a.example/ds/x#y").collect::<Vec<_>>(),
            [
                "http://a.example/ds/x",
                "http://a.example/ds",
                "http://a.example"
            ]
        );
        assert_eq!(parents("urn:x").count(), 0);
    }
}
