//! GREL booleans and `controls_if`.

use std::borrow::Cow;

use super::super::call::{boolean, parse_boolean};
use super::super::params::{ANY_OUT, BOOL, BOOL_OUT, BOOLS, Call, IF_FALSE, IF_TRUE, def};
use super::super::{Args, FunctionDef, FunctionError};
use crate::pipeline::payload::Value;

pub(in crate::pipeline::mapping::functions) const FUNCTIONS: &[FunctionDef] = &[
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
];

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
