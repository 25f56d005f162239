//! Identifiers that are IRIs already: `citykg-fn:absoluteIri` passes an absolute IRI through
//! unchanged and refuses anything else, so that a payload's identifier that is not an IRI
//! fails the run (and the payload goes to the quarantine) instead of being resolved against
//! the base IRI into a name nobody chose. With `citykg-fn:namespace`, a plain name (no scheme)
//! is expanded in that namespace instead, as JSON-LD expands a term with a default vocabulary
//! (NGSI-LD: `AirQualityObserved` -> `https://uri.etsi.org/ngsi-ld/default-context/AirQualityObserved`).
//! `citykg-fn:isAbsoluteIri` tells for conditions whether a value is an absolute `http`/`https`/
//! `urn` IRI; `citykg-fn:refuse` is an error when its value is present and not `false`, naming
//! the mapping's reason, so a mapping can send data it recognises but cannot map faithfully to
//! the quarantine.

use super::call::{boolean, string};
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const OPTIONAL_VALUE: ParameterDef = optional(citykg_fn!("value"), &[]);
const NAMESPACE: ParameterDef = optional(citykg_fn!("namespace"), &[]);
const REASON: ParameterDef = one(citykg_fn!("reason"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[
    def(
        citykg_fn!("absoluteIri"),
        &[VALUE, NAMESPACE],
        OUTPUT,
        absolute_iri,
    ),
    def(
        citykg_fn!("isAbsoluteIri"),
        &[OPTIONAL_VALUE],
        OUTPUT,
        is_absolute_iri,
    ),
    def(citykg_fn!("refuse"), &[VALUE, REASON], OUTPUT, refuse),
];

fn absolute_iri(args: &Args<'_>) -> Call {
    let text = text_or_none!(args, 0);
    let candidate = if has_scheme(text) {
        text.to_owned()
    } else {
        match args.text(1) {
            Some(namespace) => format!("{namespace}{text}"),
            None => {
                return Err(args.invalid(
                    0,
                    text,
                    "not an absolute IRI (no scheme such as `urn:`)",
                ));
            }
        }
    };
    match oxiri::Iri::parse(candidate.as_str()) {
        Ok(_) => Ok(string(candidate)),
        Err(_) if candidate == text => Err(args.invalid(0, text, "not a valid IRI")),
        Err(_) => Err(args.invalid(0, text, "not a valid IRI in the namespace given")),
    }
}

/// `scheme:` per RFC 3987: a letter, then letters, digits, `+`, `-`, `.`.
fn has_scheme(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
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
    use super::super::tests::citykg_call as call;

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
