//! A small block-style YAML printer: maps, lists and double-quoted strings.

use std::fmt::Write as _;

/// A YAML value in the tree the writer prints.
#[derive(Debug, Clone)]
pub(super) enum Y {
    Str(String),
    Map(Vec<(String, Y)>),
    List(Vec<Y>),
}

/// Block-style YAML. `inline_first`: the first key goes right after a list dash.
pub(super) fn yaml_map(
    out: &mut String,
    entries: &[(String, Y)],
    depth: usize,
    inline_first: bool,
) {
    for (index, (key, value)) in entries.iter().enumerate() {
        if !(inline_first && index == 0) {
            yaml_indent(out, depth);
        }
        yaml_key(out, key);
        out.push(':');
        yaml_value(out, value, depth);
    }
}

fn yaml_value(out: &mut String, value: &Y, depth: usize) {
    match value {
        Y::Str(text) => {
            out.push(' ');
            yaml_string(out, text);
            out.push('\n');
        }
        Y::Map(entries) if entries.is_empty() => out.push_str(" {}\n"),
        Y::List(items) if items.is_empty() => out.push_str(" []\n"),
        Y::Map(entries) => {
            out.push('\n');
            yaml_map(out, entries, depth + 1, false);
        }
        Y::List(items) => {
            out.push('\n');
            yaml_list(out, items, depth + 1);
        }
    }
}

fn yaml_list(out: &mut String, items: &[Y], depth: usize) {
    for item in items {
        yaml_indent(out, depth);
        out.push_str("- ");
        match item {
            Y::Str(text) => {
                yaml_string(out, text);
                out.push('\n');
            }
            Y::Map(entries) if entries.is_empty() => out.push_str("{}\n"),
            Y::List(items) if items.is_empty() => out.push_str("[]\n"),
            Y::Map(entries) => yaml_map(out, entries, depth + 1, true),
            Y::List(items) => {
                out.push('\n');
                yaml_list(out, items, depth + 1);
            }
        }
    }
}

fn yaml_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Keys stay plain when they are simple names YAML cannot misread; others are quoted.
pub(super) fn yaml_key(out: &mut String, key: &str) {
    let plain = key
        .chars()
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic() || first == '_')
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(
            key.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null"
        );
    if plain {
        out.push_str(key);
    } else {
        yaml_string(out, key);
    }
}

/// A double-quoted YAML scalar: `"` and `\` escaped, non-printable characters as `\uXXXX`.
pub(super) fn yaml_string(out: &mut String, text: &str) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20
                || (0x7F..=0x9F).contains(&u32::from(c))
                || c == '\u{FEFF}'
                || c == '\u{FFFE}'
                || c == '\u{FFFF}' =>
            {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
