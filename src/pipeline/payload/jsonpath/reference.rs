//! RML references into a JSON record, with two citykg extensions borrowed from JSONPath-Plus:
//!
//! - `~` alone is the record's *member name* (or array index) in its parent, so an iterator over
//!   an object's members (`$.decoded_payload.*`) can name each record by its key;
//! - leading `^`s climb to the record's parent, grandparent... before the rest applies
//!   (`^.received_at`, `^^^.end_device_ids.dev_eui`, `^~`), so a record selected deep in an
//!   envelope can still read the envelope. Nodes above a streamed container are unknown, so a
//!   reader does not stream when a reference climbs ([`JsonReference::climbs`]).
//!
//! `@` and `$` alone are the record's own value; `@.a` is `$.a`.

use super::{JsonPath, JsonPathError, Key, Trail};

/// A compiled reference: climb `up` parents, then take the member name or evaluate a path.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonReference {
    up: usize,
    target: Target,
}

#[derive(Debug, Clone, PartialEq)]
enum Target {
    /// `~`: the member name or index of the node reached.
    Key,
    Path(JsonPath),
}

/// A value a reference yields: a node of the payload, or the key a node sits under.
pub enum Found<'v> {
    Node(&'v serde_json::Value),
    Key(Key<'v>),
}

impl JsonReference {
    /// Compiles an RML reference: `~`, `@`, a query, a path relative to the record without `$`,
    /// any of them after `^`s.
    pub fn parse(expression: &str) -> Result<Self, JsonPathError> {
        let trimmed = expression.trim();
        let rest = trimmed.trim_start_matches('^');
        let up = trimmed.len() - rest.len();
        let (rest, anchored) = match rest.strip_prefix('@') {
            Some(path) => (path, true),
            None => (rest, up > 0),
        };
        let target = match rest {
            "~" => Target::Key,
            "" if anchored => Target::Path(JsonPath::parse("$")?),
            _ => {
                let path = if anchored && rest.starts_with(['.', '[']) {
                    JsonPath::parse(&format!("${rest}"))
                } else {
                    JsonPath::reference(rest)
                };
                Target::Path(path.map_err(|error| JsonPathError {
                    position: error.position.saturating_add(up),
                    ..error
                })?)
            }
        };
        Ok(Self { up, target })
    }

    /// Whether the reference needs the nodes above the record.
    pub fn climbs(&self) -> bool {
        self.up > 0
    }

    /// Every value of the reference in the record `record`.
    pub fn for_each<'v>(&self, record: &Trail<'_, 'v>, found: &mut dyn FnMut(Found<'v>)) {
        let mut at = record;
        for _ in 0..self.up {
            match at.parent {
                Some(parent) => at = parent,
                None => return,
            }
        }
        match &self.target {
            Target::Key => {
                if let Some(key) = at.key {
                    found(Found::Key(key));
                }
            }
            Target::Path(path) => path.for_each(at.node, at.node, &mut |node| {
                found(Found::Node(node));
            }),
        }
    }
}
