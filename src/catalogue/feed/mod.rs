//! The DCAT-AP 3 harvest feed of `graph/catalog` (`GET /catalog`): one page of catalogue
//! records in a stable order (record `dct:modified`, then dataset IRI), each with its dataset,
//! what the dataset owns, its distributions and quality measurements, and the vocabulary terms
//! it refers to typed and labelled; the `dcat:Catalog`, its publisher and the data service;
//! Hydra paging. Knows nothing of HTTP: `page` takes parsed parameters and gives a graph.

pub mod describe;
pub mod index;

mod hydra;
mod instance;

use crate::core::config::BaseIri;
use crate::storage::{Storage, StoreError};
use oxigraph::model::{GraphNameRef, NamedNode};
use oxsdatatypes::{DateTime, DayTimeDuration};
use std::str::FromStr;

pub const DEFAULT_PAGE_SIZE: usize = 100;
pub const MAX_PAGE_SIZE: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{name} must be a whole number from {min} to {max}, got {value:?}")]
    BadNumber {
        name: &'static str,
        value: String,
        min: usize,
        max: usize,
    },
    #[error(
        "modified_since must be an xsd:dateTime with a time zone, e.g. 2025-06-10T08:00:00Z, got {0:?}"
    )]
    BadDateTime(String),
    #[error("the parameter {0} is given more than once")]
    Repeated(String),
    #[error("page {page} is past the last page ({last}) of this feed at page_size {page_size}")]
    PastLastPage {
        page: usize,
        last: usize,
        page_size: usize,
    },
    #[error("the catalogue graph IRI is invalid: {0}")]
    Iri(#[from] oxigraph::model::IriParseError),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// The feed's query parameters, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedQuery {
    pub page: usize,
    pub page_size: usize,
    /// Records modified at or after this instant (inclusive, so a harvest from a watermark
    /// never misses a write made in the same second).
    pub modified_since: Option<DateTime>,
}

impl Default for FeedQuery {
    fn default() -> Self {
        Self {
            page: 1,
            page_size: DEFAULT_PAGE_SIZE,
            modified_since: None,
        }
    }
}

impl FeedQuery {
    /// From a URL query string (`page`, `page_size`, `modified_since`; others are ignored).
    pub fn parse(query: &str) -> Result<Self, FeedError> {
        let mut parsed = Self::default();
        let mut seen: Vec<String> = Vec::new();
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            if !["page", "page_size", "modified_since"].contains(&name.as_ref()) {
                continue;
            }
            if seen.iter().any(|s| *s == name) {
                return Err(FeedError::Repeated(name.into_owned()));
            }
            seen.push(name.clone().into_owned());
            match name.as_ref() {
                "page" => parsed.page = number("page", &value, 1, usize::MAX)?,
                "page_size" => parsed.page_size = number("page_size", &value, 1, MAX_PAGE_SIZE)?,
                _ => parsed.modified_since = Some(date_time(&value)?),
            }
        }
        Ok(parsed)
    }

    fn since_key(&self) -> Option<DayTimeDuration> {
        self.modified_since.and_then(index::time_key)
    }
}

fn number(name: &'static str, value: &str, min: usize, max: usize) -> Result<usize, FeedError> {
    value
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .ok_or_else(|| FeedError::BadNumber {
            name,
            value: value.to_owned(),
            min,
            max,
        })
}

/// An xsd:dateTime with a zone. A `+` sent unescaped in a query string arrives as a space;
/// it is read back as `+`.
fn date_time(value: &str) -> Result<DateTime, FeedError> {
    let repaired = value.trim().replace(' ', "+");
    DateTime::from_str(&repaired)
        .ok()
        .filter(|d| d.timezone_offset().is_some())
        .ok_or_else(|| FeedError::BadDateTime(value.to_owned()))
}

/// One page of the feed.
pub struct FeedPage {
    pub graph: describe::Triples,
    pub total_items: usize,
    pub items_on_page: usize,
}

/// Builds page `query.page` of the feed. `origin` (`http://host:port`) is where the client
/// reached the service: paging links use it so that they can be followed whatever the base IRI.
/// `records` caches the record list across pages while `generation` (the catalogue's) holds.
pub fn page(
    store: &Storage,
    base: &BaseIri,
    query: &FeedQuery,
    origin: &str,
    (records, generation): (&index::RecordCache, u64),
) -> Result<FeedPage, FeedError> {
    let graph_name = crate::core::graphs::catalog_graph(base);
    let graph = GraphNameRef::NamedNode(graph_name.as_ref());
    let since = query.since_key();
    let all = records.items(store, graph, generation)?;
    let items: Vec<&index::Item> = match since {
        Some(since) => all
            .iter()
            .filter(|item| item.key.is_some_and(|k| k >= since))
            .collect(),
        None => all.iter().collect(),
    };
    let total = items.len();
    let last = total.div_ceil(query.page_size).max(1);
    if query.page > last {
        return Err(FeedError::PastLastPage {
            page: query.page,
            last,
            page_size: query.page_size,
        });
    }
    let start = (query.page - 1) * query.page_size;
    let on_page = items
        .get(start..(start + query.page_size).min(total))
        .unwrap_or_default();

    let mut describer = describe::Describer::new(store, graph, base.join("graph/ontology/"));
    let nodes = instance::Nodes::new(base)?;
    instance::describe(&mut describer, &nodes)?;
    for item in on_page {
        describer.dataset(&item.dataset)?;
        let harvested = describer.record(&item.record, &item.dataset)?;
        instance::link(&mut describer, &nodes, item, harvested);
    }
    hydra::links(
        &mut describer,
        &hydra::Paging {
            origin,
            query,
            total,
            last,
        },
        on_page,
    );
    Ok(FeedPage {
        graph: describer.graph,
        total_items: total,
        items_on_page: on_page.len(),
    })
}

/// The catalogue node, `{base}id/catalog`.
pub fn catalog_iri(base: &BaseIri) -> Result<NamedNode, oxigraph::model::IriParseError> {
    NamedNode::new(base.join("id/catalog"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_checked() {
        let ok = FeedQuery::parse("page=2&page_size=10&modified_since=2025-06-10T08:00:00+02:00")
            .unwrap();
        assert_eq!(ok.page, 2);
        assert_eq!(ok.page_size, 10);
        assert_eq!(
            ok.modified_since.unwrap().to_string(),
            "2025-06-10T08:00:00+02:00"
        );
        // An unescaped `+` arrives as a space.
        let spaced = FeedQuery::parse("modified_since=2025-06-10T08:00:00 02:00").unwrap();
        assert_eq!(spaced.modified_since, ok.modified_since);
        for bad in [
            "page=0",
            "page=x",
            "page_size=1001",
            "page_size=0",
            "modified_since=yesterday",
            "modified_since=2025-06-10T08:00:00",
            "page=1&page=2",
        ] {
            assert!(FeedQuery::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(FeedQuery::parse("").unwrap(), FeedQuery::default());
    }
}
