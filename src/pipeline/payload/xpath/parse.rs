//! Recursive descent over the XPath subset of the parent module.

use super::{Axis, CompareOp, Literal, NodeTest, Predicate, Step, XPath, XPathError};

/// Deepest nesting of predicates and parentheses accepted.
const MAX_DEPTH: usize = 32;

pub(super) fn parse(text: &str, namespaces: &[(String, String)]) -> Result<XPath, XPathError> {
    let mut parser = Parser {
        text,
        at: 0,
        namespaces,
        depth: 0,
    };
    let path = parser.path()?;
    parser.skip_blank();
    if parser.at < text.len() {
        return Err(parser.error("unexpected character"));
    }
    Ok(path)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
    namespaces: &'t [(String, String)],
    depth: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> XPathError {
        XPathError {
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

    fn path(&mut self) -> Result<XPath, XPathError> {
        self.skip_blank();
        let mut steps = Vec::new();
        let absolute = if self.eat("//") {
            steps.push(self.step(Axis::Descendant)?);
            true
        } else if self.eat("/") {
            if self.at_step_start() {
                steps.push(self.step(Axis::Child)?);
            }
            true
        } else {
            steps.push(self.step(Axis::Child)?);
            false
        };
        loop {
            if self.eat("//") {
                steps.push(self.step(Axis::Descendant)?);
            } else if self.eat("/") {
                steps.push(self.step(Axis::Child)?);
            } else {
                return Ok(XPath { absolute, steps });
            }
        }
    }

    fn at_step_start(&self) -> bool {
        self.peek()
            .is_some_and(|next| next.is_alphabetic() || matches!(next, '_' | '*' | '@' | '.'))
    }

    fn step(&mut self, axis: Axis) -> Result<Step, XPathError> {
        let mut step = if self.eat("..") {
            Step {
                axis: Axis::Parent,
                test: NodeTest::Node,
                predicates: Vec::new(),
            }
        } else if self.eat(".") {
            Step {
                axis: Axis::SelfNode,
                test: NodeTest::Node,
                predicates: Vec::new(),
            }
        } else if self.eat("@") || self.eat("attribute::") {
            Step {
                axis: Axis::Attribute,
                test: self.name_test()?,
                predicates: Vec::new(),
            }
        } else {
            let axis = if self.eat("child::") {
                Axis::Child
            } else if self.eat("descendant::") {
                Axis::Descendant
            } else if self.eat("self::") {
                Axis::SelfNode
            } else if self.eat("parent::") {
                Axis::Parent
            } else {
                axis
            };
            let test = if self.eat("text()") {
                NodeTest::Text
            } else if self.eat("node()") {
                NodeTest::Node
            } else {
                self.name_test()?
            };
            Step {
                axis,
                test,
                predicates: Vec::new(),
            }
        };
        loop {
            self.skip_blank();
            if !self.eat("[") {
                return Ok(step);
            }
            let predicate = self.nested(Self::or)?;
            self.skip_blank();
            if !self.eat("]") {
                return Err(self.error("expected `]`"));
            }
            step.predicates.push(predicate);
        }
    }

    fn name_test(&mut self) -> Result<NodeTest, XPathError> {
        if self.eat("*") {
            return Ok(NodeTest::Any);
        }
        let first = self.ncname()?;
        if !self.eat(":") {
            return Ok(NodeTest::Name {
                namespace: None,
                local: first.into(),
            });
        }
        let namespace = if first == "xml" {
            "http://www.w3.org/XML/1998/namespace"
        } else {
            self.namespaces
                .iter()
                .find(|(prefix, _)| *prefix == first)
                .map(|(_, iri)| iri.as_str())
                .ok_or_else(|| self.error(&format!("undeclared namespace prefix `{first}`")))?
        };
        let local = if self.eat("*") {
            return Err(self.error("`prefix:*` is not supported"));
        } else {
            self.ncname()?
        };
        Ok(NodeTest::Name {
            namespace: Some(namespace.into()),
            local: local.into(),
        })
    }

    fn ncname(&mut self) -> Result<String, XPathError> {
        let start = self.at;
        while let Some(next) = self.peek() {
            let accepted = next.is_alphanumeric()
                || matches!(next, '_' | '-' | '.' | '\u{b7}')
                || (!next.is_ascii() && !next.is_whitespace());
            if !accepted
                || (self.at == start && (next.is_ascii_digit() || matches!(next, '-' | '.')))
            {
                break;
            }
            self.at += next.len_utf8();
        }
        match self.text.get(start..self.at) {
            Some(name) if !name.is_empty() => Ok(name.to_owned()),
            _ => Err(self.error("expected a name")),
        }
    }

    fn nested(
        &mut self,
        rule: fn(&mut Self) -> Result<Predicate, XPathError>,
    ) -> Result<Predicate, XPathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("predicates nested too deeply"));
        }
        let result = rule(self);
        self.depth -= 1;
        result
    }

    fn keyword(&mut self, word: &str) -> bool {
        let before = self.at;
        self.skip_blank();
        if self.eat(word) && !self.peek().is_some_and(|next| next.is_alphanumeric()) {
            true
        } else {
            self.at = before;
            false
        }
    }

    /// `name(` (blanks allowed before the parenthesis), consumed; otherwise nothing is, so an
    /// element called `not` or `nothing` is still a name test.
    fn function_call(&mut self, name: &str) -> bool {
        let before = self.at;
        if self.eat(name) {
            self.skip_blank();
            if self.eat("(") {
                return true;
            }
        }
        self.at = before;
        false
    }

    fn or(&mut self) -> Result<Predicate, XPathError> {
        let mut parts = vec![self.and()?];
        while self.keyword("or") {
            parts.push(self.and()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Predicate::Or(Vec::new()))
        } else {
            Predicate::Or(parts)
        })
    }

    fn and(&mut self) -> Result<Predicate, XPathError> {
        let mut parts = vec![self.comparison()?];
        while self.keyword("and") {
            parts.push(self.comparison()?);
        }
        Ok(if parts.len() == 1 {
            parts.pop().unwrap_or(Predicate::And(Vec::new()))
        } else {
            Predicate::And(parts)
        })
    }

    fn comparison(&mut self) -> Result<Predicate, XPathError> {
        self.skip_blank();
        if self.eat("(") {
            let inner = self.nested(Self::or)?;
            self.skip_blank();
            if !self.eat(")") {
                return Err(self.error("expected `)`"));
            }
            return Ok(inner);
        }
        if self.function_call("not") {
            let inner = self.nested(Self::or)?;
            self.skip_blank();
            if !self.eat(")") {
                return Err(self.error("expected `)` to close `not(`"));
            }
            return Ok(Predicate::Not(Box::new(inner)));
        }
        if self.peek().is_some_and(|next| next.is_ascii_digit()) {
            let start = self.at;
            while self.peek().is_some_and(|next| next.is_ascii_digit()) {
                self.at += 1;
            }
            return match self.text.get(start..self.at).map(str::parse::<usize>) {
                Some(Ok(position)) if position > 0 => Ok(Predicate::Position(position)),
                _ => Err(self.error("a position is a whole number from 1")),
            };
        }
        let path = self.path()?;
        self.skip_blank();
        let Some(op) = self.compare_op() else {
            return Ok(Predicate::Exists(path));
        };
        self.skip_blank();
        Ok(Predicate::Compare(path, op, self.literal()?))
    }

    fn compare_op(&mut self) -> Option<CompareOp> {
        const OPS: [(&str, CompareOp); 6] = [
            ("!=", CompareOp::Ne),
            ("<=", CompareOp::Le),
            (">=", CompareOp::Ge),
            ("=", CompareOp::Eq),
            ("<", CompareOp::Lt),
            (">", CompareOp::Gt),
        ];
        OPS.iter()
            .find(|(token, _)| self.eat(token))
            .map(|(_, op)| *op)
    }

    fn literal(&mut self) -> Result<Literal, XPathError> {
        match self.peek() {
            Some(quote @ ('\'' | '"')) => {
                self.at += 1;
                let rest = self.rest();
                let Some(end) = rest.find(quote) else {
                    return Err(self.error("unterminated string"));
                };
                let value = rest.get(..end).unwrap_or("").into();
                self.at += end + 1;
                Ok(Literal::String(value))
            }
            _ => {
                let start = self.at;
                while matches!(self.peek(), Some('-' | '.' | '0'..='9')) {
                    self.at += 1;
                }
                match self.text.get(start..self.at).map(str::parse::<f64>) {
                    Some(Ok(number)) => Ok(Literal::Number(number)),
                    _ => {
                        self.at = start;
                        Err(self.error("expected a string or a number"))
                    }
                }
            }
        }
    }
}
