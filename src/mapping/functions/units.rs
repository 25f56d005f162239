//! Unit codes -> QUDT unit IRIs, looked up in the shipped QUDT profile (`ontologies/qudt.ttl`):
//! a UN/CEFACT Rec 20 common code (NGSI `unitCode`: `GQ` -> `unit:MicroGM-PER-M3`) through
//! `qudt:uneceCommonCode`, a UCUM code (SensorThings `ucum:Cel`) through `qudt:ucumCode`. The
//! profile is the one table, so a unit added there is known to mappings, the lint and SPARQL
//! alike. An unknown code is an error (the payload goes to the quarantine): a unit dropped or
//! guessed would make the value meaningless.

use std::collections::HashMap;
use std::sync::LazyLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};

use super::call::string;
use super::params::{Call, def, one};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const QUDT_PROFILE: &str = include_str!("../../../ontologies/qudt.ttl");
const UNECE_CODE: &str = "http://qudt.org/schema/qudt/uneceCommonCode";
const UCUM_CODE: &str = "http://qudt.org/schema/qudt/ucumCode";

/// Where a UCUM code may be written as an IRI (`http://unitsofmeasure.org/ucum.html#Cel`) or a
/// CURIE (`ucum:Cel`) instead of the bare code.
const UCUM_PREFIXES: &[&str] = &[
    "ucum:",
    "http://unitsofmeasure.org/ucum.html#",
    "https://unitsofmeasure.org/ucum.html#",
];

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(citykg_fn!("unitFromCode"), &[VALUE], OUTPUT, unit_from_code),
    def(citykg_fn!("unitFromUcum"), &[VALUE], OUTPUT, unit_from_ucum),
];

struct UnitTable {
    unece: HashMap<String, String>,
    ucum: HashMap<String, String>,
}

static UNITS: LazyLock<UnitTable> = LazyLock::new(|| {
    let mut table = UnitTable {
        unece: HashMap::new(),
        ucum: HashMap::new(),
    };
    // The profile is compiled in and parsed by a test; a broken triple would only shrink the
    // table, never panic.
    for triple in RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(QUDT_PROFILE.as_bytes())
        .flatten()
    {
        let (NamedOrBlankNode::NamedNode(unit), Term::Literal(code)) =
            (&triple.subject, &triple.object)
        else {
            continue;
        };
        let map = match triple.predicate.as_str() {
            UNECE_CODE => &mut table.unece,
            UCUM_CODE => &mut table.ucum,
            _ => continue,
        };
        map.insert(code.value().to_owned(), unit.as_str().to_owned());
    }
    table
});

/// A UN/CEFACT common code (`GQ`, `CEL`, `KWH`; case as Rec 20 writes it, surrounding spaces
/// ignored) -> the QUDT unit IRI.
fn unit_from_code(args: &Args<'_>) -> Call {
    let code = text_or_none!(args, 0);
    match UNITS.unece.get(code.trim()) {
        Some(iri) => Ok(string(iri.clone())),
        None => Err({
            args.invalid(
                0,
                code,
                "not a UN/CEFACT common code of the shipped QUDT units (ontologies/qudt.ttl)",
            )
        }),
    }
}

/// A UCUM code, bare (`Cel`) or prefixed (`ucum:Cel`) -> the QUDT unit IRI.
fn unit_from_ucum(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let trimmed = text.trim();
    let code = UCUM_PREFIXES
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))
        .unwrap_or(trimmed);
    match UNITS.ucum.get(code) {
        Some(iri) => Ok(string(iri.clone())),
        None => Err({
            args.invalid(
                0,
                text,
                "not a UCUM code of the shipped QUDT units (ontologies/qudt.ttl)",
            )
        }),
    }
}
