//! Units and IRIs as linked-data formats (OGC SensorThings, SWE Common) write them, and an
//! explicit refusal:
//! - `unitFromIri`: a unit *IRI* -> the shipped QUDT unit: a UCUM IRI or CURIE
//!   (`http://unitsofmeasure.org/ucum.html#Cel`, `ucum:Cel`), a QUDT unit of the profile
//!   (`http://qudt.org/vocab/unit/DEG_C`), or a QUDT 1.x unit (`http://qudt.org/vocab/unit#DegreeCelsius`,
//!   also as the QUDT 1.0 documentation URL `http://www.qudt.org/qudt/owl/1.0.0/unit/Instances.html#Lumen`
//!   that SensorThings examples copy, `#` or `/` before the name) through the profile's
//!   `skos:exactMatch`; without an IRI, the optional `citykg-fn:ucum` code. Anything else is an
//!   error: a unit guessed from a label would make the value meaningless.
//! - `isAbsoluteIri`: `true` when the value is an absolute `http`/`https`/`urn` IRI, else `false`
//!   (absent too), for conditions.
//! - `refuse`: an error when its value is present and not `false`, naming the mapping's reason,
//!   so a mapping can send data it recognises but cannot map faithfully to the quarantine.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{NamedOrBlankNode, Term};

use super::call::{boolean, string};
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const QUDT_PROFILE: &str = include_str!("../../../ontologies/qudt.ttl");
const UCUM_CODE: &str = "http://qudt.org/schema/qudt/ucumCode";
const EXACT_MATCH: &str = "http://www.w3.org/2004/02/skos/core#exactMatch";
const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const QUDT_UNIT: &str = "http://qudt.org/schema/qudt/Unit";

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
const REASON: ParameterDef = one(citykg_fn!("reason"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(
        citykg_fn!("unitFromIri"),
        &[OPTIONAL_VALUE, UCUM],
        OUTPUT,
        unit_from_iri,
    ),
    def(
        citykg_fn!("isAbsoluteIri"),
        &[OPTIONAL_VALUE],
        OUTPUT,
        is_absolute_iri,
    ),
    def(citykg_fn!("refuse"), &[VALUE, REASON], OUTPUT, refuse),
];

struct Units {
    /// UCUM code -> unit IRI.
    ucum: HashMap<String, String>,
    /// QUDT 1.x unit IRI -> unit IRI.
    qudt1: HashMap<String, String>,
    /// The profile's own units.
    known: HashSet<String>,
}

static UNITS: LazyLock<Units> = LazyLock::new(|| {
    let mut units = Units {
        ucum: HashMap::new(),
        qudt1: HashMap::new(),
        known: HashSet::new(),
    };
    // The profile is compiled in and parsed by a test; a broken triple only shrinks the table.
    for triple in RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(QUDT_PROFILE.as_bytes())
        .flatten()
    {
        let NamedOrBlankNode::NamedNode(unit) = &triple.subject else {
            continue;
        };
        let unit = unit.as_str().to_owned();
        match (triple.predicate.as_str(), &triple.object) {
            (UCUM_CODE, Term::Literal(code)) => {
                units.ucum.insert(code.value().to_owned(), unit);
            }
            (EXACT_MATCH, Term::NamedNode(other))
                if other.as_str().starts_with(QUDT1_NAMESPACE) =>
            {
                units.qudt1.insert(other.as_str().to_owned(), unit);
            }
            (RDF_TYPE, Term::NamedNode(class)) if class.as_str() == QUDT_UNIT => {
                units.known.insert(unit);
            }
            _ => {}
        }
    }
    units
});

fn unit_from_iri(args: &Args<'_>) -> Call {
    let Some(text) = args.text(0) else {
        let Some(code) = args.text(1) else {
            return Ok(None);
        };
        return match UNITS.ucum.get(code.trim()) {
            Some(unit) => Ok(string(unit.clone())),
            None => Err(args.invalid(
                1,
                code,
                "not a UCUM code of the shipped QUDT units (ontologies/qudt.ttl)",
            )),
        };
    };
    let iri = text.trim();
    let found = if let Some(code) = UCUM_PREFIXES.iter().find_map(|p| iri.strip_prefix(p)) {
        UNITS.ucum.get(code)
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

fn is_absolute_iri(args: &Args<'_>) -> Call {
    let absolute = args.text(0).is_some_and(|text| {
        let text = text.trim();
        ["http://", "https://", "urn:"]
            .iter()
            .any(|scheme| text.len() > scheme.len() && text.starts_with(scheme))
            && !text.contains(char::is_whitespace)
    });
    Ok(boolean(absolute))
}

fn refuse(args: &Args<'_>) -> Call {
    let value = text_or_none!(args, 0);
    if value.trim() == "false" {
        return Ok(None);
    }
    let reason = args.text(1).unwrap_or("no reason given");
    Err(args.invalid(
        0,
        &format!("{value} ({reason})"),
        "refused by the mapping: it recognises this data but cannot map it faithfully (its reason in parentheses)",
    ))
}

#[cfg(test)]
mod tests {
    use super::super::{Inputs, lookup};
    use crate::payload::Value;

    fn call(function: &str, inputs: &[(&str, &str)]) -> Result<Option<String>, String> {
        let def = lookup(&format!("https://w3id.org/citykg/function#{function}")).unwrap();
        let mut given = Inputs::new(def);
        for (parameter, value) in inputs {
            given
                .add(
                    &format!("https://w3id.org/citykg/function#{parameter}"),
                    [Value::string(*value)],
                )
                .unwrap();
        }
        given
            .call()
            .map(|output| output.values.first().map(|value| value.text.to_string()))
            .map_err(|error| error.to_string())
    }

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

    #[test]
    fn absolute_iris_are_told_apart_and_refusals_carry_their_reason() {
        let yes = Ok(Some("true".to_owned()));
        let no = Ok(Some("false".to_owned()));
        assert_eq!(
            call(
                "isAbsoluteIri",
                &[("value", "http://dd.eionet.europa.eu/x/54")]
            ),
            yes
        );
        assert_eq!(
            call("isAbsoluteIri", &[("value", "urn:ogc:def:phenomenon:temp")]),
            yes
        );
        assert_eq!(call("isAbsoluteIri", &[("value", "Temperature")]), no);
        assert_eq!(call("isAbsoluteIri", &[("value", "http://a b")]), no);
        assert_eq!(call("isAbsoluteIri", &[]), no);

        assert_eq!(
            call("refuse", &[("value", "false"), ("reason", "r")]),
            Ok(None)
        );
        let error = call("refuse", &[("value", "true"), ("reason", "no sensor")]).unwrap_err();
        assert!(error.contains("no sensor"), "{error}");
    }
}
