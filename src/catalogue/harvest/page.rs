//! One fetched feed page read as DCAT: the catalogue's records (or, for a catalogue without
//! records, its `dcat:dataset` links), each dataset's description (what it owns, by the feed's
//! own rule, blank nodes renamed under the dataset IRI so that updates and removals find them),
//! the nodes it points to that the page describes, `hydra:totalItems` and `hydra:next`.

use oxigraph::io::RdfParser;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef,
    Term, TermRef, Triple,
};
use std::collections::{HashMap, HashSet};

use super::HarvestError;
use super::fetch::Fetched;
use crate::core::vocab::*;
use crate::storage::describe::owns;

/// One remote dataset as read from a page.
#[derive(Debug, Clone)]
pub struct RemoteItem {
    pub dataset: NamedNode,
    /// The remote catalogue record, when the catalogue has records with IRIs.
    pub record: Option<NamedNode>,
    /// The record's `dct:modified` (else the dataset's).
    pub modified: Option<Literal>,
    /// The dataset and everything it owns.
    pub description: Vec<Triple>,
    /// Nodes it points to that the page describes (a remote data service, a shared agent).
    pub support: Vec<(NamedNode, Vec<Triple>)>,
}

pub struct RemotePage {
    pub items: Vec<RemoteItem>,
    pub total_items: Option<u64>,
    pub next: Option<String>,
    /// Datasets left out: blank-node datasets cannot be tracked across runs.
    pub skipped: usize,
}

/// Page links and terms that stay with the page, never with a copied node.
const NOT_COPIED: [NamedNodeRef<'static>; 4] = [
    DCAT_DATASET_LINK,
    DCAT_RECORD,
    DCAT_SERVES_DATASET,
    HYDRA_MEMBER,
];

pub fn read(
    fetched: &Fetched,
    is_known_term: &dyn Fn(NamedNodeRef<'_>) -> bool,
) -> Result<RemotePage, HarvestError> {
    crate::core::rdf_file::check_untrusted(fetched.format, &fetched.body).map_err(|refused| {
        HarvestError::Parse {
            url: fetched.url.clone(),
            message: refused.to_string(),
        }
    })?;
    let mut graph = Graph::new();
    let parser = RdfParser::from_format(fetched.format)
        .with_base_iri(&fetched.url)
        .map_err(|_| HarvestError::BadUrl(fetched.url.clone()))?;
    for triple in parser.for_slice(&fetched.body) {
        let quad = triple.map_err(|e| HarvestError::Parse {
            url: fetched.url.clone(),
            message: e.to_string(),
        })?;
        graph.insert(&Triple::from(quad));
    }
    let catalogs: Vec<NamedOrBlankNode> = graph
        .subjects_for_predicate_object(rdf::TYPE, DCAT_CATALOG)
        .map(NamedOrBlankNodeRef::into_owned)
        .collect();
    // (dataset, record, modified)
    let mut found: Vec<(Term, Option<NamedNode>, Option<Literal>)> = Vec::new();
    let mut seen: HashSet<Term> = HashSet::new();
    for catalog in &catalogs {
        for record in graph.objects_for_subject_predicate(catalog, DCAT_RECORD) {
            let Some(record) = as_subject(record) else {
                continue;
            };
            let Some(topic) = graph.object_for_subject_predicate(record, FOAF_PRIMARY_TOPIC) else {
                continue;
            };
            if seen.insert(topic.into_owned()) {
                found.push((
                    topic.into_owned(),
                    match record {
                        NamedOrBlankNodeRef::NamedNode(n) => Some(n.into_owned()),
                        NamedOrBlankNodeRef::BlankNode(_) => None,
                    },
                    literal(graph.object_for_subject_predicate(record, DCT_MODIFIED)),
                ));
            }
        }
        for dataset in graph.objects_for_subject_predicate(catalog, DCAT_DATASET_LINK) {
            if seen.insert(dataset.into_owned()) {
                let modified = as_subject(dataset)
                    .and_then(|d| literal(graph.object_for_subject_predicate(d, DCT_MODIFIED)));
                found.push((dataset.into_owned(), None, modified));
            }
        }
    }
    let item_nodes: HashSet<Term> = found.iter().map(|(d, _, _)| d.clone()).collect();
    let mut items = Vec::new();
    let mut skipped = 0;
    for (dataset, record, modified) in found {
        let Term::NamedNode(dataset) = dataset else {
            skipped += 1;
            continue;
        };
        let (description, referenced) = describe(&graph, &dataset);
        let support = referenced
            .into_iter()
            .filter(|node| {
                !item_nodes.contains(&Term::from(node.clone()))
                    && !is_known_term(node.as_ref())
                    && !catalogs.contains(&NamedOrBlankNode::from(node.clone()))
            })
            .filter_map(|node| {
                let triples: Vec<Triple> = graph
                    .triples_for_subject(&node)
                    .filter(|t| !NOT_COPIED.contains(&t.predicate))
                    .filter(|t| !t.object.is_blank_node())
                    .map(|t| t.into_owned())
                    .collect();
                (!triples.is_empty()).then_some((node, triples))
            })
            .collect();
        items.push(RemoteItem {
            dataset,
            record,
            modified,
            description,
            support,
        });
    }
    let total_items = graph
        .triples_for_predicate(HYDRA_TOTAL_ITEMS)
        .find_map(|t| match t.object {
            TermRef::Literal(l) => l.value().parse::<u64>().ok(),
            _ => None,
        });
    let next = graph
        .triples_for_predicate(HYDRA_NEXT)
        .find_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        });
    Ok(RemotePage {
        items,
        total_items,
        next,
        skipped,
    })
}

fn as_subject(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

fn literal(term: Option<TermRef<'_>>) -> Option<Literal> {
    match term {
        Some(TermRef::Literal(l)) => Some(l.into_owned()),
        _ => None,
    }
}

/// The dataset's owned closure in the page, blank nodes renamed `{dataset}/bnode/{n}`, and the
/// IRIs it points to outside it.
fn describe(graph: &Graph, dataset: &NamedNode) -> (Vec<Triple>, Vec<NamedNode>) {
    let root = dataset.as_str();
    let mut names: HashMap<BlankNode, NamedNode> = HashMap::new();
    let mut rename = |node: NamedOrBlankNodeRef<'_>| -> NamedOrBlankNode {
        match node {
            NamedOrBlankNodeRef::NamedNode(n) => n.into_owned().into(),
            NamedOrBlankNodeRef::BlankNode(b) => {
                let next = names.len();
                names
                    .entry(b.into_owned())
                    .or_insert_with(|| NamedNode::new_unchecked(format!("{root}/bnode/{next}")))
                    .clone()
                    .into()
            }
        }
    };
    let mut queue: Vec<NamedOrBlankNode> = vec![dataset.clone().into()];
    let mut visited: HashSet<NamedOrBlankNode> = queue.iter().cloned().collect();
    let mut triples = Vec::new();
    let mut referenced = Vec::new();
    let mut referenced_seen = HashSet::new();
    while let Some(subject) = queue.pop() {
        for triple in graph.triples_for_subject(&subject) {
            if NOT_COPIED.contains(&triple.predicate) {
                continue;
            }
            let object: Term = match triple.object {
                TermRef::BlankNode(b) => {
                    let owned = NamedOrBlankNode::from(b.into_owned());
                    if visited.insert(owned.clone()) {
                        queue.push(owned);
                    }
                    rename(b.into()).into()
                }
                TermRef::NamedNode(n) => {
                    if owns(root, triple.object) {
                        let owned = NamedOrBlankNode::from(n.into_owned());
                        if visited.insert(owned.clone()) {
                            queue.push(owned);
                        }
                    } else if referenced_seen.insert(n.into_owned()) {
                        referenced.push(n.into_owned());
                    }
                    n.into_owned().into()
                }
                other => other.into_owned(),
            };
            let subject = rename(triple.subject);
            triples.push(Triple::new(subject, triple.predicate.into_owned(), object));
        }
    }
    (triples, referenced)
}
