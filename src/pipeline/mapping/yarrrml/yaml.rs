//! The YAML layer: text -> a small owned tree whose every node knows its line and column.
//! Knows nothing of YARRRML; scalars are kept as text the way the reference parser sees them
//! (`1` and `"1"` are both the string `1`).

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};

use super::Problem;

/// Deeper flow nesting than this is refused before parsing (the tree is dropped recursively).
const MAX_DEPTH: usize = 128;
/// Aliases (`*name`) in one document. The loader expands each in place, so every alias can
/// add a level to the tree it builds (and clones, hashes and drops recursively) before our own
/// depth check runs; mappings use a few, if any.
const MAX_ALIASES: usize = 64;

#[derive(Debug, Clone)]
pub(super) struct Node {
    pub value: Value,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone)]
pub(super) enum Value {
    Null,
    Scalar(String),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

impl Node {
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar(text) => Some(text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// The value under `key` in a mapping (first of the given aliases that is present and not null).
    pub fn get(&self, keys: &[&str]) -> Option<&Node> {
        let Value::Map(entries) = &self.value else {
            return None;
        };
        keys.iter().find_map(|key| {
            entries
                .iter()
                .find(|(k, v)| k == key && !v.is_null())
                .map(|(_, v)| v)
        })
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match &self.value {
            Value::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The node itself as a one-element list unless it already is a list.
    pub fn as_list(&self) -> Vec<&Node> {
        match &self.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Null => Vec::new(),
            _ => vec![self],
        }
    }
}

/// Parses the first YAML document of `text`; an empty text is a null node.
pub(super) fn parse(text: &str) -> Result<Node, Problem> {
    if let Some((line, column, reason)) = too_deep(text) {
        return Err(Problem::at(reason, line, column));
    }
    // The loader recurses over what aliases expand to: bounded above, on a large stack here.
    let documents = crate::core::stack::on_large_stack(|| MarkedYaml::load_from_str(text))
        .map_err(|error| {
            let marker = error.marker();
            Problem::at(
                format!("YAML syntax error: {}", error.info()),
                marker.line(),
                marker.col() + 1,
            )
        })?;
    match documents.into_iter().next() {
        Some(document) => convert(document, 0),
        None => Ok(Node {
            value: Value::Null,
            line: 1,
            column: 1,
        }),
    }
}

fn convert(yaml: MarkedYaml<'_>, depth: usize) -> Result<Node, Problem> {
    let line = yaml.span.start.line();
    let column = yaml.span.start.col() + 1;
    if depth > MAX_DEPTH {
        return Err(Problem::at(
            format!("YAML nesting deeper than {MAX_DEPTH} levels"),
            line,
            column,
        ));
    }
    let convert = |node: MarkedYaml<'_>| convert(node, depth + 1);
    let value = match yaml.data {
        YamlData::Value(scalar) => scalar_text(scalar),
        YamlData::Representation(text, _, _) => Value::Scalar(text.into_owned()),
        YamlData::Sequence(items) => {
            Value::Seq(items.into_iter().map(convert).collect::<Result<_, _>>()?)
        }
        YamlData::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (key, value) in map {
                let key = convert(key)?;
                let Value::Scalar(name) = key.value else {
                    return Err(Problem::at(
                        "a mapping key must be a plain string".to_owned(),
                        key.line,
                        key.column,
                    ));
                };
                entries.push((name, convert(value)?));
            }
            Value::Map(entries)
        }
        YamlData::Tagged(_, inner) => return convert(*inner),
        // saphyr's loader expands aliases (up to its own node limit) before we see them; an
        // alias left unresolved here would be a loader change, reported rather than guessed.
        YamlData::Alias(_) => {
            return Err(Problem::at(
                "an unresolved YAML alias".to_owned(),
                line,
                column,
            ));
        }
        YamlData::BadValue => {
            return Err(Problem::at("invalid YAML value".to_owned(), line, column));
        }
    };
    Ok(Node {
        value,
        line,
        column,
    })
}

fn scalar_text(scalar: Scalar<'_>) -> Value {
    match scalar {
        Scalar::Null => Value::Null,
        Scalar::Boolean(b) => Value::Scalar(b.to_string()),
        Scalar::Integer(i) => Value::Scalar(i.to_string()),
        Scalar::FloatingPoint(f) => Value::Scalar(f.into_inner().to_string()),
        Scalar::String(s) => Value::Scalar(s.into_owned()),
    }
}

/// A cheap guard against inputs whose tree would be too deep to convert and drop safely: the
/// position where bracket nesting (outside quotes), a line's run of indentation and block
/// indicators, or the number of aliases passes its limit, and why.
fn too_deep(text: &str) -> Option<(usize, usize, String)> {
    let nesting = || format!("YAML nesting deeper than {MAX_DEPTH} levels");
    let (mut depth, mut line, mut column) = (0usize, 1usize, 0usize);
    let mut aliases = 0usize;
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    let mut line_start = true;
    for c in text.chars() {
        column += 1;
        if line_start && matches!(c, ' ' | '-' | '?' | ':' | '\t') {
            if column > MAX_DEPTH * 8 {
                return Some((line, column, nesting()));
            }
        } else {
            line_start = false;
        }
        let quotable = matches!(previous, ' ' | '[' | '{' | ',' | ':' | '\t');
        previous = c;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
                quote = None;
                previous = ' ';
                line_start = true;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') if quotable => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some((line, column, nesting()));
                }
            }
            (None, '*') if quotable => {
                aliases += 1;
                if aliases > MAX_ALIASES {
                    return Some((
                        line,
                        column,
                        format!("more than {MAX_ALIASES} YAML aliases (*name) in one document"),
                    ));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
