//! JSONPath (RFC 9535) compiled once into a small tree and evaluated over `serde_json::Value`.
//!
//! Supported: `$`, `@` inside filters, name selectors (dot or bracket, quoted with escapes),
//! wildcard, index (negative too), slices, selector lists, descendant segments `..`, filters with
//! comparisons, `&&`, `||`, `!`, parentheses, existence tests and literals. Function extensions
//! (`length()`, `match()`...) are not supported and fail at compile time. RML references are
//! relative to the record, so [`JsonPath::reference`] also accepts `a.b`, `a[0]` and `['x y']`.
//! Evaluation never panics and never allocates beyond the caller's output vector.
//!
//! Evaluation also tells where each selected node sits ([`Trail`]: its member name or index and
//! the nodes above it), for the citykg reference extensions of [`JsonReference`] (`~`, `^`).

use serde_json::Value;

mod parse;
mod reference;

pub use reference::{Found, JsonReference};

/// A compiled JSONPath query.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    pub(crate) segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    Child(Vec<Selector>),
    Descendant(Vec<Selector>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Selector {
    Name(Box<str>),
    Wildcard,
    Index(i64),
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    Filter(Box<Filter>),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Not(Box<Filter>),
    Exists(Query),
    Compare(Comparable, CompareOp, Comparable),
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
pub(crate) enum Comparable {
    Literal(Value),
    Query(Query),
}

/// `$...` (from the document root) or `@...` (from the filter's current node) inside a filter.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Query {
    pub(crate) from_root: bool,
    pub(crate) path: JsonPath,
}

/// Why an expression is not a JSONPath query, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at character {position}")]
pub struct JsonPathError {
    pub position: usize,
    pub message: String,
}

/// Where a node sits in its parent: the member name or the array index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key<'v> {
    Member(&'v str),
    Index(usize),
}

/// A selected node, its key in its parent and the nodes above it, as far as the evaluation
/// knows them (a streamed element knows its key but not the document above its container).
/// Lives on the stack of the walk that found it.
#[derive(Debug, Clone, Copy)]
pub struct Trail<'t, 'v> {
    pub node: &'v Value,
    pub key: Option<Key<'v>>,
    pub parent: Option<&'t Trail<'t, 'v>>,
}

impl<'t, 'v> Trail<'t, 'v> {
    /// A node whose parent is unknown (a document root, a streamed element).
    pub fn start(node: &'v Value, key: Option<Key<'v>>) -> Self {
        Self {
            node,
            key,
            parent: None,
        }
    }

    fn child(&'t self, node: &'v Value, key: Key<'v>) -> Self {
        Self {
            node,
            key: Some(key),
            parent: Some(self),
        }
    }
}

impl JsonPath {
    /// Compiles a full query; it must start with `$`.
    pub fn parse(expression: &str) -> Result<Self, JsonPathError> {
        parse::parse_query(expression.trim())
    }

    /// Compiles an RML reference: a query, or a path relative to the record without `$`.
    pub fn reference(expression: &str) -> Result<Self, JsonPathError> {
        let trimmed = expression.trim();
        if trimmed.starts_with('$') {
            Self::parse(trimmed)
        } else if trimmed.starts_with('[') {
            Self::parse(&format!("${trimmed}"))
        } else if trimmed.is_empty() {
            Err(JsonPathError {
                position: 0,
                message: "empty reference".to_owned(),
            })
        } else {
            Self::parse(&format!("$.{trimmed}"))
        }
    }

    /// The nodes selected from `root`, in document order, appended to `out`.
    pub fn select<'v>(&self, root: &'v Value, out: &mut Vec<&'v Value>) {
        self.for_each(root, root, &mut |node| out.push(node));
    }

    /// Calls `found` with every node selected from `node` (`root` is what `$` means in filters).
    pub fn for_each<'v>(&self, node: &'v Value, root: &'v Value, found: &mut dyn FnMut(&'v Value)) {
        let start = Trail::start(node, None);
        walk(&self.segments, &start, root, &mut |trail| found(trail.node));
    }

    /// Like [`JsonPath::for_each`], from `start` (a node with what is known of its place), and
    /// telling where each selected node sits.
    pub fn for_each_trail<'v>(
        &self,
        start: &Trail<'_, 'v>,
        root: &'v Value,
        found: &mut dyn FnMut(&Trail<'_, 'v>),
    ) {
        walk(&self.segments, start, root, found);
    }

    /// Whether any filter inside refers to the document root (`$`): such a query cannot be
    /// evaluated on one streamed element alone.
    pub(crate) fn uses_root(&self) -> bool {
        self.segments.iter().any(|segment| {
            let selectors = match segment {
                Segment::Child(selectors) | Segment::Descendant(selectors) => selectors,
            };
            selectors.iter().any(|selector| match selector {
                Selector::Filter(filter) => filter.uses_root(),
                _ => false,
            })
        })
    }

    /// True when the query selects at most one node (names and indexes only).
    pub(crate) fn is_singular(&self) -> bool {
        self.segments.iter().all(|segment| {
            matches!(segment, Segment::Child(selectors)
                if selectors.len() == 1
                    && matches!(selectors.first(), Some(Selector::Name(_) | Selector::Index(_))))
        })
    }
}

impl Selector {
    /// Whether this selector, applied to a container, keeps its element `element`. Only
    /// wildcards and filters (without `$`) answer from the element alone; others say no.
    pub(crate) fn keeps(&self, element: &Value) -> bool {
        match self {
            Self::Wildcard => true,
            Self::Filter(filter) => filter.test(element, element),
            _ => false,
        }
    }
}

fn walk<'v>(
    segments: &[Segment],
    here: &Trail<'_, 'v>,
    root: &'v Value,
    found: &mut dyn FnMut(&Trail<'_, 'v>),
) {
    let Some((segment, rest)) = segments.split_first() else {
        found(here);
        return;
    };
    match segment {
        Segment::Child(selectors) => {
            for selector in selectors {
                apply(selector, here, root, &mut |child| {
                    walk(rest, child, root, found)
                });
            }
        }
        Segment::Descendant(selectors) => {
            descend(here, &mut |visited| {
                for selector in selectors {
                    apply(selector, visited, root, &mut |child| {
                        walk(rest, child, root, found)
                    });
                }
            });
        }
    }
}

/// Visits `here` and then every descendant, parents before children, in document order.
fn descend<'v>(here: &Trail<'_, 'v>, visit: &mut dyn FnMut(&Trail<'_, 'v>)) {
    visit(here);
    children(here, &mut |child| descend(child, visit));
}

fn apply<'v>(
    selector: &Selector,
    here: &Trail<'_, 'v>,
    root: &'v Value,
    found: &mut dyn FnMut(&Trail<'_, 'v>),
) {
    match selector {
        Selector::Name(name) => {
            if let Some((key, value)) = here
                .node
                .as_object()
                .and_then(|members| members.get_key_value(&**name))
            {
                found(&here.child(value, Key::Member(key)));
            }
        }
        Selector::Wildcard => children(here, found),
        Selector::Index(index) => {
            if let Value::Array(items) = here.node {
                if let Some(at) = normalize(*index, items.len()) {
                    if let Some(item) = items.get(at) {
                        found(&here.child(item, Key::Index(at)));
                    }
                }
            }
        }
        Selector::Slice { start, end, step } => {
            if let Value::Array(items) = here.node {
                slice(items, *start, *end, *step, &mut |at, item| {
                    found(&here.child(item, Key::Index(at)))
                });
            }
        }
        Selector::Filter(filter) => children(here, &mut |child| {
            if filter.test(child.node, root) {
                found(child);
            }
        }),
    }
}

fn children<'v>(here: &Trail<'_, 'v>, found: &mut dyn FnMut(&Trail<'_, 'v>)) {
    match here.node {
        Value::Array(items) => {
            for (at, item) in items.iter().enumerate() {
                found(&here.child(item, Key::Index(at)));
            }
        }
        Value::Object(members) => {
            for (name, value) in members {
                found(&here.child(value, Key::Member(name)));
            }
        }
        _ => {}
    }
}

fn normalize(index: i64, len: usize) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let at = if index < 0 {
        len.checked_add(index)?
    } else {
        index
    };
    if (0..len).contains(&at) {
        usize::try_from(at).ok()
    } else {
        None
    }
}

/// RFC 9535 section 2.3.4.2.2 slice semantics.
fn slice<'v>(
    items: &'v [Value],
    start: Option<i64>,
    end: Option<i64>,
    step: Option<i64>,
    found: &mut dyn FnMut(usize, &'v Value),
) {
    let Ok(len) = i64::try_from(items.len()) else {
        return;
    };
    let step = step.unwrap_or(1);
    if step == 0 {
        return;
    }
    let bound = |value: i64| {
        if value >= 0 {
            value
        } else {
            len.saturating_add(value)
        }
    };
    let get = |at: i64| {
        usize::try_from(at)
            .ok()
            .and_then(|at| items.get(at).map(|item| (at, item)))
    };
    if step > 0 {
        let lower = bound(start.unwrap_or(0)).clamp(0, len);
        let upper = bound(end.unwrap_or(len)).clamp(0, len);
        let mut at = lower;
        while at < upper {
            if let Some((index, item)) = get(at) {
                found(index, item);
            }
            at = at.saturating_add(step);
        }
    } else {
        let upper = bound(start.unwrap_or(len.saturating_sub(1))).clamp(-1, len.saturating_sub(1));
        let lower = end.map_or(-1, |end| bound(end).clamp(-1, len.saturating_sub(1)));
        let mut at = upper;
        while lower < at {
            if let Some((index, item)) = get(at) {
                found(index, item);
            }
            at = at.saturating_add(step);
        }
    }
}

impl Filter {
    fn uses_root(&self) -> bool {
        match self {
            Self::Or(parts) | Self::And(parts) => parts.iter().any(Self::uses_root),
            Self::Not(inner) => inner.uses_root(),
            Self::Exists(query) => query.from_root || query.path.uses_root(),
            Self::Compare(left, _, right) => [left, right].iter().any(|side| match side {
                Comparable::Literal(_) => false,
                Comparable::Query(query) => query.from_root || query.path.uses_root(),
            }),
        }
    }

    fn test(&self, current: &Value, root: &Value) -> bool {
        match self {
            Self::Or(parts) => parts.iter().any(|part| part.test(current, root)),
            Self::And(parts) => parts.iter().all(|part| part.test(current, root)),
            Self::Not(inner) => !inner.test(current, root),
            Self::Exists(query) => {
                let mut any = false;
                query.start(current, root, &mut |_| any = true);
                any
            }
            Self::Compare(left, op, right) => {
                compare(left.value(current, root), *op, right.value(current, root))
            }
        }
    }
}

impl Query {
    fn start<'v>(&self, current: &'v Value, root: &'v Value, found: &mut dyn FnMut(&'v Value)) {
        let from = if self.from_root { root } else { current };
        self.path.for_each(from, root, found);
    }
}

impl Comparable {
    /// The single value of the comparable, or `None` ("Nothing") when it selects no node or
    /// several.
    fn value<'v>(&'v self, current: &'v Value, root: &'v Value) -> Option<&'v Value> {
        match self {
            Self::Literal(value) => Some(value),
            Self::Query(query) => {
                let mut first = None;
                let mut count = 0_usize;
                query.start(current, root, &mut |node| {
                    count += 1;
                    first.get_or_insert(node);
                });
                if count == 1 { first } else { None }
            }
        }
    }
}

fn compare(left: Option<&Value>, op: CompareOp, right: Option<&Value>) -> bool {
    match op {
        CompareOp::Eq => equal(left, right),
        CompareOp::Ne => !equal(left, right),
        CompareOp::Lt => less(left, right),
        CompareOp::Gt => less(right, left),
        CompareOp::Le => less(left, right) || equal(left, right),
        CompareOp::Ge => less(right, left) || equal(left, right),
    }
}

fn equal(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (None, None) => true,
        (Some(left), Some(right)) => values_equal(left, right),
        _ => false,
    }
}

fn values_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(left), Value::Number(right)) => match (left.as_i64(), right.as_i64()) {
            (Some(left), Some(right)) => left == right,
            _ => left.as_f64() == right.as_f64(),
        },
        (Value::Array(left), Value::Array(right)) => {
            left.len() == right.len()
                && left
                    .iter()
                    .zip(right)
                    .all(|(left, right)| values_equal(left, right))
        }
        (Value::Object(left), Value::Object(right)) => {
            left.len() == right.len()
                && left.iter().all(|(key, value)| {
                    right
                        .get(key)
                        .is_some_and(|other| values_equal(value, other))
                })
        }
        _ => left == right,
    }
}

fn less(left: Option<&Value>, right: Option<&Value>) -> bool {
    match (left, right) {
        (Some(Value::Number(left)), Some(Value::Number(right))) => {
            match (left.as_i64(), right.as_i64()) {
                (Some(left), Some(right)) => left < right,
                _ => match (left.as_f64(), right.as_f64()) {
                    (Some(left), Some(right)) => left < right,
                    _ => false,
                },
            }
        }
        (Some(Value::String(left)), Some(Value::String(right))) => left < right,
        _ => false,
    }
}

#[cfg(test)]
mod tests;
