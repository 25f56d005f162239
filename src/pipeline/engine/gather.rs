//! RML-CC gather maps: values of several term maps gathered into an RDF list or container.
//!
//! An unnamed collection (a fresh blank node) is written with the triple that uses it. A named
//! one (the gather map has a template or constant) gathers values across records: its members
//! are kept until the end of the run, then written once, so two records naming `c/a` give one
//! list. That memory is what RML-CC asks for; it only exists for named gather maps.

use std::collections::HashMap;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, NamedNode, Term, Triple};

use super::EngineError;
use super::terms::{CompiledTermMap, TermContext};
use crate::pipeline::mapping::model::GatherStrategy;
use crate::pipeline::payload::Record;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    List,
    Bag,
    Seq,
    Alt,
}

#[derive(Debug, Clone)]
pub struct CompiledGather {
    pub members: Vec<CompiledTermMap>,
    pub collection: Collection,
    pub strategy: GatherStrategy,
    pub allow_empty: bool,
}

/// Collection triples waiting to be written: `side` goes out with the triple being generated;
/// `named` at the end of the run.
#[derive(Default)]
pub struct Collections {
    pub side: Vec<Triple>,
    named: HashMap<Term, Named>,
    order: Vec<Term>,
    /// Named collections created since the writer last looked, so it can give them graphs.
    pub touched: Vec<Term>,
}

struct Named {
    collection: Collection,
    items: Vec<Term>,
}

impl Collection {
    pub fn from_iri(iri: &NamedNode) -> Option<Self> {
        Some(match iri.as_ref() {
            i if i == rdf::LIST => Self::List,
            i if i == rdf::BAG => Self::Bag,
            i if i == rdf::SEQ => Self::Seq,
            i if i == rdf::ALT => Self::Alt,
            _ => return None,
        })
    }
}

/// The collection terms a gather map makes on a record (one per combination of values).
pub fn terms(
    owner: &CompiledTermMap,
    gather: &CompiledGather,
    record: &dyn Record,
    context: &mut TermContext<'_>,
    out: &mut Vec<Term>,
) -> Result<(), EngineError> {
    let mut per_member = Vec::with_capacity(gather.members.len());
    for member in &gather.members {
        let mut values = Vec::new();
        member.terms(record, context, &mut values)?;
        per_member.push(values);
    }
    let combinations = match gather.strategy {
        GatherStrategy::Append => vec![per_member.concat()],
        GatherStrategy::CartesianProduct => {
            super::terms::check_combinations(per_member.iter().map(Vec::len), "gather map")?;
            cartesian(&per_member)
        }
    };
    for items in combinations {
        if items.is_empty() && !gather.allow_empty {
            continue;
        }
        if owner.is_fresh_blank_node() {
            out.push(write_now(gather.collection, &items, context));
            continue;
        }
        let mut names = Vec::new();
        owner.plain_terms(record, context, &mut names)?;
        for name in names {
            if items.is_empty() && gather.collection == Collection::List {
                // An empty list is rdf:nil whatever it would have been named.
                out.push(rdf::NIL.into_owned().into());
                continue;
            }
            context
                .collections
                .add_named(name.clone(), gather.collection, items.clone());
            out.push(name);
        }
    }
    Ok(())
}

fn cartesian(per_member: &[Vec<Term>]) -> Vec<Vec<Term>> {
    let mut combinations: Vec<Vec<Term>> = vec![Vec::new()];
    for values in per_member {
        let mut next = Vec::with_capacity(combinations.len() * values.len());
        for combination in &combinations {
            for value in values {
                let mut extended = combination.clone();
                extended.push(value.clone());
                next.push(extended);
            }
        }
        combinations = next;
    }
    combinations
}

fn fresh(context: &mut TermContext<'_>) -> BlankNode {
    *context.fresh += 1;
    BlankNode::new_unchecked(format!("g{}", context.fresh))
}

/// An unnamed collection: its triples go out with the triple that uses it.
fn write_now(collection: Collection, items: &[Term], context: &mut TermContext<'_>) -> Term {
    if collection == Collection::List && items.is_empty() {
        return rdf::NIL.into_owned().into();
    }
    let head: Term = fresh(context).into();
    let mut triples = Vec::new();
    describe(
        collection,
        head.clone(),
        items,
        &mut || fresh(context).into(),
        &mut triples,
    );
    context.collections.side.extend(triples);
    head
}

/// The triples of a collection whose first node is `head`.
fn describe(
    collection: Collection,
    head: Term,
    items: &[Term],
    next_node: &mut dyn FnMut() -> Term,
    out: &mut Vec<Triple>,
) {
    let subject = |term: &Term| match term {
        Term::NamedNode(n) => Some(oxigraph::model::NamedOrBlankNode::from(n.clone())),
        Term::BlankNode(b) => Some(oxigraph::model::NamedOrBlankNode::from(b.clone())),
        Term::Literal(_) => None,
    };
    match collection {
        Collection::List => {
            let mut node = head;
            for (i, item) in items.iter().enumerate() {
                let rest: Term = if i + 1 == items.len() {
                    rdf::NIL.into_owned().into()
                } else {
                    next_node()
                };
                if let Some(s) = subject(&node) {
                    out.push(Triple::new(
                        s.clone(),
                        rdf::FIRST.into_owned(),
                        item.clone(),
                    ));
                    out.push(Triple::new(s, rdf::REST.into_owned(), rest.clone()));
                }
                node = rest;
            }
        }
        container => {
            let Some(s) = subject(&head) else { return };
            let class = match container {
                Collection::Bag => rdf::BAG,
                Collection::Seq => rdf::SEQ,
                _ => rdf::ALT,
            };
            out.push(Triple::new(
                s.clone(),
                rdf::TYPE.into_owned(),
                class.into_owned(),
            ));
            for (i, item) in items.iter().enumerate() {
                let member = NamedNode::new_unchecked(format!(
                    "http://www.w3.org/1999/02/22-rdf-syntax-ns#_{}",
                    i + 1
                ));
                out.push(Triple::new(s.clone(), member, item.clone()));
            }
        }
    }
}

impl Collections {
    fn add_named(&mut self, name: Term, collection: Collection, items: Vec<Term>) {
        match self.named.get_mut(&name) {
            Some(named) => named.items.extend(items),
            None => {
                self.order.push(name.clone());
                self.touched.push(name.clone());
                self.named.insert(name, Named { collection, items });
            }
        }
    }

    /// The triples of every named collection, in the order they were first named.
    pub fn finish(&mut self, fresh: &mut u64) -> Vec<(Term, Vec<Triple>)> {
        let mut written = Vec::new();
        for name in std::mem::take(&mut self.order) {
            let Some(named) = self.named.remove(&name) else {
                continue;
            };
            let mut triples = Vec::new();
            let mut next = || {
                *fresh += 1;
                Term::from(BlankNode::new_unchecked(format!("g{fresh}")))
            };
            describe(
                named.collection,
                name.clone(),
                &named.items,
                &mut next,
                &mut triples,
            );
            written.push((name, triples));
        }
        written
    }
}
