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
//!
//! Layout: the types, the checker and the table (assembled from each family's part) are here;
//! [`Inputs`] and [`Args`] (how values reach an implementation) in `call`; the FnO parameter and
//! output descriptions in `params`; implementations in `grel`, `idlab`, `date` (Java-style
//! date patterns) and citykg's own: `citykg` (UTC times and intervals, numbers sent as strings,
//! property IRIs), `units` (unit codes -> QUDT units) and `geo` (GeoJSON -> WKT).

use crate::pipeline::payload::Value;

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

macro_rules! citykg_fn {
    ($name:literal) => {
        concat!("https://w3id.org/citykg/function#", $name)
    };
}

// Implementations read their arguments by parameter position; an absent required value gives
// no value (FnO's null), a value of the wrong shape is an error.
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

mod call;
mod citykg;
mod date;
mod geo;
mod grel;
mod idlab;
mod iri;
mod params;
#[cfg(test)]
mod tests;
mod units;
mod units_text;
mod wot;

pub use call::{Args, Inputs, Output};
pub use citykg::parse_zone;

/// The GREL namespace (FnO descriptions of OpenRefine's expression language).
pub const GREL_NAMESPACE: &str = grel!("");
/// The IDLab function namespace (RMLMapper's own functions).
pub const IDLAB_NAMESPACE: &str = idlab!("");

/// citykg's own function namespace.
pub const CITYKG_NAMESPACE: &str = citykg::NAMESPACE;

/// What a run declares for every call it makes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallContext {
    /// The zone of times written without one (an ingest's `timezone` parameter); `None` makes
    /// such a time an error unless the mapping names a zone itself.
    pub naive_time_zone: Option<oxsdatatypes::TimezoneOffset>,
}

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
    &TABLE
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

/// Each family's part, in table order.
const PARTS: &[&[FunctionDef]] = &[
    grel::strings::FUNCTIONS,
    grel::logic::FUNCTIONS,
    grel::arrays::FUNCTIONS,
    grel::math::FUNCTIONS,
    date::GREL_FUNCTIONS,
    idlab::FUNCTIONS,
    date::IDLAB_FUNCTIONS,
    citykg::FUNCTIONS,
    units::FUNCTIONS,
    geo::FUNCTIONS,
    units_text::FUNCTIONS,
    wot::FUNCTIONS,
    iri::FUNCTIONS,
];

const TABLE_LEN: usize = {
    let mut length = 0;
    let mut part = 0;
    while part < PARTS.len() {
        length += PARTS[part].len();
        part += 1;
    }
    length
};

static TABLE: [FunctionDef; TABLE_LEN] = concat_parts();

/// The parts one after the other (a `const fn`, so the table stays a plain static).
const fn concat_parts() -> [FunctionDef; TABLE_LEN] {
    const EMPTY: FunctionDef = FunctionDef {
        iri: "",
        parameters: &[],
        outputs: &[],
        call: |_| Ok(None),
    };
    let mut table = [EMPTY; TABLE_LEN];
    let mut at = 0;
    let mut part = 0;
    while part < PARTS.len() {
        let mut index = 0;
        while index < PARTS[part].len() {
            let function = &PARTS[part][index];
            table[at] = FunctionDef {
                iri: function.iri,
                parameters: function.parameters,
                outputs: function.outputs,
                call: function.call,
            };
            at += 1;
            index += 1;
        }
        part += 1;
    }
    table
}
