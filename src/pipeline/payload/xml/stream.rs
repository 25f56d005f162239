//! Streaming XML: each open element carries, per iterator, the set of iterator steps matched so
//! far (a bit set: bit `j` = the first `j` steps are matched and step `j` may match below).
//! An element that completes an iterator starts a capture: a tree with its ancestors' names and
//! attributes and then its own subtree, visited and cleared when the element ends.

use quick_xml::events::Event;

use super::{
    Reader, XmlPlan, XmlRecord, attributes, event_text, namespace, unclosed, utf8, xml_error,
};
use crate::pipeline::payload::ReadError;
use crate::pipeline::payload::reader::Visit;
use crate::pipeline::payload::xpath::Axis;
use crate::pipeline::payload::xpath::dom::{Attribute, Dom, Name, NodeKind};

pub(super) fn read<E>(
    plan: &XmlPlan,
    reader: &mut Reader<'_>,
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    let count = plan.specs.len();
    // One frame of `count` step sets per open element, the document's first.
    let mut states: Vec<u64> = vec![1; count];
    let mut frame = vec![0_u64; count];
    let mut matched_now = Vec::new();
    let mut ancestors: Vec<(Name, Vec<Attribute>)> = Vec::new();
    let mut dom = Dom::default();
    let mut open: Vec<usize> = Vec::new();
    let mut matched: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0_usize;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|error| xml_error(reader, error))?;
        match event {
            Event::Start(start) => {
                let (resolved, local) = reader.resolve_element(start.name());
                let element_namespace = namespace(reader, resolved)?;
                let local = utf8(reader, local.into_inner())?;
                let prefixed = start.name().prefix().is_some();
                let parent = states
                    .get(states.len().saturating_sub(count)..)
                    .unwrap_or(&[]);
                matched_now.clear();
                for (index, spec) in plan.specs.iter().enumerate() {
                    let steps = &spec.iterator.steps;
                    let parent = parent.get(index).copied().unwrap_or(0);
                    let mut next = 0_u64;
                    for (position, step) in steps.iter().enumerate() {
                        if parent & (1 << position) == 0 {
                            continue;
                        }
                        if step
                            .test
                            .matches_parts(element_namespace.as_deref(), local, prefixed)
                        {
                            next |= 1 << (position + 1);
                        }
                        if step.axis == Axis::Descendant {
                            next |= 1 << position;
                        }
                    }
                    if let Some(slot) = frame.get_mut(index) {
                        *slot = next;
                    }
                    if next & (1 << steps.len()) != 0 {
                        matched_now.push(index);
                    }
                }
                let in_tree = !open.is_empty() || !matched_now.is_empty();
                if in_tree || plan.keep_ancestors {
                    let name = Name {
                        namespace: element_namespace,
                        local: local.into(),
                        prefixed,
                    };
                    let attributes = attributes(reader, &start)?;
                    let kept = plan
                        .keep_ancestors
                        .then(|| (name.clone(), attributes.clone()));
                    if in_tree {
                        let parent = match open.last() {
                            Some(parent) => *parent,
                            None => start_capture(&mut dom, &ancestors),
                        };
                        let id = dom.push(parent, NodeKind::Element { name, attributes });
                        open.push(id);
                        matched.extend(matched_now.iter().map(|index| (*index, id)));
                    }
                    ancestors.extend(kept);
                }
                states.extend_from_slice(&frame);
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                states.truncate(states.len().saturating_sub(count));
                if plan.keep_ancestors {
                    ancestors.pop();
                }
                if open.pop().is_some() && open.is_empty() {
                    emit(plan, &dom, &matched, visit)?;
                    matched.clear();
                }
            }
            Event::Eof => {
                if depth > 0 {
                    return Err(unclosed(reader).into());
                }
                return Ok(());
            }
            other => match open.last() {
                Some(parent) => {
                    if let Some(text) = event_text(reader, other)? {
                        dom.push_text(*parent, &text);
                    }
                }
                None => {
                    if let Event::DocType(_) = other {
                        event_text(reader, other)?;
                    }
                }
            },
        }
    }
}

/// A fresh tree holding the chain of open ancestors; returns the innermost one (or the document).
fn start_capture(dom: &mut Dom, ancestors: &[(Name, Vec<Attribute>)]) -> usize {
    dom.clear();
    let mut parent = 0;
    for (name, attributes) in ancestors {
        parent = dom.push(
            parent,
            NodeKind::Element {
                name: name.clone(),
                attributes: attributes.clone(),
            },
        );
    }
    parent
}

fn emit<E>(
    plan: &XmlPlan,
    dom: &Dom,
    matched: &[(usize, usize)],
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    for (index, node) in matched {
        let Some(spec) = plan.specs.get(*index) else {
            continue;
        };
        if !spec.iterator.last_step_keeps(dom, *node) {
            continue;
        }
        let record = XmlRecord {
            dom,
            node: *node,
            references: &spec.references,
        };
        visit(*index, &record).map_err(ReadError::Visit)?;
    }
    Ok(())
}
