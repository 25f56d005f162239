//! Hash joins for referencing object maps: the parent side is indexed once (join key values ->
//! parent subjects), so memory holds only keys and terms, and each child record is one lookup.

use std::collections::HashMap;

use oxigraph::model::Term;

use super::EngineError;
use super::plan::IndexBuilder;
use super::terms::{CompiledTermMap, TermContext};
use crate::pipeline::payload::Record;

pub struct JoinIndexes {
    indexes: Vec<HashMap<Vec<String>, Vec<Term>>>,
}

impl JoinIndexes {
    pub fn new(count: usize) -> Self {
        Self {
            indexes: (0..count).map(|_| HashMap::new()).collect(),
        }
    }

    pub fn add(
        &mut self,
        builder: &IndexBuilder,
        record: &dyn Record,
        context: &mut TermContext<'_>,
    ) -> Result<(), EngineError> {
        let Some(keys) = key_tuples(&builder.keys, record)? else {
            return Ok(());
        };
        let mut subjects = Vec::new();
        builder.subject.terms(record, context, &mut subjects)?;
        let Some(index) = self.indexes.get_mut(builder.join) else {
            return Ok(());
        };
        for key in keys {
            let entry = index.entry(key).or_default();
            for subject in &subjects {
                if !entry.contains(subject) {
                    entry.push(subject.clone());
                }
            }
        }
        Ok(())
    }

    pub fn lookup(
        &self,
        join: usize,
        keys: &[CompiledTermMap],
        record: &dyn Record,
        _context: &mut TermContext<'_>,
        out: &mut Vec<Term>,
    ) -> Result<(), EngineError> {
        let Some(index) = self.indexes.get(join) else {
            return Ok(());
        };
        let Some(tuples) = key_tuples(keys, record)? else {
            return Ok(());
        };
        for tuple in tuples {
            if let Some(parents) = index.get(&tuple) {
                for parent in parents {
                    if !out.contains(parent) {
                        out.push(parent.clone());
                    }
                }
            }
        }
        Ok(())
    }
}

/// Every combination of the key expressions' values (usually one); `None` when one is absent.
fn key_tuples(
    keys: &[CompiledTermMap],
    record: &dyn Record,
) -> Result<Option<Vec<Vec<String>>>, EngineError> {
    let mut tuples: Vec<Vec<String>> = vec![Vec::with_capacity(keys.len())];
    for key in keys {
        let mut values = Vec::new();
        key.values(record, &mut values)?;
        if values.is_empty() {
            return Ok(None);
        }
        let mut next = Vec::with_capacity(tuples.len() * values.len());
        for tuple in &tuples {
            for value in &values {
                let mut extended = tuple.clone();
                extended.push(value.text.to_string());
                next.push(extended);
            }
        }
        tuples = next;
    }
    Ok(Some(tuples))
}
