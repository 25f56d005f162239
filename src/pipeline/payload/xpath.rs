//! The XPath 1.0 subset RML mappings use, compiled once: location paths with the child,
//! descendant (`//`), attribute (`@`), self (`.`) and parent (`..`) axes; name tests with
//! namespace prefixes, `*`, `text()` and `node()`; predicates with positions (`[2]`), existence
//! (`[@a]`, `[b]`) and comparisons with a literal (`[@a='v']`, `[b != 'v']`, `[@n > 3]`)
//! joined by `and` / `or`, negated by `not(...)` (`[not(dataError = 'true')]`: absence cannot be
//! tested otherwise). No functions beyond `text()`, `node()` and `not()`, no variables, no unions.
//!
//! A name without a prefix matches an element written without a prefix, whatever the document's
//! default namespace: RML mappings rarely declare a prefix for the default namespace.

use std::borrow::Cow;

pub(crate) mod dom;
mod parse;

use dom::{Dom, Name, NodeKind};

/// A compiled XPath expression.
#[derive(Debug, Clone, PartialEq)]
pub struct XPath {
    pub(crate) absolute: bool,
    pub(crate) steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) axis: Axis,
    pub(crate) test: NodeTest,
    pub(crate) predicates: Vec<Predicate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Axis {
    Child,
    Descendant,
    Attribute,
    SelfNode,
    Parent,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeTest {
    /// A name; `namespace` is `None` for an unprefixed name.
    Name {
        namespace: Option<Box<str>>,
        local: Box<str>,
    },
    /// `*`: any element (or any attribute on the attribute axis).
    Any,
    Text,
    Node,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Predicate {
    Position(usize),
    Exists(XPath),
    Compare(XPath, CompareOp, Literal),
    And(Vec<Predicate>),
    Or(Vec<Predicate>),
    Not(Box<Predicate>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    String(Box<str>),
    Number(f64),
}

/// Why an expression is not in the supported XPath subset, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {position}")]
pub struct XPathError {
    pub position: usize,
    pub message: String,
}

/// A node an expression selects: a tree node, or attribute `index` of element `node`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Item {
    Node(usize),
    Attribute(usize, usize),
}

impl Item {
    fn order(self) -> (usize, usize) {
        match self {
            Self::Node(node) => (node, 0),
            Self::Attribute(node, index) => (node, index + 1),
        }
    }
}

impl XPath {
    /// Compiles `expression`; `namespaces` maps the prefixes it may use to namespace IRIs.
    pub fn parse(expression: &str, namespaces: &[(String, String)]) -> Result<Self, XPathError> {
        parse::parse(expression.trim(), namespaces)
    }

    /// Items selected from `context` (from the document node when absolute), document order.
    pub(crate) fn select(&self, dom: &Dom, context: usize, out: &mut Vec<Item>) {
        let start = if self.absolute { 0 } else { context };
        let mut current = vec![Item::Node(start)];
        let mut candidates = Vec::new();
        for step in &self.steps {
            let mut next = Vec::new();
            for item in &current {
                candidates.clear();
                step.candidates(dom, *item, &mut candidates);
                for predicate in &step.predicates {
                    let count = candidates.len();
                    let mut position = 0;
                    candidates.retain(|candidate| {
                        position += 1;
                        predicate.test(dom, *candidate, position, count)
                    });
                }
                next.extend_from_slice(&candidates);
            }
            if current.len() > 1 || matches!(step.axis, Axis::Descendant | Axis::Parent) {
                next.sort_unstable_by_key(|item| item.order());
                next.dedup();
            }
            current = next;
            if current.is_empty() {
                break;
            }
        }
        out.extend(current);
    }

    /// Whether a streamed record (its element, its subtree and its ancestors' attributes) is
    /// enough to evaluate this reference: no absolute path, no way back down from an ancestor.
    pub(crate) fn is_local(&self) -> bool {
        if self.absolute {
            return false;
        }
        let mut went_up = false;
        for step in &self.steps {
            match step.axis {
                Axis::Parent => went_up = true,
                Axis::Child | Axis::Descendant if went_up => return false,
                _ => {}
            }
            if went_up && !step.predicates.is_empty() {
                return false;
            }
        }
        true
    }

    /// Whether the predicates of the last step keep `node` (streaming matches the steps' names
    /// as elements start, and checks these once the element's subtree is built).
    pub(crate) fn last_step_keeps(&self, dom: &Dom, node: usize) -> bool {
        self.steps.last().is_none_or(|step| {
            step.predicates
                .iter()
                .all(|predicate| predicate.test(dom, Item::Node(node), 1, 1))
        })
    }

    /// Whether the expression climbs to an ancestor (`..`).
    pub(crate) fn goes_up(&self) -> bool {
        self.steps.iter().any(|step| step.axis == Axis::Parent)
    }
}

/// The string value of an item.
pub(crate) fn string_value(dom: &Dom, item: Item) -> Cow<'_, str> {
    match item {
        Item::Node(node) => dom.string_value(node),
        Item::Attribute(node, index) => match dom.node(node).map(|node| &node.kind) {
            Some(NodeKind::Element { attributes, .. }) => attributes
                .get(index)
                .map_or(Cow::Borrowed(""), |attribute| {
                    Cow::Borrowed(&attribute.value)
                }),
            _ => Cow::Borrowed(""),
        },
    }
}

impl Step {
    fn candidates(&self, dom: &Dom, item: Item, out: &mut Vec<Item>) {
        let Item::Node(context) = item else {
            // Attributes have no children nor attributes; only `.` and `..` apply to them.
            match (self.axis, item) {
                (Axis::SelfNode, _) if self.test == NodeTest::Node => out.push(item),
                (Axis::Parent, Item::Attribute(owner, _)) => out.push(Item::Node(owner)),
                _ => {}
            }
            return;
        };
        let Some(node) = dom.node(context) else {
            return;
        };
        match self.axis {
            Axis::Child => {
                for child in &node.children {
                    if self.test.matches_node(dom, *child) {
                        out.push(Item::Node(*child));
                    }
                }
            }
            Axis::Descendant => {
                let mut pending: Vec<usize> = node.children.iter().rev().copied().collect();
                while let Some(next) = pending.pop() {
                    if self.test.matches_node(dom, next) {
                        out.push(Item::Node(next));
                    }
                    if let Some(node) = dom.node(next) {
                        pending.extend(node.children.iter().rev());
                    }
                }
            }
            Axis::Attribute => {
                if let NodeKind::Element { attributes, .. } = &node.kind {
                    for (index, attribute) in attributes.iter().enumerate() {
                        if self.test.matches_name(&attribute.name) {
                            out.push(Item::Attribute(context, index));
                        }
                    }
                }
            }
            Axis::SelfNode => {
                if self.test.matches_node(dom, context) || self.test == NodeTest::Node {
                    out.push(item);
                }
            }
            Axis::Parent => {
                if let Some(parent) = node.parent {
                    if self.test.matches_node(dom, parent) || self.test == NodeTest::Node {
                        out.push(Item::Node(parent));
                    }
                }
            }
        }
    }
}

impl NodeTest {
    fn matches_node(&self, dom: &Dom, id: usize) -> bool {
        match (self, dom.node(id).map(|node| &node.kind)) {
            (Self::Node, Some(_)) => true,
            (Self::Text, Some(NodeKind::Text(_))) => true,
            (Self::Any | Self::Name { .. }, Some(NodeKind::Element { name, .. })) => {
                self.matches_name(name)
            }
            _ => false,
        }
    }

    /// Element or attribute name test.
    pub(crate) fn matches_name(&self, name: &Name) -> bool {
        self.matches_parts(name.namespace.as_deref(), &name.local, name.prefixed)
    }

    /// Name test on a name's parts, so a streamed element need not be copied to be tested.
    pub(crate) fn matches_parts(
        &self,
        namespace: Option<&str>,
        local: &str,
        prefixed: bool,
    ) -> bool {
        match self {
            Self::Any | Self::Node => true,
            Self::Text => false,
            Self::Name {
                namespace: wanted,
                local: wanted_local,
            } => {
                **wanted_local == *local
                    && match wanted {
                        Some(wanted) => namespace == Some(&**wanted),
                        None => !prefixed,
                    }
            }
        }
    }
}

impl Predicate {
    fn test(&self, dom: &Dom, item: Item, position: usize, _count: usize) -> bool {
        match self {
            Self::Position(wanted) => position == *wanted,
            Self::And(parts) => parts
                .iter()
                .all(|part| part.test(dom, item, position, _count)),
            Self::Or(parts) => parts
                .iter()
                .any(|part| part.test(dom, item, position, _count)),
            Self::Not(inner) => !inner.test(dom, item, position, _count),
            Self::Exists(path) => {
                let mut found = Vec::new();
                path.select(dom, context_of(item), &mut found);
                !found.is_empty()
            }
            Self::Compare(path, op, literal) => {
                let mut found = Vec::new();
                path.select(dom, context_of(item), &mut found);
                found
                    .into_iter()
                    .any(|found| compare(&string_value(dom, found), *op, literal))
            }
        }
    }
}

fn context_of(item: Item) -> usize {
    match item {
        Item::Node(node) | Item::Attribute(node, _) => node,
    }
}

fn compare(value: &str, op: CompareOp, literal: &Literal) -> bool {
    match literal {
        Literal::String(text) => match op {
            CompareOp::Eq => value == &**text,
            CompareOp::Ne => value != &**text,
            // XPath 1.0 compares strings by their numbers with <, <=, >, >=.
            _ => match (value.trim().parse::<f64>(), text.trim().parse::<f64>()) {
                (Ok(left), Ok(right)) => compare_numbers(left, op, right),
                _ => false,
            },
        },
        Literal::Number(number) => match value.trim().parse::<f64>() {
            Ok(left) => compare_numbers(left, op, *number),
            Err(_) => op == CompareOp::Ne,
        },
    }
}

fn compare_numbers(left: f64, op: CompareOp, right: f64) -> bool {
    match op {
        CompareOp::Eq => left == right,
        CompareOp::Ne => left != right,
        CompareOp::Lt => left < right,
        CompareOp::Le => left <= right,
        CompareOp::Gt => left > right,
        CompareOp::Ge => left >= right,
    }
}

#[cfg(test)]
mod tests;
