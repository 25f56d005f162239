//! JSON and JSON Lines records. When every iterator walks plain member names down to one array
//! (or object) and then selects its elements (`$[*]`, `$.a.b[*].c`, `$[?(@.x > 1)]`), that
//! container is streamed element by element, so memory follows one element, not the document.
//! Otherwise the whole document is parsed and the iterators are evaluated on it.

use std::io::{BufRead, BufReader};

use serde_json::Value as Json;

use super::jsonpath::{Found, JsonPath, JsonReference, Key, Segment, Selector, Trail};
use super::reader::Visit;
use super::{IteratorSpec, PayloadError, ReadError, Record, Value, ValueKind};

mod split;
mod stream;

#[derive(Debug)]
pub(crate) struct JsonPlan {
    specs: Vec<JsonSpec>,
    /// Set when the document can be streamed: the member names down to the streamed container.
    stream_prefix: Option<Vec<Box<str>>>,
}

#[derive(Debug)]
struct JsonSpec {
    iterator: JsonPath,
    references: Vec<JsonReference>,
    /// For streaming: the selector over the streamed container's elements and the rest.
    element: Option<(Selector, JsonPath)>,
}

impl JsonPlan {
    pub(crate) fn compile(
        specs: &[IteratorSpec],
        may_stream: bool,
        problems: &mut Vec<PayloadError>,
    ) -> Option<Self> {
        let before = problems.len();
        let mut compiled = Vec::with_capacity(specs.len());
        for spec in specs {
            let expression = spec.iterator.as_deref().unwrap_or("$");
            let iterator =
                JsonPath::parse(expression).map_err(|error| PayloadError::InvalidIterator {
                    expression: expression.to_owned(),
                    message: error.to_string(),
                });
            let references = spec
                .references
                .iter()
                .filter_map(|reference| {
                    JsonReference::parse(reference)
                        .map_err(|error| {
                            problems.push(PayloadError::InvalidReference {
                                expression: reference.clone(),
                                message: error.to_string(),
                            })
                        })
                        .ok()
                })
                .collect();
            match iterator {
                Ok(iterator) => compiled.push(JsonSpec {
                    iterator,
                    references,
                    element: None,
                }),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.len() > before {
            return None;
        }
        // A reference that climbs above the record needs the document around it.
        let climbs = compiled
            .iter()
            .any(|spec| spec.references.iter().any(JsonReference::climbs));
        let stream_prefix = if may_stream && !climbs {
            stream_split(&mut compiled)
        } else {
            None
        };
        Some(Self {
            specs: compiled,
            stream_prefix,
        })
    }

    pub(crate) fn read_document<E>(
        &self,
        input: &mut dyn BufRead,
        visit: &mut Visit<'_, E>,
    ) -> Result<(), ReadError<E>> {
        if let Some(prefix) = &self.stream_prefix {
            if prefix.is_empty() && split::starts_with_array(input)? {
                return split::read_array(&self.specs, input, visit);
            }
            // serde_json reads byte by byte; std's BufReader serves those bytes without a call
            // through the boxed reader each time.
            let buffered = BufReader::with_capacity(64 * 1024, input);
            return stream::read(prefix, &self.specs, buffered, visit);
        }
        let mut bytes = Vec::new();
        input.read_to_end(&mut bytes).map_err(PayloadError::Io)?;
        let document: Json = serde_json::from_slice(&bytes).map_err(syntax)?;
        drop(bytes);
        self.visit_document(&document, visit)
    }

    pub(crate) fn read_lines<E>(
        &self,
        input: &mut dyn BufRead,
        visit: &mut Visit<'_, E>,
    ) -> Result<(), ReadError<E>> {
        let mut line = Vec::new();
        let mut number = 0_u64;
        loop {
            line.clear();
            if input
                .read_until(b'\n', &mut line)
                .map_err(PayloadError::Io)?
                == 0
            {
                return Ok(());
            }
            number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let document: Json =
                serde_json::from_slice(&line).map_err(|error| PayloadError::Syntax {
                    line: number,
                    column: error.column() as u64,
                    message: error.to_string(),
                })?;
            self.visit_document(&document, visit)?;
        }
    }

    fn visit_document<E>(
        &self,
        document: &Json,
        visit: &mut Visit<'_, E>,
    ) -> Result<(), ReadError<E>> {
        for (index, spec) in self.specs.iter().enumerate() {
            let mut failed = None;
            let start = Trail::start(document, None);
            spec.iterator
                .for_each_trail(&start, document, &mut |trail| {
                    if failed.is_none() {
                        let record = JsonRecord {
                            trail,
                            references: &spec.references,
                        };
                        failed = visit(index, &record).err();
                    }
                });
            if let Some(error) = failed {
                return Err(ReadError::Visit(error));
            }
        }
        Ok(())
    }
}

pub(super) fn syntax(error: serde_json::Error) -> PayloadError {
    PayloadError::Syntax {
        line: error.line() as u64,
        column: error.column() as u64,
        message: error.to_string(),
    }
}

/// Splits every iterator into `prefix` + element selector + rest when all share one prefix of
/// member names; returns that prefix.
fn stream_split(specs: &mut [JsonSpec]) -> Option<Vec<Box<str>>> {
    let mut prefix: Option<Vec<Box<str>>> = None;
    let mut splits = Vec::with_capacity(specs.len());
    for spec in specs.iter() {
        let segments = &spec.iterator.segments;
        let names = segments
            .iter()
            .take_while(|segment| matches!(segment, Segment::Child(s) if matches!(s.as_slice(), [Selector::Name(_)])))
            .filter_map(|segment| match segment {
                Segment::Child(selectors) => match selectors.first() {
                    Some(Selector::Name(name)) => Some(name.clone()),
                    _ => None,
                },
                Segment::Descendant(_) => None,
            })
            .collect::<Vec<_>>();
        let element = match segments.get(names.len()) {
            Some(Segment::Child(selectors)) => match selectors.as_slice() {
                [selector @ (Selector::Wildcard | Selector::Filter(_))] => selector.clone(),
                _ => return None,
            },
            _ => return None,
        };
        let rest = JsonPath {
            segments: segments.get(names.len() + 1..).unwrap_or_default().to_vec(),
        };
        let whole = JsonPath {
            segments: vec![Segment::Child(vec![element.clone()])],
        };
        if whole.uses_root() || rest.uses_root() {
            return None;
        }
        match &prefix {
            Some(shared) if *shared != names => return None,
            Some(_) => {}
            None => prefix = Some(names),
        }
        splits.push((element, rest));
    }
    for (spec, split) in specs.iter_mut().zip(splits) {
        spec.element = Some(split);
    }
    prefix
}

/// One JSON node selected by an iterator, with where it sits.
pub(super) struct JsonRecord<'a> {
    pub(super) trail: &'a Trail<'a, 'a>,
    pub(super) references: &'a [JsonReference],
}

impl Record for JsonRecord<'_> {
    fn values<'r>(&'r self, reference: usize, out: &mut Vec<Value<'r>>) {
        if let Some(reference) = self.references.get(reference) {
            reference.for_each(self.trail, &mut |found| match found {
                Found::Node(node) => push_values(node, out),
                Found::Key(Key::Member(name)) => out.push(Value::string(name)),
                Found::Key(Key::Index(index)) => out.push(Value {
                    text: index.to_string().into(),
                    kind: ValueKind::Integer,
                }),
            });
        }
    }
}

/// A selected node's values: scalars as themselves, `null` as nothing, an array as its scalar
/// elements (recursively), an object as nothing (it has no literal form).
fn push_values<'r>(node: &'r Json, out: &mut Vec<Value<'r>>) {
    match node {
        Json::String(text) => out.push(Value::string(text.as_str())),
        Json::Number(number) => out.push(Value {
            text: number.to_string().into(),
            kind: if number.is_f64() {
                ValueKind::Double
            } else {
                ValueKind::Integer
            },
        }),
        Json::Bool(flag) => out.push(Value {
            text: if *flag { "true" } else { "false" }.into(),
            kind: ValueKind::Boolean,
        }),
        Json::Array(items) => items.iter().for_each(|item| push_values(item, out)),
        Json::Null | Json::Object(_) => {}
    }
}

#[cfg(test)]
mod tests;
