//! The mapping document as an index from node to its (predicate, object) pairs, with the
//! lookups the parser needs and the errors they raise.

use std::collections::HashMap;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode, Term};

use super::vocab;
use crate::pipeline::mapping::{Diagnostic, Location};

pub struct Doc<'t> {
    pub text: &'t str,
    pub by_subject: HashMap<Term, Vec<(String, Term)>>,
    /// Whether any predicate is in the RML-Core namespace as written (not rewritten from legacy).
    pub uses_core_vocabulary: bool,
    /// Subjects in the order they first appear, so output follows the document.
    pub order: Vec<Term>,
}

impl<'t> Doc<'t> {
    pub fn parse(text: &'t str, base_iri: Option<&str>) -> Result<Self, Diagnostic> {
        let mut parser = RdfParser::from_format(RdfFormat::Turtle);
        if let Some(base) = base_iri {
            parser = parser.with_base_iri(base).map_err(|e| {
                Diagnostic::new(format!("invalid base IRI {base}: {e}"), Location::default())
            })?;
        }
        let mut by_subject: HashMap<Term, Vec<(String, Term)>> = HashMap::new();
        let mut order = Vec::new();
        let mut uses_core_vocabulary = false;
        for quad in parser.for_slice(text.as_bytes()) {
            let quad = quad.map_err(|e| syntax_diagnostic(&e))?;
            let subject = Term::from(quad.subject);
            uses_core_vocabulary |= quad.predicate.as_str().starts_with(vocab::RML);
            let predicate = vocab::to_core(quad.predicate.as_str()).into_owned();
            let object = match quad.object {
                Term::NamedNode(node) if predicate != vocab::rml("constant") => {
                    Term::NamedNode(NamedNode::new_unchecked(vocab::to_core(node.as_str())))
                }
                other => other,
            };
            let entry = by_subject.entry(subject.clone()).or_insert_with(|| {
                order.push(subject);
                Vec::new()
            });
            entry.push((predicate, object));
        }
        Ok(Self {
            text,
            by_subject,
            uses_core_vocabulary,
            order,
        })
    }

    pub fn values<'a>(&'a self, node: &Term, predicate: &str) -> std::vec::IntoIter<&'a Term> {
        self.by_subject
            .get(node)
            .into_iter()
            .flatten()
            .filter(|(p, _)| p == predicate)
            .map(|(_, o)| o)
            .collect::<Vec<_>>()
            .into_iter()
    }

    pub fn has(&self, node: &Term, predicate: &str) -> bool {
        self.values(node, predicate).next().is_some()
    }

    pub fn has_type(&self, node: &Term, class: &str) -> bool {
        self.values(node, vocab::RDF_TYPE)
            .any(|t| matches!(t, Term::NamedNode(n) if n.as_str() == class))
    }

    /// The one value of `predicate`, or a problem when there are several.
    pub fn one<'a>(
        &'a self,
        node: &Term,
        predicate: &str,
        at: &Location,
    ) -> Result<Option<&'a Term>, Diagnostic> {
        let mut values = self.values(node, predicate);
        let first = values.next();
        if values.next().is_some() {
            return Err(Diagnostic::new(
                format!(
                    "{} has more than one <{predicate}>; give exactly one",
                    show(node)
                ),
                self.locate(node, at),
            ));
        }
        Ok(first)
    }

    pub fn one_literal<'a>(
        &'a self,
        node: &Term,
        predicate: &str,
        at: &Location,
    ) -> Result<Option<&'a Literal>, Diagnostic> {
        match self.one(node, predicate, at)? {
            None => Ok(None),
            Some(Term::Literal(literal)) => Ok(Some(literal)),
            Some(other) => Err(Diagnostic::new(
                format!("<{predicate}> must be a string literal, found {other}"),
                self.locate(node, at),
            )),
        }
    }

    pub fn one_iri<'a>(
        &'a self,
        node: &Term,
        predicate: &str,
        at: &Location,
    ) -> Result<Option<&'a NamedNode>, Diagnostic> {
        match self.one(node, predicate, at)? {
            None => Ok(None),
            Some(Term::NamedNode(iri)) => Ok(Some(iri)),
            Some(other) => Err(Diagnostic::new(
                format!("<{predicate}> must be an IRI, found {other}"),
                self.locate(node, at),
            )),
        }
    }

    /// The members of an RDF list starting at `head` (a malformed list gives what could be read).
    pub fn list(&self, head: &Term) -> Vec<Term> {
        let first = format!("{}first", vocab::RDF);
        let rest = format!("{}rest", vocab::RDF);
        let mut members = Vec::new();
        let mut node = head.clone();
        while members.len() < 100_000 {
            let Some(member) = self.values(&node, &first).next() else {
                break;
            };
            members.push(member.clone());
            let next = self.values(&node, &rest).next().cloned();
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        members
    }

    /// `at`, plus the line and column where `node` is written, when it is named by an IRI
    /// that can be found in the text.
    pub fn locate(&self, node: &Term, at: &Location) -> Location {
        let mut location = at.clone();
        if location.line.is_none()
            && let Term::NamedNode(iri) = node
            && let Some((line, column)) = find_iri(self.text, iri.as_str())
        {
            location.line = Some(line);
            location.column = Some(column);
        }
        location
    }
}

pub fn show(node: &Term) -> String {
    match node {
        Term::BlankNode(_) => "a blank node".to_owned(),
        other => other.to_string(),
    }
}

fn syntax_diagnostic(error: &oxigraph::io::RdfSyntaxError) -> Diagnostic {
    let mut location = Location::default();
    if let Some(range) = error.location() {
        location.line = Some(range.start.line + 1);
        location.column = Some(range.start.column + 1);
    }
    Diagnostic::new(format!("Turtle syntax error: {error}"), location)
}

/// 1-based line and column of the first place the text names `iri`: in full, or by its local
/// name after a prefix or a relative `<#name>`.
fn find_iri(text: &str, iri: &str) -> Option<(u64, u64)> {
    let local = iri.rsplit(['#', '/']).next().filter(|l| !l.is_empty());
    let offset = text.find(&format!("<{iri}>")).or_else(|| {
        let local = local?;
        text.find(&format!("#{local}>")).or_else(|| {
            text.match_indices(&format!(":{local}"))
                .find(|(at, m)| {
                    let after = text[at + m.len()..].chars().next();
                    !after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
                })
                .map(|(at, _)| at)
        })
    })?;
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    Some((line, column))
}
