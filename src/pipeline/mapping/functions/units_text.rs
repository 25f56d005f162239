//! `citykg-fn:unitFromText`: a unit written out in words or symbols (`"degree celsius"`,
//! `"Celsius"`, `"µg/m³"`, `"%"`), as W3C WoT Thing Descriptions and some dashboards give it,
//! -> the QUDT unit IRI. The table is curated from the shared corpus and the units the shipped
//! ontology declares (`ontologies/qudt.ttl`): every IRI here is declared there. Text that is not
//! in the table gives no value (FnO's null) rather than an error: free text is open-ended, a
//! missing unit is not a wrong one, and the mapping keeps the text itself next to it.

use super::call::string;
use super::params::{Call, def, one};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const UNIT: &str = "http://qudt.org/vocab/unit/";

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[def(
    citykg_fn!("unitFromText"),
    &[VALUE],
    OUTPUT,
    unit_from_text,
)];

/// Normalised text (see [`normalise`]) -> the local name of the QUDT unit.
const TABLE: &[(&str, &str)] = &[
    ("degree celsius", "DEG_C"),
    ("degrees celsius", "DEG_C"),
    ("celsius", "DEG_C"),
    ("°c", "DEG_C"),
    ("℃", "DEG_C"),
    ("kelvin", "K"),
    ("percent", "PERCENT"),
    ("per cent", "PERCENT"),
    ("%", "PERCENT"),
    ("ppm", "PPM"),
    ("part per million", "PPM"),
    ("parts per million", "PPM"),
    ("ppb", "PPB"),
    ("part per billion", "PPB"),
    ("parts per billion", "PPB"),
    ("microgram per cubic metre", "MicroGM-PER-M3"),
    ("micrograms per cubic metre", "MicroGM-PER-M3"),
    ("microgram per cubic meter", "MicroGM-PER-M3"),
    ("micrograms per cubic meter", "MicroGM-PER-M3"),
    ("µg/m³", "MicroGM-PER-M3"),
    ("µg/m3", "MicroGM-PER-M3"),
    ("ug/m3", "MicroGM-PER-M3"),
    ("milligram per cubic metre", "MilliGM-PER-M3"),
    ("milligrams per cubic metre", "MilliGM-PER-M3"),
    ("mg/m³", "MilliGM-PER-M3"),
    ("mg/m3", "MilliGM-PER-M3"),
    ("hectopascal", "HectoPA"),
    ("hpa", "HectoPA"),
    ("decibel", "DeciB"),
    ("db", "DeciB"),
    ("metre per second", "M-PER-SEC"),
    ("meter per second", "M-PER-SEC"),
    ("m/s", "M-PER-SEC"),
    ("kilometre per hour", "KiloM-PER-HR"),
    ("kilometer per hour", "KiloM-PER-HR"),
    ("km/h", "KiloM-PER-HR"),
    ("watt", "W"),
    ("kilowatt", "KiloW"),
    ("kw", "KiloW"),
    ("kilowatt hour", "KiloW-HR"),
    ("kwh", "KiloW-HR"),
    ("litre", "L"),
    ("liter", "L"),
    ("cubic metre", "M3"),
    ("cubic meter", "M3"),
    ("m³", "M3"),
    ("m3", "M3"),
];

fn unit_from_text(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let key = normalise(text);
    Ok(TABLE
        .iter()
        .find(|(written, _)| *written == key)
        .and_then(|(_, local)| string(format!("{UNIT}{local}"))))
}

/// Lowercase, one space between words, the micro sign and the Greek mu alike, and an ASCII
/// `deg` spelling of the degree sign: the variations that do not change what is meant.
fn normalise(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .to_lowercase()
        .replace('\u{3bc}', "\u{b5}")
        .replace("deg c", "°c")
        .replace("degc", "°c")
}

#[cfg(test)]
mod tests {
    use super::super::{Inputs, lookup};
    use crate::pipeline::payload::Value;

    fn unit(text: &str) -> Option<String> {
        let function = lookup(citykg_fn!("unitFromText")).expect("registered");
        let mut inputs = Inputs::new(function);
        inputs
            .add(citykg_fn!("value"), [Value::string(text.to_owned())])
            .expect("parameter");
        let output = inputs.call().expect("no error");
        output.values.first().map(|value| value.text.to_string())
    }

    #[test]
    fn the_corpus_free_text_units_become_qudt_iris() {
        let unit_iri = |local: &str| Some(format!("http://qudt.org/vocab/unit/{local}"));
        for (text, local) in [
            // WebThings temperature sensor, UNIBO soil sensor, ECHONET bridge.
            ("degree celsius", "DEG_C"),
            ("Celsius", "DEG_C"),
            (" Degree  Celsius ", "DEG_C"),
            ("°C", "DEG_C"),
            ("degC", "DEG_C"),
            ("ppm", "PPM"),
            ("micrograms per cubic metre", "MicroGM-PER-M3"),
            ("µg/m³", "MicroGM-PER-M3"),
            // Greek small mu instead of the micro sign.
            ("\u{3bc}g/m³", "MicroGM-PER-M3"),
            ("percent", "PERCENT"),
            ("%", "PERCENT"),
            ("hectopascal", "HectoPA"),
        ] {
            assert_eq!(unit(text), unit_iri(local), "{text}");
        }
    }

    #[test]
    fn unknown_or_ambiguous_text_gives_no_unit() {
        // "C" could be coulomb, "lux" is not declared yet: no value rather than a guess.
        for text in ["C", "lux", "", "degree", "celsius degree fahrenheit"] {
            assert_eq!(unit(text), None, "{text}");
        }
    }

    #[test]
    fn every_table_entry_is_already_normalised() {
        for (written, _) in super::TABLE {
            assert_eq!(super::normalise(written), *written);
        }
    }
}
