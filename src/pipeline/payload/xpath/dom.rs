//! The small tree XPath is evaluated on: nodes in one vector, in document order, so a node's
//! index orders it. The XML reader builds one per record (the matched element and its ancestors'
//! names and attributes) or one for the whole document.

use std::borrow::Cow;

/// An element or attribute name, with its namespace resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Name {
    pub(crate) namespace: Option<Box<str>>,
    pub(crate) local: Box<str>,
    /// Written with a prefix in the document (`ex:name`), rather than unprefixed.
    pub(crate) prefixed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Attribute {
    pub(crate) name: Name,
    pub(crate) value: String,
}

#[derive(Debug)]
pub(crate) enum NodeKind {
    Document,
    Element {
        name: Name,
        attributes: Vec<Attribute>,
    },
    Text(String),
}

#[derive(Debug)]
pub(crate) struct Node {
    pub(crate) parent: Option<usize>,
    pub(crate) children: Vec<usize>,
    pub(crate) kind: NodeKind,
}

/// Node 0 is always the document node.
#[derive(Debug)]
pub(crate) struct Dom {
    pub(crate) nodes: Vec<Node>,
}

impl Default for Dom {
    fn default() -> Self {
        Self {
            nodes: vec![Node {
                parent: None,
                children: Vec::new(),
                kind: NodeKind::Document,
            }],
        }
    }
}

impl Dom {
    /// Back to the document node alone, keeping the allocation.
    pub(crate) fn clear(&mut self) {
        self.nodes.truncate(1);
        if let Some(document) = self.nodes.first_mut() {
            document.children.clear();
        }
    }

    pub(crate) fn node(&self, id: usize) -> Option<&Node> {
        self.nodes.get(id)
    }

    /// Appends a node as the last child of `parent`; returns its id.
    pub(crate) fn push(&mut self, parent: usize, kind: NodeKind) -> usize {
        let id = self.nodes.len();
        self.nodes.push(Node {
            parent: Some(parent),
            children: Vec::new(),
            kind,
        });
        if let Some(parent) = self.nodes.get_mut(parent) {
            parent.children.push(id);
        }
        id
    }

    /// Appends text to `parent`, merging with a text node just before it.
    pub(crate) fn push_text(&mut self, parent: usize, text: &str) {
        let last = self
            .nodes
            .get(parent)
            .and_then(|node| node.children.last().copied());
        if let Some(Node {
            kind: NodeKind::Text(existing),
            ..
        }) = last.and_then(|last| self.nodes.get_mut(last))
        {
            existing.push_str(text);
            return;
        }
        self.push(parent, NodeKind::Text(text.to_owned()));
    }

    /// The XPath string value of a node: its text, or the text of all its descendants.
    pub(crate) fn string_value(&self, id: usize) -> Cow<'_, str> {
        let Some(node) = self.node(id) else {
            return Cow::Borrowed("");
        };
        match &node.kind {
            NodeKind::Text(text) => Cow::Borrowed(text),
            NodeKind::Document | NodeKind::Element { .. } => match node.children.as_slice() {
                [] => Cow::Borrowed(""),
                [only]
                    if matches!(
                        self.node(*only),
                        Some(Node {
                            kind: NodeKind::Text(_),
                            ..
                        })
                    ) =>
                {
                    self.string_value(*only)
                }
                _ => {
                    let mut text = String::new();
                    self.collect_text(id, &mut text);
                    Cow::Owned(text)
                }
            },
        }
    }

    /// Depth-first without recursion: documents may nest deeper than the stack allows.
    fn collect_text(&self, id: usize, out: &mut String) {
        let mut pending = vec![id];
        while let Some(next) = pending.pop() {
            let Some(node) = self.node(next) else {
                continue;
            };
            match &node.kind {
                NodeKind::Text(text) => out.push_str(text),
                _ => pending.extend(node.children.iter().rev()),
            }
        }
    }
}
