//! A client's description of a use case -> the graph citykg stores: parse (Turtle; JSON-LD
//! through the seam below), find the use-case node, settle its id, rename blank nodes to
//! sub-resource IRIs, drop what only the server writes, and collect every problem.

use std::collections::{BTreeMap, HashMap};

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};

use super::{CatalogError, InputProblem};
use crate::core::config::BaseIri;
use crate::core::ids::{UseCaseId, id_of, sub_iri, use_case_iri, use_case_prefix};
use crate::core::vocab as v;

/// What a request body can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputSyntax {
    Turtle,
    /// JSON-LD, with citykg's context or an inline one.
    JsonLd,
}

/// The body as RDF triples, relative IRIs resolved against the base IRI (so a shipped file or
/// a client can write `<id/use-case/x>` and `<mappings/builtin/ttn-v3>`).
pub fn parse(text: &str, syntax: InputSyntax, base: &BaseIri) -> Result<Vec<Triple>, CatalogError> {
    match syntax {
        InputSyntax::Turtle => parse_turtle(text, base),
        InputSyntax::JsonLd => parse_jsonld(text, base),
    }
}

fn parse_turtle(text: &str, base: &BaseIri) -> Result<Vec<Triple>, CatalogError> {
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(base.as_str())
        .map_err(|e| CatalogError::Syntax {
            message: e.to_string(),
        })?;
    let mut triples = Vec::new();
    for quad in parser.for_slice(text.as_bytes()) {
        let quad = quad.map_err(|e| CatalogError::Syntax {
            message: crate::storage::bulk::describe_parse_error(&e.into()),
        })?;
        triples.push(Triple::from(quad));
    }
    Ok(triples)
}

/// JSON-LD input: expanded with citykg's shipped context (no remote context is ever fetched),
/// relative IRIs resolved against the base IRI; everything after parsing is shared.
pub fn parse_jsonld(text: &str, base: &BaseIri) -> Result<Vec<Triple>, CatalogError> {
    let loader = crate::standards::jsonld::ContextLoader::new(base);
    let options = crate::standards::jsonld::Options::for_document(base.as_str());
    let quads = crate::standards::jsonld::to_rdf_with(text, &loader, &options)
        .map_err(CatalogError::JsonLd)?;
    Ok(quads.into_iter().map(Triple::from).collect())
}

/// A use case ready to store: its id, IRI and the triples the client gave (skolemised, server
/// triples removed), already valid against the use-case shape.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub id: UseCaseId,
    pub iri: NamedNode,
    pub graph: Graph,
}

/// Settles the node, id and names; `problems` receives every structural problem found.
pub(super) fn shape_input(
    base: &BaseIri,
    triples: Vec<Triple>,
    given: Option<&UseCaseId>,
    problems: &mut Vec<InputProblem>,
) -> Option<(UseCaseId, NamedNode, Graph)> {
    let nodes: Vec<NamedOrBlankNode> = {
        let mut found: Vec<NamedOrBlankNode> = triples
            .iter()
            .filter(|t| {
                t.predicate == rdf::TYPE && t.object == Term::from(v::USE_CASE.into_owned())
            })
            .map(|t| t.subject.clone())
            .collect();
        found.dedup();
        found
    };
    let node = match nodes.as_slice() {
        [node] => node.clone(),
        [] => {
            problems.push(InputProblem::new(
                "the body describes no use case: give one node the type citykg:UseCase (https://w3id.org/citykg/ns#UseCase)",
            ).at(None, Some(rdf::TYPE)));
            return None;
        }
        many => {
            problems.push(InputProblem::new(format!(
                "the body describes {} nodes typed citykg:UseCase; send one use case per request",
                many.len()
            )));
            return None;
        }
    };
    let id = settle_id(base, &triples, &node, given, problems)?;
    let iri = use_case_iri(base, &id);
    if let NamedOrBlankNode::NamedNode(named) = &node {
        if named != &iri {
            problems.push(
                InputProblem::new(format!(
                    "the use case is named <{}>; name it <{}> or leave it a blank node",
                    named.as_str(),
                    iri.as_str()
                ))
                .at(Some(named.as_str()), None),
            );
            return None;
        }
    }
    let triples = skolemise(&triples, &node, &iri);
    let mut graph = Graph::new();
    let prefix = format!("{}/", iri.as_str());
    for triple in triples {
        if server_written(&triple, &iri, &prefix) {
            continue;
        }
        let subject_ok = match &triple.subject {
            NamedOrBlankNode::NamedNode(s) => s == &iri || s.as_str().starts_with(&prefix),
            NamedOrBlankNode::BlankNode(_) => true,
        };
        if !subject_ok {
            problems.push(
                InputProblem::new(format!(
                    "statements about {} do not belong to the use case: describe only <{}> and nodes under <{prefix}> (or blank nodes)",
                    triple.subject,
                    iri.as_str()
                ))
                .at(Some(&triple.subject.to_string()), Some(triple.predicate.as_ref())),
            );
            continue;
        }
        graph.insert(&triple);
    }
    for orphan in unreachable(&graph, &iri) {
        problems.push(
            InputProblem::new(format!(
                "<{orphan}> is not linked from the use case: every node under <{prefix}> must be reachable from <{}>",
                iri.as_str()
            ))
            .at(Some(&orphan), None),
        );
    }
    if graph
        .object_for_subject_predicate(&iri, v::DCT_IDENTIFIER)
        .is_none()
    {
        graph.insert(&Triple::new(
            iri.clone(),
            v::DCT_IDENTIFIER,
            Literal::new_simple_literal(id.as_str()),
        ));
    }
    graph.insert(&Triple::new(iri.clone(), rdf::TYPE, v::DCAT_DATASET));
    Some((id, iri, graph))
}

/// The id from the request (path or `Slug`), the body's `dct:identifier`, or the node's IRI;
/// when several are given they must agree.
fn settle_id(
    base: &BaseIri,
    triples: &[Triple],
    node: &NamedOrBlankNode,
    given: Option<&UseCaseId>,
    problems: &mut Vec<InputProblem>,
) -> Option<UseCaseId> {
    let identifiers: Vec<&Literal> = triples
        .iter()
        .filter(|t| &t.subject == node && t.predicate == v::DCT_IDENTIFIER)
        .filter_map(|t| match &t.object {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    let from_iri = match node {
        NamedOrBlankNode::NamedNode(n) => id_of(base, n.as_str()),
        NamedOrBlankNode::BlankNode(_) => None,
    };
    let mut candidates: Vec<(String, &str)> = Vec::new();
    if let Some(given) = given {
        candidates.push((given.to_string(), "the request (path or Slug header)"));
    }
    for literal in &identifiers {
        candidates.push((literal.value().to_owned(), "dct:identifier"));
    }
    if let Some(id) = &from_iri {
        candidates.push((id.to_string(), "the use case's IRI"));
    }
    let Some((first, first_from)) = candidates.first().cloned() else {
        problems.push(
            InputProblem::new(format!(
                "no id: give a Slug header, a dct:identifier, or name the use case <{}{{id}}>",
                use_case_prefix(base)
            ))
            .at(None, Some(v::DCT_IDENTIFIER)),
        );
        return None;
    };
    let mut ok = true;
    for (other, from) in &candidates[1..] {
        if other != &first {
            problems.push(
                InputProblem::new(format!(
                    "{first_from} gives the id {first:?} but {from} gives {other:?}"
                ))
                .at(None, Some(v::DCT_IDENTIFIER)),
            );
            ok = false;
        }
    }
    match UseCaseId::parse(&first) {
        Ok(id) if ok => Some(id),
        Ok(_) => None,
        Err(e) => {
            problems.push(InputProblem::new(e.to_string()).at(None, Some(v::DCT_IDENTIFIER)));
            None
        }
    }
}

/// Triples only the server writes: themes, distributions, measurements and the record. A
/// client may send back what it read (GET then PUT); these parts are rewritten anyway.
fn server_written(triple: &Triple, iri: &NamedNode, prefix: &str) -> bool {
    if let NamedOrBlankNode::NamedNode(s) = &triple.subject {
        if s == iri {
            return triple.predicate == v::DCAT_THEME
                || triple.predicate == v::DCAT_DISTRIBUTION_P
                || triple.predicate == v::DQV_HAS_QUALITY_MEASUREMENT;
        }
        if let Some(rest) = s.as_str().strip_prefix(prefix) {
            return rest == "record"
                || rest.starts_with("distribution/")
                || rest.starts_with("measurement/");
        }
    }
    false
}

/// Blank nodes -> IRIs under the use case: the use-case node itself, then by the predicate
/// that reaches them from it (`place`, `publisher`, `contact`, `stakeholder/{n}`), any other
/// `node/{n}`. Numbers skip names the client already used.
fn skolemise(triples: &[Triple], node: &NamedOrBlankNode, iri: &NamedNode) -> Vec<Triple> {
    let used: std::collections::HashSet<&str> = triples
        .iter()
        .filter_map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(n) => Some(n.as_str()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
    let mut names: HashMap<BlankNode, NamedNode> = HashMap::new();
    if let NamedOrBlankNode::BlankNode(b) = node {
        names.insert(b.clone(), iri.clone());
    }
    let mut counters: BTreeMap<&str, usize> = BTreeMap::new();
    let mut fresh = |stem: &'static str, numbered: bool| -> NamedNode {
        loop {
            let n = counters.entry(stem).or_insert(0);
            *n += 1;
            let rest = if !numbered && *n == 1 {
                stem.to_owned()
            } else if numbered {
                format!("{stem}/{n}")
            } else {
                format!("{stem}-{n}")
            };
            let candidate = sub_iri(iri, &rest);
            if !used.contains(candidate.as_str()) {
                return candidate;
            }
        }
    };
    // First the nodes the use case points at, in a stable order (by predicate, then by the
    // first literal said about them), then every other blank node.
    let mut direct: Vec<(&'static str, bool, &BlankNode, String)> = Vec::new();
    for t in triples {
        if &t.subject != node {
            continue;
        }
        let Term::BlankNode(b) = &t.object else {
            continue;
        };
        let (stem, numbered) = role(t.predicate.as_ref());
        direct.push((stem, numbered, b, sort_key(triples, b)));
    }
    direct.sort_by(|a, b| (a.0, &a.3).cmp(&(b.0, &b.3)));
    for (stem, numbered, b, _) in direct {
        if !names.contains_key(b) {
            let name = fresh(stem, numbered);
            names.insert(b.clone(), name);
        }
    }
    let mut rest: Vec<(&BlankNode, String)> = Vec::new();
    for t in triples {
        for b in [
            match &t.subject {
                NamedOrBlankNode::BlankNode(b) => Some(b),
                NamedOrBlankNode::NamedNode(_) => None,
            },
            match &t.object {
                Term::BlankNode(b) => Some(b),
                _ => None,
            },
        ]
        .into_iter()
        .flatten()
        {
            if !names.contains_key(b) && !rest.iter().any(|(r, _)| *r == b) {
                rest.push((b, sort_key(triples, b)));
            }
        }
    }
    rest.sort_by(|a, b| a.1.cmp(&b.1));
    for (b, _) in rest {
        let name = fresh("node", true);
        names.insert(b.clone(), name);
    }
    let rename_subject = |s: &NamedOrBlankNode| match s {
        NamedOrBlankNode::BlankNode(b) => names
            .get(b)
            .map_or_else(|| s.clone(), |n| NamedOrBlankNode::from(n.clone())),
        NamedOrBlankNode::NamedNode(_) => s.clone(),
    };
    let rename_object = |o: &Term| match o {
        Term::BlankNode(b) => names
            .get(b)
            .map_or_else(|| o.clone(), |n| Term::from(n.clone())),
        _ => o.clone(),
    };
    triples
        .iter()
        .map(|t| {
            Triple::new(
                rename_subject(&t.subject),
                t.predicate.clone(),
                rename_object(&t.object),
            )
        })
        .collect()
}

fn role(predicate: NamedNodeRef<'_>) -> (&'static str, bool) {
    if predicate == v::DCT_SPATIAL {
        ("place", false)
    } else if predicate == v::DCT_PUBLISHER {
        ("publisher", false)
    } else if predicate == v::DCAT_CONTACT_POINT {
        ("contact", false)
    } else if predicate == v::STAKEHOLDER {
        ("stakeholder", true)
    } else {
        ("node", true)
    }
}

/// The smallest literal said about `b`: blank-node labels are arbitrary, names are not.
fn sort_key(triples: &[Triple], b: &BlankNode) -> String {
    triples
        .iter()
        .filter(|t| matches!(&t.subject, NamedOrBlankNode::BlankNode(s) if s == b))
        .filter_map(|t| match &t.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .min()
        .unwrap_or_default()
}

/// `xsd:dateTime` literal of a time, the one format the server writes.
pub(super) fn date_time(text: &str) -> Literal {
    Literal::new_typed_literal(text, xsd::DATE_TIME)
}

/// Subjects of `graph` that cannot be reached from `root` by following links: they could not
/// be found again to replace or delete them.
fn unreachable(graph: &Graph, root: &NamedNode) -> Vec<String> {
    let mut seen: std::collections::HashSet<NamedOrBlankNode> = std::collections::HashSet::new();
    let mut queue = vec![NamedOrBlankNode::from(root.clone())];
    while let Some(node) = queue.pop() {
        if !seen.insert(node.clone()) {
            continue;
        }
        for object in graph
            .triples_for_subject(&node)
            .map(|t| t.object.into_owned())
        {
            match object {
                Term::NamedNode(n) => queue.push(n.into()),
                Term::BlankNode(b) => queue.push(b.into()),
                _ => {}
            }
        }
    }
    let mut orphans: Vec<String> = graph
        .iter()
        .map(|t| t.subject.into_owned())
        .filter(|s| !seen.contains(s))
        .map(|s| match s {
            NamedOrBlankNode::NamedNode(n) => n.into_string(),
            NamedOrBlankNode::BlankNode(b) => b.to_string(),
        })
        .collect();
    orphans.sort();
    orphans.dedup();
    orphans
}
