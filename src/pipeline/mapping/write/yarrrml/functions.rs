//! Function executions in the long form (`function`, `parameters` of `parameter`/`value`) and
//! joins as `equal` conditions with `from: subject|object`.

use oxigraph::model::Term;

use super::Yarrrml;
use super::terms::object_term_type;
use crate::pipeline::mapping::model::{
    Expression, FunctionExecution, JoinCondition, TermMap, TermType,
};
use crate::pipeline::mapping::write::WriteError;
use crate::pipeline::mapping::write::yaml::Y;

fn entry(key: &str, value: Y) -> (String, Y) {
    (key.to_owned(), value)
}

impl Yarrrml<'_> {
    /// `function` and `parameters`; the caller adds `type`.
    pub(super) fn function(
        &mut self,
        execution: &FunctionExecution,
    ) -> Result<Vec<(String, Y)>, WriteError> {
        let Expression::Constant(Term::NamedNode(function)) = &execution.function.expression else {
            return Err(self.unsupported("a function chosen per record (rml:functionMap)"));
        };
        if execution.output.is_some() {
            return Err(self.unsupported("a function output (rml:return)"));
        }
        let name = self.iri_name(function.as_str());
        // `name(...)` is the translator's shortcut form, `equal` its join function.
        let shortcut = name
            .find('(')
            .is_some_and(|open| name.rfind(')').is_some_and(|close| close > open));
        if shortcut || name == "equal" {
            return Err(self.unsupported("a function IRI that reads as a shortcut"));
        }
        let mut parameters = Vec::new();
        for input in &execution.inputs {
            let parameter = self.iri_name(input.parameter.as_str());
            let value = self.input_value(&input.value)?;
            parameters.push(Y::Map(vec![
                entry("parameter", Y::Str(parameter)),
                entry("value", value),
            ]));
        }
        Ok(vec![
            entry("function", Y::Str(name)),
            entry("parameters", Y::List(parameters)),
        ])
    }

    /// A parameter value: text (`~iri` when the input makes an IRI) or a nested function.
    fn input_value(&mut self, value: &TermMap) -> Result<Y, WriteError> {
        if value.gather.is_some() || value.datatype.is_some() || value.language.is_some() {
            return Err(self.unsupported("a function input with a datatype, language or gather"));
        }
        let iri = match object_term_type(value) {
            TermType::Iri | TermType::Uri => true,
            TermType::Literal => false,
            TermType::BlankNode | TermType::UnsafeIri => {
                return Err(self.unsupported("a function input that is a blank node or unsafe IRI"));
            }
        };
        if let Expression::Function(execution) = &value.expression {
            let mut entries = self.function(execution)?;
            if iri {
                entries.push(entry("type", Y::Str("iri".to_owned())));
            }
            return Ok(Y::Map(entries));
        }
        if let Expression::Constant(Term::Literal(literal)) = &value.expression
            && literal.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string"
        {
            return Err(self.unsupported("a typed or tagged literal as function input"));
        }
        if matches!(value.expression, Expression::Constant(Term::NamedNode(_))) && !iri {
            return Err(self.unsupported("a constant IRI as a literal function input"));
        }
        let text = self.text(&value.expression, false)?;
        Ok(Y::Str(if iri { format!("{text}~iri") } else { text }))
    }

    /// `function: equal` with the child value from the subject side, the parent's from the object.
    pub(super) fn join(&mut self, join: &JoinCondition) -> Result<Y, WriteError> {
        let mut parameters = Vec::new();
        for (name, expression, from) in [
            ("str1", &join.child, "subject"),
            ("str2", &join.parent, "object"),
        ] {
            let value = match expression {
                Expression::Function(execution) => Y::Map(self.function(execution)?),
                Expression::Constant(Term::Literal(literal))
                    if literal.datatype().as_str() != "http://www.w3.org/2001/XMLSchema#string" =>
                {
                    return Err(self.unsupported("a typed literal in a join condition"));
                }
                Expression::Constant(Term::NamedNode(_)) => {
                    return Err(self.unsupported("a constant IRI in a join condition"));
                }
                other => Y::Str(self.text(other, false)?),
            };
            parameters.push(Y::Map(vec![
                entry("parameter", Y::Str(name.to_owned())),
                entry("value", value),
                entry("from", Y::Str(from.to_owned())),
            ]));
        }
        Ok(Y::Map(vec![
            entry("function", Y::Str("equal".to_owned())),
            entry("parameters", Y::List(parameters)),
        ]))
    }
}
