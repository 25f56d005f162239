//! Harvesting another DCAT catalogue into `graph/catalog` (`citykg harvest URL`,
//! `POST /admin/harvest`): fetch the feed, follow `hydra:next` to the end, add and update the
//! datasets it lists, remove those it no longer lists, and record where each came from
//! (usecase-model.md: a record `{base}id/harvest/{slug}/record/{sha}` with
//! `citykg:harvestedFrom`, `dct:source`, `citykg:remoteModified`).
//!
//! Runs. The first run of a source is full. Later runs are incremental: they ask for
//! `modified_since` = the watermark (the remote's own `Date` when the last successful run
//! started, so clocks need not agree), which shows every added or changed dataset but no
//! deletion. To see deletions exactly, an incremental run then reads the remote's unfiltered
//! `hydra:totalItems` (one page of size 1): every dataset added since the watermark was just
//! fetched, so the remote total equals what we hold unless something was deleted (or a page
//! shifted while we read it); in that case the run goes on as a full run, which removes what the
//! remote no longer lists. A deletion therefore disappears on the next run.
//!
//! Only allow-listed `http://` hosts are contacted, every response is size- and time-limited,
//! redirects and `hydra:next` links to another host are refused. Blocking: the HTTP layer calls
//! it through `storage::run_blocking`.

pub mod fetch;
pub mod page;
pub mod source;

use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::xsd;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef};
use serde::Serialize;
use std::collections::HashSet;
use std::time::{Duration, Instant};

use crate::core::config::{AllowList, BaseIri};
use fetch::{FetchLimits, Fetcher};
use source::Source;

#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("{0:?} is not an absolute http:// URL")]
    BadUrl(String),
    #[error(
        "{0} uses https, which this build's HTTP client does not support (oxhttp without a TLS feature); harvest over http:// or put a TLS-terminating proxy on the allow-list"
    )]
    NoTls(String),
    #[error(
        "the host {host} is not on the allow-list (allow_hosts / --allow-hosts / CITYKG_ALLOW_HOSTS)"
    )]
    NotAllowed { host: String },
    #[error("{from} redirects to {to}, another host: refused")]
    RedirectRefused { from: String, to: String },
    #[error("{0} redirects too many times")]
    TooManyRedirects(String),
    #[error("the page {page} links hydra:next to {next}, outside the harvested catalogue {url}")]
    NextRefused {
        url: String,
        page: String,
        next: String,
    },
    #[error("cannot fetch {url}: {source}")]
    Http { url: String, source: std::io::Error },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("{url} answered {media_type:?}, not an RDF format")]
    NotRdf { url: String, media_type: String },
    #[error("the body of {url} is larger than {limit} bytes")]
    TooLarge { url: String, limit: usize },
    #[error("{url} is not valid RDF: {message}")]
    Parse { url: String, message: String },
    #[error("the harvest of {url} stopped after {pages} pages (the limit)")]
    TooManyPages { url: String, pages: usize },
    #[error("the harvest of {url} took longer than {seconds} s and stopped")]
    Deadline { url: String, seconds: u64 },
    #[error("invalid IRI: {0}")]
    Iri(#[from] oxigraph::model::IriParseError),
    #[error("storage error: {0}")]
    Storage(#[from] StoreError),
}

impl HarvestError {
    /// Whether the caller asked for something refused (400/403) rather than the remote or the
    /// store failing.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            Self::BadUrl(_) | Self::NoTls(_) | Self::NotAllowed { .. }
        )
    }
}

#[derive(Debug, Clone)]
pub struct HarvestOptions {
    pub url: String,
    /// Ignore the watermark: fetch everything and remove what the remote no longer lists.
    pub full: bool,
    pub limits: FetchLimits,
    pub max_pages: usize,
    /// The whole run.
    pub deadline: Duration,
}

impl HarvestOptions {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            full: false,
            limits: FetchLimits::default(),
            max_pages: 10_000,
            deadline: Duration::from_secs(600),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct HarvestReport {
    pub url: String,
    /// `full`, `incremental`, or `incremental+full` (deletions were detected).
    pub mode: String,
    pub pages: usize,
    /// Datasets read from the remote.
    pub fetched: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Datasets refused: blank nodes, IRIs under our base, or held by a local record or another source.
    pub skipped: usize,
    /// Datasets held from this source after the run.
    pub held: usize,
    /// The `modified_since` the next run will send.
    pub watermark: String,
}

static RUNNING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Harvests `options.url` into the store.
pub fn run(
    store: &Storage,
    base: &BaseIri,
    allow: &AllowList,
    options: &HarvestOptions,
) -> Result<HarvestReport, HarvestError> {
    let fetcher = Fetcher::new(allow.clone(), options.limits.clone());
    let (scheme, host) = fetcher.check(&options.url)?;
    // One run at a time: two runs of one source would each replace what the other wrote.
    let _one_at_a_time = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    let mut source = Source::load(store, base, &options.url)?;
    let known = known_terms(store, base);
    let mut run = Run {
        store,
        fetcher: &fetcher,
        options,
        origin: (scheme, host),
        known: &known,
        started: Instant::now(),
        report: HarvestReport {
            url: options.url.clone(),
            ..HarvestReport::default()
        },
        first_date: None,
    };
    let incremental = !options.full && source.watermark.is_some();
    if let (true, Some(watermark)) = (incremental, source.watermark.clone()) {
        run.report.mode = "incremental".to_owned();
        run.walk(
            &mut source,
            &with_param(&options.url, "modified_since", &watermark),
        )?;
        let probe = run.fetch(&with_param(&options.url, "page_size", "1"))?;
        let total = page::read(&probe, &|t| known.contains(t.as_str()))?.total_items;
        if total != Some(source.held.len() as u64) {
            run.report.mode = "incremental+full".to_owned();
            run.full(&mut source)?;
        }
    } else {
        run.report.mode = "full".to_owned();
        run.full(&mut source)?;
    }
    let watermark = run
        .first_date
        .clone()
        .unwrap_or_else(|| oxsdatatypes::DateTime::now().to_string());
    source.finish(store, &watermark)?;
    let mut report = run.report;
    report.held = source.held.len();
    report.watermark = watermark;
    Ok(report)
}

struct Run<'a> {
    store: &'a Storage,
    fetcher: &'a Fetcher,
    options: &'a HarvestOptions,
    origin: (String, String),
    known: &'a HashSet<String>,
    started: Instant,
    report: HarvestReport,
    /// The remote's `Date` on the first response: the next run's watermark.
    first_date: Option<String>,
}

impl Run<'_> {
    fn fetch(&mut self, url: &str) -> Result<fetch::Fetched, HarvestError> {
        if self.started.elapsed() > self.options.deadline {
            return Err(HarvestError::Deadline {
                url: self.options.url.clone(),
                seconds: self.options.deadline.as_secs(),
            });
        }
        let fetched = self.fetcher.get(url)?;
        if self.first_date.is_none() {
            self.first_date = fetched.date.clone();
        }
        Ok(fetched)
    }

    /// Every page from `start` on; returns the datasets seen.
    fn walk(
        &mut self,
        source: &mut Source,
        start: &str,
    ) -> Result<HashSet<NamedNode>, HarvestError> {
        let mut seen = HashSet::new();
        let mut visited = HashSet::new();
        let mut next = Some(start.to_owned());
        let now =
            Literal::new_typed_literal(oxsdatatypes::DateTime::now().to_string(), xsd::DATE_TIME);
        while let Some(url) = next.take() {
            if !visited.insert(url.clone()) {
                break;
            }
            if visited.len() > self.options.max_pages {
                return Err(HarvestError::TooManyPages {
                    url: self.options.url.clone(),
                    pages: self.options.max_pages,
                });
            }
            let fetched = self.fetch(&url)?;
            let known = self.known;
            let remote = page::read(&fetched, &|t: NamedNodeRef<'_>| known.contains(t.as_str()))?;
            self.report.pages += 1;
            self.report.fetched += remote.items.len();
            self.report.skipped += remote.skipped;
            let mut write = Vec::new();
            for item in &remote.items {
                seen.insert(item.dataset.clone());
                let held = source.held.get(&item.dataset);
                if held.is_some_and(|h| {
                    h.remote_modified.is_some() && h.remote_modified == item.modified
                }) {
                    self.report.unchanged += 1;
                } else if !source.may_write(self.store, &item.dataset)? {
                    self.report.skipped += 1;
                } else {
                    if held.is_some() {
                        self.report.updated += 1;
                    } else {
                        self.report.added += 1;
                    }
                    write.push(item);
                }
            }
            source.write(self.store, &write, &now)?;
            if let Some(link) = remote.next {
                let same_origin = fetch::origin_of(&link).is_some_and(|o| o == self.origin);
                if !same_origin {
                    return Err(HarvestError::NextRefused {
                        url: self.options.url.clone(),
                        page: url,
                        next: link,
                    });
                }
                next = Some(link);
            }
        }
        Ok(seen)
    }

    fn full(&mut self, source: &mut Source) -> Result<(), HarvestError> {
        let url = self.options.url.clone();
        let seen = self.walk(source, &url)?;
        self.report.removed += source.remove_missing(self.store, &seen)?;
        Ok(())
    }
}

/// `url` with the query parameter `name` set to `value` (replacing it if present).
fn with_param(url: &str, name: &str, value: &str) -> String {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let mut encoded = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k != name {
            encoded.append_pair(&k, &v);
        }
    }
    encoded.append_pair(name, value);
    format!("{path}?{}", encoded.finish())
}

/// The IRIs our ontology graphs describe: not copied as support nodes (we know them).
fn known_terms(store: &Storage, base: &BaseIri) -> HashSet<String> {
    let prefix = base.join("graph/ontology/");
    let mut terms = HashSet::new();
    for graph in store.named_graphs().filter_map(Result::ok) {
        let oxigraph::model::NamedOrBlankNode::NamedNode(name) = &graph else {
            continue;
        };
        if !name.as_str().starts_with(&prefix) {
            continue;
        }
        for quad in store
            .quads(
                None,
                Some(oxigraph::model::vocab::rdf::TYPE),
                None,
                Some(name.as_ref().into()),
            )
            .filter_map(Result::ok)
        {
            if let oxigraph::model::NamedOrBlankNode::NamedNode(s) = quad.subject {
                terms.insert(s.into_string());
            }
        }
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_appended_and_encoded() {
        assert_eq!(
            with_param(
                "http://h/catalog",
                "modified_since",
                "2025-01-01T00:00:00+01:00"
            ),
            "http://h/catalog?modified_since=2025-01-01T00%3A00%3A00%2B01%3A00"
        );
        assert_eq!(
            with_param("http://h/catalog?page_size=10", "page_size", "1"),
            "http://h/catalog?page_size=1"
        );
    }
}
