//! Dates with Java (DateTimeFormatter / SimpleDateFormat) patterns: y/u year, M month (number,
//! MMM short or MMMM full English name), d day, H hour (0-23), h hour (1-12) with a (AM/PM), m
//! minute, s second, S fraction, 'quoted' text; other characters must match themselves. Used by
//! GREL `date_toDate` and IDLab `normalizeDate` / `normalizeDateTime`.

use super::call::string;
use super::params::{
    Call, DATE_OUT, DATE_PATTERN, IDLAB_STRING_OUT, PATTERN, STR_DATE, VALUE, def,
};
use super::{Args, FunctionDef};

pub(super) const GREL_FUNCTIONS: &[FunctionDef] = &[def(
    grel!("date_toDate"),
    &[VALUE, PATTERN],
    DATE_OUT,
    to_date,
)];

pub(super) const IDLAB_FUNCTIONS: &[FunctionDef] = &[
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

fn to_date(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let pattern = text_or_none!(args, 1);
    let date = parse_date(text, pattern).map_err(|reason| args.invalid(0, text, reason))?;
    Ok(string(date.to_date_string()))
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
