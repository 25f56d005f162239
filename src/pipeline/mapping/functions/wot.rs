//! What W3C WoT Thing Descriptions need and GREL/IDLab lack, so that the `builtin/wot-td`
//! mapping can write the RDF a JSON-LD processor would write from a TD without loading its
//! contexts:
//! - `citykg-fn:resolveIri` resolves a reference (a form's `href`) against a base IRI (the TD's
//!   `base`) by RFC 3986, where an RML template could only concatenate. A relative reference
//!   without an absolute base is an error: the document's own address is unknown here, so the
//!   payload goes to the quarantine instead of being given a made-up address.
//! - `citykg-fn:tdTermIri` expands a TD term as the TD 1.1 context does: operation types (`op`),
//!   security schemes (`scheme`), data schema types (`type`), `Thing`, compact IRIs whose prefix
//!   is a well-known one (`sosa:Sensor`), and absolute IRIs as they are. A term only a context
//!   citykg does not have could expand (a vendor prefix, a WebThings capability name) gives no
//!   value: expanding it would be a guess.

use oxiri::Iri;

use super::call::string;
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const BASE: ParameterDef = optional(citykg_fn!("base"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(
        citykg_fn!("resolveIri"),
        &[VALUE, BASE],
        OUTPUT,
        resolve_iri,
    ),
    def(citykg_fn!("tdTermIri"), &[VALUE], OUTPUT, td_term_iri),
];

const TD: &str = "https://www.w3.org/2019/wot/td#";
const WOTSEC: &str = "https://www.w3.org/2019/wot/security#";
const JSONSCHEMA: &str = "https://www.w3.org/2019/wot/json-schema#";

/// Prefixes whose binding is not in doubt: the TD context's own and the vocabularies citykg
/// ships (the W3C RDFa initial context binds `sosa`, `ssn`, `schema`, `dcterms` the same way).
const PREFIXES: &[(&str, &str)] = &[
    ("td", TD),
    ("hctl", "https://www.w3.org/2019/wot/hypermedia#"),
    ("jsonschema", JSONSCHEMA),
    ("wotsec", WOTSEC),
    ("tm", "https://www.w3.org/2019/wot/tm#"),
    ("sosa", "http://www.w3.org/ns/sosa/"),
    ("ssn", "http://www.w3.org/ns/ssn/"),
    ("saref", "https://saref.etsi.org/core/"),
    ("s4city", "https://saref.etsi.org/saref4city/"),
    ("schema", "http://schema.org/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("qudt", "http://qudt.org/schema/qudt/"),
    ("unit", "http://qudt.org/vocab/unit/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// Plain TD terms -> (namespace, local name), as the TD 1.1 context and its scoped contexts
/// (forms, security, data schemas) define them. The sets do not overlap.
const TERMS: &[(&str, &str, &str)] = &[
    ("Thing", TD, "Thing"),
    ("readproperty", TD, "readProperty"),
    ("writeproperty", TD, "writeProperty"),
    ("observeproperty", TD, "observeProperty"),
    ("unobserveproperty", TD, "unobserveProperty"),
    ("invokeaction", TD, "invokeAction"),
    ("queryaction", TD, "queryAction"),
    ("cancelaction", TD, "cancelAction"),
    ("subscribeevent", TD, "subscribeEvent"),
    ("unsubscribeevent", TD, "unsubscribeEvent"),
    ("readallproperties", TD, "readAllProperties"),
    ("writeallproperties", TD, "writeAllProperties"),
    ("readmultipleproperties", TD, "readMultipleProperties"),
    ("writemultipleproperties", TD, "writeMultipleProperties"),
    ("observeallproperties", TD, "observeAllProperties"),
    ("unobserveallproperties", TD, "unobserveAllProperties"),
    ("queryallactions", TD, "queryAllActions"),
    ("subscribeallevents", TD, "subscribeAllEvents"),
    ("unsubscribeallevents", TD, "unsubscribeAllEvents"),
    ("nosec", WOTSEC, "NoSecurityScheme"),
    ("auto", WOTSEC, "AutoSecurityScheme"),
    ("combo", WOTSEC, "ComboSecurityScheme"),
    ("basic", WOTSEC, "BasicSecurityScheme"),
    ("digest", WOTSEC, "DigestSecurityScheme"),
    ("apikey", WOTSEC, "APIKeySecurityScheme"),
    ("bearer", WOTSEC, "BearerSecurityScheme"),
    ("cert", WOTSEC, "CertSecurityScheme"),
    ("psk", WOTSEC, "PSKSecurityScheme"),
    ("public", WOTSEC, "PublicSecurityScheme"),
    ("pop", WOTSEC, "PoPSecurityScheme"),
    ("oauth2", WOTSEC, "OAuth2SecurityScheme"),
    ("object", JSONSCHEMA, "ObjectSchema"),
    ("array", JSONSCHEMA, "ArraySchema"),
    ("boolean", JSONSCHEMA, "BooleanSchema"),
    ("string", JSONSCHEMA, "StringSchema"),
    ("number", JSONSCHEMA, "NumberSchema"),
    ("integer", JSONSCHEMA, "IntegerSchema"),
    ("null", JSONSCHEMA, "NullSchema"),
];

/// `value` resolved against `base` (RFC 3986 section 5); an absolute `value` as it is.
fn resolve_iri(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    if let Ok(iri) = Iri::parse(text.to_owned()) {
        return Ok(string(iri.into_inner()));
    }
    let Some(base) = args.text(1) else {
        return Err(args.invalid(0, text, "a relative IRI and no base to resolve it against"));
    };
    let base = Iri::parse(base).map_err(|_| args.invalid(1, base, "not an absolute IRI"))?;
    let resolved = base
        .resolve(text)
        .map_err(|_| args.invalid(0, text, "not a valid IRI reference"))?;
    Ok(string(resolved.into_inner()))
}

/// A TD term, compact IRI or absolute IRI -> the IRI it stands for, or no value.
fn td_term_iri(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0).trim();
    if let Some((_, namespace, local)) = TERMS.iter().find(|(term, _, _)| *term == text) {
        return Ok(string(format!("{namespace}{local}")));
    }
    let Some((prefix, local)) = text.split_once(':') else {
        return Ok(None);
    };
    // `scheme://...` and URNs are absolute IRIs, not compact ones.
    if local.starts_with("//") || prefix.eq_ignore_ascii_case("urn") {
        return Ok(Iri::parse(text.to_owned())
            .ok()
            .and_then(|iri| string(iri.into_inner())));
    }
    let Some((_, namespace)) = PREFIXES.iter().find(|(known, _)| *known == prefix) else {
        return Ok(None);
    };
    let expanded = format!("{namespace}{local}");
    Ok(Iri::parse(expanded)
        .ok()
        .and_then(|iri| string(iri.into_inner())))
}

#[cfg(test)]
mod tests {
    use super::super::{FunctionError, Inputs, lookup};
    use crate::pipeline::payload::Value;

    fn call(function: &str, inputs: &[(&str, &str)]) -> Result<Option<String>, FunctionError> {
        let function =
            lookup(&format!("https://w3id.org/citykg/function#{function}")).expect("registered");
        let mut given = Inputs::new(function);
        for (parameter, value) in inputs {
            given.add(
                &format!("https://w3id.org/citykg/function#{parameter}"),
                [Value::string((*value).to_owned())],
            )?;
        }
        Ok(given
            .call()?
            .values
            .first()
            .map(|value| value.text.to_string()))
    }

    #[test]
    fn hrefs_resolve_against_the_td_base() {
        let resolve = |value, base| {
            let mut inputs = vec![("value", value)];
            if let Some(base) = base {
                inputs.push(("base", base));
            }
            call("resolveIri", &inputs).expect("resolves")
        };
        let webthings = Some("https://plugfest.webthings.io/");
        assert_eq!(
            resolve(
                "/things/virtual-things-17/properties/temperature",
                webthings
            )
            .as_deref(),
            Some("https://plugfest.webthings.io/things/virtual-things-17/properties/temperature")
        );
        assert_eq!(
            resolve("properties/x", Some("http://h/td/thing")).as_deref(),
            Some("http://h/td/properties/x")
        );
        assert_eq!(
            resolve("../x", Some("http://h/a/b/")).as_deref(),
            Some("http://h/a/x")
        );
        // Absolute hrefs stay as they are, with or without a base.
        let coap = "coap://arces143100.arces.unibo.it:5683/SoilSensor0/properties/temperature";
        assert_eq!(resolve(coap, webthings).as_deref(), Some(coap));
        assert_eq!(resolve(coap, None).as_deref(), Some(coap));
    }

    #[test]
    fn a_relative_href_without_an_absolute_base_is_an_error() {
        for inputs in [
            vec![("value", "/things/x")],
            vec![("value", "/things/x"), ("base", "/relative/base")],
            vec![("value", "http://h/a b"), ("base", "http://h/")],
        ] {
            assert!(call("resolveIri", &inputs).is_err(), "{inputs:?}");
        }
    }

    #[test]
    fn td_terms_expand_as_the_td_context_says() {
        let term = |text: &str| call("tdTermIri", &[("value", text)]).expect("no error");
        for (text, iri) in [
            (
                "readproperty",
                "https://www.w3.org/2019/wot/td#readProperty",
            ),
            (
                "observeallproperties",
                "https://www.w3.org/2019/wot/td#observeAllProperties",
            ),
            (
                "nosec",
                "https://www.w3.org/2019/wot/security#NoSecurityScheme",
            ),
            (
                "oauth2",
                "https://www.w3.org/2019/wot/security#OAuth2SecurityScheme",
            ),
            (
                "number",
                "https://www.w3.org/2019/wot/json-schema#NumberSchema",
            ),
            ("Thing", "https://www.w3.org/2019/wot/td#Thing"),
            ("sosa:Sensor", "http://www.w3.org/ns/sosa/Sensor"),
            ("saref:Sensor", "https://saref.etsi.org/core/Sensor"),
            ("https://example.org/Kind", "https://example.org/Kind"),
            ("urn:x:y", "urn:x:y"),
        ] {
            assert_eq!(term(text).as_deref(), Some(iri), "{text}");
        }
        // Only a context citykg does not have could say what these mean.
        for text in [
            "TemperatureSensor",
            "echonet:temperatureSensor",
            "ex:Kind",
            "",
        ] {
            assert_eq!(term(text), None, "{text}");
        }
    }
}
