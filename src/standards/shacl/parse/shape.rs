//! One shape node read into a [`Shape`]: its path, targets, severity, messages and one
//! [`Constraint`] per parameter value. Problems are collected, never thrown.

use super::{is_instance, list, path, values};
use crate::standards::shacl::error::{ProblemKind, ShapeProblem};
use crate::standards::shacl::model::{
    Constraint, LogicalKind, NodeKind, PairKind, Qualified, RangeKind, Severity, Shape, ShapeId,
    Target,
};
use crate::standards::shacl::pattern::Patterns;
use crate::standards::shacl::vocab;
use oxigraph::model::vocab::rdfs;
use oxigraph::model::{
    Graph, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, TermRef,
};
use std::collections::{HashMap, HashSet};

/// A constraint built from a count parameter.
type MakeCount = fn(u64) -> Constraint;

pub struct Reader<'g> {
    graph: &'g Graph,
    node: NamedOrBlankNodeRef<'g>,
    by_node: &'g HashMap<NamedOrBlankNode, ShapeId>,
    patterns: &'g mut Patterns,
    problems: Vec<ShapeProblem>,
}

impl<'g> Reader<'g> {
    pub fn new(
        graph: &'g Graph,
        node: NamedOrBlankNodeRef<'g>,
        by_node: &'g HashMap<NamedOrBlankNode, ShapeId>,
        patterns: &'g mut Patterns,
    ) -> Self {
        Self {
            graph,
            node,
            by_node,
            patterns,
            problems: Vec::new(),
        }
    }

    pub fn into_problems(self) -> Vec<ShapeProblem> {
        self.problems
    }

    fn problem(&mut self, kind: ProblemKind) {
        self.problems.push(ShapeProblem {
            shape: self.node.to_string(),
            kind,
        });
    }

    fn values(&self, parameter: NamedNodeRef<'_>) -> Vec<TermRef<'g>> {
        self.graph
            .objects_for_subject_predicate(self.node, parameter)
            .collect()
    }

    /// The single value of `parameter`, if any (several is a problem).
    fn single(&mut self, parameter: NamedNodeRef<'_>) -> Option<TermRef<'g>> {
        let values = self.values(parameter);
        if values.len() > 1 {
            self.problem(ProblemKind::TooManyValues {
                parameter: parameter.into_owned(),
                count: values.len(),
            });
        }
        values.first().copied()
    }

    fn iri(&mut self, parameter: NamedNodeRef<'_>, value: TermRef<'_>) -> Option<NamedNode> {
        match value {
            TermRef::NamedNode(n) => Some(n.into_owned()),
            _ => {
                self.problem(ProblemKind::NotAnIri {
                    parameter: parameter.into_owned(),
                    value: value.into_owned(),
                });
                None
            }
        }
    }

    fn count(&mut self, parameter: NamedNodeRef<'_>, value: TermRef<'_>) -> Option<u64> {
        let n = values::count(value);
        if n.is_none() {
            self.problem(ProblemKind::NotAnInteger {
                parameter: parameter.into_owned(),
                value: value.into_owned(),
            });
        }
        n
    }

    fn boolean(&mut self, parameter: NamedNodeRef<'_>) -> bool {
        let Some(value) = self.single(parameter) else {
            return false;
        };
        values::boolean(value).unwrap_or_else(|| {
            self.problem(ProblemKind::NotABoolean {
                parameter: parameter.into_owned(),
                value: value.into_owned(),
            });
            false
        })
    }

    fn list(&mut self, parameter: NamedNodeRef<'_>, head: TermRef<'_>) -> Option<Vec<Term>> {
        match list::read(self.graph, head) {
            Ok(members) => Some(members),
            Err(reason) => {
                self.problem(ProblemKind::MalformedList {
                    parameter: parameter.into_owned(),
                    node: head.into_owned(),
                    reason,
                });
                None
            }
        }
    }

    fn shape_ref(&mut self, parameter: NamedNodeRef<'_>, value: TermRef<'_>) -> Option<ShapeId> {
        let id = super::as_subject(value).and_then(|n| self.by_node.get(&n.into_owned()).copied());
        if id.is_none() {
            self.problem(ProblemKind::LiteralShape {
                parameter: parameter.into_owned(),
                value: value.into_owned(),
            });
        }
        id
    }

    /// Reads the whole shape.
    pub fn shape(&mut self) -> Shape {
        let path = self.path();
        let targets = self.targets();
        let severity = match self.single(vocab::SEVERITY) {
            None => Severity::Violation,
            Some(v) => match self.iri(vocab::SEVERITY, v) {
                Some(iri) => Severity::from_iri(iri.as_ref()),
                None => Severity::Violation,
            },
        };
        let mut messages = Vec::new();
        for value in self.values(vocab::MESSAGE) {
            match value {
                TermRef::Literal(l) => messages.push(l.into_owned()),
                other => self.problem(ProblemKind::NotALiteral {
                    parameter: vocab::MESSAGE.into_owned(),
                    value: other.into_owned(),
                }),
            }
        }
        let deactivated = self.boolean(vocab::DEACTIVATED);
        let constraints = self.constraints(path.is_some());
        Shape {
            node: self.node.into_owned(),
            path,
            targets,
            constraints,
            severity,
            messages,
            deactivated,
        }
    }

    fn path(&mut self) -> Option<crate::standards::shacl::path::Path> {
        let value = self.single(vocab::PATH)?;
        match path::parse(self.graph, value) {
            Ok(p) => Some(p),
            Err((node, reason)) => {
                self.problem(ProblemKind::MalformedPath { node, reason });
                None
            }
        }
    }

    fn targets(&mut self) -> Vec<Target> {
        let mut targets: Vec<Target> = self
            .values(vocab::TARGET_NODE)
            .into_iter()
            .map(|v| Target::Node(v.into_owned()))
            .collect();
        for value in self.values(vocab::TARGET_CLASS) {
            match super::as_subject(value) {
                Some(class) => targets.push(Target::Class(class.into_owned())),
                None => self.problem(ProblemKind::NotANode {
                    parameter: vocab::TARGET_CLASS.into_owned(),
                    value: value.into_owned(),
                }),
            }
        }
        for (parameter, make) in [
            (vocab::TARGET_SUBJECTS_OF, Target::SubjectsOf as fn(_) -> _),
            (vocab::TARGET_OBJECTS_OF, Target::ObjectsOf),
        ] {
            for value in self.values(parameter) {
                if let Some(p) = self.iri(parameter, value) {
                    targets.push(make(p));
                }
            }
        }
        if is_instance(self.graph, self.node, rdfs::CLASS) {
            targets.push(Target::Class(self.node.into_owned()));
        }
        targets
    }

    fn constraints(&mut self, is_property: bool) -> Vec<Constraint> {
        let mut out = Vec::new();
        self.value_type(&mut out);
        self.counts_and_lengths(&mut out, is_property);
        self.ranges(&mut out);
        self.strings(&mut out, is_property);
        self.pairs(&mut out);
        self.logical(&mut out);
        self.qualified(&mut out);
        self.others(&mut out);
        out
    }

    fn value_type(&mut self, out: &mut Vec<Constraint>) {
        for value in self.values(vocab::CLASS) {
            match value {
                TermRef::Literal(_) => self.problem(ProblemKind::NotANode {
                    parameter: vocab::CLASS.into_owned(),
                    value: value.into_owned(),
                }),
                _ => out.push(Constraint::Class(value.into_owned())),
            }
        }
        for value in self.values(vocab::DATATYPE) {
            if let Some(d) = self.iri(vocab::DATATYPE, value) {
                out.push(Constraint::Datatype(d));
            }
        }
        for value in self.values(vocab::NODE_KIND) {
            let kind = match value {
                TermRef::NamedNode(n) => NodeKind::from_iri(n),
                _ => None,
            };
            match kind {
                Some(k) => out.push(Constraint::NodeKind(k)),
                None => self.problem(ProblemKind::UnknownNodeKind {
                    value: value.into_owned(),
                }),
            }
        }
    }

    fn counts_and_lengths(&mut self, out: &mut Vec<Constraint>, is_property: bool) {
        let kinds: [(NamedNodeRef<'_>, MakeCount, bool); 4] = [
            (vocab::MIN_COUNT, Constraint::MinCount, true),
            (vocab::MAX_COUNT, Constraint::MaxCount, true),
            (vocab::MIN_LENGTH, Constraint::MinLength, false),
            (vocab::MAX_LENGTH, Constraint::MaxLength, false),
        ];
        for (parameter, make, property_only) in kinds {
            for value in self.values(parameter) {
                if let Some(n) = self.count(parameter, value)
                    && (is_property || !property_only)
                {
                    out.push(make(n));
                }
            }
        }
    }

    fn ranges(&mut self, out: &mut Vec<Constraint>) {
        for (parameter, kind) in [
            (vocab::MIN_EXCLUSIVE, RangeKind::MinExclusive),
            (vocab::MIN_INCLUSIVE, RangeKind::MinInclusive),
            (vocab::MAX_EXCLUSIVE, RangeKind::MaxExclusive),
            (vocab::MAX_INCLUSIVE, RangeKind::MaxInclusive),
        ] {
            for value in self.values(parameter) {
                match value {
                    TermRef::Literal(l) => out.push(Constraint::Range(kind, l.into_owned())),
                    other => self.problem(ProblemKind::NotALiteral {
                        parameter: parameter.into_owned(),
                        value: other.into_owned(),
                    }),
                }
            }
        }
    }

    fn string_value(&mut self, parameter: NamedNodeRef<'_>, value: TermRef<'_>) -> Option<String> {
        let s = values::string(value).map(str::to_owned);
        if s.is_none() {
            self.problem(ProblemKind::NotAString {
                parameter: parameter.into_owned(),
                value: value.into_owned(),
            });
        }
        s
    }

    fn strings(&mut self, out: &mut Vec<Constraint>, is_property: bool) {
        let flags = match self.single(vocab::FLAGS) {
            Some(v) => self.string_value(vocab::FLAGS, v).unwrap_or_default(),
            None => String::new(),
        };
        for value in self.values(vocab::PATTERN) {
            let Some(source) = self.string_value(vocab::PATTERN, value) else {
                continue;
            };
            match self.patterns.compile(&source, &flags) {
                Ok(regex) => out.push(Constraint::Pattern(regex)),
                Err(message) => self.problem(ProblemKind::InvalidPattern {
                    pattern: source,
                    flags: flags.clone(),
                    message,
                }),
            }
        }
        for value in self.values(vocab::LANGUAGE_IN) {
            let Some(members) = self.list(vocab::LANGUAGE_IN, value) else {
                continue;
            };
            let mut ranges = Vec::new();
            for member in &members {
                if let Some(s) = self.string_value(vocab::LANGUAGE_IN, member.as_ref()) {
                    ranges.push(s);
                }
            }
            out.push(Constraint::LanguageIn(ranges));
        }
        if self.boolean(vocab::UNIQUE_LANG) && is_property {
            out.push(Constraint::UniqueLang);
        }
    }

    fn pairs(&mut self, out: &mut Vec<Constraint>) {
        for (parameter, kind) in [
            (vocab::EQUALS, PairKind::Equals),
            (vocab::DISJOINT, PairKind::Disjoint),
            (vocab::LESS_THAN, PairKind::LessThan),
            (vocab::LESS_THAN_OR_EQUALS, PairKind::LessThanOrEquals),
        ] {
            for value in self.values(parameter) {
                if let Some(p) = self.iri(parameter, value) {
                    out.push(Constraint::Pair(kind, p));
                }
            }
        }
    }

    fn logical(&mut self, out: &mut Vec<Constraint>) {
        for value in self.values(vocab::NOT) {
            if let Some(id) = self.shape_ref(vocab::NOT, value) {
                out.push(Constraint::Not(id));
            }
        }
        for (parameter, kind) in [
            (vocab::AND, LogicalKind::And),
            (vocab::OR, LogicalKind::Or),
            (vocab::XONE, LogicalKind::Xone),
        ] {
            for value in self.values(parameter) {
                let Some(members) = self.list(parameter, value) else {
                    continue;
                };
                let ids: Vec<ShapeId> = members
                    .iter()
                    .filter_map(|m| self.shape_ref(parameter, m.as_ref()))
                    .collect();
                out.push(Constraint::Logical(kind, ids));
            }
        }
        for value in self.values(vocab::NODE) {
            if let Some(id) = self.shape_ref(vocab::NODE, value) {
                out.push(Constraint::Node(id));
            }
        }
        for value in self.values(vocab::PROPERTY) {
            let has_path = super::as_subject(value).is_some_and(|n| {
                self.graph
                    .object_for_subject_predicate(n, vocab::PATH)
                    .is_some()
            });
            if !has_path {
                self.problem(ProblemKind::NotAPropertyShape {
                    value: value.into_owned(),
                });
            } else if let Some(id) = self.shape_ref(vocab::PROPERTY, value) {
                out.push(Constraint::Property(id));
            }
        }
    }

    fn qualified(&mut self, out: &mut Vec<Constraint>) {
        let shapes = self.values(vocab::QUALIFIED_VALUE_SHAPE);
        if shapes.is_empty() {
            return;
        }
        let min = self
            .single(vocab::QUALIFIED_MIN_COUNT)
            .and_then(|v| self.count(vocab::QUALIFIED_MIN_COUNT, v));
        let max = self
            .single(vocab::QUALIFIED_MAX_COUNT)
            .and_then(|v| self.count(vocab::QUALIFIED_MAX_COUNT, v));
        let disjoint = self.boolean(vocab::QUALIFIED_VALUE_SHAPES_DISJOINT);
        for value in shapes {
            let Some(shape) = self.shape_ref(vocab::QUALIFIED_VALUE_SHAPE, value) else {
                continue;
            };
            let siblings = if disjoint {
                self.siblings(value)
            } else {
                Vec::new()
            };
            if min.is_some() || max.is_some() {
                out.push(Constraint::Qualified(Qualified {
                    shape,
                    min,
                    max,
                    siblings,
                }));
            }
        }
    }

    /// `sh:property/sh:qualifiedValueShape` of every parent shape, except `own`.
    fn siblings(&self, own: TermRef<'_>) -> Vec<ShapeId> {
        let mut out = Vec::new();
        let parents: Vec<_> = self
            .graph
            .subjects_for_predicate_object(vocab::PROPERTY, self.node)
            .collect();
        for parent in parents {
            for sibling in self
                .graph
                .objects_for_subject_predicate(parent, vocab::PROPERTY)
            {
                let Some(sibling) = super::as_subject(sibling) else {
                    continue;
                };
                for q in self
                    .graph
                    .objects_for_subject_predicate(sibling, vocab::QUALIFIED_VALUE_SHAPE)
                {
                    if q == own {
                        continue;
                    }
                    if let Some(id) = super::as_subject(q)
                        .and_then(|n| self.by_node.get(&n.into_owned()).copied())
                        && !out.contains(&id)
                    {
                        out.push(id);
                    }
                }
            }
        }
        out
    }

    fn others(&mut self, out: &mut Vec<Constraint>) {
        if self.boolean(vocab::CLOSED) {
            let mut allowed: HashSet<NamedNode> = HashSet::new();
            for property in self.values(vocab::PROPERTY) {
                if let Some(p) = super::as_subject(property)
                    && let Some(TermRef::NamedNode(path)) =
                        self.graph.object_for_subject_predicate(p, vocab::PATH)
                {
                    allowed.insert(path.into_owned());
                }
            }
            for value in self.values(vocab::IGNORED_PROPERTIES) {
                for member in self
                    .list(vocab::IGNORED_PROPERTIES, value)
                    .unwrap_or_default()
                {
                    if let Some(p) = self.iri(vocab::IGNORED_PROPERTIES, member.as_ref()) {
                        allowed.insert(p);
                    }
                }
            }
            out.push(Constraint::Closed(allowed));
        }
        for value in self.values(vocab::HAS_VALUE) {
            out.push(Constraint::HasValue(value.into_owned()));
        }
        for value in self.values(vocab::IN) {
            if let Some(members) = self.list(vocab::IN, value) {
                let set = members.iter().cloned().collect();
                out.push(Constraint::In(members, set));
            }
        }
    }
}
