//! Values as the reference parser reads them: prefixed names, `$(reference)` templates with their
//! escapes (`\(`, `\)`, `\\`, `\:`, `\_`), external references (`$(_name)`), and the choice
//! between a constant, a reference and a template.

use std::collections::HashMap;

use oxigraph::model::{Literal, NamedNode, Term};

use super::yaml::Node;
use super::{Problem, YarrrmlOptions};
use crate::pipeline::mapping::model::{Expression, Template, TemplatePart, TermMap, TermType};

/// The prefixes every YARRRML document may use without declaring them (the RDFa initial
/// context the reference parser ships), plus the IDLab function namespace.
const DEFAULT_PREFIXES: &[(&str, &str)] = &[
    ("as", "https://www.w3.org/ns/activitystreams#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("duv", "https://www.w3.org/TR/vocab-duv#"),
    ("cat", "http://www.w3.org/ns/dcat#"),
    ("qb", "http://purl.org/linked-data/cube#"),
    ("grddl", "http://www.w3.org/2003/g/data-view#"),
    ("ldp", "http://www.w3.org/ns/ldp#"),
    ("oa", "http://www.w3.org/ns/oa#"),
    ("ma", "http://www.w3.org/ns/ma-ont#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfa", "http://www.w3.org/ns/rdfa#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("rif", "http://www.w3.org/2007/rif#"),
    ("rr", "http://www.w3.org/ns/r2rml#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("skosxl", "http://www.w3.org/2008/05/skos-xl#"),
    ("wdr", "http://www.w3.org/2007/05/powder#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("wdrs", "http://www.w3.org/2007/05/powder-s#"),
    ("xhv", "http://www.w3.org/1999/xhtml/vocab#"),
    ("xml", "http://www.w3.org/XML/1998/namespace"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("sd", "http://www.w3.org/ns/sparql-service-description#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("gldp", "http://www.w3.org/ns/people#"),
    ("cnt", "http://www.w3.org/2008/content#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("earl", "http://www.w3.org/ns/earl#"),
    ("ht", "http://www.w3.org/2006/http#"),
    ("ptr", "http://www.w3.org/2009/pointers#"),
    ("cc", "http://creativecommons.org/ns#"),
    ("ctag", "http://commontag.org/ns#"),
    ("dc", "http://purl.org/dc/terms/"),
    ("dc11", "http://purl.org/dc/elements/1.1/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("gr", "http://purl.org/goodrelations/v1#"),
    ("ical", "http://www.w3.org/2002/12/cal/icaltzd#"),
    ("og", "http://ogp.me/ns#"),
    ("rev", "http://purl.org/stuff/rev#"),
    ("sioc", "http://rdfs.org/sioc/ns#"),
    ("v", "http://rdf.data-vocabulary.org/#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("schema", "http://schema.org/"),
    ("ssn", "http://www.w3.org/ns/ssn/"),
    ("sosa", "http://www.w3.org/ns/sosa/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("idlab-fn", IDLAB_FN),
];

pub(super) const IDLAB_FN: &str = "https://w3id.org/imec/idlab/function#";
pub(super) const GREL: &str = "http://users.ugent.be/~bjdmeest/function/grel.ttl#";
pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub(super) const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// URI schemes that are not prefixes: `urn:x` in an IRI position is not an unknown prefix.
const SCHEMES: &[&str] = &["urn", "mailto", "tag", "file", "data", "ftp", "did", "tel"];

/// How a value was written: the reference parser's three cases.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Classified {
    Constant(String),
    Reference(String),
    Template(Template),
}

/// Where a translation is: the shared tables, the options and the problem list.
pub(super) struct Ctx<'a> {
    pub prefixes: &'a HashMap<String, String>,
    pub external: &'a HashMap<String, String>,
    pub options: YarrrmlOptions,
    pub problems: &'a mut Vec<Problem>,
    pub mapping: Option<String>,
    pub document: Option<String>,
}

impl Ctx<'_> {
    pub fn problem(&mut self, node: &Node, message: impl Into<String>) {
        self.problems.push(Problem {
            message: message.into(),
            line: node.line,
            column: node.column,
            mapping: self.mapping.clone(),
            document: self.document.clone(),
        });
    }

    /// The node's text, or a problem saying what was expected.
    pub fn text<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n str> {
        let text = node.as_str();
        if text.is_none() {
            self.problem(node, format!("{what} must be a string"));
        }
        text
    }

    fn namespace(&self, prefix: &str) -> Option<&str> {
        self.prefixes.get(prefix).map(String::as_str).or_else(|| {
            DEFAULT_PREFIXES
                .iter()
                .find(|(p, _)| *p == prefix)
                .map(|(_, ns)| *ns)
        })
    }

    /// Expands a prefixed name the way the reference parser does (anything containing `http://`
    /// or `https://` is left alone; `\:` is a colon that does not end a prefix). An unknown
    /// prefix is a problem when `iri` says the value must be an IRI.
    pub fn expand(&mut self, value: &str, node: &Node, iri: bool) -> String {
        if value.contains("http://") || value.contains("https://") {
            return value.to_owned();
        }
        let Some(colon) = unescaped_colon(value) else {
            return value.replace("\\:", ":");
        };
        let (prefix, rest) = (&value[..colon], &value[colon + 1..]);
        if rest.starts_with(' ') {
            return value.replace("\\:", ":");
        }
        if let Some(namespace) = self.namespace(prefix) {
            return format!("{namespace}{}", rest.replace("\\:", ":"));
        }
        let name_like = !prefix.is_empty()
            && prefix
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if iri && name_like && !rest.starts_with("//") && !SCHEMES.contains(&prefix) {
            self.problem(node, format!("unknown prefix `{prefix}` in `{value}`"));
        }
        value.replace("\\:", ":")
    }

    /// Classifies a value: `$(x)` alone is a reference, text without `$(` or escapes is a
    /// constant (prefix expanded), anything else is a template (prefix expanded on its text).
    pub fn classify(&mut self, raw: &str, node: &Node, iri: bool) -> Classified {
        let (tokens, changed) = tokenize(raw);
        if let [TemplatePart::Reference(reference)] = tokens.as_slice() {
            if let Some(value) = self.external_value(reference) {
                return Classified::Constant(value);
            }
            let reference = reference.replace("\\_", "_");
            return Classified::Reference(self.expand(&reference, node, false));
        }
        if !changed {
            return Classified::Constant(self.expand(raw, node, iri));
        }
        // Expand a prefix only when it lies in the leading text (a colon inside a reference is
        // part of the reference).
        let mut parts = tokens;
        let joined_has_http = parts.iter().any(|part| match part {
            TemplatePart::Text(t) | TemplatePart::Reference(t) => {
                t.contains("http://") || t.contains("https://")
            }
        });
        if !joined_has_http {
            if let Some(TemplatePart::Text(first)) = parts.first_mut() {
                if unescaped_colon(first).is_some() {
                    *first = self.expand(first, node, iri);
                }
            }
            for part in &mut parts {
                if let TemplatePart::Text(text) = part {
                    *text = text.replace("\\:", ":");
                }
            }
        }
        let parts = parts
            .into_iter()
            .map(|part| match part {
                TemplatePart::Reference(reference) => match self.external_value(&reference) {
                    Some(value) => TemplatePart::Text(value),
                    None => TemplatePart::Reference(reference.replace("\\_", "_")),
                },
                TemplatePart::Text(text) => TemplatePart::Text(text.replace("\\_", "_")),
            })
            .collect();
        Classified::Template(Template {
            parts: merge_text(parts),
        })
    }

    fn external_value(&self, reference: &str) -> Option<String> {
        reference
            .strip_prefix('_')
            .and_then(|name| self.external.get(name))
            .cloned()
    }

    /// An IRI, or a problem.
    pub fn iri(&mut self, value: &str, node: &Node) -> Option<NamedNode> {
        match NamedNode::new(value) {
            Ok(iri) => Some(iri),
            Err(error) => {
                self.problem(
                    node,
                    format!("`{value}` is not a valid absolute IRI: {error}"),
                );
                None
            }
        }
    }

    /// A prefixed name or IRI that must be a constant IRI (predicate of a function parameter,
    /// datatype, class, function name).
    pub fn constant_iri(&mut self, raw: &str, node: &Node) -> Option<NamedNode> {
        let expanded = self.expand(raw, node, true);
        self.iri(&expanded, node)
    }

    /// A term map for a value in a position whose terms are of `term_type`; `explicit` says
    /// whether the reference parser writes the term type (it does on object maps).
    pub fn term_map(
        &mut self,
        raw: &str,
        node: &Node,
        term_type: TermType,
        explicit: bool,
    ) -> Option<TermMap> {
        let iri = matches!(term_type, TermType::Iri);
        let expression = match self.classify(raw, node, iri) {
            Classified::Constant(value) => match term_type {
                TermType::Iri | TermType::UnsafeIri | TermType::Uri => {
                    Expression::Constant(Term::NamedNode(self.iri(&value, node)?))
                }
                TermType::Literal | TermType::BlankNode => {
                    Expression::Constant(Term::Literal(Literal::new_simple_literal(value)))
                }
            },
            Classified::Reference(reference) => Expression::Reference(reference),
            Classified::Template(template) => Expression::Template(template),
        };
        let is_iri_constant = matches!(expression, Expression::Constant(Term::NamedNode(_)));
        let mut map = TermMap::of(expression);
        if explicit && !is_iri_constant {
            map.term_type = Some(term_type);
        }
        Some(map)
    }
}

/// Template tokens with `\\`, `\(`, `\)` resolved, and whether anything was a template or an
/// escape. Other escapes (`\:`, `\_`) are kept for the later steps.
fn tokenize(raw: &str) -> (Vec<TemplatePart>, bool) {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut changed = false;
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('\\', Some(&c @ ('\\' | '(' | ')'))) => {
                text.push(c);
                changed = true;
                i += 2;
            }
            ('$', Some('(')) => match reference_end(&chars, i + 2) {
                Some((reference, end)) => {
                    if !text.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut text)));
                    }
                    parts.push(TemplatePart::Reference(reference));
                    changed = true;
                    i = end + 1;
                }
                None => {
                    text.push('$');
                    i += 1;
                }
            },
            (c, _) => {
                text.push(c);
                i += 1;
            }
        }
    }
    if !text.is_empty() {
        parts.push(TemplatePart::Text(text));
    }
    (parts, changed)
}

/// The reference text from `start` to the first unescaped `)`, and that parenthesis' index.
fn reference_end(chars: &[char], start: usize) -> Option<(String, usize)> {
    let mut reference = String::new();
    let mut i = start;
    while i < chars.len() {
        match (chars[i], chars.get(i + 1)) {
            ('\\', Some(&c @ ('\\' | '(' | ')'))) => {
                reference.push(c);
                i += 2;
            }
            (')', _) => return Some((reference, i)),
            (c, _) => {
                reference.push(c);
                i += 1;
            }
        }
    }
    None
}

fn unescaped_colon(value: &str) -> Option<usize> {
    let bytes = value.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b':' && (i == 0 || bytes[i - 1] != b'\\'))
}

fn merge_text(parts: Vec<TemplatePart>) -> Vec<TemplatePart> {
    let mut merged: Vec<TemplatePart> = Vec::with_capacity(parts.len());
    for part in parts {
        match (merged.last_mut(), part) {
            (_, TemplatePart::Text(text)) if text.is_empty() => {}
            (Some(TemplatePart::Text(previous)), TemplatePart::Text(text)) => {
                previous.push_str(&text);
            }
            (_, part) => merged.push(part),
        }
    }
    merged
}
