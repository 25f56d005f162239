//! Typed parameter values: non-negative integers, booleans and strings read from literals.

use oxigraph::model::vocab::xsd;
use oxigraph::model::{NamedNodeRef, TermRef};

const INTEGER_TYPES: [NamedNodeRef<'static>; 13] = [
    xsd::INTEGER,
    xsd::NON_NEGATIVE_INTEGER,
    xsd::POSITIVE_INTEGER,
    xsd::NON_POSITIVE_INTEGER,
    xsd::NEGATIVE_INTEGER,
    xsd::LONG,
    xsd::INT,
    xsd::SHORT,
    xsd::BYTE,
    xsd::UNSIGNED_LONG,
    xsd::UNSIGNED_INT,
    xsd::UNSIGNED_SHORT,
    xsd::UNSIGNED_BYTE,
];

/// A non-negative integer literal's value.
pub fn count(term: TermRef<'_>) -> Option<u64> {
    let TermRef::Literal(l) = term else {
        return None;
    };
    if !INTEGER_TYPES.contains(&l.datatype()) {
        return None;
    }
    let text = l.value().trim();
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

/// An `xsd:boolean` literal's value.
pub fn boolean(term: TermRef<'_>) -> Option<bool> {
    let TermRef::Literal(l) = term else {
        return None;
    };
    if l.datatype() != xsd::BOOLEAN {
        return None;
    }
    match l.value().trim() {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// An `xsd:string` literal's value (language-tagged strings are not strings here).
pub fn string(term: TermRef<'_>) -> Option<&str> {
    match term {
        TermRef::Literal(l) if l.datatype() == xsd::STRING => Some(l.value()),
        _ => None,
    }
}
