//! Values as YARRRML text that the translator reads back as exactly the same expression.
//!
//! The translator's rules (see `crate::pipeline::mapping::yarrrml::terms`) decide the encoding: `$(x)`
//! alone is a reference, text without `$(` or escapes is a constant, anything else a template;
//! `\\`, `\(` and `\)` are escapes; a prefix before the first unescaped colon is expanded unless
//! the value contains `http://` or `https://`, and `\:` is a colon that is not one; `\_` is `_`;
//! `~iri`, `~lang` and `~blanknode` are markers. What plain text cannot carry goes through an
//! external reference (`$(_citykg-N)`, declared under `external:`), which the translator
//! replaces by its value verbatim: a constant with a backslash or `$(`, a template without
//! references, a template that is one reference.

use super::Yarrrml;
use crate::pipeline::mapping::model::{Template, TemplatePart};
use crate::pipeline::mapping::write::{PREFIXES, WriteError, is_safe_local};

/// Markers the translator looks for inside values.
const MARKERS: &[&str] = &["~iri", "~lang", "~blanknode"];
/// External references the writer declares start with this (after the `_` that marks them).
const EXTERNAL: &str = "citykg-";

impl Yarrrml<'_> {
    /// An IRI in a position the translator reads with `expand` only (datatype, function,
    /// parameter name): `prefix:local` when a known prefix fits, else in full with `\:` for
    /// colons that would otherwise read as a prefix.
    pub(super) fn iri_name(&mut self, iri: &str) -> String {
        for (prefix, namespace) in PREFIXES {
            if let Some(local) = iri.strip_prefix(namespace)
                && is_safe_local(local)
            {
                if !self.used.contains(prefix) {
                    self.used.push(prefix);
                }
                return format!("{prefix}:{local}");
            }
        }
        no_prefix(iri)
    }

    /// A constant IRI in a value position (classified by the translator).
    pub(super) fn iri(&mut self, iri: &str) -> String {
        if iri.contains('\\') || iri.contains("$(") || has_marker(iri) {
            return self.external(iri);
        }
        self.iri_name(iri)
    }

    /// A constant: the same text back, never a reference or a template.
    pub(super) fn constant(&mut self, value: &str) -> String {
        if value.contains('\\') || value.contains("$(") || has_marker(value) {
            return self.external(value);
        }
        no_prefix(value)
    }

    /// `$(reference)` alone, read back as that reference.
    pub(super) fn reference(&mut self, reference: &str) -> Result<String, WriteError> {
        self.check_reference(reference)?;
        let mut escaped = String::new();
        escape_reference(&mut escaped, reference);
        if !has_scheme(reference) {
            escaped = escaped.replace(':', "\\:");
        }
        Ok(format!("$({escaped})"))
    }

    /// A template, read back as the same parts.
    pub(super) fn template(&mut self, template: &Template) -> Result<String, WriteError> {
        let parts = merged(template);
        let has_http = parts.iter().any(|part| match part {
            TemplatePart::Text(text) | TemplatePart::Reference(text) => has_scheme(text),
        });
        let mut out = String::new();
        for part in &parts {
            match part {
                TemplatePart::Reference(reference) => {
                    self.check_reference(reference)?;
                    out.push_str("$(");
                    escape_reference(&mut out, reference);
                    out.push(')');
                }
                TemplatePart::Text(text)
                    if text.contains('\\') || text.contains("$(") || has_marker(text) =>
                {
                    let external = self.external(text);
                    out.push_str(&external);
                }
                TemplatePart::Text(text) if has_http => out.push_str(text),
                TemplatePart::Text(text) => out.push_str(&text.replace(':', "\\:")),
            }
        }
        // One reference alone, or text alone, would read as a reference or a constant.
        let references = parts
            .iter()
            .filter(|part| matches!(part, TemplatePart::Reference(_)))
            .count();
        if parts.len() <= 1 || references == 0 {
            let empty = self.external("");
            out.push_str(&empty);
        }
        Ok(out)
    }

    fn check_reference(&self, reference: &str) -> Result<(), WriteError> {
        if reference.contains("\\_") || reference.contains("\\:") {
            return Err(self.unsupported("a reference containing `\\_` or `\\:`"));
        }
        if has_marker(reference) {
            return Err(self.unsupported("a reference containing `~iri`, `~lang` or `~blanknode`"));
        }
        if reference.starts_with(&format!("_{EXTERNAL}")) {
            return Err(self.unsupported("a reference named like the writer's external values"));
        }
        Ok(())
    }

    /// `$(_citykg-N)`, declared with `value` under `external:`.
    fn external(&mut self, value: &str) -> String {
        let index = match self.externals.iter().position(|v| v == value) {
            Some(index) => index,
            None => {
                self.externals.push(value.to_owned());
                self.externals.len() - 1
            }
        };
        format!("$(_{})", external_name(index))
    }
}

pub(super) fn external_name(index: usize) -> String {
    format!("{EXTERNAL}{index}")
}

fn has_marker(text: &str) -> bool {
    MARKERS.iter().any(|marker| text.contains(marker))
}

fn has_scheme(text: &str) -> bool {
    text.contains("http://") || text.contains("https://")
}

/// A value whose colons must not read as a prefix: left alone when the translator leaves it
/// alone (it contains `http://` or `https://`), else every colon escaped.
fn no_prefix(value: &str) -> String {
    if has_scheme(value) {
        value.to_owned()
    } else {
        value.replace(':', "\\:")
    }
}

/// `\`, `(` and `)` in a reference escaped with a backslash.
fn escape_reference(out: &mut String, reference: &str) {
    for character in reference.chars() {
        if matches!(character, '\\' | '(' | ')') {
            out.push('\\');
        }
        out.push(character);
    }
}

/// Adjacent text parts joined, empty ones dropped, as the translator reads them.
fn merged(template: &Template) -> Vec<TemplatePart> {
    let mut parts: Vec<TemplatePart> = Vec::new();
    for part in &template.parts {
        match (parts.last_mut(), part) {
            (_, TemplatePart::Text(text)) if text.is_empty() => {}
            (Some(TemplatePart::Text(previous)), TemplatePart::Text(text)) => {
                previous.push_str(text);
            }
            (_, part) => parts.push(part.clone()),
        }
    }
    parts
}
