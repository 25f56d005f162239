//! The FnO function table: every function citykg can execute, keyed by its IRI, with the
//! parameters and outputs it accepts and a plain Rust implementation.
//!
//! The checker uses the table *before* any record is read (unknown function, unknown or missing
//! parameter, unknown output are mapping errors); the engine uses it to call functions. This
//! module knows nothing of term maps or records: it sees values in and values out.
//!
//! Parameters and outputs are named in two ways in the wild: by the `fno:Parameter` resource
//! (`grel:valueParam`, what RML-FNML's `rml:parameter` names) and by its `fno:predicate`
//! (`grel:valueParameter`, what legacy FnML and YARRRML name). Both are accepted, plus a few
//! spellings the published descriptions themselves mix up (GREL's `p_int_i_from` is the resource
//! and `param_int_i_from` the predicate, the reverse of every other GREL parameter).
//!
//! Semantics of several values: a parameter declared [`Arity::List`] receives every value at
//! once; for the others the function is called once per combination of values (as templates
//! do), and a parameter without a value is passed as absent, so that `idlab-fn:isNull` can see
//! it. Non-deterministic functions (`idlab-fn:random`, `grel:date_now`) are left out on purpose.

use std::borrow::Cow;

use crate::payload::{Value, ValueKind};

macro_rules! grel {
    ($name:literal) => {
        concat!("http://users.ugent.be/~bjdmeest/function/grel.ttl#", $name)
    };
}
macro_rules! idlab {
    ($name:literal) => {
        concat!("https://w3id.org/imec/idlab/function#", $name)
    };
}

/// The GREL namespace (FnO descriptions of OpenRefine's expression language).
pub const GREL_NAMESPACE: &str = grel!("");
/// The IDLab function namespace (RMLMapper's own functions).
pub const IDLAB_NAMESPACE: &str = idlab!("");

/// Calls with more combinations of multi-valued inputs than this fail instead of exploding.
pub const MAX_COMBINATIONS: usize = 10_000;

/// One executable function.
#[derive(Debug)]
pub struct FunctionDef {
    pub iri: &'static str,
    /// In `fno:expects` order; the implementation reads its arguments by this position.
    pub parameters: &'static [ParameterDef],
    /// In `fno:returns` order; the first is the default output (`rml:return` absent).
    pub outputs: &'static [OutputDef],
    /// One call with one combination of argument values; `None` = no value (FnO's null).
    pub call: fn(&Args<'_>) -> Result<Option<Value<'static>>, FunctionError>,
}

#[derive(Debug)]
pub struct ParameterDef {
    /// The `fno:Parameter` IRI.
    pub iri: &'static str,
    /// Its `fno:predicate` and other accepted spellings.
    pub aliases: &'static [&'static str],
    /// `fno:required`: a mapping that does not give this parameter is rejected by the checker.
    pub required: bool,
    pub arity: Arity,
}

/// How a parameter takes several values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arity {
    /// One value per call: several values mean several calls.
    One,
    /// All values in one call (an `rdf:List` parameter such as `grel:p_array_a`).
    List,
}

#[derive(Debug)]
pub struct OutputDef {
    /// The `fno:Output` IRI.
    pub iri: &'static str,
    /// Its `fno:predicate` and other accepted spellings.
    pub aliases: &'static [&'static str],
}

/// A problem with a function call: found by the checker from the mapping alone, or by a call.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FunctionError {
    #[error("unknown function <{function}>")]
    UnknownFunction { function: String },
    #[error("function <{function}> has no parameter <{parameter}>")]
    UnknownParameter { function: String, parameter: String },
    #[error("function <{function}> needs a value for parameter <{parameter}>")]
    MissingParameter { function: String, parameter: String },
    #[error("function <{function}> has no output <{output}>")]
    UnknownOutput { function: String, output: String },
    #[error("function <{function}>: parameter <{parameter}> cannot take `{value}`: {reason}")]
    InvalidArgument {
        function: String,
        parameter: String,
        value: String,
        reason: &'static str,
    },
    #[error(
        "function <{function}>: {count} combinations of input values exceed the limit of {limit}"
    )]
    TooManyCombinations {
        function: String,
        count: usize,
        limit: usize,
    },
}

/// The function with this IRI, if citykg implements it.
pub fn lookup(iri: &str) -> Option<&'static FunctionDef> {
    TABLE.iter().find(|function| function.iri == iri)
}

/// Every function in the table, for documentation and tests.
pub fn all() -> &'static [FunctionDef] {
    TABLE
}

/// Checks a call as the mapping writes it, before any record is read: the function exists, each
/// named parameter is one of its parameters, each required one is given, and the output (if
/// named) is one of its outputs. Returns every problem, not only the first.
pub fn check_call<'p>(
    function: &str,
    parameters: impl IntoIterator<Item = &'p str>,
    output: Option<&str>,
) -> Vec<FunctionError> {
    let Some(def) = lookup(function) else {
        return vec![FunctionError::UnknownFunction {
            function: function.to_owned(),
        }];
    };
    let mut problems = Vec::new();
    let mut given = vec![false; def.parameters.len()];
    for parameter in parameters {
        match def.parameter_index(parameter) {
            Some(index) => {
                if let Some(slot) = given.get_mut(index) {
                    *slot = true;
                }
            }
            None => problems.push(def.unknown_parameter(parameter)),
        }
    }
    for (parameter, given) in def.parameters.iter().zip(given) {
        if parameter.required && !given {
            problems.push(FunctionError::MissingParameter {
                function: def.iri.to_owned(),
                parameter: parameter.iri.to_owned(),
            });
        }
    }
    if let Some(output) = output
        && let Err(problem) = def.output_index(Some(output))
    {
        problems.push(problem);
    }
    problems
}

impl FunctionDef {
    /// The position of a parameter named by its IRI or one of its aliases.
    pub fn parameter_index(&self, iri: &str) -> Option<usize> {
        self.parameters
            .iter()
            .position(|parameter| parameter.iri == iri || parameter.aliases.contains(&iri))
    }

    /// The position of an output named by its IRI or alias; `None` = the default (first) one.
    pub fn output_index(&self, iri: Option<&str>) -> Result<usize, FunctionError> {
        let Some(iri) = iri else { return Ok(0) };
        self.outputs
            .iter()
            .position(|output| output.iri == iri || output.aliases.contains(&iri))
            .ok_or_else(|| FunctionError::UnknownOutput {
                function: self.iri.to_owned(),
                output: iri.to_owned(),
            })
    }

    fn unknown_parameter(&self, parameter: &str) -> FunctionError {
        FunctionError::UnknownParameter {
            function: self.iri.to_owned(),
            parameter: parameter.to_owned(),
        }
    }
}

/// The values given to each parameter of one function execution.
#[derive(Debug, Clone)]
pub struct Inputs<'a> {
    function: &'static FunctionDef,
    values: Vec<Vec<Value<'a>>>,
    given: Vec<bool>,
}

impl<'a> Inputs<'a> {
    pub fn new(function: &'static FunctionDef) -> Self {
        Self {
            function,
            values: vec![Vec::new(); function.parameters.len()],
            given: vec![false; function.parameters.len()],
        }
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
            let args = Args { function, slots };
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
}

#[derive(Debug)]
enum Slot<'a> {
    One(Option<&'a Value<'a>>),
    List(&'a [Value<'a>]),
}

impl Args<'_> {
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

fn parse_boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") || text == "1" {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") || text == "0" {
        Some(false)
    } else {
        None
    }
}

fn string(text: impl Into<Cow<'static, str>>) -> Option<Value<'static>> {
    Some(Value::string(text))
}

fn boolean(value: bool) -> Option<Value<'static>> {
    Some(Value {
        text: Cow::Borrowed(if value { "true" } else { "false" }),
        kind: ValueKind::Boolean,
    })
}

fn integer(value: i64) -> Option<Value<'static>> {
    Some(Value {
        text: Cow::Owned(value.to_string()),
        kind: ValueKind::Integer,
    })
}

/// A number as GREL prints it: integral values without a fraction (kind Integer).
fn number(value: f64) -> Option<Value<'static>> {
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

// ---------------------------------------------------------------------------------------------
// Parameters and outputs, as the FnO descriptions (RMLMapper's functions_grel.ttl and
// functions_idlab.ttl) name them: the resource first, then its fno:predicate.

const fn one(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: true,
        arity: Arity::One,
    }
}

const fn optional(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: false,
        arity: Arity::One,
    }
}

const fn list(iri: &'static str, aliases: &'static [&'static str]) -> ParameterDef {
    ParameterDef {
        iri,
        aliases,
        required: true,
        arity: Arity::List,
    }
}

const VALUE: ParameterDef = one(grel!("valueParam"), &[grel!("valueParameter")]);
const VALUE2: ParameterDef = one(grel!("valueParam2"), &[grel!("valueParameter2")]);
const FIND: ParameterDef = one(grel!("param_find"), &[grel!("p_string_find")]);
const REPLACE: ParameterDef = one(grel!("param_replace"), &[grel!("p_string_replace")]);
const FROM: ParameterDef = one(grel!("p_int_i_from"), &[grel!("param_int_i_from")]);
const OPT_TO: ParameterDef = optional(grel!("p_int_i_opt_to"), &[grel!("param_int_i_opt_to")]);
const MODE: ParameterDef = one(grel!("modeParam"), &[grel!("modeParameter")]);
const SUB: ParameterDef = one(grel!("param_string_sub"), &[grel!("string_sub")]);
const SEP: ParameterDef = one(grel!("param_string_sep"), &[grel!("p_string_sep")]);
const OPT_SEP: ParameterDef = optional(grel!("param_string_sep"), &[grel!("p_string_sep")]);
const BOOL: ParameterDef = one(grel!("param_b"), &[grel!("bool_b")]);
const BOOLS: ParameterDef = list(grel!("bool_array_b"), &[grel!("param_rep_b")]);
const ARRAY: ParameterDef = list(grel!("param_a"), &[grel!("p_array_a")]);
const DEC_N: ParameterDef = one(grel!("param_dec_n"), &[grel!("p_dec_n")]);
const DEC_N2: ParameterDef = one(grel!("param_dec_n2"), &[grel!("param_n2")]);
const DEC_EXP: ParameterDef = one(grel!("param_dec_n_exp"), &[grel!("p_any_exp")]);
const INT_I: ParameterDef = one(grel!("param_int_i"), &[grel!("p_int_i")]);
const INT_I2: ParameterDef = one(grel!("param_int_i2"), &[grel!("p_int_i2")]);
const ANY_E: ParameterDef = one(grel!("param_any_e"), &[grel!("p_any_e")]);
const IF_TRUE: ParameterDef = one(grel!("param_true"), &[grel!("any_true")]);
const IF_FALSE: ParameterDef = optional(grel!("param_false"), &[grel!("any_false")]);
const PATTERN: ParameterDef = one(grel!("param_string_pattern"), &[grel!("p_string_pattern")]);

const STR: ParameterDef = one(idlab!("_str"), &[idlab!("str")]);
const OTHER_STR: ParameterDef = one(idlab!("_otherStr"), &[idlab!("otherStr")]);
const DELIMITER: ParameterDef = one(idlab!("_delimiter"), &[idlab!("delimiter")]);
const OPT_DELIMITER: ParameterDef = optional(idlab!("_delimiter"), &[idlab!("delimiter")]);
const STR_BOOLEAN: ParameterDef = one(idlab!("_strBoolean"), &[idlab!("strBoolean")]);
const LIST: ParameterDef = list(idlab!("_list"), &[idlab!("list")]);
const STR_DATE: ParameterDef = one(idlab!("_strDate"), &[idlab!("strDate")]);
const DATE_PATTERN: ParameterDef = one(idlab!("_pattern"), &[idlab!("pattern")]);
const TEST: ParameterDef = one(idlab!("_test"), &[idlab!("p_test")]);
const RANGE_FROM: ParameterDef = optional(idlab!("_from"), &[idlab!("p_from")]);
const RANGE_TO: ParameterDef = optional(idlab!("_to"), &[idlab!("p_to")]);

const STRING_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("stringOut"),
    aliases: &[grel!("stringOutput")],
}];
const NUMBER_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_number"),
    aliases: &[grel!("o_number")],
}];
const BOOL_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_bool"),
    aliases: &[grel!("o_bool")],
}];
const ARRAY_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_array"),
    aliases: &[grel!("o_array")],
}];
const ANY_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_any"),
    aliases: &[grel!("o_any")],
}];
const DATE_OUT: &[OutputDef] = &[OutputDef {
    iri: grel!("output_date"),
    aliases: &[grel!("o_date")],
}];
const IDLAB_STRING_OUT: &[OutputDef] = &[OutputDef {
    iri: idlab!("_stringOut"),
    aliases: &[idlab!("stringOut")],
}];
const IDLAB_BOOL_OUT: &[OutputDef] = &[OutputDef {
    iri: idlab!("_boolOut"),
    aliases: &[idlab!("o_boolOut")],
}];
/// `idlab-fn:equal` is described with `grel:stringOut` but used with `idlab-fn:_boolOut`.
const EQUAL_OUT: &[OutputDef] = &[
    OutputDef {
        iri: idlab!("_boolOut"),
        aliases: &[idlab!("o_boolOut")],
    },
    OutputDef {
        iri: grel!("stringOut"),
        aliases: &[grel!("stringOutput")],
    },
];

const fn def(
    iri: &'static str,
    parameters: &'static [ParameterDef],
    outputs: &'static [OutputDef],
    call: fn(&Args<'_>) -> Result<Option<Value<'static>>, FunctionError>,
) -> FunctionDef {
    FunctionDef {
        iri,
        parameters,
        outputs,
        call,
    }
}

type Call = Result<Option<Value<'static>>, FunctionError>;

static TABLE: &[FunctionDef] = &[
    // GREL strings
    def(grel!("toUpperCase"), &[VALUE], STRING_OUT, to_upper_case),
    def(grel!("toLowerCase"), &[VALUE], STRING_OUT, to_lower_case),
    def(
        grel!("string_toTitlecase"),
        &[VALUE],
        STRING_OUT,
        to_title_case,
    ),
    def(grel!("string_trim"), &[VALUE], STRING_OUT, trim),
    def(grel!("string_length"), &[VALUE], NUMBER_OUT, string_length),
    def(
        grel!("string_replace"),
        &[VALUE, FIND, REPLACE],
        STRING_OUT,
        replace,
    ),
    def(
        grel!("string_substring"),
        &[VALUE, FROM, OPT_TO],
        STRING_OUT,
        substring,
    ),
    def(grel!("escape"), &[VALUE, MODE], STRING_OUT, escape),
    def(grel!("string_contains"), &[VALUE, SUB], BOOL_OUT, contains),
    def(
        grel!("string_startsWith"),
        &[VALUE, SUB],
        BOOL_OUT,
        starts_with,
    ),
    def(grel!("string_endsWith"), &[VALUE, SUB], BOOL_OUT, ends_with),
    def(grel!("string_chomp"), &[VALUE, SEP], STRING_OUT, chomp),
    def(
        grel!("string_split"),
        &[VALUE, SEP],
        ARRAY_OUT,
        split_unsupported,
    ),
    def(
        grel!("string_concat"),
        &[VALUE, VALUE2, OPT_SEP],
        STRING_OUT,
        concat,
    ),
    def(grel!("string_toString"), &[ANY_E], STRING_OUT, to_string),
    def(grel!("string_toNumber"), &[ANY_E], NUMBER_OUT, to_number),
    // GREL booleans and controls
    def(grel!("boolean_not"), &[BOOL], BOOL_OUT, boolean_not),
    def(grel!("boolean_and"), &[BOOLS], BOOL_OUT, boolean_and),
    def(grel!("boolean_or"), &[BOOLS], BOOL_OUT, boolean_or),
    def(grel!("boolean_xor"), &[BOOLS], BOOL_OUT, boolean_xor),
    def(
        grel!("controls_if"),
        &[BOOL, IF_TRUE, IF_FALSE],
        ANY_OUT,
        controls_if,
    ),
    // GREL arrays
    def(grel!("array_join"), &[ARRAY, SEP], STRING_OUT, array_join),
    def(grel!("array_length"), &[ARRAY], NUMBER_OUT, array_length),
    // GREL math
    def(grel!("math_floor"), &[DEC_N], NUMBER_OUT, math_floor),
    def(grel!("math_ceil"), &[DEC_N], NUMBER_OUT, math_ceil),
    def(grel!("math_round"), &[DEC_N], NUMBER_OUT, math_round),
    def(grel!("math_min"), &[DEC_N, DEC_N2], NUMBER_OUT, math_min),
    def(grel!("math_max"), &[DEC_N, DEC_N2], NUMBER_OUT, math_max),
    def(grel!("math_mod"), &[INT_I, INT_I2], NUMBER_OUT, math_mod),
    def(grel!("math_pow"), &[DEC_N, DEC_EXP], NUMBER_OUT, math_pow),
    // GREL dates
    def(grel!("date_toDate"), &[VALUE, PATTERN], DATE_OUT, to_date),
    // IDLab
    def(idlab!("equal"), &[VALUE, VALUE2], EQUAL_OUT, equal),
    def(idlab!("notEqual"), &[VALUE, VALUE2], EQUAL_OUT, not_equal),
    def(
        idlab!("trueCondition"),
        &[STR_BOOLEAN, STR],
        IDLAB_STRING_OUT,
        true_condition,
    ),
    def(idlab!("isNull"), &[STR], IDLAB_BOOL_OUT, is_null),
    def(idlab!("isNotNull"), &[STR], IDLAB_BOOL_OUT, is_not_null),
    def(
        idlab!("stringContainsOtherString"),
        &[STR, OTHER_STR, DELIMITER],
        IDLAB_STRING_OUT,
        string_contains_other_string,
    ),
    def(
        idlab!("listContainsElement"),
        &[LIST, STR],
        IDLAB_STRING_OUT,
        list_contains_element,
    ),
    def(
        idlab!("toUpperCaseURL"),
        &[STR],
        IDLAB_STRING_OUT,
        to_upper_case_url,
    ),
    def(
        idlab!("toLowerCase"),
        &[STR],
        IDLAB_STRING_OUT,
        idlab_to_lower_case,
    ),
    def(
        idlab!("concat"),
        &[STR, OTHER_STR, OPT_DELIMITER],
        IDLAB_STRING_OUT,
        idlab_concat,
    ),
    def(
        idlab!("alwaysReturnsABC"),
        &[],
        IDLAB_STRING_OUT,
        always_returns_abc,
    ),
    def(
        idlab!("inRange"),
        &[TEST, RANGE_FROM, RANGE_TO],
        IDLAB_BOOL_OUT,
        in_range,
    ),
    def(
        idlab!("normalizeDate"),
        &[STR_DATE, DATE_PATTERN],
        IDLAB_STRING_OUT,
        normalize_date,
    ),
    def(
        idlab!("normalizeDateTime"),
        &[STR_DATE, DATE_PATTERN],
        IDLAB_STRING_OUT,
        normalize_date_time,
    ),
];

// ---------------------------------------------------------------------------------------------
// Implementations. Each reads its arguments by parameter position; an absent required value
// gives no value (FnO's null), a value of the wrong shape is an error.

macro_rules! text_or_none {
    ($args:expr, $index:expr) => {
        match $args.text($index) {
            Some(text) => text,
            None => return Ok(None),
        }
    };
}

macro_rules! or_none {
    ($value:expr) => {
        match $value? {
            Some(value) => value,
            None => return Ok(None),
        }
    };
}

fn to_upper_case(args: &Args<'_>) -> Call {
    Ok(string(text_or_none!(args, 0).to_uppercase()))
}

fn to_lower_case(args: &Args<'_>) -> Call {
    Ok(string(text_or_none!(args, 0).to_lowercase()))
}

/// OpenRefine's toTitlecase: the first letter of each word upper case, the rest lower case.
fn to_title_case(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let mut out = String::with_capacity(text.len());
    let mut start_of_word = true;
    for character in text.chars() {
        if character.is_whitespace() {
            start_of_word = true;
            out.push(character);
        } else if start_of_word {
            out.extend(character.to_uppercase());
            start_of_word = false;
        } else {
            out.extend(character.to_lowercase());
        }
    }
    Ok(string(out))
}

fn trim(args: &Args<'_>) -> Call {
    Ok(string(text_or_none!(args, 0).trim().to_owned()))
}

/// The length in characters (Unicode scalar values), as an xsd:integer.
fn string_length(args: &Args<'_>) -> Call {
    let length = text_or_none!(args, 0).chars().count();
    Ok(integer(i64::try_from(length).unwrap_or(i64::MAX)))
}

/// Replaces every occurrence of the find string (taken literally, not as a regex).
fn replace(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let find = text_or_none!(args, 1);
    let replacement = text_or_none!(args, 2);
    if find.is_empty() {
        return Ok(string(text.to_owned()));
    }
    Ok(string(text.replace(find, replacement)))
}

/// Characters `from` (inclusive) to `to` (exclusive, default the end); negative positions count
/// from the end, positions past either end are clamped (so "Venus" from 5 is "").
fn substring(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let from = or_none!(args.integer(1));
    let to = args.integer(2)?;
    let characters: Vec<char> = text.chars().collect();
    let length = i64::try_from(characters.len()).unwrap_or(i64::MAX);
    let position = |index: i64| {
        let index = if index < 0 { length + index } else { index };
        usize::try_from(index.clamp(0, length)).unwrap_or(0)
    };
    let start = position(from);
    let end = to.map_or(characters.len(), position);
    Ok(string(
        characters
            .get(start..end.max(start))
            .unwrap_or_default()
            .iter()
            .collect::<String>(),
    ))
}

/// GREL `escape(s, mode)` with OpenRefine's modes: html (HTML 4 entities for `& < > "`), xml
/// (`& < > " '`), url (form encoding: space as `+`), javascript, csv (quoted when needed).
fn escape(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let mode = text_or_none!(args, 1);
    let escaped = match mode.trim().to_ascii_lowercase().as_str() {
        "html" => escape_markup(text, false),
        "xml" => escape_markup(text, true),
        "url" => escape_url(text),
        "javascript" => escape_javascript(text),
        "csv" => escape_csv(text),
        _ => return Err(args.invalid(1, mode, "not one of html, xml, url, javascript, csv")),
    };
    Ok(string(escaped))
}

fn escape_markup(text: &str, apostrophe: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' if apostrophe => out.push_str("&apos;"),
            other => out.push(other),
        }
    }
    out
}

/// `application/x-www-form-urlencoded`, as Java's URLEncoder writes it.
fn escape_url(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

fn escape_javascript(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            other if u32::from(other) < 0x20 || u32::from(other) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in other.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04X}"));
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn escape_csv(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn contains(args: &Args<'_>) -> Call {
    Ok(boolean(
        text_or_none!(args, 0).contains(text_or_none!(args, 1)),
    ))
}

fn starts_with(args: &Args<'_>) -> Call {
    Ok(boolean(
        text_or_none!(args, 0).starts_with(text_or_none!(args, 1)),
    ))
}

fn ends_with(args: &Args<'_>) -> Call {
    Ok(boolean(
        text_or_none!(args, 0).ends_with(text_or_none!(args, 1)),
    ))
}

fn chomp(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let separator = text_or_none!(args, 1);
    Ok(string(
        text.strip_suffix(separator).unwrap_or(text).to_owned(),
    ))
}

/// `string_split` returns an array; one call yields one value, so the array cannot be handed on.
/// It is in the table so the checker accepts the function, and fails clearly when called.
fn split_unsupported(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    Err(args.invalid(
        0,
        text,
        "string_split returns an array, which citykg cannot yet hand on",
    ))
}

fn concat(args: &Args<'_>) -> Call {
    let first = text_or_none!(args, 0);
    let second = text_or_none!(args, 1);
    let separator = args.text(2).unwrap_or("");
    Ok(string(format!("{first}{separator}{second}")))
}

fn to_string(args: &Args<'_>) -> Call {
    Ok(string(text_or_none!(args, 0).to_owned()))
}

fn to_number(args: &Args<'_>) -> Call {
    Ok(number(or_none!(args.number(0))))
}

fn boolean_not(args: &Args<'_>) -> Call {
    Ok(boolean(!or_none!(args.boolean(0))))
}

fn booleans(args: &Args<'_>) -> Result<Vec<bool>, FunctionError> {
    args.list(0)
        .iter()
        .map(|value| {
            parse_boolean(value.text.trim())
                .ok_or_else(|| args.invalid(0, &value.text, "not a boolean"))
        })
        .collect()
}

fn boolean_and(args: &Args<'_>) -> Call {
    Ok(boolean(booleans(args)?.into_iter().all(|value| value)))
}

fn boolean_or(args: &Args<'_>) -> Call {
    Ok(boolean(booleans(args)?.into_iter().any(|value| value)))
}

fn boolean_xor(args: &Args<'_>) -> Call {
    Ok(boolean(
        booleans(args)?.into_iter().filter(|value| *value).count() % 2 == 1,
    ))
}

fn controls_if(args: &Args<'_>) -> Call {
    let condition = or_none!(args.boolean(0));
    let chosen = if condition {
        args.value(1)
    } else {
        args.value(2)
    };
    Ok(chosen.map(|value| Value {
        text: Cow::Owned(value.text.to_string()),
        kind: value.kind,
    }))
}

fn array_join(args: &Args<'_>) -> Call {
    let separator = args.text(1).unwrap_or("");
    let parts: Vec<&str> = args
        .list(0)
        .iter()
        .map(|value| value.text.as_ref())
        .collect();
    Ok(string(parts.join(separator)))
}

fn array_length(args: &Args<'_>) -> Call {
    Ok(integer(
        i64::try_from(args.list(0).len()).unwrap_or(i64::MAX),
    ))
}

fn math_floor(args: &Args<'_>) -> Call {
    Ok(number(or_none!(args.number(0)).floor()))
}

fn math_ceil(args: &Args<'_>) -> Call {
    Ok(number(or_none!(args.number(0)).ceil()))
}

/// Java's Math.round: halves go towards positive infinity.
fn math_round(args: &Args<'_>) -> Call {
    Ok(number((or_none!(args.number(0)) + 0.5).floor()))
}

fn math_min(args: &Args<'_>) -> Call {
    Ok(number(
        or_none!(args.number(0)).min(or_none!(args.number(1))),
    ))
}

fn math_max(args: &Args<'_>) -> Call {
    Ok(number(
        or_none!(args.number(0)).max(or_none!(args.number(1))),
    ))
}

fn math_mod(args: &Args<'_>) -> Call {
    let dividend = or_none!(args.integer(0));
    let divisor = or_none!(args.integer(1));
    match dividend.checked_rem(divisor) {
        Some(remainder) => Ok(integer(remainder)),
        None => Err(args.invalid(1, &divisor.to_string(), "division by zero")),
    }
}

fn math_pow(args: &Args<'_>) -> Call {
    Ok(number(
        or_none!(args.number(0)).powf(or_none!(args.number(1))),
    ))
}

fn to_date(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let pattern = text_or_none!(args, 1);
    let date = parse_date(text, pattern).map_err(|reason| args.invalid(0, text, reason))?;
    Ok(string(date.to_date_string()))
}

fn equal(args: &Args<'_>) -> Call {
    Ok(boolean(text_or_none!(args, 0) == text_or_none!(args, 1)))
}

fn not_equal(args: &Args<'_>) -> Call {
    Ok(boolean(text_or_none!(args, 0) != text_or_none!(args, 1)))
}

/// The value when the boolean (as text) is `true`, else nothing.
fn true_condition(args: &Args<'_>) -> Call {
    let condition = text_or_none!(args, 0);
    if condition.trim().eq_ignore_ascii_case("true") {
        Ok(args.value(1).map(|value| Value {
            text: Cow::Owned(value.text.to_string()),
            kind: value.kind,
        }))
    } else {
        Ok(None)
    }
}

fn is_null(args: &Args<'_>) -> Call {
    Ok(boolean(args.value(0).is_none()))
}

fn is_not_null(args: &Args<'_>) -> Call {
    Ok(boolean(args.value(0).is_some()))
}

/// True when the string contains any of the delimited parts of the other string.
fn string_contains_other_string(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let other = text_or_none!(args, 1);
    let delimiter = text_or_none!(args, 2);
    let found = if delimiter.is_empty() {
        text.contains(other)
    } else {
        other
            .split(delimiter)
            .any(|part| !part.is_empty() && text.contains(part))
    };
    Ok(boolean(found))
}

fn list_contains_element(args: &Args<'_>) -> Call {
    let wanted = text_or_none!(args, 1);
    Ok(boolean(
        args.list(0).iter().any(|value| value.text == wanted),
    ))
}

/// Upper case, with `http://` put in front when the value has no `http://` scheme.
fn to_upper_case_url(args: &Args<'_>) -> Call {
    let upper = text_or_none!(args, 0).to_uppercase();
    if upper.starts_with("HTTP://") {
        Ok(string(upper))
    } else {
        Ok(string(format!("http://{upper}")))
    }
}

fn idlab_to_lower_case(args: &Args<'_>) -> Call {
    Ok(string(text_or_none!(args, 0).to_lowercase()))
}

fn idlab_concat(args: &Args<'_>) -> Call {
    let first = text_or_none!(args, 0);
    let second = text_or_none!(args, 1);
    let delimiter = args.text(2).unwrap_or("");
    Ok(string(format!("{first}{delimiter}{second}")))
}

fn always_returns_abc(_args: &Args<'_>) -> Call {
    Ok(string("ABC"))
}

/// `from <= test < to`; a missing bound does not limit.
fn in_range(args: &Args<'_>) -> Call {
    let test = or_none!(args.number(0));
    let above = args.number(1)?.is_none_or(|from| from <= test);
    let below = args.number(2)?.is_none_or(|to| test < to);
    Ok(boolean(above && below))
}

fn normalize_date(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let pattern = text_or_none!(args, 1);
    let date = parse_date(text, pattern).map_err(|reason| args.invalid(0, text, reason))?;
    Ok(string(date.to_date_string()))
}

fn normalize_date_time(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let pattern = text_or_none!(args, 1);
    let date = parse_date(text, pattern).map_err(|reason| args.invalid(0, text, reason))?;
    Ok(string(date.to_date_time_string()))
}

// ---------------------------------------------------------------------------------------------
// Dates with Java (DateTimeFormatter / SimpleDateFormat) patterns: y/u year, M month (number,
// MMM short or MMMM full English name), d day, H hour (0-23), h hour (1-12) with a (AM/PM), m
// minute, s second, S fraction, 'quoted' text; other characters must match themselves.

#[derive(Debug, Default, PartialEq, Eq)]
struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl DateTime {
    fn to_date_string(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    fn to_date_time_string(&self) -> String {
        format!(
            "{}T{:02}:{:02}:{:02}",
            self.to_date_string(),
            self.hour,
            self.minute,
            self.second
        )
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn parse_date(text: &str, pattern: &str) -> Result<DateTime, &'static str> {
    let mut date = DateTime {
        month: 1,
        day: 1,
        ..DateTime::default()
    };
    let mut pm: Option<bool> = None;
    let mut twelve_hour: Option<u32> = None;
    let mut rest = text;
    let pattern: Vec<char> = pattern.chars().collect();
    let mut at = 0;
    while let Some(&letter) = pattern.get(at) {
        let run = pattern
            .get(at..)
            .unwrap_or_default()
            .iter()
            .take_while(|c| **c == letter)
            .count();
        at += run;
        match letter {
            '\'' => {
                // Quoted text up to the next quote; '' is a quote.
                if run % 2 == 0 {
                    for _ in 0..run / 2 {
                        rest = rest
                            .strip_prefix('\'')
                            .ok_or("does not match the pattern")?;
                    }
                    continue;
                }
                let end = pattern
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .position(|c| *c == '\'')
                    .ok_or("the pattern has an unclosed quote")?;
                let literal: String = pattern
                    .get(at..at + end)
                    .unwrap_or_default()
                    .iter()
                    .collect();
                rest = rest
                    .strip_prefix(literal.as_str())
                    .ok_or("does not match the pattern")?;
                at += end + 1;
            }
            'y' | 'u' => {
                let (year, next) = digits(rest, if run == 2 { 2 } else { 4 }, run == 2)?;
                date.year = if run == 2 { 2000 + year } else { year };
                rest = next;
            }
            'M' | 'L' if run >= 3 => {
                let lower = rest.to_lowercase();
                let (index, length) = MONTHS
                    .iter()
                    .enumerate()
                    .find_map(|(index, name)| {
                        if run >= 4 && lower.starts_with(name) {
                            Some((index, name.len()))
                        } else if run == 3 && lower.get(..3) == name.get(..3) {
                            Some((index, 3))
                        } else {
                            None
                        }
                    })
                    .ok_or("no month name where the pattern wants one")?;
                date.month = u32::try_from(index + 1).unwrap_or(1);
                rest = rest.get(length..).ok_or("does not match the pattern")?;
            }
            'M' | 'L' | 'd' | 'H' | 'h' | 'k' | 'm' | 's' => {
                let (value, next) = digits(rest, 2, run == 2)?;
                let value = u32::try_from(value).map_err(|_| "a field is out of range")?;
                match letter {
                    'M' | 'L' => date.month = value,
                    'd' => date.day = value,
                    'H' => date.hour = value,
                    'k' => date.hour = value % 24,
                    'h' => twelve_hour = Some(value),
                    'm' => date.minute = value,
                    _ => date.second = value,
                }
                rest = next;
            }
            'S' => {
                let (_, next) = digits(rest, run.max(9), false)?;
                rest = next;
            }
            'a' => {
                let upper = rest.get(..2).map(str::to_ascii_uppercase);
                pm = match upper.as_deref() {
                    Some("AM") => Some(false),
                    Some("PM") => Some(true),
                    _ => return Err("no AM/PM where the pattern wants one"),
                };
                rest = rest.get(2..).unwrap_or_default();
            }
            other if other.is_ascii_alphabetic() => {
                return Err("the pattern uses an unsupported letter");
            }
            other => {
                for _ in 0..run {
                    rest = rest
                        .strip_prefix(other)
                        .ok_or("does not match the pattern")?;
                }
            }
        }
    }
    if !rest.is_empty() {
        return Err("has text after what the pattern describes");
    }
    if let Some(hour) = twelve_hour {
        if !(1..=12).contains(&hour) {
            return Err("a field is out of range");
        }
        date.hour = hour % 12 + if pm == Some(true) { 12 } else { 0 };
    }
    let leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
    let days = match date.month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err("a field is out of range"),
    };
    if date.day == 0 || date.day > days || date.hour > 23 || date.minute > 59 || date.second > 59 {
        return Err("a field is out of range");
    }
    Ok(date)
}

/// Up to `max` ASCII digits (exactly `max` when `exact`), at least one.
fn digits(text: &str, max: usize, exact: bool) -> Result<(i64, &str), &'static str> {
    let count = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if count == 0 || (exact && count != max) {
        return Err("does not match the pattern");
    }
    let (number, rest) = text.split_at(count);
    let value = number.parse().map_err(|_| "a field is out of range")?;
    Ok((value, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = GREL_NAMESPACE;

    /// Parameters by local name with their values.
    type Given<'a> = Vec<(&'a str, &'a [&'a str])>;
    /// Output texts and kinds.
    type Got = Vec<(String, ValueKind)>;
    /// Function, parameters, output, expected problems.
    type CheckCase = (String, Vec<String>, Option<String>, Vec<FunctionError>);
    const I: &str = IDLAB_NAMESPACE;

    /// Calls `function` (a local name: `grel:x` or `idlab:x`) with parameters given by local
    /// name, each with its values; returns the output texts and kinds.
    fn call(
        function: &str,
        inputs: &[(&str, &[&str])],
    ) -> Result<Vec<(String, ValueKind)>, FunctionError> {
        let iri = expand(function);
        let def = lookup(&iri).ok_or(FunctionError::UnknownFunction {
            function: iri.clone(),
        })?;
        let mut given = Inputs::new(def);
        for (parameter, values) in inputs {
            given.add(
                &expand(parameter),
                values.iter().map(|text| Value::string(*text)),
            )?;
        }
        Ok(given
            .call()?
            .values
            .into_iter()
            .map(|value| (value.text.into_owned(), value.kind))
            .collect())
    }

    fn expand(name: &str) -> String {
        if let Some(local) = name.strip_prefix("grel:") {
            format!("{G}{local}")
        } else if let Some(local) = name.strip_prefix("idlab:") {
            format!("{I}{local}")
        } else {
            name.to_owned()
        }
    }

    fn s(text: &str) -> Vec<(String, ValueKind)> {
        vec![(text.to_owned(), ValueKind::String)]
    }

    fn kind(text: &str, kind: ValueKind) -> Vec<(String, ValueKind)> {
        vec![(text.to_owned(), kind)]
    }

    #[test]
    fn each_function_computes_what_grel_and_idlab_compute() {
        use ValueKind::{Boolean, Double, Integer};
        let v = "grel:valueParameter";
        let cases: Vec<(&str, Given<'_>, Got)> = vec![
            ("grel:toUpperCase", vec![(v, &["Venus é"])], s("VENUS É")),
            (
                "grel:toUpperCase",
                vec![("grel:valueParam", &["Name: Venus"])],
                s("NAME: VENUS"),
            ),
            ("grel:toLowerCase", vec![(v, &["VeNuS"])], s("venus")),
            (
                "grel:string_toTitlecase",
                vec![(v, &["hello WORLD  again"])],
                s("Hello World  Again"),
            ),
            ("grel:string_trim", vec![(v, &["  x y \n"])], s("x y")),
            (
                "grel:string_length",
                vec![(v, &["Venus"])],
                kind("5", Integer),
            ),
            ("grel:string_length", vec![(v, &["né"])], kind("2", Integer)),
            (
                "grel:string_replace",
                vec![
                    (v, &["M Venus"]),
                    ("grel:param_find", &[" "]),
                    ("grel:param_replace", &["-"]),
                ],
                s("M-Venus"),
            ),
            (
                "grel:string_replace",
                vec![
                    (v, &["a.b.c"]),
                    ("grel:p_string_find", &["."]),
                    ("grel:p_string_replace", &[""]),
                ],
                s("abc"),
            ),
            (
                "grel:string_substring",
                vec![(v, &["Venus"]), ("grel:p_int_i_from", &["5"])],
                s(""),
            ),
            (
                "grel:string_substring",
                vec![(v, &["Venus"]), ("grel:p_int_i_from", &["0"])],
                s("Venus"),
            ),
            (
                "grel:string_substring",
                vec![
                    (v, &["Venus"]),
                    ("grel:param_int_i_from", &["1"]),
                    ("grel:param_int_i_opt_to", &["3"]),
                ],
                s("en"),
            ),
            (
                "grel:string_substring",
                vec![
                    (v, &["Venus"]),
                    ("grel:p_int_i_from", &["-3"]),
                    ("grel:p_int_i_opt_to", &["99"]),
                ],
                s("nus"),
            ),
            (
                "grel:string_substring",
                vec![(v, &["Venus"]), ("grel:p_int_i_from", &["9"])],
                s(""),
            ),
            (
                "grel:escape",
                vec![(v, &["A&B"]), ("grel:modeParam", &["html"])],
                s("A&amp;B"),
            ),
            (
                "grel:escape",
                vec![(v, &["<a href=\"x\">'"]), ("grel:modeParameter", &["html"])],
                s("&lt;a href=&quot;x&quot;&gt;'"),
            ),
            (
                "grel:escape",
                vec![(v, &["'&'"]), ("grel:modeParameter", &["xml"])],
                s("&apos;&amp;&apos;"),
            ),
            (
                "grel:escape",
                vec![(v, &["a b/é~"]), ("grel:modeParameter", &["url"])],
                s("a+b%2F%C3%A9%7E"),
            ),
            (
                "grel:escape",
                vec![(v, &["a,\"b\""]), ("grel:modeParameter", &["csv"])],
                s("\"a,\"\"b\"\"\""),
            ),
            (
                "grel:escape",
                vec![(v, &["plain"]), ("grel:modeParameter", &["csv"])],
                s("plain"),
            ),
            (
                "grel:escape",
                vec![
                    (v, &["say \"hi\"\n"]),
                    ("grel:modeParameter", &["javascript"]),
                ],
                s("say \\\"hi\\\"\\n"),
            ),
            (
                "grel:string_contains",
                vec![(v, &["Venus"]), ("grel:string_sub", &["nu"])],
                kind("true", Boolean),
            ),
            (
                "grel:string_contains",
                vec![(v, &["Venus"]), ("grel:param_string_sub", &["x"])],
                kind("false", Boolean),
            ),
            (
                "grel:string_startsWith",
                vec![(v, &["Venus"]), ("grel:string_sub", &["Ve"])],
                kind("true", Boolean),
            ),
            (
                "grel:string_endsWith",
                vec![(v, &["Venus"]), ("grel:string_sub", &["Ve"])],
                kind("false", Boolean),
            ),
            (
                "grel:string_chomp",
                vec![(v, &["file.csv"]), ("grel:p_string_sep", &[".csv"])],
                s("file"),
            ),
            (
                "grel:string_concat",
                vec![
                    (v, &["a"]),
                    ("grel:valueParameter2", &["b"]),
                    ("grel:p_string_sep", &["-"]),
                ],
                s("a-b"),
            ),
            (
                "grel:string_toNumber",
                vec![("grel:p_any_e", &[" 42 "])],
                kind("42", Integer),
            ),
            (
                "grel:string_toNumber",
                vec![("grel:p_any_e", &["2.5"])],
                kind("2.5", Double),
            ),
            (
                "grel:string_toString",
                vec![("grel:p_any_e", &["7"])],
                s("7"),
            ),
            (
                "grel:boolean_not",
                vec![("grel:bool_b", &["true"])],
                kind("false", Boolean),
            ),
            (
                "grel:boolean_and",
                vec![("grel:param_rep_b", &["true", "TRUE"])],
                kind("true", Boolean),
            ),
            (
                "grel:boolean_and",
                vec![("grel:param_rep_b", &["true", "false"])],
                kind("false", Boolean),
            ),
            (
                "grel:boolean_or",
                vec![("grel:bool_array_b", &["false", "true"])],
                kind("true", Boolean),
            ),
            (
                "grel:boolean_or",
                vec![("grel:bool_array_b", &[])],
                kind("false", Boolean),
            ),
            (
                "grel:boolean_xor",
                vec![("grel:param_rep_b", &["true", "true", "true"])],
                kind("true", Boolean),
            ),
            (
                "grel:controls_if",
                vec![
                    ("grel:bool_b", &["false"]),
                    ("grel:any_true", &["yes"]),
                    ("grel:any_false", &["no"]),
                ],
                s("no"),
            ),
            (
                "grel:controls_if",
                vec![("grel:bool_b", &["false"]), ("grel:any_true", &["yes"])],
                vec![],
            ),
            (
                "grel:array_join",
                vec![
                    ("grel:p_array_a", &["a", "b", "c"]),
                    ("grel:p_string_sep", &[", "]),
                ],
                s("a, b, c"),
            ),
            (
                "grel:array_length",
                vec![("grel:p_array_a", &["a", "b"])],
                kind("2", Integer),
            ),
            (
                "grel:math_floor",
                vec![("grel:p_dec_n", &["2.7"])],
                kind("2", Integer),
            ),
            (
                "grel:math_ceil",
                vec![("grel:p_dec_n", &["2.1"])],
                kind("3", Integer),
            ),
            (
                "grel:math_round",
                vec![("grel:p_dec_n", &["-2.5"])],
                kind("-2", Integer),
            ),
            (
                "grel:math_round",
                vec![("grel:p_dec_n", &["2.5"])],
                kind("3", Integer),
            ),
            (
                "grel:math_min",
                vec![("grel:p_dec_n", &["2.5"]), ("grel:param_n2", &["1"])],
                kind("1", Integer),
            ),
            (
                "grel:math_max",
                vec![("grel:p_dec_n", &["2.5"]), ("grel:param_n2", &["1"])],
                kind("2.5", Double),
            ),
            (
                "grel:math_mod",
                vec![("grel:p_int_i", &["7"]), ("grel:p_int_i2", &["3"])],
                kind("1", Integer),
            ),
            (
                "grel:math_pow",
                vec![("grel:p_dec_n", &["2"]), ("grel:p_any_exp", &["10"])],
                kind("1024", Integer),
            ),
            (
                "grel:date_toDate",
                vec![
                    (v, &["24/12/2023"]),
                    ("grel:p_string_pattern", &["dd/MM/yyyy"]),
                ],
                s("2023-12-24"),
            ),
            (
                "idlab:equal",
                vec![(v, &["A"]), ("grel:valueParameter2", &["A"])],
                kind("true", Boolean),
            ),
            (
                "idlab:equal",
                vec![("grel:valueParam", &["A"]), ("grel:valueParam2", &["B"])],
                kind("false", Boolean),
            ),
            (
                "idlab:notEqual",
                vec![(v, &["A"]), ("grel:valueParameter2", &["B"])],
                kind("true", Boolean),
            ),
            (
                "idlab:trueCondition",
                vec![("idlab:strBoolean", &["true"]), ("idlab:str", &["x"])],
                s("x"),
            ),
            (
                "idlab:trueCondition",
                vec![("idlab:strBoolean", &["false"]), ("idlab:str", &["x"])],
                vec![],
            ),
            (
                "idlab:isNull",
                vec![("idlab:str", &[])],
                kind("true", Boolean),
            ),
            (
                "idlab:isNull",
                vec![("idlab:str", &["x"])],
                kind("false", Boolean),
            ),
            (
                "idlab:isNotNull",
                vec![("idlab:_str", &["x"])],
                kind("true", Boolean),
            ),
            (
                "idlab:stringContainsOtherString",
                vec![
                    ("idlab:str", &["Venus and Mars"]),
                    ("idlab:otherStr", &["Pluto;Mars"]),
                    ("idlab:delimiter", &[";"]),
                ],
                kind("true", Boolean),
            ),
            (
                "idlab:stringContainsOtherString",
                vec![
                    ("idlab:str", &["Venus"]),
                    ("idlab:otherStr", &["Pluto;Mars"]),
                    ("idlab:delimiter", &[";"]),
                ],
                kind("false", Boolean),
            ),
            (
                "idlab:listContainsElement",
                vec![("idlab:list", &["a", "b"]), ("idlab:str", &["b"])],
                kind("true", Boolean),
            ),
            (
                "idlab:toUpperCaseURL",
                vec![("idlab:str", &["http://example.com/venus"])],
                s("HTTP://EXAMPLE.COM/VENUS"),
            ),
            (
                "idlab:toUpperCaseURL",
                vec![("idlab:str", &["www.example.com"])],
                s("http://WWW.EXAMPLE.COM"),
            ),
            ("idlab:toLowerCase", vec![("idlab:str", &["ABC"])], s("abc")),
            (
                "idlab:concat",
                vec![("idlab:str", &["a"]), ("idlab:otherStr", &["b"])],
                s("ab"),
            ),
            ("idlab:alwaysReturnsABC", vec![], s("ABC")),
            (
                "idlab:inRange",
                vec![
                    ("idlab:p_test", &["5"]),
                    ("idlab:p_from", &["1"]),
                    ("idlab:p_to", &["5"]),
                ],
                kind("false", Boolean),
            ),
            (
                "idlab:inRange",
                vec![("idlab:p_test", &["1"]), ("idlab:p_from", &["1"])],
                kind("true", Boolean),
            ),
            (
                "idlab:normalizeDate",
                vec![
                    ("idlab:strDate", &["03 March 2021"]),
                    ("idlab:pattern", &["dd MMMM yyyy"]),
                ],
                s("2021-03-03"),
            ),
            (
                "idlab:normalizeDate",
                vec![
                    ("idlab:strDate", &["Mar 3, 21"]),
                    ("idlab:pattern", &["MMM d, yy"]),
                ],
                s("2021-03-03"),
            ),
            (
                "idlab:normalizeDateTime",
                vec![
                    ("idlab:strDate", &["2021-03-03 01:02:03 PM"]),
                    ("idlab:pattern", &["yyyy-MM-dd hh:mm:ss a"]),
                ],
                s("2021-03-03T13:02:03"),
            ),
            (
                "idlab:normalizeDateTime",
                vec![
                    ("idlab:strDate", &["20210303T0102"]),
                    ("idlab:pattern", &["yyyyMMdd'T'HHmm"]),
                ],
                s("2021-03-03T01:02:00"),
            ),
        ];
        let mut failures = Vec::new();
        for (function, inputs, expected) in cases {
            let got = call(function, &inputs);
            if got.as_ref() != Ok(&expected) {
                failures.push(format!(
                    "{function} {inputs:?}: expected {expected:?}, got {got:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn absent_values_give_no_value_and_several_values_give_one_value_per_combination() {
        let upper = call("grel:toUpperCase", &[("grel:valueParameter", &[])]);
        assert_eq!(upper, Ok(vec![]));
        let joined = call(
            "idlab:concat",
            &[("idlab:str", &["a", "b"]), ("idlab:otherStr", &["1", "2"])],
        );
        let texts: Vec<String> = joined
            .unwrap_or_default()
            .into_iter()
            .map(|(text, _)| text)
            .collect();
        assert_eq!(texts, ["a1", "a2", "b1", "b2"]);
    }

    #[test]
    fn bad_argument_values_are_errors_that_name_the_parameter() {
        let cases: Vec<(&str, Given<'_>, &str)> = vec![
            (
                "grel:string_substring",
                vec![
                    ("grel:valueParameter", &["x"]),
                    ("grel:p_int_i_from", &["one"]),
                ],
                "p_int_i_from",
            ),
            (
                "grel:escape",
                vec![
                    ("grel:valueParameter", &["x"]),
                    ("grel:modeParameter", &["rot13"]),
                ],
                "modeParam",
            ),
            (
                "grel:math_mod",
                vec![("grel:p_int_i", &["1"]), ("grel:p_int_i2", &["0"])],
                "param_int_i2",
            ),
            (
                "grel:boolean_not",
                vec![("grel:bool_b", &["maybe"])],
                "param_b",
            ),
            (
                "idlab:normalizeDate",
                vec![
                    ("idlab:strDate", &["2021-13-01"]),
                    ("idlab:pattern", &["yyyy-MM-dd"]),
                ],
                "_strDate",
            ),
            (
                "idlab:normalizeDate",
                vec![
                    ("idlab:strDate", &["2021-02-29"]),
                    ("idlab:pattern", &["yyyy-MM-dd"]),
                ],
                "_strDate",
            ),
            (
                "grel:string_split",
                vec![
                    ("grel:valueParameter", &["a,b"]),
                    ("grel:p_string_sep", &[","]),
                ],
                "valueParam",
            ),
        ];
        for (function, inputs, parameter) in cases {
            match call(function, &inputs) {
                Err(FunctionError::InvalidArgument { parameter: got, .. }) => {
                    assert!(
                        got.ends_with(parameter),
                        "{function}: wrong parameter {got}"
                    );
                }
                other => panic!("{function}: expected an invalid argument, got {other:?}"),
            }
        }
    }

    #[test]
    fn the_checker_reports_unknown_functions_parameters_outputs_and_missing_parameters() {
        let grel = |local: &str| format!("{G}{local}");
        let cases: Vec<CheckCase> = vec![
            // RMLFNMLTC0102: an unknown function.
            (
                grel("unknown_func"),
                vec![grel("valueParam")],
                Some(grel("stringOut")),
                vec![FunctionError::UnknownFunction {
                    function: grel("unknown_func"),
                }],
            ),
            // RMLFNMLTC0104: an output the function does not have.
            (
                grel("toUpperCase"),
                vec![grel("valueParam")],
                Some(grel("unknownOut")),
                vec![FunctionError::UnknownOutput {
                    function: grel("toUpperCase"),
                    output: grel("unknownOut"),
                }],
            ),
            // Every problem, not only the first.
            (
                grel("string_replace"),
                vec![grel("valueParameter"), grel("nope")],
                None,
                vec![
                    FunctionError::UnknownParameter {
                        function: grel("string_replace"),
                        parameter: grel("nope"),
                    },
                    FunctionError::MissingParameter {
                        function: grel("string_replace"),
                        parameter: grel("param_find"),
                    },
                    FunctionError::MissingParameter {
                        function: grel("string_replace"),
                        parameter: grel("param_replace"),
                    },
                ],
            ),
            // Optional parameters may be left out; predicates name parameters too.
            (
                grel("string_substring"),
                vec![grel("valueParameter"), grel("p_int_i_from")],
                Some(grel("stringOutput")),
                vec![],
            ),
            (
                grel("string_length"),
                vec![grel("valueParam")],
                Some(grel("output_number")),
                vec![],
            ),
            (
                format!("{I}equal"),
                vec![grel("valueParam"), grel("valueParam2")],
                Some(format!("{I}_boolOut")),
                vec![],
            ),
            (
                format!("{I}alwaysReturnsABC"),
                vec![],
                Some(format!("{I}_stringOut")),
                vec![],
            ),
        ];
        for (function, parameters, output, expected) in cases {
            let problems = check_call(
                &function,
                parameters.iter().map(String::as_str),
                output.as_deref(),
            );
            assert_eq!(problems, expected, "{function}");
        }
    }

    #[test]
    fn a_call_without_a_required_parameter_or_with_an_unknown_one_fails() {
        assert!(matches!(
            call("grel:string_replace", &[("grel:valueParameter", &["x"])]),
            Err(FunctionError::MissingParameter { .. })
        ));
        assert!(matches!(
            call("grel:toUpperCase", &[("grel:valueParameter2", &["x"])]),
            Err(FunctionError::UnknownParameter { .. })
        ));
    }

    #[test]
    fn too_many_combinations_fail_instead_of_exploding() {
        let many: Vec<String> = (0..200).map(|n| n.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let result = call(
            "idlab:concat",
            &[("idlab:str", &many), ("idlab:otherStr", &many)],
        );
        assert!(matches!(
            result,
            Err(FunctionError::TooManyCombinations { count: 40_000, .. })
        ));
    }

    #[test]
    fn the_table_has_one_entry_per_iri_and_no_name_clash_within_a_function() {
        let mut iris: Vec<&str> = all().iter().map(|function| function.iri).collect();
        iris.sort_unstable();
        let before = iris.len();
        iris.dedup();
        assert_eq!(before, iris.len());
        for function in all() {
            let mut names: Vec<&str> = function
                .parameters
                .iter()
                .flat_map(|parameter| {
                    std::iter::once(parameter.iri).chain(parameter.aliases.iter().copied())
                })
                .collect();
            names.sort_unstable();
            let count = names.len();
            names.dedup();
            assert_eq!(count, names.len(), "{}", function.iri);
            assert!(!function.outputs.is_empty(), "{}", function.iri);
        }
    }
}
