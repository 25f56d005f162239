//! YARRRML (YAML) -> the typed mapping model, directly (never through Turtle text).
//!
//! The translation follows what the reference parser (yarrrml-parser 1.12) produces as RML, so
//! that a YARRRML document and the RML the reference parser makes of it load into the same model
//! up to [`super::canonical`]. Shortcuts are expanded on the way: `a` becomes `rdf:type` with a
//! constant IRI, `equal` joins become join conditions, `condition`s become the reference parser's
//! `idlab-fn:trueCondition` function executions. Every problem is collected with its line and
//! column; nothing is returned unless the whole document translated.
//!
//! This module must not know about the engine, payloads or the RML Turtle syntax.

mod functions;
mod mappings;
mod sources;
mod terms;
mod yaml;

use std::collections::HashMap;

use super::model::Mapping;

/// What the reference parser's options change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YarrrmlOptions {
    /// The reference parser's `class` option: `[a, X]` becomes `rr:class X` on the subject map.
    pub class: bool,
    pub target: YarrrmlTarget,
}

/// Which of the reference parser's outputs the translation mirrors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum YarrrmlTarget {
    /// RML: sources are `rml:logicalSource`s.
    #[default]
    Rml,
    /// R2RML: sources are logical tables (`table`, `query`).
    R2rml,
}

/// One problem in a YARRRML document, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// 1-based line and column of the YAML node the problem is about.
    pub line: usize,
    pub column: usize,
    /// The key of the mapping the problem is in, when it is in one.
    pub mapping: Option<String>,
    /// The document's name when several documents were translated together.
    pub document: Option<String>,
}

impl Problem {
    pub(crate) fn at(message: String, line: usize, column: usize) -> Self {
        Self {
            message,
            line,
            column,
            mapping: None,
            document: None,
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(document) = &self.document {
            write!(f, "{document}:")?;
        }
        write!(f, "{}:{}: ", self.line, self.column)?;
        if let Some(mapping) = &self.mapping {
            write!(f, "mapping `{mapping}`: ")?;
        }
        f.write_str(&self.message)
    }
}

/// Every problem found in the YARRRML document(s).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} problem(s) in the YARRRML mapping; first: {}", .problems.len(), first(.problems))]
pub struct YarrrmlError {
    pub problems: Vec<Problem>,
}

fn first(problems: &[Problem]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

/// Translates one YARRRML document.
pub fn parse_yarrrml(text: &str, options: &YarrrmlOptions) -> Result<Mapping, YarrrmlError> {
    parse_yarrrml_documents(&[("", text)], options)
}

/// Translates several YARRRML documents as one mapping, as the reference parser does with several
/// input files: prefixes, sources and mappings are shared; the first definition of a key wins.
/// Each document is given with a name used in problems (empty for none).
pub fn parse_yarrrml_documents(
    documents: &[(&str, &str)],
    options: &YarrrmlOptions,
) -> Result<Mapping, YarrrmlError> {
    let mut problems = Vec::new();
    let mut parsed = Vec::new();
    for (name, text) in documents {
        let named = |mut problem: Problem| {
            if !name.is_empty() {
                problem.document = Some((*name).to_owned());
            }
            problem
        };
        match yaml::parse(text) {
            Ok(root) => parsed.push((*name, root)),
            Err(problem) => problems.push(named(problem)),
        }
    }
    let mut document = Document::default();
    for (name, root) in &parsed {
        document.add(name, root, &mut problems);
    }
    let mapping = mappings::translate(&document, options, &mut problems);
    if problems.is_empty() {
        Ok(mapping)
    } else {
        Err(YarrrmlError { problems })
    }
}

/// The documents' top-level parts, combined.
#[derive(Default)]
struct Document<'a> {
    pub prefixes: HashMap<String, String>,
    pub external: HashMap<String, String>,
    pub sources: Vec<(&'a str, &'a yaml::Node)>,
    /// Mapping key, its node, and the name of the document it is in.
    pub mappings: Vec<(&'a str, &'a yaml::Node, &'a str)>,
    pub base: Option<String>,
}

impl<'a> Document<'a> {
    fn add(&mut self, name: &'a str, root: &'a yaml::Node, problems: &mut Vec<Problem>) {
        let located = |node: &yaml::Node, message: String| {
            let mut problem = Problem::at(message, node.line, node.column);
            if !name.is_empty() {
                problem.document = Some(name.to_owned());
            }
            problem
        };
        if !root.is_null() && !matches!(root.value, yaml::Value::Map(_)) {
            problems.push(located(root, "a YARRRML document must be a mapping".into()));
            return;
        }
        for (key, target) in [
            ("prefixes", &mut self.prefixes),
            ("external", &mut self.external),
        ] {
            for (prefix, value) in root
                .get(&[key])
                .map(yaml::Node::entries)
                .unwrap_or_default()
            {
                match value.as_str() {
                    Some(iri) => {
                        target
                            .entry(prefix.clone())
                            .or_insert_with(|| iri.to_owned());
                    }
                    None => {
                        problems.push(located(value, format!("`{key}.{prefix}` must be a string")))
                    }
                }
            }
        }
        if let Some(base) = root.get(&["base"]) {
            match base.as_str() {
                Some(iri) => {
                    self.base.get_or_insert_with(|| iri.to_owned());
                }
                None => problems.push(located(base, "`base` must be a string".into())),
            }
        }
        for (key, node) in root
            .get(&["sources"])
            .map(yaml::Node::entries)
            .unwrap_or_default()
        {
            if !self.sources.iter().any(|(k, _)| k == key) {
                self.sources.push((key, node));
            }
        }
        let Some(mappings) = root.get(&["mappings", "m", "mapping"]) else {
            return;
        };
        if !matches!(mappings.value, yaml::Value::Map(_)) {
            problems.push(located(
                mappings,
                "`mappings` must be a mapping of names to rules".into(),
            ));
        }
        for (key, node) in mappings.entries() {
            if !self.mappings.iter().any(|(k, _, _)| k == key) {
                self.mappings.push((key, node, name));
            }
        }
    }
}

#[cfg(test)]
mod tests;
