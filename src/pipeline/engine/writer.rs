//! The output side of a run: a record's terms through the compiled maps into quads, in the
//! right graphs, with collection triples and de-duplication, into the sink.

use std::collections::HashMap;

use oxigraph::model::vocab::rdf;
use oxigraph::model::{GraphName, NamedOrBlankNode, QuadRef, Term};

use super::EngineError;
use super::RunStats;
use super::dedup::Dedup;
use super::gather::Collections;
use super::join::JoinIndexes;
use super::plan::{CompiledMap, CompiledObject};
use super::terms::TermContext;
use crate::pipeline::payload::Record;
use crate::pipeline::quads::QuadSink;

#[derive(Default)]
pub(super) struct Buffers {
    subjects: Vec<Term>,
    subject_graphs: Vec<Term>,
    predicates: Vec<Term>,
    objects: Vec<Term>,
    graphs: Vec<Term>,
}

pub(super) struct Writer<'a> {
    pub(super) sink: &'a mut dyn QuadSink,
    pub(super) dedup: Dedup,
    pub(super) stats: RunStats,
    pub(super) fresh: &'a mut u64,
    pub(super) indexes: &'a JoinIndexes,
    pub(super) buffers: Buffers,
    pub(super) collections: Collections,
    /// The graphs of the first triple that used each named collection (subject, then
    /// predicate-object graphs): its own triples go there at the end of the run.
    pub(super) collection_graphs: HashMap<Term, (Vec<Term>, Vec<Term>)>,
}

impl Writer<'_> {
    pub(super) fn map(
        &mut self,
        map: &CompiledMap,
        record: &dyn Record,
    ) -> Result<(), EngineError> {
        let mut b = std::mem::take(&mut self.buffers);
        let result = self.map_with(map, record, &mut b);
        self.buffers = b;
        result
    }

    fn map_with(
        &mut self,
        map: &CompiledMap,
        record: &dyn Record,
        b: &mut Buffers,
    ) -> Result<(), EngineError> {
        let mut context = TermContext {
            base_iri: &map.base_iri,
            fresh: self.fresh,
            collections: &mut self.collections,
        };
        b.subjects.clear();
        map.subject.terms(record, &mut context, &mut b.subjects)?;
        if b.subjects.is_empty() {
            return Ok(());
        }
        b.subject_graphs.clear();
        for graph in &map.subject_graphs {
            graph.terms(record, &mut context, &mut b.subject_graphs)?;
        }
        self.flush_collections(&b.subject_graphs, &[])?;
        let subjects = std::mem::take(&mut b.subjects);
        for subject in &subjects {
            let Ok(subject) = NamedOrBlankNode::try_from(subject.clone()) else {
                return Err(EngineError::Data {
                    place: map.subject.label.clone(),
                    message: format!("{subject} cannot be a subject"),
                });
            };
            for class in &map.classes {
                let object = Term::from(class.clone());
                self.emit_in_graphs(
                    map.keyed,
                    &subject,
                    &rdf::TYPE.into_owned().into(),
                    &object,
                    &b.subject_graphs,
                    &[],
                )?;
            }
            for pom in &map.predicate_objects {
                let mut context = TermContext {
                    base_iri: &map.base_iri,
                    fresh: self.fresh,
                    collections: &mut self.collections,
                };
                context.collections.side.clear();
                b.predicates.clear();
                for predicate in &pom.predicates {
                    predicate.terms(record, &mut context, &mut b.predicates)?;
                }
                b.objects.clear();
                for object in &pom.objects {
                    match object {
                        CompiledObject::Term(t) | CompiledObject::SameRecord(t) => {
                            t.terms(record, &mut context, &mut b.objects)?
                        }
                        CompiledObject::Join { join, keys } => self.indexes.lookup(
                            *join,
                            keys,
                            record,
                            &mut context,
                            &mut b.objects,
                        )?,
                    }
                }
                if b.objects.is_empty() || b.predicates.is_empty() {
                    continue;
                }
                b.graphs.clear();
                for graph in &pom.graphs {
                    graph.terms(record, &mut context, &mut b.graphs)?;
                }
                let predicates = std::mem::take(&mut b.predicates);
                let objects = std::mem::take(&mut b.objects);
                for predicate in &predicates {
                    for object in &objects {
                        self.emit_in_graphs(
                            map.keyed,
                            &subject,
                            predicate,
                            object,
                            &b.subject_graphs,
                            &b.graphs,
                        )?;
                    }
                }
                b.predicates = predicates;
                b.objects = objects;
                self.flush_collections(&b.subject_graphs, &b.graphs)?;
            }
        }
        b.subjects = subjects;
        Ok(())
    }

    /// Writes the triples of the collections just made, in the graphs of the triple using them,
    /// and notes those graphs for named collections written at the end. Their nodes are fresh
    /// blank nodes, so they cannot repeat across records: remembered only in the recent window.
    fn flush_collections(
        &mut self,
        subject_graphs: &[Term],
        pom_graphs: &[Term],
    ) -> Result<(), EngineError> {
        for name in std::mem::take(&mut self.collections.touched) {
            self.collection_graphs
                .entry(name)
                .or_insert_with(|| (subject_graphs.to_vec(), pom_graphs.to_vec()));
        }
        for triple in std::mem::take(&mut self.collections.side) {
            self.emit_in_graphs(
                true,
                &triple.subject,
                &triple.predicate.into(),
                &triple.object,
                subject_graphs,
                pom_graphs,
            )?;
        }
        Ok(())
    }

    pub(super) fn finish_collections(&mut self) -> Result<(), EngineError> {
        for (name, triples) in self.collections.finish(self.fresh) {
            let (subject_graphs, pom_graphs) =
                self.collection_graphs.remove(&name).unwrap_or_default();
            for triple in triples {
                self.emit_in_graphs(
                    true,
                    &triple.subject,
                    &triple.predicate.into(),
                    &triple.object,
                    &subject_graphs,
                    &pom_graphs,
                )?;
            }
        }
        Ok(())
    }

    fn emit_in_graphs(
        &mut self,
        keyed: bool,
        subject: &NamedOrBlankNode,
        predicate: &Term,
        object: &Term,
        subject_graphs: &[Term],
        pom_graphs: &[Term],
    ) -> Result<(), EngineError> {
        let Term::NamedNode(predicate) = predicate else {
            return Err(EngineError::Data {
                place: "predicate map".into(),
                message: format!("{predicate} cannot be a predicate"),
            });
        };
        if subject_graphs.is_empty() && pom_graphs.is_empty() {
            return self.emit(
                keyed,
                QuadRef::new(subject, predicate, object, &GraphName::DefaultGraph),
            );
        }
        for graph in subject_graphs.iter().chain(pom_graphs) {
            let graph = match graph {
                Term::NamedNode(n) if n.as_str() == "http://w3id.org/rml/defaultGraph" => {
                    GraphName::DefaultGraph
                }
                Term::NamedNode(n) => GraphName::NamedNode(n.clone()),
                Term::BlankNode(b) => GraphName::BlankNode(b.clone()),
                Term::Literal(l) => {
                    return Err(EngineError::Data {
                        place: "graph map".into(),
                        message: format!("the literal {l} cannot name a graph"),
                    });
                }
            };
            self.emit(keyed, QuadRef::new(subject, predicate, object, &graph))?;
        }
        Ok(())
    }

    fn emit(&mut self, keyed: bool, quad: QuadRef<'_>) -> Result<(), EngineError> {
        if self.dedup.first_time(quad, keyed) {
            self.sink.push(quad)?;
            self.stats.quads += 1;
        }
        Ok(())
    }
}
