//! citykg's own functions (`https://w3id.org/citykg/function#`), the few that vendor envelopes
//! need and GREL/IDLab lack: times to UTC `xsd:dateTime`, numbers sent as strings, and a
//! property IRI from a vendor's field name. A malformed time or number is an error, so that the
//! run fails and the service quarantines the payload: nothing is guessed.

use std::borrow::Cow;
use std::str::FromStr;

use oxsdatatypes::{DateTime, DayTimeDuration, Decimal, TimezoneOffset};

use super::call::{integer, string};
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, FunctionError, OutputDef, ParameterDef};
use crate::pipeline::payload::{Value, ValueKind};

/// The namespace of citykg's functions.
pub const NAMESPACE: &str = citykg_fn!("");

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const GROUP: ParameterDef = optional(citykg_fn!("group"), &[]);
/// The zone of a time written without one: `Z`, `UTC` or an offset `+01:00`.
const ZONE: ParameterDef = optional(citykg_fn!("zone"), &[]);

/// Where [`property_iri`] mints property IRIs (the `cprop:` concepts of `ontologies/citykg.ttl`).
const PROPERTY_NAMESPACE: &str = "https://w3id.org/citykg/property/";
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(
        citykg_fn!("toUtcDateTime"),
        &[VALUE, ZONE],
        OUTPUT,
        to_utc_date_time,
    ),
    def(
        citykg_fn!("intervalStart"),
        &[VALUE, ZONE],
        OUTPUT,
        interval_start,
    ),
    def(
        citykg_fn!("intervalEnd"),
        &[VALUE, ZONE],
        OUTPUT,
        interval_end,
    ),
    def(
        citykg_fn!("epochMillisToDateTime"),
        &[VALUE],
        OUTPUT,
        epoch_millis_to_date_time,
    ),
    def(citykg_fn!("toNumber"), &[VALUE], OUTPUT, to_number),
    def(
        citykg_fn!("propertyIri"),
        &[VALUE, GROUP],
        OUTPUT,
        property_iri,
    ),
];

/// An RFC 3339 time (`Z`, `+00:00`, `-05:00`; any number of fractional digits) -> the same
/// instant as a canonical `xsd:dateTime` in UTC (`...Z`). A time without an offset takes the
/// zone the mapping gives (`citykg-fn:zone`) or else the one the run declares (an ingest's
/// `timezone` parameter); with neither it is refused: its zone would be a guess.
fn to_utc_date_time(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    Ok(string(utc_date_time(args, text)?))
}

/// The start of an ISO 8601 interval `start/end` (NGSI-v2 `dateObserved`, SensorThings
/// `phenomenonTime`) as a UTC `xsd:dateTime`; a single instant is its own start.
fn interval_start(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let start = text.split_once('/').map_or(text, |(start, _)| start);
    Ok(string(utc_date_time(args, start)?))
}

/// The end of an ISO 8601 interval `start/end` as a UTC `xsd:dateTime`; a single instant is
/// its own end.
fn interval_end(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let end = text.split_once('/').map_or(text, |(_, end)| end);
    Ok(string(utc_date_time(args, end)?))
}

/// `text` (one instant) in UTC, under the zone rules of [`to_utc_date_time`]; parameter 1 is
/// the zone.
fn utc_date_time(args: &Args<'_>, text: &str) -> Result<String, FunctionError> {
    // RFC 3339 allows lowercase `t` and `z`; xsd:dateTime does not.
    let normalized = text.trim().to_ascii_uppercase();
    let mut parsed = DateTime::from_str(&normalized)
        .map_err(|_| args.invalid(0, text, "not an RFC 3339 date and time"))?;
    if parsed.timezone_offset().is_none() {
        let zone = match args.text(1) {
            Some(zone) => {
                parse_zone(zone).ok_or_else(|| args.invalid(1, zone, "not a zone offset (`Z`, `UTC`, `+01:00`)"))?
            }
            None => args.context().naive_time_zone.ok_or_else(|| {
                args.invalid(
                    0,
                    text,
                    "a date and time without a time zone offset, and no zone declared for it (the mapping's citykg-fn:zone or the ingest's `timezone` parameter)",
                )
            })?,
        };
        // xsd:dateTime has no constructor from parts: the offset is written and read back.
        parsed = DateTime::from_str(&format!("{normalized}{zone}"))
            .map_err(|_| args.invalid(0, text, "not an RFC 3339 date and time"))?;
    }
    let utc = parsed
        .adjust(Some(TimezoneOffset::UTC))
        .ok_or_else(|| args.invalid(0, text, "out of the xsd:dateTime range"))?;
    Ok(utc.to_string())
}

/// `Z`, `UTC` or `±hh:mm` (a `+` that a query string turned into a space counts as `+`).
pub fn parse_zone(text: &str) -> Option<TimezoneOffset> {
    if text.trim().eq_ignore_ascii_case("z") || text.trim().eq_ignore_ascii_case("utc") {
        return Some(TimezoneOffset::UTC);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' | b' ' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (hours, minutes) = rest.split_once(':')?;
    if hours.len() != 2 || minutes.len() != 2 {
        return None;
    }
    let hours: i16 = hours.parse().ok()?;
    let minutes: i16 = minutes.parse().ok()?;
    if hours > 14 || minutes > 59 {
        return None;
    }
    TimezoneOffset::new(sign * (hours * 60 + minutes)).ok()
}

/// Milliseconds since 1970-01-01T00:00:00Z (an integer, possibly sent as a string) -> a
/// canonical `xsd:dateTime` in UTC.
fn epoch_millis_to_date_time(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let millis: i64 = text
        .trim()
        .parse()
        .map_err(|_| args.invalid(0, text, "not a whole number of milliseconds"))?;
    let range = || args.invalid(0, text, "out of the xsd:dateTime range");
    let seconds = Decimal::from(millis).checked_div(1000).ok_or_else(range)?;
    let epoch = DateTime::from_str("1970-01-01T00:00:00Z").map_err(|_| range())?;
    let time = epoch
        .checked_add_day_time_duration(DayTimeDuration::new(seconds))
        .ok_or_else(range)?;
    Ok(string(time.to_string()))
}

/// A number, possibly sent as a string (`"867100000"`, `" 32.59 "`) -> an integer or a double
/// value (so the literal gets a numeric datatype). Anything else is an error.
fn to_number(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let trimmed = text.trim();
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if !digits.is_empty() && digits.bytes().all(|byte| byte.is_ascii_digit()) {
        if let Ok(value) = trimmed.parse::<i64>() {
            return Ok(integer(value));
        }
    }
    let decimal_like = !digits.is_empty()
        && digits
            .bytes()
            .all(|byte| byte.is_ascii_digit() || matches!(byte, b'.' | b'e' | b'E' | b'-' | b'+'));
    match trimmed.parse::<f64>() {
        Ok(value) if decimal_like && value.is_finite() => Ok(Some(Value {
            text: Cow::Owned(value.to_string()),
            kind: ValueKind::Double,
        })),
        _ => Err(args.invalid(0, text, "not a number")),
    }
}

/// A vendor field name (and, for a field nested in a group such as `"Device Status"`, the
/// group's name) -> a citykg property IRI `https://w3id.org/citykg/property/{key}`, the key in
/// lowercase ASCII letters and digits with every other run of characters one `_`
/// (`"Temperature"` -> `cprop:temperature`, `"Battery Status"` -> `cprop:battery_status`,
/// group `"Device Status"` + `"Sensor Fault"` -> `cprop:device_status_sensor_fault`). A name
/// with no letter or digit gives no value.
fn property_iri(args: &Args<'_>) -> Call {
    let name = text_or_none!(args, 0);
    let mut key = String::with_capacity(name.len() + 16);
    if let Some(group) = args.text(1) {
        push_key(&mut key, group);
    }
    let before = key.len();
    push_key(&mut key, name);
    if key.len() == before {
        return Ok(None);
    }
    Ok(string(format!("{PROPERTY_NAMESPACE}{key}")))
}

fn push_key(key: &mut String, text: &str) {
    let mut gap = !key.is_empty();
    for character in text.chars() {
        if character.is_ascii_alphanumeric() {
            if gap && !key.is_empty() {
                key.push('_');
            }
            gap = false;
            key.push(character.to_ascii_lowercase());
        } else {
            gap = true;
        }
    }
}
