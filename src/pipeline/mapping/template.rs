//! RML string templates: `http://ex.org/{id}/{name}` -> text and reference parts.
//!
//! Inside and outside braces a backslash escapes `{`, `}` and `\`; any other escaped character, a
//! nested or unbalanced brace and an empty reference make the template invalid (the RML-Core
//! `invalid-iri-template` cases).

use super::model::{Template, TemplatePart};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid template `{template}` at character {position}: {reason}")]
pub struct TemplateError {
    pub template: String,
    /// 1-based character position of the problem in the template text.
    pub position: usize,
    pub reason: &'static str,
}

pub fn parse(text: &str) -> Result<Template, TemplateError> {
    let error = |position: usize, reason| TemplateError {
        template: text.to_owned(),
        position: position + 1,
        reason,
    };
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_reference = false;
    let mut opened_at = 0;
    let mut chars = text.chars().enumerate();
    while let Some((position, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, escaped @ ('{' | '}' | '\\'))) => current.push(escaped),
                Some((at, _)) => {
                    return Err(error(at, "a backslash may only escape `{`, `}` or `\\`"));
                }
                None => return Err(error(position, "the template ends with a lone backslash")),
            },
            '{' if in_reference => {
                return Err(error(position, "a `{` inside a reference must be escaped"));
            }
            '{' => {
                if !current.is_empty() {
                    parts.push(TemplatePart::Text(std::mem::take(&mut current)));
                }
                in_reference = true;
                opened_at = position;
            }
            '}' if in_reference => {
                if current.is_empty() {
                    return Err(error(position, "empty reference `{}`"));
                }
                parts.push(TemplatePart::Reference(std::mem::take(&mut current)));
                in_reference = false;
            }
            '}' => return Err(error(position, "a `}` without its `{` must be escaped")),
            c => current.push(c),
        }
    }
    if in_reference {
        return Err(error(opened_at, "this `{` is never closed"));
    }
    if !current.is_empty() {
        parts.push(TemplatePart::Text(current));
    }
    Ok(Template { parts })
}

/// The template written back in RML syntax, escaping what needs it.
pub fn write(template: &Template) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => escape_into(text, &mut out),
            TemplatePart::Reference(reference) => {
                out.push('{');
                escape_into(reference, &mut out);
                out.push('}');
            }
        }
    }
    out
}

fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        if matches!(c, '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> TemplatePart {
        TemplatePart::Text(s.into())
    }
    fn reference(s: &str) -> TemplatePart {
        TemplatePart::Reference(s.into())
    }

    #[test]
    fn valid_templates() {
        let cases: &[(&str, Vec<TemplatePart>)] = &[
            (
                "http://ex.org/{id}",
                vec![text("http://ex.org/"), reference("id")],
            ),
            ("{a}{b}", vec![reference("a"), reference("b")]),
            (
                "{Country Code}/x",
                vec![reference("Country Code"), text("/x")],
            ),
            (
                r"\{\{ {ISO 3166} \}\}",
                vec![text("{{ "), reference("ISO 3166"), text(" }}")],
            ),
            (r"{N\\ame}", vec![reference(r"N\ame")]),
            ("{$.a[0]}", vec![reference("$.a[0]")]),
            ("", vec![]),
        ];
        for (input, parts) in cases {
            let parsed = parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(&parsed.parts, parts, "{input}");
            assert_eq!(
                parse(&write(&parsed)).unwrap(),
                parsed,
                "round trip of {input}"
            );
        }
    }

    #[test]
    fn invalid_templates_say_where() {
        let cases: &[(&str, usize)] = &[
            ("http://example.com/{{Name}}", 21),
            (r"http://example.com/{N\ame}", 23),
            (r"http://example.com/{Name\}", 20),
            ("http://example.com/{Name", 20),
            ("a}b", 2),
            ("{}", 2),
            ("x\\", 2),
        ];
        for (input, position) in cases {
            let error = parse(input).expect_err(input);
            assert_eq!(error.position, *position, "{input}: {error}");
        }
    }
}
