//! The JSONPath grammar of RFC 9535, by recursive descent over the expression's characters.
//! Outside filters, dot-names are lenient (anything up to the next `.` or `[`), as RML mappings
//! write `$.Country Code`; inside filters they follow the RFC's member-name-shorthand.

use serde_json::Value;

use super::{Comparable, CompareOp, Filter, JsonPath, JsonPathError, Query, Segment, Selector};

/// Deepest nesting of filters and parentheses accepted, so that hostile input cannot overflow
/// the stack.
const MAX_DEPTH: usize = 64;

/// Largest integer an index, slice bound or number literal may be (RFC 9535 I-JSON range).
const MAX_INT: i64 = (1 << 53) - 1;

pub(super) fn parse_query(text: &str) -> Result<JsonPath, JsonPathError> {
    let mut parser = Parser {
        text,
        at: 0,
        depth: 0,
    };
    if !parser.eat("$") {
        return Err(parser.error("a JSONPath query starts with `$`"));
    }
    let path = parser.segments(false)?;
    if parser.at < text.len() {
        return Err(parser.error("unexpected character"));
    }
    Ok(path)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> JsonPathError {
        JsonPathError {
            position: self.at,
            message: message.to_owned(),
        }
    }

    fn rest(&self) -> &str {
        self.text.get(self.at..).unwrap_or("")
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let next = self.peek()?;
        self.at += next.len_utf8();
        Some(next)
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    fn skip_blank(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
            self.at += 1;
        }
    }

    /// Segments until the end or until a character that cannot continue a query (inside filters).
    fn segments(&mut self, in_filter: bool) -> Result<JsonPath, JsonPathError> {
        let mut segments = Vec::new();
        loop {
            if in_filter {
                // Blank space may separate segments, but must not swallow an operator's spacing.
                let before = self.at;
                self.skip_blank();
                if !matches!(self.peek(), Some('.' | '[')) {
                    self.at = before;
                    break;
                }
            }
            if self.eat("..") {
                let selectors = if self.peek() == Some('[') {
                    self.bracket()?
                } else if self.eat("*") {
                    vec![Selector::Wildcard]
                } else {
                    vec![Selector::Name(self.dot_name(in_filter)?.into())]
                };
                segments.push(Segment::Descendant(selectors));
            } else if self.eat(".") {
                if self.eat("*") {
                    segments.push(Segment::Child(vec![Selector::Wildcard]));
                } else {
                    segments.push(Segment::Child(vec![Selector::Name(
                        self.dot_name(in_filter)?.into(),
                    )]));
                }
            } else if self.peek() == Some('[') {
                segments.push(Segment::Child(self.bracket()?));
            } else {
                break;
            }
        }
        Ok(JsonPath { segments })
    }

    fn dot_name(&mut self, strict: bool) -> Result<String, JsonPathError> {
        let start = self.at;
        while let Some(next) = self.peek() {
            let accepted = if strict {
                next.is_alphanumeric() || next == '_' || !next.is_ascii()
            } else {
                !matches!(next, '.' | '[')
            };
            if !accepted {
                break;
            }
            self.at += next.len_utf8();
        }
        let name = self.text.get(start..self.at).unwrap_or("");
        if name.is_empty() || name.starts_with(|first: char| strict && first.is_ascii_digit()) {
            self.at = start;
            return Err(self.error("expected a member name"));
        }
        Ok(name.to_owned())
    }

    fn bracket(&mut self) -> Result<Vec<Selector>, JsonPathError> {
        self.eat("[");
        let mut selectors = Vec::new();
        loop {
            self.skip_blank();
            selectors.push(self.selector()?);
            self.skip_blank();
            if self.eat("]") {
                return Ok(selectors);
            }
            if !self.eat(",") {
                return Err(self.error("expected `,` or `]`"));
            }
        }
    }

    fn selector(&mut self) -> Result<Selector, JsonPathError> {
        match self.peek() {
            Some('\'' | '"') => Ok(Selector::Name(self.string()?.into())),
            Some('*') => {
                self.at += 1;
                Ok(Selector::Wildcard)
            }
            Some('?') => {
                self.at += 1;
                self.skip_blank();
                Ok(Selector::Filter(Box::new(self.nested(Self::or)?)))
            }
            Some('-' | '0'..='9' | ':') => self.index_or_slice(),
            _ => Err(self.error("expected a selector")),
        }
    }

    fn index_or_slice(&mut self) -> Result<Selector, JsonPathError> {
        let start = self.optional_int()?;
        self.skip_blank();
        if !self.eat(":") {
            return start
                .map(Selector::Index)
                .ok_or_else(|| self.error("expected an index"));
        }
        self.skip_blank();
        let end = self.optional_int()?;
        self.skip_blank();
        let step = if self.eat(":") {
            self.skip_blank();
            self.optional_int()?
        } else {
            None
        };
        Ok(Selector::Slice { start, end, step })
    }

    fn optional_int(&mut self) -> Result<Option<i64>, JsonPathError> {
        let start = self.at;
        self.eat("-");
        while matches!(self.peek(), Some('0'..='9')) {
            self.at += 1;
        }
        let digits = self.text.get(start..self.at).unwrap_or("");
        if digits.is_empty() {
            return Ok(None);
        }
        let well_formed = digits == "0" || !(digits.starts_with('0') || digits.starts_with("-0"));
        match digits.parse::<i64>() {
            Ok(value) if well_formed && (-MAX_INT..=MAX_INT).contains(&value) => Ok(Some(value)),
            _ => {
                self.at = start;
                Err(self.error("invalid integer"))
            }
        }
    }

    fn string(&mut self) -> Result<String, JsonPathError> {
        let quote = self.bump().unwrap_or('\'');
        let mut value = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error("unterminated string")),
                Some(next) if next == quote => return Ok(value),
                Some('\\') => value.push(self.escape(quote)?),
                Some(next) if u32::from(next) < 0x20 => {
                    return Err(self.error("control character in a string"));
                }
                Some(next) => value.push(next),
            }
        }
    }

    fn escape(&mut self, quote: char) -> Result<char, JsonPathError> {
        Ok(match self.bump() {
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            Some('/') => '/',
            Some('\\') => '\\',
            Some(next) if next == quote => quote,
            Some('u') => {
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if !self.eat("\\u") {
                        return Err(self.error("lone surrogate in a string"));
                    }
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("invalid surrogate pair"));
                    }
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    char::from_u32(code).ok_or_else(|| self.error("invalid escape"))?
                } else {
                    char::from_u32(high).ok_or_else(|| self.error("lone surrogate in a string"))?
                }
            }
            _ => return Err(self.error("invalid escape")),
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonPathError> {
        let digits = self.rest().get(..4).unwrap_or("");
        match u32::from_str_radix(digits, 16) {
            Ok(value) if digits.bytes().all(|byte| byte.is_ascii_hexdigit()) => {
                self.at += 4;
                Ok(value)
            }
            _ => Err(self.error("expected four hexadecimal digits")),
        }
    }

    /// Runs a nested grammar rule with a depth guard.
    fn nested(
        &mut self,
        rule: fn(&mut Self) -> Result<Filter, JsonPathError>,
    ) -> Result<Filter, JsonPathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("filter nested too deeply"));
        }
        let result = rule(self);
        self.depth -= 1;
        result
    }

    fn or(&mut self) -> Result<Filter, JsonPathError> {
        let mut parts = vec![self.and()?];
        loop {
            self.skip_blank();
            if !self.eat("||") {
                break;
            }
            self.skip_blank();
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Filter::Or(Vec::new()))
        } else {
            Filter::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Filter, JsonPathError> {
        let mut parts = vec![self.basic()?];
        loop {
            self.skip_blank();
            if !self.eat("&&") {
                break;
            }
            self.skip_blank();
            parts.push(self.basic()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Filter::And(Vec::new()))
        } else {
            Filter::And(parts)
        })
    }

    fn basic(&mut self) -> Result<Filter, JsonPathError> {
        self.skip_blank();
        if self.eat("!") && !self.rest().starts_with('=') {
            self.skip_blank();
            let inner = self.nested(Self::basic)?;
            return Ok(Filter::Not(Box::new(inner)));
        }
        if self.eat("(") {
            let inner = self.nested(Self::or)?;
            self.skip_blank();
            if !self.eat(")") {
                return Err(self.error("expected `)`"));
            }
            return Ok(inner);
        }
        let left = self.comparable()?;
        self.skip_blank();
        let Some(op) = self.compare_op() else {
            return match left {
                Comparable::Query(query) => Ok(Filter::Exists(query)),
                Comparable::Literal(_) => Err(self.error("a literal alone is not a test")),
            };
        };
        self.skip_blank();
        let right = self.comparable()?;
        for side in [&left, &right] {
            if let Comparable::Query(query) = side {
                if !query.path.is_singular() {
                    return Err(self.error("a comparison needs a singular query"));
                }
            }
        }
        Ok(Filter::Compare(left, op, right))
    }

    fn compare_op(&mut self) -> Option<CompareOp> {
        const OPS: [(&str, CompareOp); 6] = [
            ("==", CompareOp::Eq),
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ];
        OPS.iter()
            .find(|(token, _)| self.eat(token))
            .map(|(_, op)| *op)
    }

    fn comparable(&mut self) -> Result<Comparable, JsonPathError> {
        let from_root = match self.peek() {
            Some('$') => true,
            Some('@') => false,
            Some('\'' | '"') => return Ok(Comparable::Literal(Value::String(self.string()?))),
            Some('-' | '0'..='9') => return self.number(),
            _ => {
                for (word, value) in [
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                    ("null", Value::Null),
                ] {
                    if self.eat(word) {
                        return Ok(Comparable::Literal(value));
                    }
                }
                if self
                    .rest()
                    .starts_with(|next: char| next.is_ascii_alphabetic())
                {
                    return Err(self.error("function extensions are not supported"));
                }
                return Err(self.error("expected a query or a literal"));
            }
        };
        self.at += 1;
        let path = self.segments(true)?;
        Ok(Comparable::Query(Query { from_root, path }))
    }

    fn number(&mut self) -> Result<Comparable, JsonPathError> {
        let start = self.at;
        while matches!(self.peek(), Some('-' | '+' | '.' | 'e' | 'E' | '0'..='9')) {
            self.at += 1;
        }
        let text = self.text.get(start..self.at).unwrap_or("");
        match serde_json::from_str::<serde_json::Number>(text) {
            Ok(number) => Ok(Comparable::Literal(Value::Number(number))),
            Err(_) => {
                self.at = start;
                Err(self.error("invalid number"))
            }
        }
    }
}
