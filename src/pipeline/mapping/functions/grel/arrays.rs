//! GREL array functions; an array is every value of an `rdf:List` parameter.

use super::super::call::{integer, string};
use super::super::params::{ARRAY, Call, NUMBER_OUT, SEP, STRING_OUT, def};
use super::super::{Args, FunctionDef};

pub(in crate::pipeline::mapping::functions) const FUNCTIONS: &[FunctionDef] = &[
    def(grel!("array_join"), &[ARRAY, SEP], STRING_OUT, array_join),
    def(grel!("array_length"), &[ARRAY], NUMBER_OUT, array_length),
];

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
