//! Mapping documents -> one checked model.
//!
//! parse (RML Turtle in either vocabulary, or YARRRML) -> [`model::Mapping`] -> [`check`] ->
//! [`check::CheckedMapping`], the only thing the engine runs. Every problem found on the way is a
//! [`Diagnostic`] naming where it is; a mapping with any error never reaches the engine.

pub mod canonical;
pub mod check;
pub mod functions;
pub mod model;
pub mod rml;
pub mod template;
pub mod write;
pub mod yarrrml;

use std::fmt;
use std::path::Path;

/// The language a mapping document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// RML in Turtle, RML-Core or legacy vocabulary.
    Rml,
    Yarrrml,
}

impl Syntax {
    /// From a file name: `.yml`, `.yaml` and `.yarrrml` are YARRRML, anything else RML Turtle.
    pub fn from_path(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("yml" | "yaml" | "yarrrml") => Self::Yarrrml,
            _ => Self::Rml,
        }
    }
}

/// Parses a mapping document into the model (not yet checked).
pub fn parse(
    text: &str,
    syntax: Syntax,
    base_iri: Option<&str>,
) -> Result<model::Mapping, MappingError> {
    match syntax {
        Syntax::Rml => rml::parse(text, base_iri),
        Syntax::Yarrrml => yarrrml::parse_yarrrml(text, &yarrrml::YarrrmlOptions::default())
            .map_err(|error| MappingError {
                problems: error
                    .problems
                    .into_iter()
                    .map(|problem| Diagnostic {
                        message: problem.message,
                        location: Location {
                            triples_map: problem.mapping,
                            term_map: None,
                            line: Some(problem.line as u64),
                            column: Some(problem.column as u64),
                        },
                    })
                    .collect(),
            }),
    }
}

/// Where in a mapping a problem is. Every part is optional: we say what we know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    pub triples_map: Option<String>,
    pub term_map: Option<String>,
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// One problem in a mapping: what is wrong, where, and (in the message) how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub message: String,
    pub location: Location,
}

/// A mapping that cannot be run, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct MappingError {
    pub problems: Vec<Diagnostic>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let (Some(line), Some(column)) = (self.line, self.column) {
            parts.push(format!("line {line}, column {column}"));
        }
        if let Some(map) = &self.triples_map {
            parts.push(format!("triples map {map}"));
        }
        if let Some(term_map) = &self.term_map {
            parts.push(term_map.clone());
        }
        f.write_str(&parts.join(", "))
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let location = self.location.to_string();
        if location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{location}: {}", self.message)
        }
    }
}

impl fmt::Display for MappingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [one] => write!(f, "{one}"),
            problems => {
                write!(f, "{} problems in the mapping", problems.len())?;
                for problem in problems {
                    write!(f, "\n  - {problem}")?;
                }
                Ok(())
            }
        }
    }
}

impl Diagnostic {
    pub fn new(message: impl Into<String>, location: Location) -> Self {
        Self {
            message: message.into(),
            location,
        }
    }
}

impl From<Diagnostic> for MappingError {
    fn from(problem: Diagnostic) -> Self {
        Self {
            problems: vec![problem],
        }
    }
}

impl Location {
    pub fn in_map(triples_map: impl fmt::Display) -> Self {
        Self {
            triples_map: Some(triples_map.to_string()),
            ..Self::default()
        }
    }

    pub fn with_term_map(mut self, term_map: impl fmt::Display) -> Self {
        self.term_map = Some(term_map.to_string());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64*: deterministic pseudo-random bytes without a dependency.
    fn next(state: &mut u64) -> u64 {
        *state ^= *state >> 12;
        *state ^= *state << 25;
        *state ^= *state >> 27;
        state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    const SEED_MAPPING: &str = r#"@prefix rml: <http://w3id.org/rml/> .
@prefix ex: <http://example.com/> .
ex:M a rml:TriplesMap ;
  rml:logicalSource [ rml:source "a.json" ; rml:referenceFormulation rml:JSONPath ; rml:iterator "$[*]" ] ;
  rml:subjectMap [ rml:template "http://ex.org/{id}" ; rml:class ex:C ; rml:graph ex:G ] ;
  rml:predicateObjectMap [ rml:predicate ex:p ; rml:objectMap [ rml:reference "x" ; rml:datatype ex:T ] ] ;
  rml:predicateObjectMap [ rml:predicate ex:q ; rml:objectMap [ rml:parentTriplesMap ex:M ; rml:joinCondition [ rml:child "a" ; rml:parent "b" ] ] ] .
"#;

    /// Random bytes, and random damage to a valid mapping, never panic the parsers or the checker.
    #[test]
    fn random_input_never_panics() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..3000 {
            let bytes: Vec<u8> = if round % 2 == 0 {
                let len = (next(&mut state) % 400) as usize;
                (0..len).map(|_| next(&mut state) as u8).collect()
            } else {
                let mut bytes = SEED_MAPPING.as_bytes().to_vec();
                for _ in 0..(1 + next(&mut state) % 6) {
                    let at = (next(&mut state) as usize) % bytes.len().max(1);
                    match next(&mut state) % 3 {
                        0 => bytes.truncate(at),
                        1 => bytes.insert(at, b"{}\\\"<>[];.$"[(next(&mut state) % 11) as usize]),
                        _ => {
                            if at < bytes.len() {
                                bytes.remove(at);
                            }
                        }
                    }
                }
                bytes
            };
            let text = String::from_utf8_lossy(&bytes);
            for syntax in [Syntax::Rml, Syntax::Yarrrml] {
                if let Ok(mapping) = parse(&text, syntax, Some("http://example.com/")) {
                    let _ = check::check(mapping.clone(), check::Purpose::Run);
                    let _ = check::check(mapping, check::Purpose::Convert);
                }
            }
        }
    }
}
