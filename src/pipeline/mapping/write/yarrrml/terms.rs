//! Term maps in the YARRRML forms the translator reads back: subjects as strings (with
//! `~blanknode`) or functions, graphs and predicates as strings, objects in the long form
//! (`value`, `type`, `datatype`, `language`) or as functions.

use oxigraph::model::Term;

use super::Yarrrml;
use crate::pipeline::mapping::model::{Expression, TermMap, TermType};
use crate::pipeline::mapping::write::WriteError;
use crate::pipeline::mapping::write::yaml::Y;

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

fn entry(key: &str, value: Y) -> (String, Y) {
    (key.to_owned(), value)
}

fn word(key: &str, value: &str) -> (String, Y) {
    entry(key, Y::Str(value.to_owned()))
}

/// The term type a term map has once its default is resolved, as the canonical form resolves
/// it for objects and function inputs.
pub(super) fn object_term_type(term: &TermMap) -> TermType {
    term.term_type.unwrap_or(match &term.expression {
        Expression::Reference(_) | Expression::Function(_) => TermType::Literal,
        _ if term.datatype.is_some() || term.language.is_some() => TermType::Literal,
        Expression::Absent | Expression::Constant(Term::BlankNode(_)) => TermType::BlankNode,
        Expression::Constant(Term::Literal(_)) => TermType::Literal,
        _ => TermType::Iri,
    })
}

impl Yarrrml<'_> {
    /// Gather maps, datatypes and languages, where the position has none.
    fn plain(&self, term: &TermMap) -> Result<(), WriteError> {
        if term.gather.is_some() {
            return Err(self.unsupported("a gather map (RML-CC)"));
        }
        if term.datatype.is_some() || term.language.is_some() {
            return Err(self.unsupported("a datatype or language outside an object"));
        }
        Ok(())
    }

    /// `s`: `None` for a fresh blank node per record (no `s` at all).
    pub(super) fn subject(&mut self, term: &TermMap) -> Result<Option<Y>, WriteError> {
        self.plain(term)?;
        let blank = match term.term_type {
            None | Some(TermType::Iri | TermType::Uri) => false,
            Some(TermType::BlankNode) => true,
            Some(_) => return Err(self.unsupported("a subject that is neither IRI nor blank")),
        };
        if let Expression::Function(execution) = &term.expression {
            let mut entries = self.function(execution)?;
            if blank {
                entries.push(word("type", "blank"));
            }
            return Ok(Some(Y::Map(entries)));
        }
        if blank && term.expression == Expression::Absent {
            return Ok(None);
        }
        let text = self.text(&term.expression, blank)?;
        Ok(Some(Y::Str(if blank {
            format!("{text}~blanknode")
        } else {
            text
        })))
    }

    /// A graph or predicate: a string (IRI-valued), or for graphs a function.
    pub(super) fn iri_term(&mut self, term: &TermMap, graph: bool) -> Result<Y, WriteError> {
        self.plain(term)?;
        if !matches!(term.term_type, None | Some(TermType::Iri | TermType::Uri)) {
            return Err(self.unsupported("a graph or predicate that is not an IRI"));
        }
        match &term.expression {
            Expression::Function(execution) if graph => Ok(Y::Map(self.function(execution)?)),
            Expression::Function(_) => Err(self.unsupported("a function as predicate")),
            expression => Ok(Y::Str(self.text(expression, false)?)),
        }
    }

    /// An object term map in the long form.
    pub(super) fn object(&mut self, term: &TermMap) -> Result<Y, WriteError> {
        if term.gather.is_some() {
            return Err(self.unsupported("a gather map (RML-CC)"));
        }
        let term_type = object_term_type(term);
        let mut entries = match &term.expression {
            Expression::Function(execution) => self.function(execution)?,
            Expression::Absent => Vec::new(),
            expression => vec![entry(
                "value",
                Y::Str(self.text(expression, term_type == TermType::BlankNode)?),
            )],
        };
        match (&term.expression, term_type) {
            (Expression::Constant(Term::NamedNode(_)), TermType::Literal | TermType::BlankNode) => {
                return Err(self.unsupported("a constant IRI as a literal or blank node"));
            }
            (Expression::Absent, TermType::BlankNode) => entries.push(word("type", "blank")),
            (Expression::Absent, _) => {
                return Err(self.unsupported("an object without a value that is not blank"));
            }
            (Expression::Function(_), TermType::BlankNode) => {
                return Err(self.unsupported("a function making blank nodes as object"));
            }
            (_, TermType::Iri | TermType::Uri) => entries.push(word("type", "iri")),
            (_, TermType::BlankNode) => entries.push(word("type", "blank")),
            (_, TermType::UnsafeIri) => return Err(self.unsupported("an unsafe IRI term type")),
            (_, TermType::Literal) => {}
        }
        let mut datatype = term.datatype.as_deref().map(|d| d.expression.clone());
        let mut language = term.language.as_deref().map(|l| l.expression.clone());
        if let Expression::Constant(Term::Literal(literal)) = &term.expression {
            let tag = literal.language().map(|tag| {
                Expression::Constant(Term::Literal(oxigraph::model::Literal::new_simple_literal(
                    tag,
                )))
            });
            let typed = (tag.is_none() && literal.datatype().as_str() != XSD_STRING)
                .then(|| Expression::Constant(Term::NamedNode(literal.datatype().into_owned())));
            if (tag.is_some() || typed.is_some()) && term_type != TermType::Literal {
                return Err(self.unsupported("a typed or tagged literal as an IRI"));
            }
            if (tag.is_some() && language.is_some()) || (typed.is_some() && datatype.is_some()) {
                return Err(self.unsupported("a typed or tagged constant with its own map"));
            }
            language = language.or(tag);
            datatype = datatype.or(typed);
        }
        if datatype.is_some() && language.is_some() {
            return Err(self.unsupported("both a datatype and a language"));
        }
        if let Some(datatype) = datatype {
            let Expression::Constant(Term::NamedNode(iri)) = datatype else {
                return Err(self.unsupported("a datatype map that is not a constant IRI"));
            };
            let name = self.iri_name(iri.as_str());
            entries.push(word("datatype", &name));
        }
        if let Some(language) = language {
            let text = match &language {
                Expression::Constant(Term::Literal(tag)) => self.constant(tag.value()),
                Expression::Reference(_) | Expression::Template(_) => {
                    self.text(&language, false)?
                }
                _ => return Err(self.unsupported("a language map that is not text")),
            };
            entries.push(word("language", &text));
        }
        Ok(Y::Map(entries))
    }

    /// The text of a constant, reference or template; `blank` when the translator reads it as
    /// a blank node label (a constant there is a simple literal).
    pub(super) fn text(
        &mut self,
        expression: &Expression,
        blank: bool,
    ) -> Result<String, WriteError> {
        match expression {
            Expression::Constant(Term::NamedNode(iri)) if !blank => Ok(self.iri(iri.as_str())),
            Expression::Constant(Term::Literal(literal))
                if !blank || literal.datatype().as_str() == XSD_STRING =>
            {
                Ok(self.constant(literal.value()))
            }
            Expression::Constant(_) => Err(self.unsupported("a constant blank node label")),
            Expression::Reference(reference) => self.reference(reference),
            Expression::Template(template) => self.template(template),
            Expression::Function(_) | Expression::Absent => {
                Err(self.unsupported("a function or an absent value here"))
            }
        }
    }
}
