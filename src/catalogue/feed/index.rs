//! The ordered list of catalogue records: every `foaf:primaryTopic` of `graph/catalog` with the
//! record's `dct:modified` (one scan, then a lookup by subject per record), sorted by
//! (modified, dataset IRI) so that a harvester paging through sees a stable order.

use crate::storage::{Storage, StoreError};
use oxigraph::model::{GraphNameRef, Literal, NamedOrBlankNode, Term};
use oxsdatatypes::{DateTime, DayTimeDuration};
use std::str::FromStr;
use std::sync::LazyLock;

use crate::core::vocab::{DCT_MODIFIED, FOAF_PRIMARY_TOPIC};

/// One catalogue record and the dataset it describes.
#[derive(Debug, Clone)]
pub struct Item {
    /// Position on the time line (`None`: no readable `dct:modified`, sorts first).
    pub key: Option<DayTimeDuration>,
    pub modified: Option<Literal>,
    pub record: NamedOrBlankNode,
    pub dataset: NamedOrBlankNode,
}

static EPOCH: LazyLock<Option<DateTime>> =
    LazyLock::new(|| DateTime::from_str("1970-01-01T00:00:00Z").ok());

/// A point in time as a sortable key: the duration since 1970-01-01T00:00:00Z.
pub fn time_key(value: DateTime) -> Option<DayTimeDuration> {
    value.checked_sub((*EPOCH)?)
}

/// Every record of `graph`, in feed order: one scan of `foaf:primaryTopic`, then each
/// record's `dct:modified` by its subject (decoding only the matching quad).
pub fn items(store: &Storage, graph: GraphNameRef<'_>) -> Result<Vec<Item>, StoreError> {
    let mut items = Vec::new();
    for quad in store.quads(None, Some(FOAF_PRIMARY_TOPIC), None, Some(graph)) {
        let quad = quad?;
        let dataset = match quad.object {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b),
            _ => continue,
        };
        let mut modified = None;
        for m in store.quads(
            Some(quad.subject.as_ref()),
            Some(DCT_MODIFIED),
            None,
            Some(graph),
        ) {
            if let Term::Literal(value) = m?.object {
                modified = Some(value);
                break;
            }
        }
        let key = modified
            .as_ref()
            .and_then(|m| DateTime::from_str(m.value()).ok())
            .and_then(time_key);
        items.push(Item {
            key,
            modified,
            record: quad.subject,
            dataset,
        });
    }
    items.sort_by(|a, b| {
        a.key
            .cmp(&b.key)
            .then_with(|| name(&a.dataset).cmp(name(&b.dataset)))
            .then_with(|| name(&a.record).cmp(name(&b.record)))
    });
    Ok(items)
}

/// The record list of the last page served, kept while the catalogue's generation (see
/// `Catalog::generation`) is unchanged: reading 10,000 records is most of a page's time, and
/// harvesters fetch pages in a row. Every writer of `graph/catalog` that goes through the
/// service bumps the generation (use-case writes, harvests, SPARQL Update, Graph Store).
#[derive(Default)]
pub struct RecordCache {
    slot: std::sync::Mutex<Option<(u64, std::sync::Arc<Vec<Item>>)>>,
}

impl RecordCache {
    /// The records at `generation`, read from the store when the cached list is older.
    pub fn items(
        &self,
        store: &Storage,
        graph: GraphNameRef<'_>,
        generation: u64,
    ) -> Result<std::sync::Arc<Vec<Item>>, StoreError> {
        let mut slot = self.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((built_at, items)) = slot.as_ref()
            && *built_at == generation
        {
            return Ok(items.clone());
        }
        let items = std::sync::Arc::new(items(store, graph)?);
        *slot = Some((generation, items.clone()));
        Ok(items)
    }
}

/// The IRI or blank node id, for ordering without allocating.
fn name(node: &NamedOrBlankNode) -> &str {
    match node {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        NamedOrBlankNode::BlankNode(b) => b.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{Cause, Origin};
    use oxigraph::model::{NamedNode, Quad};

    #[test]
    fn records_come_out_by_modified_then_dataset() {
        let store = Storage::in_memory().unwrap();
        let graph = NamedNode::new("http://c.test/graph/catalog").unwrap();
        let add = |record: &str, dataset: &str, modified: &str| {
            let record = NamedNode::new(record).unwrap();
            store
                .extend(
                    Cause::service(Origin::Load),
                    [Quad::new(
                        record.clone(),
                        FOAF_PRIMARY_TOPIC,
                        NamedNode::new(dataset).unwrap(),
                        graph.clone(),
                    )],
                )
                .unwrap();
            store
                .extend(
                    Cause::service(Origin::Load),
                    [Quad::new(
                        record,
                        DCT_MODIFIED,
                        Literal::new_typed_literal(
                            modified,
                            oxigraph::model::vocab::xsd::DATE_TIME,
                        ),
                        graph.clone(),
                    )],
                )
                .unwrap();
        };
        add(
            "http://c.test/r/b",
            "http://c.test/b",
            "2025-01-02T00:00:00Z",
        );
        add(
            "http://c.test/r/a",
            "http://c.test/a",
            "2025-01-02T00:00:00Z",
        );
        // An hour later in UTC although it reads earlier.
        add(
            "http://c.test/r/c",
            "http://c.test/c",
            "2025-01-02T00:30:00-01:00",
        );
        add(
            "http://c.test/r/d",
            "http://c.test/d",
            "2024-12-31T00:00:00Z",
        );
        let order: Vec<String> = items(&store, graph.as_ref().into())
            .unwrap()
            .into_iter()
            .map(|i| i.dataset.to_string())
            .collect();
        assert_eq!(
            order,
            [
                "<http://c.test/d>",
                "<http://c.test/a>",
                "<http://c.test/b>",
                "<http://c.test/c>"
            ]
        );
    }
}

#[cfg(test)]
mod cache_tests {
    use super::*;
    use crate::storage::{Cause, Origin};
    use oxigraph::model::{NamedNode, Quad};

    fn record(store: &Storage, graph: &NamedNode, n: u32) {
        let record = NamedNode::new(format!("http://c.test/id/use-case/u{n}/record")).unwrap();
        let dataset = NamedNode::new(format!("http://c.test/id/use-case/u{n}")).unwrap();
        store
            .extend(
                Cause::service(Origin::Load),
                [Quad::new(
                    record.clone(),
                    FOAF_PRIMARY_TOPIC,
                    dataset,
                    graph.clone(),
                )],
            )
            .unwrap();
        store
            .extend(
                Cause::service(Origin::Load),
                [Quad::new(
                    record,
                    DCT_MODIFIED,
                    Literal::new_typed_literal(
                        format!("2025-06-1{n}T08:00:00Z"),
                        oxigraph::model::vocab::xsd::DATE_TIME,
                    ),
                    graph.clone(),
                )],
            )
            .unwrap();
    }

    #[test]
    fn the_record_list_is_kept_until_the_generation_changes() {
        let store = Storage::in_memory().unwrap();
        let graph = NamedNode::new("http://c.test/graph/catalog").unwrap();
        let name = GraphNameRef::NamedNode(graph.as_ref());
        let cache = RecordCache::default();
        record(&store, &graph, 2);
        assert_eq!(cache.items(&store, name, 0).unwrap().len(), 1);
        record(&store, &graph, 1);
        assert_eq!(cache.items(&store, name, 0).unwrap().len(), 1, "kept");
        let fresh = cache.items(&store, name, 1).unwrap();
        assert_eq!(fresh.len(), 2, "rebuilt at the next generation");
        // Feed order: by modified time.
        assert!(fresh[0].dataset.to_string().contains("u1"), "{fresh:?}");
    }
}
