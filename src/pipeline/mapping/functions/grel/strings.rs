//! GREL string functions (OpenRefine's string expressions).

use super::super::call::{boolean, integer, number, string};
use super::super::params::{
    ANY_E, BOOL_OUT, Call, FIND, FROM, MODE, NUMBER_OUT, OPT_SEP, OPT_TO, REPLACE, SEP, STRING_OUT,
    SUB, VALUE, VALUE2, def,
};
use super::super::{Args, FunctionDef};
use super::escape::{escape_csv, escape_javascript, escape_markup, escape_url};

pub(in crate::pipeline::mapping::functions) const FUNCTIONS: &[FunctionDef] = &[
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
        grel!("string_concat"),
        &[VALUE, VALUE2, OPT_SEP],
        STRING_OUT,
        concat,
    ),
    def(grel!("string_toString"), &[ANY_E], STRING_OUT, to_string),
    def(grel!("string_toNumber"), &[ANY_E], NUMBER_OUT, to_number),
];

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
