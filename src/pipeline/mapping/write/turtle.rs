//! A small Turtle printer: a tree of nodes and objects written with nested `[ ... ]`, IRIs
//! compacted with the writer's prefixes (recording which were used), strings escaped.

use std::fmt::Write as _;

use super::{PREFIXES, RDF, is_safe_local};

/// A Turtle object in the tree the writer prints.
#[derive(Debug, Clone)]
pub(super) enum T {
    Iri(String),
    /// A literal or blank node label already in Turtle syntax.
    Raw(String),
    Str(String),
    Bool(bool),
    Node(Node),
    List(Vec<T>),
}

/// Predicate IRIs and objects of one node, in writing order.
pub(super) type Node = Vec<(String, T)>;

/// The Turtle printer: records which prefixes it used.
#[derive(Default)]
pub(super) struct Turtle {
    pub used: Vec<&'static str>,
    /// The first IRI that did not parse (names and sources are plain strings in the model).
    pub invalid: Option<String>,
}

impl Turtle {
    pub fn statement(&mut self, out: &mut String, subject: &T, node: &Node) {
        self.object(out, subject, 0);
        self.properties(out, node, 1);
        out.push_str(" .\n\n");
    }

    fn properties(&mut self, out: &mut String, node: &Node, depth: usize) {
        for (index, (predicate, object)) in node.iter().enumerate() {
            if index > 0 {
                out.push_str(" ;");
            }
            out.push('\n');
            indent(out, depth);
            if predicate == &format!("{RDF}type") {
                out.push('a');
            } else {
                self.iri(out, predicate);
            }
            out.push(' ');
            self.object(out, object, depth);
        }
    }

    fn object(&mut self, out: &mut String, object: &T, depth: usize) {
        match object {
            T::Iri(iri) => self.iri(out, iri),
            T::Raw(raw) => {
                // Literals carry their datatype IRI in full; compact it when we can.
                match raw.rsplit_once("^^<") {
                    Some((lexical, datatype)) if raw.starts_with('"') => {
                        out.push_str(lexical);
                        out.push_str("^^");
                        self.iri(out, datatype.trim_end_matches('>'));
                    }
                    _ => out.push_str(raw),
                }
            }
            T::Str(text) => turtle_string(out, text),
            T::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            T::Node(node) if node.is_empty() => out.push_str("[]"),
            T::Node(node) => {
                out.push('[');
                self.properties(out, node, depth + 1);
                out.push('\n');
                indent(out, depth);
                out.push(']');
            }
            T::List(items) => {
                out.push('(');
                for item in items {
                    out.push('\n');
                    indent(out, depth + 1);
                    self.object(out, item, depth + 1);
                }
                out.push('\n');
                indent(out, depth);
                out.push(')');
            }
        }
    }

    fn iri(&mut self, out: &mut String, iri: &str) {
        for (prefix, namespace) in PREFIXES {
            if let Some(local) = iri.strip_prefix(namespace)
                && is_safe_local(local)
            {
                if !self.used.contains(prefix) {
                    self.used.push(prefix);
                }
                let _ = write!(out, "{prefix}:{local}");
                return;
            }
        }
        if self.invalid.is_none() && oxiri::Iri::parse(iri).is_err() {
            self.invalid = Some(iri.to_owned());
        }
        out.push('<');
        for character in iri.chars() {
            match character {
                '\u{0}'..='\u{20}' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => {
                    let _ = write!(out, "\\u{:04X}", u32::from(character));
                }
                other => out.push(other),
            }
        }
        out.push('>');
    }
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("    ");
    }
}

pub(super) fn turtle_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 || c == '\u{7F}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
