//! Hydra paging of the feed: the collection (the feed URL with its filter) with
//! `hydra:totalItems` and `hydra:member`, and the page as a `hydra:PartialCollectionView` with
//! `first`, `previous`, `next` and `last`. Links carry `page_size` and `modified_since` so a
//! harvester following `hydra:next` stays in the same collection.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{Literal, NamedNode, Triple};

use super::FeedQuery;
use super::describe::Describer;
use super::index::Item;
use crate::core::vocab::*;

pub struct Paging<'a> {
    pub origin: &'a str,
    pub query: &'a FeedQuery,
    pub total: usize,
    pub last: usize,
}

impl Paging<'_> {
    fn filter(&self) -> String {
        self.query
            .modified_since
            .map(|since| {
                let mut encoded = form_urlencoded::Serializer::new(String::new());
                encoded.append_pair("modified_since", &since.to_string());
                encoded.finish()
            })
            .unwrap_or_default()
    }

    pub fn collection(&self) -> String {
        let filter = self.filter();
        if filter.is_empty() {
            format!("{}/catalog", self.origin)
        } else {
            format!("{}/catalog?{filter}", self.origin)
        }
    }

    pub fn page(&self, page: usize) -> String {
        let filter = self.filter();
        let mut iri = format!(
            "{}/catalog?page={page}&page_size={}",
            self.origin, self.query.page_size
        );
        if !filter.is_empty() {
            iri.push('&');
            iri.push_str(&filter);
        }
        iri
    }
}

/// Adds the collection and view triples; links that are not IRIs (a bad Host) are left out.
pub fn links(out: &mut Describer<'_>, paging: &Paging<'_>, items: &[&Item]) {
    let (Ok(collection), Ok(view)) = (
        NamedNode::new(paging.collection()),
        NamedNode::new(paging.page(paging.query.page)),
    ) else {
        return;
    };
    out.insert(Triple::new(collection.clone(), rdf::TYPE, HYDRA_COLLECTION));
    out.insert(Triple::new(
        collection.clone(),
        HYDRA_TOTAL_ITEMS,
        Literal::new_typed_literal(paging.total.to_string(), xsd::NON_NEGATIVE_INTEGER),
    ));
    out.insert(Triple::new(collection.clone(), HYDRA_VIEW, view.clone()));
    for item in items {
        out.insert(Triple::new(
            collection.clone(),
            HYDRA_MEMBER,
            item.dataset.clone(),
        ));
    }
    out.insert(Triple::new(
        view.clone(),
        rdf::TYPE,
        HYDRA_PARTIAL_COLLECTION_VIEW,
    ));
    let page = paging.query.page;
    let mut link = |predicate, number: usize| {
        if let Ok(target) = NamedNode::new(paging.page(number)) {
            out.insert(Triple::new(view.clone(), predicate, target));
        }
    };
    link(HYDRA_FIRST, 1);
    link(HYDRA_LAST, paging.last);
    if page > 1 {
        link(HYDRA_PREVIOUS, page - 1);
    }
    if page < paging.last {
        link(HYDRA_NEXT, page + 1);
    }
}
