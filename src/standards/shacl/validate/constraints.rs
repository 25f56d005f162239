//! Each SHACL Core constraint component over a focus node and its value nodes, as the spec's
//! section 4 defines the results: which value nodes fail, and which component is reported.

use super::{Engine, result};
use crate::standards::shacl::data::{self, DataGraph};
use crate::standards::shacl::literal;
use crate::standards::shacl::model::{Constraint, LogicalKind, PairKind, RangeKind, Shape};
use crate::standards::shacl::path::Path;
use crate::standards::shacl::report::ValidationResult;
use crate::standards::shacl::vocab::component;
use oxigraph::model::{Term, TermRef};
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

impl<D: DataGraph + ?Sized> Engine<'_, D> {
    pub(super) fn check(
        &mut self,
        shape: &Shape,
        constraint: &Constraint,
        focus: &Term,
        values: &[Term],
        out: &mut Vec<ValidationResult>,
        early: bool,
    ) -> Result<(), D::Error> {
        // Each value node for which `fails` holds gives one result with that value.
        macro_rules! each_value {
            ($component:expr, |$v:ident| $fails:expr) => {{
                for $v in values {
                    if $fails {
                        out.push(result(shape, focus, Some($v.clone()), $component));
                        if early {
                            break;
                        }
                    }
                }
            }};
        }
        match constraint {
            Constraint::Class(class) => {
                each_value!(component::CLASS, |v| !self.is_instance(v, class)?)
            }
            Constraint::Datatype(datatype) => each_value!(component::DATATYPE, |v| {
                !matches!(v, Term::Literal(l)
                    if l.datatype() == datatype.as_ref()
                        && literal::is_well_formed(l.as_ref()))
            }),
            Constraint::NodeKind(kind) => each_value!(component::NODE_KIND, |v| !kind.matches(v)),
            Constraint::MinCount(min) => {
                if (values.len() as u64) < *min {
                    out.push(result(shape, focus, None, component::MIN_COUNT));
                }
            }
            Constraint::MaxCount(max) => {
                if (values.len() as u64) > *max {
                    out.push(result(shape, focus, None, component::MAX_COUNT));
                }
            }
            Constraint::Range(kind, bound) => {
                let (component, accepted): (_, &[Ordering]) = match kind {
                    RangeKind::MinExclusive => (component::MIN_EXCLUSIVE, &[Ordering::Greater]),
                    RangeKind::MinInclusive => (
                        component::MIN_INCLUSIVE,
                        &[Ordering::Greater, Ordering::Equal],
                    ),
                    RangeKind::MaxExclusive => (component::MAX_EXCLUSIVE, &[Ordering::Less]),
                    RangeKind::MaxInclusive => {
                        (component::MAX_INCLUSIVE, &[Ordering::Less, Ordering::Equal])
                    }
                };
                let bound = TermRef::Literal(bound.as_ref());
                each_value!(component, |v| !literal::compare(v.as_ref(), bound)
                    .is_some_and(|o| accepted.contains(&o)))
            }
            Constraint::MinLength(min) => each_value!(component::MIN_LENGTH, |v| {
                lexical(v).is_none_or(|s| (s.chars().count() as u64) < *min)
            }),
            Constraint::MaxLength(max) => each_value!(component::MAX_LENGTH, |v| {
                lexical(v).is_none_or(|s| (s.chars().count() as u64) > *max)
            }),
            Constraint::Pattern(regex) => each_value!(component::PATTERN, |v| {
                lexical(v).is_none_or(|s| !regex.is_match(s))
            }),
            Constraint::LanguageIn(ranges) => each_value!(component::LANGUAGE_IN, |v| {
                !matches!(v, Term::Literal(l)
                    if l.language().is_some_and(|tag| ranges.iter().any(|r| lang_matches(tag, r))))
            }),
            Constraint::UniqueLang => {
                let mut counts: HashMap<String, usize> = HashMap::new();
                let mut order = Vec::new();
                for v in values {
                    if let Term::Literal(l) = v
                        && let Some(tag) = l.language()
                    {
                        let tag = tag.to_ascii_lowercase();
                        let n = counts.entry(tag.clone()).or_insert(0);
                        *n += 1;
                        if *n == 2 {
                            order.push(tag);
                        }
                    }
                }
                for _ in order {
                    out.push(result(shape, focus, None, component::UNIQUE_LANG));
                }
            }
            Constraint::Pair(kind, predicate) => {
                let others = data::objects(self.data, focus.as_ref(), predicate.as_ref())?;
                self.pair(shape, *kind, focus, values, &others, out);
            }
            Constraint::Not(id) => each_value!(component::NOT, |v| self.conforms(v, *id)?),
            Constraint::Logical(kind, ids) => {
                let component = match kind {
                    LogicalKind::And => component::AND,
                    LogicalKind::Or => component::OR,
                    LogicalKind::Xone => component::XONE,
                };
                each_value!(component, |v| {
                    let mut conforming = 0;
                    for id in ids {
                        if self.conforms(v, *id)? {
                            conforming += 1;
                        } else if *kind == LogicalKind::And {
                            break;
                        }
                    }
                    match kind {
                        LogicalKind::And => conforming < ids.len(),
                        LogicalKind::Or => conforming == 0,
                        LogicalKind::Xone => conforming != 1,
                    }
                })
            }
            Constraint::Node(id) => each_value!(component::NODE, |v| !self.conforms(v, *id)?),
            Constraint::Property(id) => {
                for v in values {
                    self.validate_shape(*id, v, out, early)?;
                    if early && !out.is_empty() {
                        break;
                    }
                }
            }
            Constraint::Qualified(q) => {
                let mut count: u64 = 0;
                for v in values {
                    if !self.conforms(v, q.shape)? {
                        continue;
                    }
                    let mut in_sibling = false;
                    for sibling in &q.siblings {
                        if self.conforms(v, *sibling)? {
                            in_sibling = true;
                            break;
                        }
                    }
                    if !in_sibling {
                        count += 1;
                    }
                }
                if q.min.is_some_and(|min| count < min) {
                    out.push(result(shape, focus, None, component::QUALIFIED_MIN_COUNT));
                }
                if q.max.is_some_and(|max| count > max) {
                    out.push(result(shape, focus, None, component::QUALIFIED_MAX_COUNT));
                }
            }
            Constraint::Closed(allowed) => {
                for v in values {
                    for (predicate, object) in data::outgoing(self.data, v.as_ref())? {
                        if !allowed.contains(&predicate) {
                            let mut r = result(shape, focus, Some(object), component::CLOSED);
                            r.result_path = Some(Path::Predicate(predicate));
                            out.push(r);
                        }
                    }
                }
            }
            Constraint::HasValue(expected) => {
                if !values.contains(expected) {
                    out.push(result(shape, focus, None, component::HAS_VALUE));
                }
            }
            Constraint::In(_, members) => {
                each_value!(component::IN, |v| !members.contains(v))
            }
        }
        Ok(())
    }

    fn pair(
        &self,
        shape: &Shape,
        kind: PairKind,
        focus: &Term,
        values: &[Term],
        others: &[Term],
        out: &mut Vec<ValidationResult>,
    ) {
        let other_set: HashSet<&Term> = others.iter().collect();
        match kind {
            PairKind::Equals => {
                let value_set: HashSet<&Term> = values.iter().collect();
                for v in values.iter().filter(|v| !other_set.contains(v)) {
                    out.push(result(shape, focus, Some(v.clone()), component::EQUALS));
                }
                for o in others.iter().filter(|o| !value_set.contains(o)) {
                    out.push(result(shape, focus, Some(o.clone()), component::EQUALS));
                }
            }
            PairKind::Disjoint => {
                for v in values.iter().filter(|v| other_set.contains(v)) {
                    out.push(result(shape, focus, Some(v.clone()), component::DISJOINT));
                }
            }
            PairKind::LessThan | PairKind::LessThanOrEquals => {
                let (component, accepted): (_, &[Ordering]) = if kind == PairKind::LessThan {
                    (component::LESS_THAN, &[Ordering::Less])
                } else {
                    (
                        component::LESS_THAN_OR_EQUALS,
                        &[Ordering::Less, Ordering::Equal],
                    )
                };
                for v in values {
                    for o in others {
                        let ok = literal::compare(v.as_ref(), o.as_ref())
                            .is_some_and(|ord| accepted.contains(&ord));
                        if !ok {
                            out.push(result(shape, focus, Some(v.clone()), component));
                        }
                    }
                }
            }
        }
    }
}

/// The string a length or pattern constraint reads: an IRI's text or a literal's lexical form;
/// `None` for a blank node (which always fails them).
fn lexical(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        Term::BlankNode(_) => None,
    }
}

/// SPARQL `langMatches` (RFC 4647 basic filtering).
fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let tag = tag.to_ascii_lowercase();
    let range = range.to_ascii_lowercase();
    tag == range
        || tag
            .strip_prefix(&range)
            .is_some_and(|rest| rest.starts_with('-'))
}
