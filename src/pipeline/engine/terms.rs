//! Compiled term maps and term generation: a record's values -> RDF terms, with RML-Core's
//! rules for IRI-safe templates, base IRIs, blank nodes, natural datatypes and language tags.

use std::fmt::Write as _;

use oxigraph::model::vocab::xsd;
use oxigraph::model::{BlankNode, Literal, NamedNode, Term};

use super::EngineError;
use crate::pipeline::mapping::check::is_valid_language_tag;
use crate::pipeline::payload::{Record, Value, ValueKind};

/// An expression with its references resolved to indexes into the iterator's reference list.
#[derive(Debug, Clone)]
pub enum CompiledExpression {
    Constant(Term),
    Reference(usize),
    Template(Vec<Part>),
    Function(Box<super::functions::CompiledFunction>),
    /// A gather map's collection without a name of its own: a fresh blank node.
    FreshBlankNode,
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Reference(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IriStyle {
    /// Template values are percent-encoded except for iunreserved characters (RML-Core IRI).
    Safe,
    /// Like `Safe`, and non-ASCII characters are encoded too (RML-Core URI).
    Uri,
    /// Template values are used as they are (RML-Core UnsafeIRI).
    Unsafe,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Iri(IriStyle),
    BlankNode,
    Literal {
        language: Option<Box<CompiledTermMap>>,
        datatype: Option<Box<CompiledTermMap>>,
        /// Whether references give `xsd:integer`/`xsd:double`/`xsd:boolean` from the payload's types.
        natural: bool,
    },
}

#[derive(Debug, Clone)]
pub struct CompiledTermMap {
    pub expression: CompiledExpression,
    pub kind: Kind,
    /// Where it is, for data errors.
    pub label: String,
    pub invalid_iri: InvalidIri,
    /// The IRIs this term map makes are valid whatever the values (checked when compiled, see
    /// `plan`), so they are not parsed again for each record.
    pub iri_checked: bool,
    /// RML-CC: the term is a collection of the gathered values (named by `expression` unless
    /// that is a fresh blank node).
    pub gather: Option<Box<super::gather::CompiledGather>>,
}

/// What to do with a generated IRI that is not valid: RML-Core says it is an error; legacy
/// processors skip the term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidIri {
    Error,
    Skip,
}

/// Per-run context for term generation.
pub struct TermContext<'a> {
    pub base_iri: &'a str,
    /// Numbering for fresh blank nodes.
    pub fresh: &'a mut u64,
    /// Triples of the RDF collections gather maps make.
    pub collections: &'a mut super::gather::Collections,
}

impl CompiledTermMap {
    /// The raw values of the expression on this record (several for multi-valued references;
    /// none when a reference is absent).
    pub fn values<'r>(
        &self,
        record: &'r dyn Record,
        out: &mut Vec<Value<'r>>,
    ) -> Result<(), EngineError> {
        match &self.expression {
            CompiledExpression::Constant(term) => out.push(Value::string(constant_text(term))),
            CompiledExpression::Reference(index) => record.values(*index, out),
            CompiledExpression::Template(parts) => {
                template_values(parts, record, self.template_style(), out)?
            }
            CompiledExpression::Function(function) => function.call(record, out)?,
            CompiledExpression::FreshBlankNode => {}
        }
        Ok(())
    }

    fn template_style(&self) -> Option<IriStyle> {
        match self.kind {
            Kind::Iri(style) => Some(style),
            Kind::BlankNode | Kind::Literal { .. } => None,
        }
    }

    /// The terms this term map generates on a record, appended to `out`.
    pub fn terms(
        &self,
        record: &dyn Record,
        context: &mut TermContext<'_>,
        out: &mut Vec<Term>,
    ) -> Result<(), EngineError> {
        match &self.gather {
            Some(gather) => super::gather::terms(self, gather, record, context, out),
            None => self.plain_terms(record, context, out),
        }
    }

    pub fn is_fresh_blank_node(&self) -> bool {
        matches!(self.expression, CompiledExpression::FreshBlankNode)
    }

    /// The terms of the expression itself (for a gather map: the collection's name).
    pub fn plain_terms(
        &self,
        record: &dyn Record,
        context: &mut TermContext<'_>,
        out: &mut Vec<Term>,
    ) -> Result<(), EngineError> {
        if let CompiledExpression::Constant(term) = &self.expression {
            out.push(term.clone());
            return Ok(());
        }
        if let CompiledExpression::FreshBlankNode = &self.expression {
            *context.fresh += 1;
            out.push(BlankNode::new_unchecked(format!("g{}", context.fresh)).into());
            return Ok(());
        }
        let mut values = Vec::new();
        self.values(record, &mut values)?;
        for value in values {
            match self.term(value, record, context) {
                Ok(term) => out.push(term),
                Err(EngineError::InvalidIri { .. }) if self.invalid_iri == InvalidIri::Skip => {}
                Err(error) => return Err(error),
            }
        }
        Ok(())
    }

    fn term(
        &self,
        value: Value<'_>,
        record: &dyn Record,
        context: &mut TermContext<'_>,
    ) -> Result<Term, EngineError> {
        match &self.kind {
            Kind::Iri(style) => self
                .iri(&value.text, context.base_iri, *style)
                .map(Term::from),
            Kind::BlankNode => Ok(blank_node(&value.text).into()),
            Kind::Literal {
                language,
                datatype,
                natural,
            } => {
                if let Some(language) = language {
                    let tag = single_value(language, record)?;
                    let literal = is_valid_language_tag(&tag)
                        .then(|| {
                            Literal::new_language_tagged_literal(value.text.as_ref(), tag.as_str())
                                .ok()
                        })
                        .flatten();
                    return literal.map(Term::from).ok_or_else(|| EngineError::Data {
                        place: self.label.clone(),
                        message: format!("`{tag}` is not a valid language tag"),
                    });
                }
                if let Some(datatype) = datatype {
                    let text = single_value(datatype, record)?;
                    // A relative datatype IRI is resolved like any generated IRI.
                    let iri = datatype
                        .iri(&text, context.base_iri, IriStyle::Safe)
                        .map_err(|_| EngineError::Data {
                            place: self.label.clone(),
                            message: format!("`{text}` is not a valid datatype IRI"),
                        })?;
                    return Ok(Literal::new_typed_literal(value.text, iri).into());
                }
                // RML-Core's natural RDF literals: a computed value keeps its payload type.
                let computed = matches!(
                    self.expression,
                    CompiledExpression::Reference(_) | CompiledExpression::Function(_)
                );
                let natural_type = match (*natural && computed, value.kind) {
                    (true, ValueKind::Integer) => Some(xsd::INTEGER),
                    (true, ValueKind::Double) => Some(xsd::DOUBLE),
                    (true, ValueKind::Boolean) => Some(xsd::BOOLEAN),
                    _ => None,
                };
                Ok(match natural_type {
                    Some(datatype) => Literal::new_typed_literal(value.text, datatype),
                    None => Literal::new_simple_literal(value.text),
                }
                .into())
            }
        }
    }

    /// An IRI from a value: template values are already escaped; a relative result is
    /// appended to the base IRI (RML-Core resolves by concatenation), then validated unless
    /// the term type is `rml:UnsafeIRI`.
    fn iri(&self, text: &str, base_iri: &str, style: IriStyle) -> Result<NamedNode, EngineError> {
        let candidate = if has_scheme(text) {
            text.to_owned()
        } else {
            format!("{base_iri}{text}")
        };
        if style == IriStyle::Unsafe || self.iri_checked {
            return Ok(NamedNode::new_unchecked(candidate));
        }
        match oxiri::Iri::parse(candidate.as_str()) {
            Ok(_) => Ok(NamedNode::new_unchecked(candidate)),
            Err(e) => Err(EngineError::InvalidIri {
                place: self.label.clone(),
                message: format!("`{candidate}` is not a valid IRI ({e})"),
            }),
        }
    }
}

fn single_value(map: &CompiledTermMap, record: &dyn Record) -> Result<String, EngineError> {
    let mut values = Vec::new();
    map.values(record, &mut values)?;
    match values.as_slice() {
        [one] => Ok(one.text.to_string()),
        _ => Err(EngineError::Data {
            place: map.label.clone(),
            message: format!("expected exactly one value, found {}", values.len()),
        }),
    }
}

fn constant_text(term: &Term) -> String {
    match term {
        Term::NamedNode(n) => n.as_str().to_owned(),
        Term::BlankNode(b) => b.as_str().to_owned(),
        Term::Literal(l) => l.value().to_owned(),
    }
}

/// `scheme:` per RFC 3987: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A blank node named by a value: the value itself when it is a valid label, else its hex.
fn blank_node(text: &str) -> BlankNode {
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return BlankNode::new_unchecked(format!("v{text}"));
    }
    let mut label = String::with_capacity(1 + text.len() * 2);
    label.push('x');
    for byte in text.bytes() {
        let _ = write!(label, "{byte:02x}");
    }
    BlankNode::new_unchecked(label)
}

fn template_values<'r>(
    parts: &[Part],
    record: &'r dyn Record,
    style: Option<IriStyle>,
    out: &mut Vec<Value<'r>>,
) -> Result<(), EngineError> {
    // Values per reference part; a part with no value means no term at all.
    let mut per_part: Vec<Vec<Value<'r>>> = Vec::with_capacity(parts.len());
    for part in parts {
        if let Part::Reference(index) = part {
            let mut values = Vec::new();
            record.values(*index, &mut values);
            if values.is_empty() {
                return Ok(());
            }
            per_part.push(values);
        }
    }
    check_combinations(per_part.iter().map(Vec::len), "template")?;
    // Cartesian product over multi-valued references, in order.
    let mut counters = vec![0usize; per_part.len()];
    loop {
        let mut text = String::new();
        let mut slot = 0;
        for part in parts {
            match part {
                Part::Text(t) => text.push_str(t),
                Part::Reference(_) => {
                    if let Some(value) = per_part
                        .get(slot)
                        .and_then(|v| v.get(counters.get(slot).copied().unwrap_or(0)))
                    {
                        match style {
                            Some(IriStyle::Unsafe) | None => text.push_str(&value.text),
                            Some(IriStyle::Safe) => percent_encode(&value.text, false, &mut text),
                            Some(IriStyle::Uri) => percent_encode(&value.text, true, &mut text),
                        }
                    }
                    slot += 1;
                }
            }
        }
        out.push(Value::string(text));
        // Advance the odometer.
        let mut position = counters.len();
        loop {
            if position == 0 {
                return Ok(());
            }
            position -= 1;
            let len = per_part.get(position).map_or(0, Vec::len);
            if let Some(counter) = counters.get_mut(position) {
                *counter += 1;
                if *counter < len {
                    break;
                }
                *counter = 0;
            }
        }
    }
}

/// Percent-encodes everything but iunreserved characters (RFC 3987); with `ascii_only`, also
/// non-ASCII characters (URI-safe).
pub fn percent_encode(value: &str, ascii_only: bool, out: &mut String) {
    for c in value.chars() {
        let keep = c.is_ascii_alphanumeric()
            || matches!(c, '-' | '.' | '_' | '~')
            || (!ascii_only && is_ucschar(c));
        if keep {
            out.push(c);
        } else {
            let mut buffer = [0u8; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
}

fn is_ucschar(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0xD7FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF | 0x10000..=0x1FFFD | 0x20000..=0x2FFFD
        | 0x30000..=0x3FFFD | 0x40000..=0x4FFFD | 0x50000..=0x5FFFD | 0x60000..=0x6FFFD
        | 0x70000..=0x7FFFD | 0x80000..=0x8FFFD | 0x90000..=0x9FFFD | 0xA0000..=0xAFFFD
        | 0xB0000..=0xBFFFD | 0xC0000..=0xCFFFD | 0xD0000..=0xDFFFD | 0xE1000..=0xEFFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_keeps_iunreserved_only() {
        let cases = [
            ("Bob", false, "Bob"),
            ("Emily Smith", false, "Emily%20Smith"),
            (
                "http://example.com/company/Alice",
                false,
                "http%3A%2F%2Fexample.com%2Fcompany%2FAlice",
            ),
            ("path/../Danny", false, "path%2F..%2FDanny"),
            ("Zürich", false, "Zürich"),
            ("Zürich", true, "Z%C3%BCrich"),
            ("a~b_c-d.e", false, "a~b_c-d.e"),
            ("{}#?", false, "%7B%7D%23%3F"),
        ];
        for (input, ascii, expected) in cases {
            let mut out = String::new();
            percent_encode(input, ascii, &mut out);
            assert_eq!(out, expected, "{input}");
        }
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("http://x"));
        assert!(has_scheme("urn:isbn:1"));
        assert!(!has_scheme("Bob"));
        assert!(!has_scheme("1a:b"));
        assert!(!has_scheme("path/x:y"));
    }

    #[test]
    fn blank_node_labels_are_valid_and_stable() {
        for text in ["abc", "a b", "", "Zürich", "_:x"] {
            let node = blank_node(text);
            assert_eq!(node, blank_node(text));
            assert!(BlankNode::new(node.as_str()).is_ok(), "{text}");
        }
        assert_ne!(blank_node("a b"), blank_node("a_b"));
    }
}

/// Templates and gather maps over multi-valued references make every combination of values; a
/// payload with long arrays could ask for billions. Past this many, the record is a data error
/// (and the payload goes to the quarantine) instead of exhausting memory. The same limit as for
/// function calls.
pub fn check_combinations(
    counts: impl Iterator<Item = usize>,
    what: &str,
) -> Result<(), EngineError> {
    let limit = crate::pipeline::mapping::functions::MAX_COMBINATIONS;
    let mut total: usize = 1;
    for count in counts {
        total = total.saturating_mul(count);
        if total > limit {
            return Err(EngineError::Data {
                place: what.to_owned(),
                message: format!("the values of this record make more than {limit} combinations"),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod combination_tests {
    use super::*;

    #[test]
    fn combinations_past_the_limit_are_a_data_error() {
        assert!(check_combinations([100, 100].into_iter(), "t").is_ok());
        assert!(check_combinations([1000, 1000].into_iter(), "t").is_err());
        assert!(check_combinations([usize::MAX, 2].into_iter(), "t").is_err());
    }
}
