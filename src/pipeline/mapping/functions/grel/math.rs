//! GREL math functions.

use super::super::call::{integer, number};
use super::super::params::{Call, DEC_EXP, DEC_N, DEC_N2, INT_I, INT_I2, NUMBER_OUT, def};
use super::super::{Args, FunctionDef};

pub(in crate::pipeline::mapping::functions) const FUNCTIONS: &[FunctionDef] = &[
    def(grel!("math_floor"), &[DEC_N], NUMBER_OUT, math_floor),
    def(grel!("math_ceil"), &[DEC_N], NUMBER_OUT, math_ceil),
    def(grel!("math_round"), &[DEC_N], NUMBER_OUT, math_round),
    def(grel!("math_min"), &[DEC_N, DEC_N2], NUMBER_OUT, math_min),
    def(grel!("math_max"), &[DEC_N, DEC_N2], NUMBER_OUT, math_max),
    def(grel!("math_mod"), &[INT_I, INT_I2], NUMBER_OUT, math_mod),
    def(grel!("math_pow"), &[DEC_N, DEC_EXP], NUMBER_OUT, math_pow),
];

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
