//! Mapped quads into the store: one transaction per run, so a run that fails stores nothing.
//! Quads the mapping puts in the default graph go to the target graph when one is given (the
//! ingest API's `graph/source/{id}`).

use oxigraph::model::{GraphNameRef, NamedNode, QuadRef};
use oxigraph::store::{StorageError, Store, Transaction};

use crate::quads::{QuadSink, SinkError};

pub struct TransactionSink<'a> {
    transaction: Transaction<'a>,
    target: Option<NamedNode>,
    inserted: u64,
}

impl<'a> TransactionSink<'a> {
    pub fn new(store: &'a Store, target: Option<NamedNode>) -> Result<Self, StorageError> {
        Ok(Self {
            transaction: store.start_transaction()?,
            target,
            inserted: 0,
        })
    }

    /// Quads pushed (the store may already have held some of them).
    pub fn inserted(&self) -> u64 {
        self.inserted
    }

    pub fn commit(self) -> Result<(), StorageError> {
        self.transaction.commit()
    }
}

impl QuadSink for TransactionSink<'_> {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError> {
        let graph_name = match (&self.target, quad.graph_name) {
            (Some(target), GraphNameRef::DefaultGraph) => GraphNameRef::NamedNode(target.as_ref()),
            (_, graph_name) => graph_name,
        };
        self.transaction.insert(QuadRef::new(
            quad.subject,
            quad.predicate,
            quad.object,
            graph_name,
        ));
        self.inserted += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{self, RunOptions, SourceOpener};
    use crate::mapping::check::{Purpose, check};
    use crate::mapping::model::FileSource;
    use crate::payload::PayloadError;

    struct Body(&'static str);

    impl SourceOpener for Body {
        fn open(&self, _: &FileSource) -> Result<Box<dyn std::io::BufRead + '_>, PayloadError> {
            Ok(Box::new(self.0.as_bytes()))
        }
    }

    const MAPPING: &str = r#"@prefix rml: <http://w3id.org/rml/> .
<http://e/M> rml:logicalSource [ rml:source "payload.csv" ; rml:referenceFormulation rml:CSV ] ;
  rml:subjectMap [ rml:template "http://e/{id}" ] ;
  rml:predicateObjectMap [ rml:predicate <http://e/v> ; rml:objectMap [ rml:reference "v" ] ] ."#;

    fn run(store: &Store, body: &'static str) -> Result<u64, engine::EngineError> {
        let mapping = check(
            crate::mapping::rml::parse(MAPPING, None).unwrap(),
            Purpose::Run,
        )
        .unwrap();
        let mut sink =
            TransactionSink::new(store, Some(NamedNode::new_unchecked("http://e/graph"))).unwrap();
        engine::run(
            &mapping,
            &RunOptions {
                calls: crate::mapping::functions::CallContext::default(),
                base_iri: "http://e/",
                sources: &Body(body),
            },
            &mut sink,
        )?;
        let inserted = sink.inserted();
        sink.commit().unwrap();
        Ok(inserted)
    }

    #[test]
    fn a_run_is_one_transaction_into_the_target_graph() {
        let store = Store::new().unwrap();
        assert_eq!(run(&store, "id,v\n1,a\n2,b\n").unwrap(), 2);
        assert_eq!(store.len().unwrap(), 2);
        assert!(
            store
                .contains_named_graph(NamedNode::new_unchecked("http://e/graph").as_ref())
                .unwrap()
        );
        // A payload error on the third row: the transaction is dropped, nothing of it is stored.
        assert!(run(&store, "id,v\n3,c\n4,d\n5\n").is_err());
        assert_eq!(store.len().unwrap(), 2);
    }
}
