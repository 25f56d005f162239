//! XML records with quick-xml. No DTD is ever fetched and no entity is expanded beyond the five
//! predefined ones and character references: a DOCTYPE that declares entities is refused.
//!
//! When every iterator is an absolute path of element steps (`/a/b`, `//c`, predicates on the
//! last step only) and every reference stays inside its record (or only reads ancestors'
//! attributes, as `../@id`), the document is streamed: a small tree is built for each matched
//! element only, with its ancestors' names and attributes, and dropped once visited. Otherwise
//! the whole document becomes one tree and the iterators are evaluated on it.

use std::io::BufRead;

use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;

use super::reader::Visit;
use super::text::LineCounter;
use super::xpath::dom::{Attribute, Dom, Name, NodeKind};
use super::xpath::{Axis, Item, NodeTest, XPath, string_value};
use super::{IteratorSpec, PayloadError, ReadError, Record, Value};

mod stream;

#[derive(Debug)]
pub(crate) struct XmlPlan {
    specs: Vec<XmlSpec>,
    /// Every iterator can be matched while streaming.
    stream: bool,
    /// Some reference reads an ancestor's attributes: keep them along the open elements.
    keep_ancestors: bool,
}

#[derive(Debug)]
struct XmlSpec {
    iterator: XPath,
    references: Vec<XPath>,
}

/// Iterators with more steps than this are evaluated on the whole document.
const MAX_STREAM_STEPS: usize = 63;

impl XmlPlan {
    pub(crate) fn compile(
        namespaces: &[(String, String)],
        specs: &[IteratorSpec],
        problems: &mut Vec<PayloadError>,
    ) -> Option<Self> {
        let before = problems.len();
        let mut compiled = Vec::with_capacity(specs.len());
        for spec in specs {
            let expression = spec.iterator.as_deref().unwrap_or("/");
            let iterator = XPath::parse(expression, namespaces).map_err(|error| {
                PayloadError::InvalidIterator {
                    expression: expression.to_owned(),
                    message: error.to_string(),
                }
            });
            let mut references = Vec::with_capacity(spec.references.len());
            for reference in &spec.references {
                match XPath::parse(reference, namespaces) {
                    Ok(path) => references.push(path),
                    Err(error) => problems.push(PayloadError::InvalidReference {
                        expression: reference.clone(),
                        message: error.to_string(),
                    }),
                }
            }
            match iterator {
                Ok(iterator) => compiled.push(XmlSpec {
                    iterator,
                    references,
                }),
                Err(problem) => problems.push(problem),
            }
        }
        if problems.len() > before {
            return None;
        }
        let stream = compiled
            .iter()
            .all(|spec| streamable(&spec.iterator) && spec.references.iter().all(XPath::is_local));
        let keep_ancestors = compiled
            .iter()
            .any(|spec| spec.references.iter().any(XPath::goes_up));
        Some(Self {
            specs: compiled,
            stream,
            keep_ancestors,
        })
    }

    pub(crate) fn read<E>(
        &self,
        input: &mut dyn BufRead,
        visit: &mut Visit<'_, E>,
    ) -> Result<(), ReadError<E>> {
        let mut reader = NsReader::from_reader(LineCounter::new(input));
        let config = reader.config_mut();
        config.expand_empty_elements = true;
        config.check_end_names = true;
        if self.stream {
            return stream::read(self, &mut reader, visit);
        }
        let mut dom = Dom::default();
        let mut open = vec![0];
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            let event = reader
                .read_event_into(&mut buffer)
                .map_err(|error| xml_error(&reader, error))?;
            match event {
                Event::Start(start) => {
                    let (name, _) = element_name(&reader, &start)?;
                    let attributes = attributes(&reader, &start)?;
                    let parent = open.last().copied().unwrap_or(0);
                    open.push(dom.push(parent, NodeKind::Element { name, attributes }));
                }
                Event::End(_) => {
                    open.pop();
                }
                Event::Eof => break,
                other => {
                    if let Some(text) = event_text(&reader, other)? {
                        dom.push_text(open.last().copied().unwrap_or(0), &text);
                    }
                }
            }
        }
        if open.len() > 1 {
            return Err(unclosed(&reader).into());
        }
        let mut items = Vec::new();
        for (index, spec) in self.specs.iter().enumerate() {
            items.clear();
            spec.iterator.select(&dom, 0, &mut items);
            for item in &items {
                if let Item::Node(node) = item {
                    let record = XmlRecord {
                        dom: &dom,
                        node: *node,
                        references: &spec.references,
                    };
                    visit(index, &record).map_err(ReadError::Visit)?;
                }
            }
        }
        Ok(())
    }
}

/// An absolute path of element steps, predicates (not positions) on the last step only.
fn streamable(iterator: &XPath) -> bool {
    let count = iterator.steps.len();
    iterator.absolute
        && (1..=MAX_STREAM_STEPS).contains(&count)
        && iterator.steps.iter().enumerate().all(|(index, step)| {
            matches!(step.axis, Axis::Child | Axis::Descendant)
                && matches!(step.test, NodeTest::Name { .. } | NodeTest::Any)
                && (step.predicates.is_empty()
                    || (index + 1 == count && !step.predicates.iter().any(has_position)))
        })
}

fn has_position(predicate: &super::xpath::Predicate) -> bool {
    use super::xpath::Predicate;
    match predicate {
        Predicate::Position(_) => true,
        Predicate::And(parts) | Predicate::Or(parts) => parts.iter().any(has_position),
        Predicate::Not(inner) => has_position(inner),
        Predicate::Exists(_) | Predicate::Compare(..) => false,
    }
}

type Reader<'i> = NsReader<LineCounter<&'i mut dyn BufRead>>;

/// The element's resolved name, and whether it was written with a prefix.
fn element_name(reader: &Reader<'_>, start: &BytesStart<'_>) -> Result<(Name, bool), PayloadError> {
    let (resolved, local) = reader.resolve_element(start.name());
    let prefixed = start.name().prefix().is_some();
    let name = Name {
        namespace: namespace(reader, resolved)?,
        local: utf8(reader, local.as_ref())?.into(),
        prefixed,
    };
    Ok((name, prefixed))
}

fn namespace(
    reader: &Reader<'_>,
    resolved: ResolveResult<'_>,
) -> Result<Option<Box<str>>, PayloadError> {
    match resolved {
        ResolveResult::Unbound => Ok(None),
        ResolveResult::Bound(namespace) => Ok(Some(utf8(reader, namespace.as_ref())?.into())),
        ResolveResult::Unknown(prefix) => Err(syntax_at(
            reader,
            reader.buffer_position(),
            format!(
                "undeclared namespace prefix `{}`",
                String::from_utf8_lossy(&prefix)
            ),
        )),
    }
}

fn attributes(reader: &Reader<'_>, start: &BytesStart<'_>) -> Result<Vec<Attribute>, PayloadError> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|error| xml_error(reader, error.into()))?;
        if attribute.key.as_namespace_binding().is_some() {
            continue;
        }
        let (resolved, local) = reader.resolve_attribute(attribute.key);
        let value = attribute
            .unescape_value()
            .map_err(|error| xml_error(reader, error))?;
        attributes.push(Attribute {
            name: Name {
                namespace: namespace(reader, resolved)?,
                local: utf8(reader, local.as_ref())?.into(),
                prefixed: attribute.key.prefix().is_some(),
            },
            value: value.into_owned(),
        });
    }
    Ok(attributes)
}

/// The text an event adds to the tree, refusing a DOCTYPE that declares entities.
fn event_text(reader: &Reader<'_>, event: Event<'_>) -> Result<Option<String>, PayloadError> {
    match event {
        Event::Text(text) => Ok(Some(
            text.unescape()
                .map_err(|error| xml_error(reader, error))?
                .into_owned(),
        )),
        Event::CData(data) => Ok(Some(utf8(reader, &data)?.to_owned())),
        Event::DocType(doctype) => {
            if crate::core::rdf_file::declares_xml_entities(&doctype) {
                Err(PayloadError::Refused {
                    reason: "the XML payload declares entities in its DOCTYPE; entity \
                             declarations are never expanded"
                        .to_owned(),
                })
            } else {
                Ok(None)
            }
        }
        _ => Ok(None),
    }
}

fn utf8<'b>(reader: &Reader<'_>, bytes: &'b [u8]) -> Result<&'b str, PayloadError> {
    std::str::from_utf8(bytes)
        .map_err(|_| syntax_at(reader, reader.buffer_position(), "invalid UTF-8".to_owned()))
}

fn xml_error(reader: &Reader<'_>, error: quick_xml::Error) -> PayloadError {
    match error {
        quick_xml::Error::Io(error) => {
            PayloadError::Io(std::io::Error::new(error.kind(), error.to_string()))
        }
        other => syntax_at(reader, reader.error_position(), other.to_string()),
    }
}

fn unclosed(reader: &Reader<'_>) -> PayloadError {
    syntax_at(
        reader,
        reader.buffer_position(),
        "the document ends inside an element".to_owned(),
    )
}

fn syntax_at(reader: &Reader<'_>, offset: u64, message: String) -> PayloadError {
    let (line, column) = reader.get_ref().position(offset);
    PayloadError::Syntax {
        line,
        column,
        message,
    }
}

/// One element selected by an iterator.
struct XmlRecord<'a> {
    dom: &'a Dom,
    node: usize,
    references: &'a [XPath],
}

impl Record for XmlRecord<'_> {
    fn values<'r>(&'r self, reference: usize, out: &mut Vec<Value<'r>>) {
        let Some(path) = self.references.get(reference) else {
            return;
        };
        let mut items = Vec::new();
        path.select(self.dom, self.node, &mut items);
        out.extend(
            items
                .into_iter()
                .map(|item| Value::string(string_value(self.dom, item))),
        );
    }
}

#[cfg(test)]
mod tests;
