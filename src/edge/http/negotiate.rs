//! Content negotiation, in one place, on oxigraph's format enums. A missing `Accept` gets the
//! first offer; when nothing fits, a 406 lists what would.

use super::problem::Problem;
use actix_web::HttpRequest;
use actix_web::http::header;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::results::QueryResultsFormat;

/// What a response can be written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
    /// A JSON document of citykg's own (lists, summaries).
    Json,
    Html,
    /// The resource's own document in its own media type (a mapping file).
    Document,
}

/// An output and the media types that ask for it; the first one is what the response says.
#[derive(Debug, Clone, Copy)]
pub struct Offer {
    pub output: Output,
    pub media_types: &'static [&'static str],
}

impl Offer {
    pub fn media_type(&self) -> &'static str {
        self.media_types
            .first()
            .copied()
            .unwrap_or("application/octet-stream")
    }
}

const JSON_LD: RdfFormat = RdfFormat::JsonLd {
    profile: JsonLdProfileSet::empty(),
};

const fn offer(output: Output, media_types: &'static [&'static str]) -> Offer {
    Offer {
        output,
        media_types,
    }
}

const SPARQL_JSON: Offer = offer(
    Output::Results(QueryResultsFormat::Json),
    &["application/sparql-results+json", "application/json"],
);
const SPARQL_XML: Offer = offer(
    Output::Results(QueryResultsFormat::Xml),
    &["application/sparql-results+xml", "application/xml"],
);
const CSV: Offer = offer(Output::Results(QueryResultsFormat::Csv), &["text/csv"]);
const TSV: Offer = offer(
    Output::Results(QueryResultsFormat::Tsv),
    &["text/tab-separated-values"],
);
const TURTLE: Offer = offer(
    Output::Rdf(RdfFormat::Turtle),
    &["text/turtle", "application/x-turtle"],
);
const N_TRIPLES: Offer = offer(
    Output::Rdf(RdfFormat::NTriples),
    &["application/n-triples", "text/plain"],
);
const N_QUADS: Offer = offer(
    Output::Rdf(RdfFormat::NQuads),
    &["application/n-quads", "text/x-nquads"],
);
const TRIG: Offer = offer(Output::Rdf(RdfFormat::TriG), &["application/trig"]);
const RDF_XML: Offer = offer(
    Output::Rdf(RdfFormat::RdfXml),
    &["application/rdf+xml", "application/xml", "text/xml"],
);
const JSON_LD_OFFER: Offer = offer(
    Output::Rdf(JSON_LD),
    &["application/ld+json", "application/json"],
);

pub const HTML: Offer = offer(Output::Html, &["text/html", "application/xhtml+xml"]);
const JSON: Offer = offer(Output::Json, &["application/json"]);

/// A mapping's metadata, its page, or the RML Turtle file itself.
pub const MAPPING_RML: &[Offer] = &[JSON, HTML, offer(Output::Document, &["text/turtle"])];
/// A mapping's metadata, its page, or the YARRRML file itself.
pub const MAPPING_YARRRML: &[Offer] = &[
    JSON,
    HTML,
    offer(
        Output::Document,
        &["application/yaml", "application/x-yaml", "text/yaml"],
    ),
];

/// A JSON document, or a page for people.
pub const JSON_OR_PAGE: &[Offer] = &[JSON, HTML];
/// What a mapping preview can be: the quads (N-Quads first), or a JSON summary.
pub const PREVIEW: &[Offer] = &[N_QUADS, TRIG, JSON];
/// JSON-LD that does not answer a plain `application/json` (that one asks for a summary).
const JSON_LD_ONLY: Offer = offer(Output::Rdf(JSON_LD), &["application/ld+json"]);
/// A SHACL validation report as RDF (Turtle first), or its JSON summary.
pub const REPORT: &[Offer] = &[TURTLE, JSON_LD_ONLY, N_TRIPLES, RDF_XML, JSON];

/// SELECT and ASK results, or the query page for people.
pub const RESULTS_OR_PAGE: &[Offer] = &[SPARQL_JSON, SPARQL_XML, CSV, TSV, HTML];
/// Every RDF format of DESIGN.md; Turtle first.
pub const RDF: &[Offer] = &[TURTLE, N_TRIPLES, N_QUADS, TRIG, RDF_XML, JSON_LD_OFFER];
/// Every RDF format, or a page for people.
pub const RDF_OR_PAGE: &[Offer] = &[
    TURTLE,
    N_TRIPLES,
    N_QUADS,
    TRIG,
    RDF_XML,
    JSON_LD_OFFER,
    HTML,
];
/// Current values: JSON, CSV, GeoJSON (the `Document` output), their RDF (JSON-LD, Turtle), a page.
pub const STATE: &[Offer] = &[
    JSON,
    CSV,
    offer(Output::Document, &["application/geo+json"]),
    JSON_LD_ONLY,
    TURTLE,
    HTML,
];
/// KPI definitions and assessments, the U4SSC report: JSON, CSV, their RDF, or a page.
pub const KPIS: &[Offer] = &[JSON, CSV, JSON_LD_ONLY, TURTLE, HTML];
/// The city profile: its RDF (Turtle first).
pub const PROFILE: &[Offer] = &[TURTLE, JSON_LD_OFFER, N_TRIPLES, RDF_XML];
/// A series of buckets: JSON or CSV.
pub const SERIES: &[Offer] = &[JSON, CSV];
/// Dataset formats only (a dump keeps its graph names).
pub const DATASET: &[Offer] = &[N_QUADS, TRIG];

/// Picks the best of `offers` for the request's `Accept` header.
pub fn negotiate(request: &HttpRequest, offers: &[Offer]) -> Result<Offer, Problem> {
    let accept = request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    choose(&accept, offers).ok_or_else(|| {
        Problem::not_acceptable(&offers.iter().map(Offer::media_type).collect::<Vec<_>>())
    })
}

/// The offer with the highest quality; ties go to the earlier offer.
pub fn choose(accept: &str, offers: &[Offer]) -> Option<Offer> {
    let ranges = parse_accept(accept);
    if ranges.is_empty() {
        return offers.first().copied();
    }
    let mut best: Option<(Offer, f32)> = None;
    for offer in offers {
        // The most specific match over all the offer's names decides, so `text/turtle;q=0`
        // is not undone by `*/*` matching an alias.
        let quality = offer
            .media_types
            .iter()
            .filter_map(|media_type| quality_of(&ranges, media_type))
            .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
            .map(|(_, q)| q);
        if let Some(q) = quality {
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((*offer, q));
            }
        }
    }
    best.map(|(offer, _)| offer)
}

struct Range {
    kind: String,
    subtype: String,
    quality: f32,
    /// The `profile` parameter's IRIs (a quoted, space-separated list), e.g. for JSON-LD.
    profiles: Vec<String>,
}

/// The `profile` IRIs asked for with `media_type` (e.g. `application/ld+json`), from the
/// acceptable ranges naming it exactly, highest quality first. Empty when none was given.
pub fn profiles(request: &HttpRequest, media_type: &str) -> Vec<String> {
    let accept = request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    profiles_in(&accept, media_type)
}

fn profiles_in(accept: &str, media_type: &str) -> Vec<String> {
    let mut ranges: Vec<Range> = parse_accept(accept)
        .into_iter()
        .filter(|r| r.quality > 0.0 && format!("{}/{}", r.kind, r.subtype) == media_type)
        .collect();
    ranges.sort_by(|a, b| b.quality.total_cmp(&a.quality));
    ranges.into_iter().flat_map(|r| r.profiles).collect()
}

fn parse_accept(accept: &str) -> Vec<Range> {
    split_items(accept)
        .into_iter()
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let (kind, subtype) = media.split_once('/')?;
            let parameters: Vec<&str> = parts.collect();
            let quality = parameters
                .iter()
                .filter_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .or_else(|| p.trim().strip_prefix("Q="))
                })
                .find_map(|q| q.trim().parse::<f32>().ok())
                // RFC 9110: a weight is 0 to 1; anything else (NaN, inf, -1) is no weight.
                .filter(|q| (0.0..=1.0).contains(q))
                .unwrap_or(1.0);
            let profiles = parameters
                .iter()
                .filter_map(|p| {
                    let (name, value) = p.split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("profile")
                        .then(|| value.trim().trim_matches('"'))
                })
                .flat_map(|v| v.split_whitespace().map(str::to_owned))
                .collect();
            Some(Range {
                kind: kind.trim().to_owned(),
                subtype: subtype.trim().to_owned(),
                quality,
                profiles,
            })
        })
        .collect()
}

/// `Accept` items split at commas outside quoted strings (a quoted profile list may hold
/// none today, but a parameter value is allowed to).
fn split_items(accept: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in accept.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                items.push(&accept[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&accept[start..]);
    items
}

/// The specificity and quality of the most specific range matching `media_type`.
fn quality_of(ranges: &[Range], media_type: &str) -> Option<(u8, f32)> {
    let (kind, subtype) = media_type.split_once('/')?;
    ranges
        .iter()
        .filter_map(|r| {
            let specificity = match (r.kind.as_str(), r.subtype.as_str()) {
                (k, s) if k == kind && s == subtype => 3,
                (k, "*") if k == kind => 2,
                ("*", "*") => 1,
                _ => return None,
            };
            Some((specificity, r.quality))
        })
        .max_by_key(|(s, _)| *s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pick(accept: &str, offers: &[Offer]) -> Option<&'static str> {
        choose(accept, offers).map(|o| o.media_type())
    }

    #[test]
    fn profiles_come_from_the_named_range_by_quality() {
        let accept = "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#flattened http://www.w3.org/ns/json-ld#compacted\";q=0.5, application/ld+json;profile=http://www.w3.org/ns/json-ld#expanded, text/turtle;profile=x;q=0.1";
        assert_eq!(
            profiles_in(accept, "application/ld+json"),
            [
                "http://www.w3.org/ns/json-ld#expanded",
                "http://www.w3.org/ns/json-ld#flattened",
                "http://www.w3.org/ns/json-ld#compacted"
            ]
        );
        assert!(profiles_in("application/ld+json", "application/ld+json").is_empty());
        assert!(
            profiles_in(
                "application/ld+json;profile=\"a\";q=0",
                "application/ld+json"
            )
            .is_empty()
        );
        assert_eq!(
            pick(accept, RDF),
            Some("application/ld+json"),
            "a profile parameter does not stop the range from matching"
        );
    }

    #[test]
    fn accept_headers_pick_the_expected_format() {
        let cases: &[(&str, &[Offer], Option<&str>)] = &[
            ("", RESULTS_OR_PAGE, Some("application/sparql-results+json")),
            (
                "*/*",
                RESULTS_OR_PAGE,
                Some("application/sparql-results+json"),
            ),
            ("text/csv", RESULTS_OR_PAGE, Some("text/csv")),
            (
                "application/sparql-results+xml;q=0.5, text/tab-separated-values",
                RESULTS_OR_PAGE,
                Some("text/tab-separated-values"),
            ),
            (
                "application/json",
                RESULTS_OR_PAGE,
                Some("application/sparql-results+json"),
            ),
            ("text/turtle", RESULTS_OR_PAGE, None),
            ("text/*", RESULTS_OR_PAGE, Some("text/csv")),
            (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                RESULTS_OR_PAGE,
                Some("text/html"),
            ),
            ("application/rdf+xml", RDF, Some("application/rdf+xml")),
            ("application/ld+json", RDF, Some("application/ld+json")),
            (
                "text/turtle;q=0, */*;q=0.1",
                RDF,
                Some("application/n-triples"),
            ),
            ("application/n-quads", DATASET, Some("application/n-quads")),
        ];
        for (accept, offers, expected) in cases {
            assert_eq!(pick(accept, offers), *expected, "Accept: {accept}");
        }
    }
}
