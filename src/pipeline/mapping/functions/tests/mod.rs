//! Function tests, one file per part of the table, through the helpers here: a function and
//! its parameters are named by local name (`grel:x`, `idlab:x`).

use super::*;
use crate::pipeline::payload::ValueKind;

mod call;
mod check;
mod citykg;
mod date;
mod grel;
mod idlab;
mod iri;

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

/// A citykg function's first output as text, or its error as text; parameters and values by
/// local name (the unit tests beside `iri.rs` and `units.rs` use it).
pub(super) fn citykg_call(
    function: &str,
    inputs: &[(&str, &str)],
) -> Result<Option<String>, String> {
    let names: Vec<String> = inputs.iter().map(|(p, _)| format!("citykg:{p}")).collect();
    let values: Vec<[&str; 1]> = inputs.iter().map(|(_, v)| [*v]).collect();
    let given: Vec<(&str, &[&str])> = names
        .iter()
        .zip(&values)
        .map(|(name, value)| (name.as_str(), &value[..]))
        .collect();
    call(&format!("citykg:{function}"), &given)
        .map(|output| output.into_iter().next().map(|(text, _)| text))
        .map_err(|error| error.to_string())
}

fn expand(name: &str) -> String {
    if let Some(local) = name.strip_prefix("grel:") {
        format!("{G}{local}")
    } else if let Some(local) = name.strip_prefix("idlab:") {
        format!("{I}{local}")
    } else if let Some(local) = name.strip_prefix("citykg:") {
        format!("{CITYKG_NAMESPACE}{local}")
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

/// Calls each function with its inputs and compares the output; reports every case that
/// differs, not only the first.
fn check_computes(cases: Vec<(&str, Given<'_>, Got)>) {
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

/// Calls each function with its inputs and expects an invalid argument naming the parameter.
fn check_invalid(cases: Vec<(&str, Given<'_>, &str)>) {
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
