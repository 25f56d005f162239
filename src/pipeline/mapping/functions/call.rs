//! How values reach an implementation: [`Inputs`] collects the values given to each parameter,
//! [`Inputs::call`] runs the function once per combination of one-value parameters, and [`Args`]
//! is what one run sees. Also the value constructors the implementations share.

use std::borrow::Cow;

use super::{Arity, CallContext, FunctionDef, FunctionError, MAX_COMBINATIONS};
use crate::pipeline::payload::{Value, ValueKind};

/// The values given to each parameter of one function execution.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    function: &'static FunctionDef,
    values: Vec<Vec<Value<'a>>>,
    given: Vec<bool>,
    context: CallContext,
}

impl<'a> Inputs<'a> {
    pub fn new(function: &'static FunctionDef) -> Self {
        Self {
            function,
            values: vec![Vec::new(); function.parameters.len()],
            given: vec![false; function.parameters.len()],
            context: CallContext::default(),
        }
    }

    /// Sets what the run declares for the calls (see [`CallContext`]).
    #[must_use]
    pub fn with_context(mut self, context: CallContext) -> Self {
        self.context = context;
        self
    }

    /// Gives values to a parameter named by IRI or alias (appending when named twice). No
    /// values is allowed: the parameter is then given but absent (a NULL reference).
    pub fn add(
        &mut self,
        parameter: &str,
        values: impl IntoIterator<Item = Value<'a>>,
    ) -> Result<&mut Self, FunctionError> {
        let index = self
            .function
            .parameter_index(parameter)
            .ok_or_else(|| self.function.unknown_parameter(parameter))?;
        if let (Some(slot), Some(given)) = (self.values.get_mut(index), self.given.get_mut(index)) {
            slot.extend(values);
            *given = true;
        }
        Ok(self)
    }

    pub fn function(&self) -> &'static FunctionDef {
        self.function
    }

    /// Calls the function on every combination of the values given. Every required parameter
    /// must have been [`Inputs::add`]ed (possibly with no value).
    pub fn call(&self) -> Result<Output, FunctionError> {
        let function = self.function;
        for (parameter, given) in function.parameters.iter().zip(&self.given) {
            if parameter.required && !given {
                return Err(FunctionError::MissingParameter {
                    function: function.iri.to_owned(),
                    parameter: parameter.iri.to_owned(),
                });
            }
        }
        // How many calls each one-value parameter asks for; one without a value still makes
        // one call, with the argument absent.
        let sizes: Vec<usize> = function
            .parameters
            .iter()
            .zip(&self.values)
            .map(|(parameter, values)| match parameter.arity {
                Arity::One => values.len().max(1),
                Arity::List => 1,
            })
            .collect();
        let count = sizes
            .iter()
            .try_fold(1usize, |product, size| product.checked_mul(*size))
            .unwrap_or(usize::MAX);
        if count > MAX_COMBINATIONS {
            return Err(FunctionError::TooManyCombinations {
                function: function.iri.to_owned(),
                count,
                limit: MAX_COMBINATIONS,
            });
        }
        let mut cursor = vec![0usize; sizes.len()];
        let mut values = Vec::new();
        for _ in 0..count {
            let slots = function
                .parameters
                .iter()
                .zip(&self.values)
                .zip(&cursor)
                .map(|((parameter, values), at)| match parameter.arity {
                    Arity::One => Slot::One(values.get(*at)),
                    Arity::List => Slot::List(values),
                })
                .collect();
            let args = Args {
                function,
                slots,
                context: self.context,
            };
            if let Some(value) = (function.call)(&args)? {
                values.push(value);
            }
            // Odometer step to the next combination.
            for (at, size) in cursor.iter_mut().zip(&sizes).rev() {
                *at += 1;
                if *at < *size {
                    break;
                }
                *at = 0;
            }
        }
        Ok(Output { values })
    }
}

/// What a function execution produced: the values of its (single) output, in call order. Every
/// function in the table has one output; its aliases all name the same values.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Output {
    pub values: Vec<Value<'static>>,
}

/// The arguments of one call, by parameter position.
#[derive(Debug)]
pub struct Args<'a> {
    function: &'static FunctionDef,
    slots: Vec<Slot<'a>>,
    context: CallContext,
}

#[derive(Debug)]
enum Slot<'a> {
    One(Option<&'a Value<'a>>),
    List(&'a [Value<'a>]),
}

impl Args<'_> {
    /// What the run declares for every call.
    pub fn context(&self) -> CallContext {
        self.context
    }

    /// The value of a one-value parameter, `None` when absent.
    pub fn value(&self, index: usize) -> Option<&Value<'_>> {
        match self.slots.get(index) {
            Some(Slot::One(value)) => *value,
            Some(Slot::List(values)) => values.first(),
            None => None,
        }
    }

    pub fn text(&self, index: usize) -> Option<&str> {
        self.value(index).map(|value| value.text.as_ref())
    }

    /// Every value of a parameter (one or none for one-value parameters).
    pub fn list(&self, index: usize) -> &[Value<'_>] {
        match self.slots.get(index) {
            Some(Slot::One(Some(value))) => std::slice::from_ref(*value),
            Some(Slot::List(values)) => values,
            _ => &[],
        }
    }

    /// The parameter's value as an integer; absent = `None`, not an integer = an error.
    pub fn integer(&self, index: usize) -> Result<Option<i64>, FunctionError> {
        self.parse(index, "not an integer", |text| text.parse().ok())
    }

    /// The parameter's value as a number; absent = `None`, not a number = an error.
    pub fn number(&self, index: usize) -> Result<Option<f64>, FunctionError> {
        self.parse(index, "not a number", |text| {
            text.parse::<f64>().ok().filter(|number| !number.is_nan())
        })
    }

    /// The parameter's value as a boolean (`true`/`false`, any case; `1`/`0`).
    pub fn boolean(&self, index: usize) -> Result<Option<bool>, FunctionError> {
        self.parse(index, "not a boolean", parse_boolean)
    }

    fn parse<T>(
        &self,
        index: usize,
        reason: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, FunctionError> {
        let Some(text) = self.text(index) else {
            return Ok(None);
        };
        parse(text.trim())
            .map(Some)
            .ok_or_else(|| self.invalid(index, text, reason))
    }

    /// An error about the value of parameter `index`.
    pub fn invalid(&self, index: usize, value: &str, reason: &'static str) -> FunctionError {
        FunctionError::InvalidArgument {
            function: self.function.iri.to_owned(),
            parameter: self
                .function
                .parameters
                .get(index)
                .map_or("", |parameter| parameter.iri)
                .to_owned(),
            value: value.to_owned(),
            reason,
        }
    }
}

pub(super) fn parse_boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

pub(super) fn string(text: impl Into<Cow<'static, str>>) -> Option<Value<'static>> {
    Some(Value::string(text))
}

pub(super) fn boolean(value: bool) -> Option<Value<'static>> {
    Some(Value {
        text: Cow::Borrowed(if value { "true" } else { "false" }),
        kind: ValueKind::Boolean,
    })
}

pub(super) fn integer(value: i64) -> Option<Value<'static>> {
    Some(Value {
        text: Cow::Owned(value.to_string()),
        kind: ValueKind::Integer,
    })
}

/// A number as GREL prints it: integral values without a fraction (kind Integer).
pub(super) fn number(value: f64) -> Option<Value<'static>> {
    if !value.is_finite() {
        return None;
    }
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        #[allow(clippy::cast_possible_truncation)]
        return integer(value as i64);
    }
    Some(Value {
        text: Cow::Owned(value.to_string()),
        kind: ValueKind::Double,
    })
}
