//! Literal semantics the constraints need: whether a literal's lexical form is valid for its XSD
//! datatype (`sh:datatype`), and SPARQL `<` ordering between literals (value ranges, `sh:lessThan`),
//! where incomparable or ill-formed values compare as `None`.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{LiteralRef, NamedNodeRef, TermRef};
use oxsdatatypes::{
    Date, DateTime, DayTimeDuration, Decimal, Double, Duration, Float, GDay, GMonth, GMonthDay,
    GYear, GYearMonth, Time, YearMonthDuration,
};
use std::cmp::Ordering;
use std::str::FromStr;

/// Whether `literal`'s lexical form is in the lexical space of its datatype (unknown datatypes
/// are taken as valid).
pub fn is_well_formed(literal: LiteralRef<'_>) -> bool {
    let value = literal.value();
    let datatype = literal.datatype();
    if let Some(range) = integer_range(datatype) {
        return integer_in_range(value, range);
    }
    match datatype.as_str() {
        s if s == xsd::BOOLEAN.as_str() => matches!(value, "true" | "false" | "1" | "0"),
        s if s == xsd::DECIMAL.as_str() => Decimal::from_str(value).is_ok(),
        s if s == xsd::FLOAT.as_str() => Float::from_str(value).is_ok(),
        s if s == xsd::DOUBLE.as_str() => Double::from_str(value).is_ok(),
        s if s == xsd::DATE_TIME.as_str() => DateTime::from_str(value).is_ok(),
        s if s == xsd::DATE_TIME_STAMP.as_str() => {
            DateTime::from_str(value).is_ok_and(|d| d.timezone_offset().is_some())
        }
        s if s == xsd::DATE.as_str() => Date::from_str(value).is_ok(),
        s if s == xsd::TIME.as_str() => Time::from_str(value).is_ok(),
        s if s == xsd::G_YEAR.as_str() => GYear::from_str(value).is_ok(),
        s if s == xsd::G_YEAR_MONTH.as_str() => GYearMonth::from_str(value).is_ok(),
        s if s == xsd::G_MONTH.as_str() => GMonth::from_str(value).is_ok(),
        s if s == xsd::G_MONTH_DAY.as_str() => GMonthDay::from_str(value).is_ok(),
        s if s == xsd::G_DAY.as_str() => GDay::from_str(value).is_ok(),
        s if s == xsd::DURATION.as_str() => Duration::from_str(value).is_ok(),
        s if s == xsd::DAY_TIME_DURATION.as_str() => DayTimeDuration::from_str(value).is_ok(),
        s if s == xsd::YEAR_MONTH_DURATION.as_str() => YearMonthDuration::from_str(value).is_ok(),
        _ => true,
    }
}

/// Inclusive bounds of an integer datatype (`None` bound: unbounded).
type Range = (Option<i128>, Option<i128>);

fn integer_range(datatype: NamedNodeRef<'_>) -> Option<Range> {
    let table: [(NamedNodeRef<'_>, Range); 13] = [
        (xsd::INTEGER, (None, None)),
        (xsd::NON_NEGATIVE_INTEGER, (Some(0), None)),
        (xsd::POSITIVE_INTEGER, (Some(1), None)),
        (xsd::NON_POSITIVE_INTEGER, (None, Some(0))),
        (xsd::NEGATIVE_INTEGER, (None, Some(-1))),
        (xsd::LONG, (Some(i64::MIN.into()), Some(i64::MAX.into()))),
        (xsd::INT, (Some(i32::MIN.into()), Some(i32::MAX.into()))),
        (xsd::SHORT, (Some(i16::MIN.into()), Some(i16::MAX.into()))),
        (xsd::BYTE, (Some(i8::MIN.into()), Some(i8::MAX.into()))),
        (xsd::UNSIGNED_LONG, (Some(0), Some(u64::MAX.into()))),
        (xsd::UNSIGNED_INT, (Some(0), Some(u32::MAX.into()))),
        (xsd::UNSIGNED_SHORT, (Some(0), Some(u16::MAX.into()))),
        (xsd::UNSIGNED_BYTE, (Some(0), Some(u8::MAX.into()))),
    ];
    table
        .into_iter()
        .find(|(d, _)| *d == datatype)
        .map(|(_, r)| r)
}

fn integer_in_range(value: &str, (min, max): Range) -> bool {
    let (negative, digits) = match (value.strip_prefix('-'), value.strip_prefix('+')) {
        (Some(rest), _) => (true, rest),
        (None, Some(rest)) => (false, rest),
        (None, None) => (false, value),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let trimmed = digits.trim_start_matches('0');
    let is_zero = trimmed.is_empty();
    match i128::from_str(value) {
        Ok(n) => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
        // Too long for i128: only the unbounded side of a type can hold it.
        Err(_) => {
            if negative && !is_zero {
                min.is_none()
            } else {
                max.is_none()
            }
        }
    }
}

/// A literal's value, for ordering.
enum Value<'a> {
    Decimal(Decimal),
    Double(Double),
    String(&'a str),
    Boolean(bool),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    Duration(Duration),
}

fn value_of(literal: LiteralRef<'_>) -> Option<Value<'_>> {
    if !is_well_formed(literal) {
        return None;
    }
    let v = literal.value();
    let d = literal.datatype();
    if integer_range(d).is_some() || d == xsd::DECIMAL {
        let v = v.strip_prefix('+').unwrap_or(v);
        return Decimal::from_str(v).ok().map(Value::Decimal);
    }
    Some(match d.as_str() {
        s if s == xsd::DOUBLE.as_str() => Value::Double(Double::from_str(v).ok()?),
        s if s == xsd::FLOAT.as_str() => Value::Double(Float::from_str(v).ok()?.into()),
        s if s == xsd::STRING.as_str() => Value::String(v),
        s if s == xsd::BOOLEAN.as_str() => Value::Boolean(matches!(v, "true" | "1")),
        s if s == xsd::DATE_TIME.as_str() || s == xsd::DATE_TIME_STAMP.as_str() => {
            Value::DateTime(DateTime::from_str(v).ok()?)
        }
        s if s == xsd::DATE.as_str() => Value::Date(Date::from_str(v).ok()?),
        s if s == xsd::TIME.as_str() => Value::Time(Time::from_str(v).ok()?),
        s if s == xsd::DURATION.as_str() => Value::Duration(Duration::from_str(v).ok()?),
        s if s == xsd::DAY_TIME_DURATION.as_str() => {
            Value::Duration(DayTimeDuration::from_str(v).ok()?.into())
        }
        s if s == xsd::YEAR_MONTH_DURATION.as_str() => {
            Value::Duration(YearMonthDuration::from_str(v).ok()?.into())
        }
        _ => return None,
    })
}

/// SPARQL ordering of two terms: `None` when either is not a literal, or the values are not
/// comparable (different kinds, ill-formed, indeterminate time zones, NaN).
pub fn compare(a: TermRef<'_>, b: TermRef<'_>) -> Option<Ordering> {
    let (TermRef::Literal(a), TermRef::Literal(b)) = (a, b) else {
        return None;
    };
    match (value_of(a)?, value_of(b)?) {
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(&y)),
        (Value::Decimal(x), Value::Double(y)) => Double::from(x).partial_cmp(&y),
        (Value::Double(x), Value::Decimal(y)) => x.partial_cmp(&Double::from(y)),
        (Value::Double(x), Value::Double(y)) => x.partial_cmp(&y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Boolean(x), Value::Boolean(y)) => Some(x.cmp(&y)),
        (Value::DateTime(x), Value::DateTime(y)) => x.partial_cmp(&y),
        (Value::Date(x), Value::Date(y)) => x.partial_cmp(&y),
        (Value::Time(x), Value::Time(y)) => x.partial_cmp(&y),
        (Value::Duration(x), Value::Duration(y)) => x.partial_cmp(&y),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{compare, is_well_formed};
    use oxigraph::model::vocab::xsd;
    use oxigraph::model::{Literal, NamedNodeRef, Term};
    use std::cmp::Ordering;

    fn lit(value: &str, datatype: NamedNodeRef<'_>) -> Literal {
        Literal::new_typed_literal(value, datatype)
    }

    #[test]
    fn lexical_forms_are_checked_per_datatype() {
        let table = [
            ("300", xsd::BYTE, false),
            ("127", xsd::BYTE, true),
            ("c", xsd::BYTE, false),
            ("55", xsd::INTEGER, true),
            ("-0", xsd::POSITIVE_INTEGER, false),
            (
                "99999999999999999999999999999999999999999",
                xsd::INTEGER,
                true,
            ),
            (
                "99999999999999999999999999999999999999999",
                xsd::LONG,
                false,
            ),
            ("1.5", xsd::DECIMAL, true),
            ("1.5e3", xsd::DECIMAL, false),
            ("INF", xsd::DOUBLE, true),
            ("maybe", xsd::BOOLEAN, false),
            ("2024-02-30", xsd::DATE, false),
            ("2024-02-29", xsd::DATE, true),
            ("2024-01-01T00:00:00", xsd::DATE_TIME_STAMP, false),
            ("anything", xsd::STRING, true),
        ];
        for (value, datatype, expected) in table {
            assert_eq!(
                is_well_formed(lit(value, datatype).as_ref()),
                expected,
                "{value}^^{datatype}"
            );
        }
    }

    #[test]
    fn comparison_follows_sparql() {
        let cmp = |a: Literal, b: Literal| compare(Term::from(a).as_ref(), Term::from(b).as_ref());
        assert_eq!(
            cmp(lit("1", xsd::INTEGER), lit("1.5", xsd::DECIMAL)),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(lit("2", xsd::INTEGER), lit("1.5e0", xsd::DOUBLE)),
            Some(Ordering::Greater)
        );
        assert_eq!(cmp(lit("a", xsd::STRING), lit("1", xsd::INTEGER)), None);
        assert_eq!(cmp(lit("c", xsd::BYTE), lit("1", xsd::INTEGER)), None);
        assert_eq!(
            cmp(
                lit("2024-01-01T00:00:00Z", xsd::DATE_TIME),
                lit("2024-01-02T00:00:00Z", xsd::DATE_TIME)
            ),
            Some(Ordering::Less)
        );
        assert_eq!(
            cmp(
                Literal::new_language_tagged_literal_unchecked("a", "en"),
                lit("b", xsd::STRING)
            ),
            None
        );
    }
}
