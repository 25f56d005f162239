//! `sh:pattern` with `sh:flags`: XPath `fn:matches` semantics on the `regex` crate. Flags `s`,
//! `m`, `i`, `x` map to the crate's; `q` quotes the whole pattern. The compiled size and the
//! matching cache of each are bounded, and one shapes graph compiles each distinct pattern once
//! and at most `MAX_PATTERNS` of them, so a shapes graph cannot make the validator build huge
//! automata.

use regex::{Regex, RegexBuilder};
use std::collections::HashMap;

const SIZE_LIMIT: usize = 1 << 20;
const DFA_SIZE_LIMIT: usize = 1 << 19;
/// Distinct (pattern, flags) pairs in one shapes graph: with the limits above, at most about
/// 100 MB of automata.
pub const MAX_PATTERNS: usize = 64;

/// The patterns of one shapes graph, each compiled once.
#[derive(Default)]
pub struct Patterns {
    compiled: HashMap<(String, String), Regex>,
}

impl Patterns {
    pub fn compile(&mut self, pattern: &str, flags: &str) -> Result<Regex, String> {
        let key = (pattern.to_owned(), flags.to_owned());
        if let Some(regex) = self.compiled.get(&key) {
            return Ok(regex.clone());
        }
        if self.compiled.len() >= MAX_PATTERNS {
            return Err(format!(
                "one shapes graph may have at most {MAX_PATTERNS} distinct sh:pattern values"
            ));
        }
        let regex = compile(pattern, flags)?;
        self.compiled.insert(key, regex.clone());
        Ok(regex)
    }
}

/// Compiles `pattern` with XPath `flags`, or says why it cannot be.
pub fn compile(pattern: &str, flags: &str) -> Result<Regex, String> {
    let mut builder_pattern = pattern.to_owned();
    let mut case_insensitive = false;
    let mut multi_line = false;
    let mut dot_all = false;
    let mut extended = false;
    for flag in flags.chars() {
        match flag {
            'i' => case_insensitive = true,
            'm' => multi_line = true,
            's' => dot_all = true,
            'x' => extended = true,
            'q' => builder_pattern = regex::escape(pattern),
            other => return Err(format!("unknown flag {other:?}")),
        }
    }
    if extended {
        // XPath `x` removes whitespace outside character classes; the crate's `x` also treats `#`
        // as a comment, so the whitespace is removed here instead.
        builder_pattern = strip_whitespace(&builder_pattern);
    }
    RegexBuilder::new(&builder_pattern)
        .case_insensitive(case_insensitive)
        .multi_line(multi_line)
        .dot_matches_new_line(dot_all)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(DFA_SIZE_LIMIT)
        .build()
        .map_err(|e| e.to_string())
}

fn strip_whitespace(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut in_class = false;
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            c if c.is_whitespace() && !in_class => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{MAX_PATTERNS, Patterns, compile};

    #[test]
    fn a_shapes_graph_compiles_each_pattern_once_and_a_bounded_number_of_them() {
        let mut patterns = Patterns::default();
        for _ in 0..1000 {
            patterns.compile("^a+$", "i").unwrap();
        }
        for i in 1..MAX_PATTERNS {
            patterns.compile(&format!("^a{{{i}}}$"), "").unwrap();
        }
        let refused = patterns.compile("^b$", "").unwrap_err();
        assert!(refused.contains("at most"), "{refused}");
        // A pattern whose automaton is too large is refused, not built.
        assert!(compile(r"\w{1000}\w{1000}", "").is_err());
    }

    #[test]
    fn flags_follow_xpath() {
        let table = [
            ("^B", "", "Bob", true),
            ("^B", "", "bob", false),
            ("^B", "i", "bob", true),
            ("a.b", "", "a\nb", false),
            ("a.b", "s", "a\nb", true),
            ("^b", "m", "a\nb", true),
            ("a b", "x", "ab", true),
            ("a.b", "q", "axb", false),
            ("a.b", "q", "a.b", true),
        ];
        for (pattern, flags, text, expected) in table {
            let regex = compile(pattern, flags).unwrap();
            assert_eq!(regex.is_match(text), expected, "{pattern} {flags} {text:?}");
        }
    }

    #[test]
    fn bad_patterns_and_flags_are_errors() {
        assert!(compile("(", "").is_err());
        assert!(compile("a", "z").is_err());
    }
}
