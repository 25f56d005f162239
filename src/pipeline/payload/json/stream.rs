//! Streaming over one container of a JSON document with serde: members outside the path down
//! to the container are skipped without being built, and each element of the container is built
//! as a `serde_json::Value`, turned into records, and dropped before the next one is read.

use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value as Json;

use super::{JsonRecord, JsonSpec, syntax};
use crate::pipeline::payload::jsonpath::{Key, Trail};
use crate::pipeline::payload::reader::Visit;
use crate::pipeline::payload::{PayloadError, ReadError};

pub(super) fn read<E>(
    prefix: &[Box<str>],
    specs: &[JsonSpec],
    input: impl Read,
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    let mut context = Context::new(specs, visit);
    let mut deserializer = serde_json::Deserializer::from_reader(input);
    let result = Walk {
        prefix,
        context: &mut context,
    }
    .deserialize(&mut deserializer)
    .and_then(|()| deserializer.end());
    match (result, context.failed) {
        (_, Some(error)) => Err(ReadError::Visit(error)),
        (Err(error), None) => Err(ReadError::Payload(match error.io_error_kind() {
            Some(_) => PayloadError::Io(error.into()),
            None => syntax(error),
        })),
        (Ok(()), None) => Ok(()),
    }
}

pub(super) struct Context<'c, 'v, E> {
    pub(super) specs: &'c [JsonSpec],
    pub(super) visit: &'c mut Visit<'v, E>,
    pub(super) failed: Option<E>,
    /// The index of the next element of a streamed array (what `~` gives for it).
    next_index: usize,
}

impl<'c, 'v, E> Context<'c, 'v, E> {
    pub(super) fn new(specs: &'c [JsonSpec], visit: &'c mut Visit<'v, E>) -> Self {
        Self {
            specs,
            visit,
            failed: None,
            next_index: 0,
        }
    }

    /// Records of the next element of a streamed array.
    pub(super) fn next_element<Error: de::Error>(&mut self, element: &Json) -> Result<(), Error> {
        let key = Key::Index(self.next_index);
        self.next_index += 1;
        self.element(key, element)
    }

    /// Records of one element of the streamed container, spec by spec.
    pub(super) fn element<Error: de::Error>(
        &mut self,
        key: Key<'_>,
        element: &Json,
    ) -> Result<(), Error> {
        let start = Trail::start(element, Some(key));
        for (index, spec) in self.specs.iter().enumerate() {
            let Some((selector, rest)) = &spec.element else {
                continue;
            };
            if !selector.keeps(element) {
                continue;
            }
            let visit = &mut *self.visit;
            let failed = &mut self.failed;
            rest.for_each_trail(&start, element, &mut |trail| {
                if failed.is_none() {
                    let record = JsonRecord {
                        trail,
                        references: &spec.references,
                    };
                    *failed = visit(index, &record).err();
                }
            });
            if self.failed.is_some() {
                return Err(Error::custom("the visitor failed"));
            }
        }
        Ok(())
    }
}

/// Descends through the member names of `prefix`, then streams the container found there.
struct Walk<'w, 'c, 'v, E> {
    prefix: &'w [Box<str>],
    context: &'w mut Context<'c, 'v, E>,
}

impl<'de, E> DeserializeSeed<'de> for Walk<'_, '_, '_, E> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, E> Visitor<'de> for Walk<'_, '_, '_, E> {
    type Value = ();

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.prefix.is_empty() {
            while let Some(element) = seq.next_element::<Json>()? {
                self.context.next_element(&element)?;
            }
        } else {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        match self.prefix.split_first() {
            None => {
                while let Some(name) = map.next_key::<String>()? {
                    let element = map.next_value::<Json>()?;
                    self.context.element(Key::Member(&name), &element)?;
                }
            }
            Some((name, rest)) => {
                while let Some(found) = map.next_key_seed(KeyIs(name))? {
                    if found {
                        map.next_value_seed(Walk {
                            prefix: rest,
                            context: &mut *self.context,
                        })?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
        }
        Ok(())
    }

    fn visit_bool<Error>(self, _: bool) -> Result<(), Error> {
        Ok(())
    }

    fn visit_i64<Error>(self, _: i64) -> Result<(), Error> {
        Ok(())
    }

    fn visit_u64<Error>(self, _: u64) -> Result<(), Error> {
        Ok(())
    }

    fn visit_f64<Error>(self, _: f64) -> Result<(), Error> {
        Ok(())
    }

    fn visit_str<Error>(self, _: &str) -> Result<(), Error> {
        Ok(())
    }

    fn visit_unit<Error>(self) -> Result<(), Error> {
        Ok(())
    }
}

/// A map key compared with a member name without building a `String`.
struct KeyIs<'n>(&'n str);

impl<'de> DeserializeSeed<'de> for KeyIs<'_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<bool, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyIs<'_> {
    type Value = bool;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_str<Error>(self, key: &str) -> Result<bool, Error> {
        Ok(key == self.0)
    }
}
