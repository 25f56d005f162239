//! Units -> QUDT unit IRIs, looked up in the shipped QUDT profile (`ontologies/qudt.ttl`), the
//! one table for mappings, the lint and SPARQL alike (a unit added there is known everywhere):
//! - `unitFromCode`: a UN/CEFACT Rec 20 common code (NGSI `unitCode`: `GQ` ->
//!   `unit:MicroGM-PER-M3`) through `qudt:uneceCommonCode`;
//! - `unitFromUcum`: a UCUM code, bare or prefixed (SensorThings `ucum:Cel`) through
//!   `qudt:ucumCode`;
//! - `unitFromIri`: a unit *IRI* as linked-data formats (SensorThings, SWE Common) write it: a
//!   UCUM IRI or CURIE, a QUDT unit of the profile, or a QUDT 1.x unit
//!   (`http://qudt.org/vocab/unit#DegreeCelsius`, also the QUDT 1.0 documentation URL that
//!   SensorThings examples copy) through the profile's `skos:exactMatch`; without an IRI, the
//!   optional `citykg-fn:ucum` code.
//!
//! An unknown unit is an error (the payload goes to the quarantine): a unit dropped or guessed
//! from a label would make the value meaningless.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};

use super::call::string;
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const QUDT_PROFILE: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/ontologies/qudt.ttl"));
const UNECE_CODE: &str = "http://qudt.org/schema/qudt/uneceCommonCode";
const UCUM_CODE: &str = "http://qudt.org/schema/qudt/ucumCode";
const EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const QUDT_UNIT: &str = "http://qudt.org/schema/qudt/Unit";

/// Where a UCUM code may be written as an IRI (`http://unitsofmeasure.org/ucum.html#Cel`) or a
/// CURIE (`ucum:Cel`) instead of the bare code.
const UCUM_PREFIXES: &[&str] = &[
    "ucum:",
    "http://unitsofmeasure.org/ucum.html#",
    "https://unitsofmeasure.org/ucum.html#",
];
/// QUDT 1.x unit names: the 1.1 vocabulary IRIs and the 1.0 documentation pages.
const QUDT1_PREFIXES: &[&str] = &[
    "http://qudt.org/vocab/unit#",
    "http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#",
    "http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html/",
    "http://qudt.org/qudt/owl/1.0.0/unit/Instances.html#",
    "http://qudt.org/qudt/owl/1.0.0/unit/Instances.html/",
];
const QUDT1_NAMESPACE: &str = "http://qudt.org/vocab/unit#";

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const OPTIONAL_VALUE: ParameterDef = optional(citykg_fn!("value"), &[]);
const UCUM: ParameterDef = optional(citykg_fn!("ucum"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(citykg_fn!("unitFromCode"), &[VALUE], OUTPUT, unit_from_code),
    def(citykg_fn!("unitFromUcum"), &[VALUE], OUTPUT, unit_from_ucum),
    def(
        citykg_fn!("unitFromIri"),
        &[OPTIONAL_VALUE, UCUM],
        OUTPUT,
        unit_from_iri,
    ),
];

#[derive(Default)]
struct UnitTable {
    /// UN/CEFACT common code -> unit IRI.
    unece: HashMap<String, String>,
    /// UCUM code -> unit IRI.
    ucum: HashMap<String, String>,
    /// QUDT 1.x unit IRI -> unit IRI.
    qudt1: HashMap<String, String>,
    /// The profile's own units.
    known: HashSet<String>,
}

static UNITS: LazyLock<UnitTable> = LazyLock::new(|| {
    let mut table = UnitTable::default();
    // The profile is compiled in and parsed by a test; a broken triple would only shrink the
    // table, never panic.
    for triple in RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(QUDT_PROFILE.as_bytes())
        .flatten()
    {
        let NamedOrBlankNode::NamedNode(unit) = &triple.subject else {
            continue;
        };
        let unit = unit.as_str().to_owned();
        match (triple.predicate.as_str(), &triple.object) {
            (UNECE_CODE, Term::Literal(code)) => {
                table.unece.insert(code.value().to_owned(), unit);
            }
            (UCUM_CODE, Term::Literal(code)) => {
                table.ucum.insert(code.value().to_owned(), unit);
            }
            (EXACT_MATCH, Term::NamedNode(other))
                if other.as_str().starts_with(QUDT1_NAMESPACE) =>
            {
                table.qudt1.insert(other.as_str().to_owned(), unit);
            }
            (RDF_TYPE, Term::NamedNode(class)) if class.as_str() == QUDT_UNIT => {
                table.known.insert(unit);
            }
            _ => {}
        }
    }
    table
});

/// The unit of a UCUM code written bare (`Cel`) or prefixed (`ucum:Cel`).
fn ucum_unit(text: &str) -> Option<&'static String> {
    let trimmed = text.trim();
    let code = UCUM_PREFIXES
        .iter()
        .find_map(|prefix| trimmed.strip_prefix(prefix))
        .unwrap_or(trimmed);
    UNITS.ucum.get(code)
}

/// A UN/CEFACT common code (`GQ`, `CEL`, `KWH`; case as Rec 20 writes it, surrounding spaces
/// ignored) -> the QUDT unit IRI.
fn unit_from_code(args: &Args<'_>) -> Call {
    let code = text_or_none!(args, 0);
    match UNITS.unece.get(code.trim()) {
        Some(iri) => Ok(string(iri.clone())),
        None => Err(args.invalid(
            0,
            code,
            "not a UN/CEFACT common code of the shipped QUDT units (ontologies/qudt.ttl)",
        )),
    }
}

/// A UCUM code, bare (`Cel`) or prefixed (`ucum:Cel`) -> the QUDT unit IRI.
fn unit_from_ucum(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    match ucum_unit(text) {
        Some(iri) => Ok(string(iri.clone())),
        None => Err(args.invalid(
            0,
            text,
            "not a UCUM code of the shipped QUDT units (ontologies/qudt.ttl)",
        )),
    }
}

/// A unit IRI (UCUM, the profile's QUDT units, QUDT 1.x) -> the QUDT unit IRI; without one, the
/// `citykg-fn:ucum` code; with neither, no value.
fn unit_from_iri(args: &Args<'_>) -> Call {
    let Some(text) = args.text(0) else {
        let Some(code) = args.text(1) else {
            return Ok(None);
        };
        return match ucum_unit(code) {
            Some(unit) => Ok(string(unit.clone())),
            None => Err(args.invalid(
                1,
                code,
                "not a UCUM code of the shipped QUDT units (ontologies/qudt.ttl)",
            )),
        };
    };
    let iri = text.trim();
    let found = if UCUM_PREFIXES.iter().any(|prefix| iri.starts_with(prefix)) {
        ucum_unit(iri)
    } else if let Some(name) = QUDT1_PREFIXES.iter().find_map(|p| iri.strip_prefix(p)) {
        UNITS.qudt1.get(&format!("{QUDT1_NAMESPACE}{name}"))
    } else {
        UNITS.known.get(iri)
    };
    match found {
        Some(unit) => Ok(string(unit.clone())),
        None => Err(args.invalid(
            0,
            text,
            "not a unit IRI of the shipped QUDT units (ontologies/qudt.ttl): a UCUM code (ucum:Cel), a QUDT unit, or a QUDT 1.x unit the profile matches",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::citykg_call as call;

    #[test]
    fn unit_iris_of_every_accepted_form_resolve_to_the_shipped_units() {
        let deg_c = Ok(Some("http://qudt.org/vocab/unit/DEG_C".to_owned()));
        let lumen = Ok(Some("http://qudt.org/vocab/unit/LM".to_owned()));
        for (iri, expected) in [
            ("ucum:Cel", &deg_c),
            ("http://unitsofmeasure.org/ucum.html#Cel", &deg_c),
            ("http://qudt.org/vocab/unit/DEG_C", &deg_c),
            ("http://qudt.org/vocab/unit#DegreeCelsius", &deg_c),
            (
                "http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#DegreeCelsius",
                &deg_c,
            ),
            (
                "http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html/Lumen",
                &lumen,
            ),
        ] {
            assert_eq!(&call("unitFromIri", &[("value", iri)]), expected, "{iri}");
        }
        // Without an IRI, the UCUM code; with neither, no unit.
        assert_eq!(call("unitFromIri", &[("ucum", "lm")]), lumen);
        assert_eq!(call("unitFromIri", &[]), Ok(None));
        // The IRI wins over the code.
        assert_eq!(
            call("unitFromIri", &[("value", "ucum:Cel"), ("ucum", "lm")]),
            deg_c
        );
    }

    #[test]
    fn unknown_unit_iris_and_codes_are_errors() {
        for inputs in [
            vec![("value", "ucum:Foo")],
            vec![("value", "http://example.org/units/celsius")],
            vec![(
                "value",
                "http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#Furlong",
            )],
            vec![("value", "Celsius")],
            vec![("ucum", "°C")],
        ] {
            assert!(call("unitFromIri", &inputs).is_err(), "{inputs:?}");
        }
    }
}
