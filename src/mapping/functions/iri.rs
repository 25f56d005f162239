//! Identifiers that are IRIs already: `citykg-fn:absoluteIri` passes an absolute IRI through
//! unchanged and refuses anything else, so that a payload's identifier that is not an IRI
//! fails the run (and the payload goes to the quarantine) instead of being resolved against
//! the base IRI into a name nobody chose. With `citykg-fn:namespace`, a plain name (no scheme)
//! is expanded in that namespace instead, as JSON-LD expands a term with a default vocabulary
//! (NGSI-LD: `AirQualityObserved` -> `https://uri.etsi.org/ngsi-ld/default-context/AirQualityObserved`).

use super::call::string;
use super::params::{Call, def, one, optional};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const VALUE: ParameterDef = one(citykg_fn!("value"), &[]);
const NAMESPACE: ParameterDef = optional(citykg_fn!("namespace"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[def(
    citykg_fn!("absoluteIri"),
    &[VALUE, NAMESPACE],
    OUTPUT,
    absolute_iri,
)];

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
