//! IDLab functions (RMLMapper's own); `normalizeDate` and `normalizeDateTime` are in `date`.

use std::borrow::Cow;

use super::call::{boolean, string};
use super::params::{
    Call, DELIMITER, EQUAL_OUT, IDLAB_BOOL_OUT, IDLAB_STRING_OUT, LIST, OPT_DELIMITER, OTHER_STR,
    RANGE_FROM, RANGE_TO, STR, STR_BOOLEAN, TEST, VALUE, VALUE2, def,
};
use super::{Args, FunctionDef};
use crate::pipeline::payload::Value;

pub(super) const FUNCTIONS: &[FunctionDef] = &[
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
];

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
