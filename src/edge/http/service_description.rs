//! SPARQL 1.1 Service Description of the query endpoint, in any RDF format.

use crate::core::config::Settings;
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};

fn turtle(settings: &Settings) -> String {
    let query = settings.base_iri.join("query");
    let update = settings.base_iri.join("update");
    let federation = if settings.allow_list.is_empty() {
        ""
    } else {
        "sd:feature sd:BasicFederatedQuery ;"
    };
    format!(
        r#"@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix formats: <http://www.w3.org/ns/formats/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{query}#service> a sd:Service ;
    dcterms:title "citykg SPARQL endpoint" ;
    sd:endpoint <{query}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    {federation}
    sd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, formats:SPARQL_Results_CSV,
        formats:SPARQL_Results_TSV, formats:Turtle, formats:N-Triples, formats:N-Quads, formats:TriG,
        formats:RDF_XML, formats:JSON-LD ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
<{update}#service> a sd:Service ;
    sd:endpoint <{update}> ;
    sd:supportedLanguage sd:SPARQL11Update .
"#
    )
}

/// The description in `format`.
pub fn serialize(
    settings: &Settings,
    format: RdfFormat,
) -> Result<Vec<u8>, Box<dyn std::error::Error + Send + Sync>> {
    let text = turtle(settings);
    let mut serializer = RdfSerializer::from_format(format)
        .with_prefix("sd", "http://www.w3.org/ns/sparql-service-description#")?
        .with_prefix("formats", "http://www.w3.org/ns/formats/")?
        .for_writer(Vec::new());
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(text.as_bytes()) {
        serializer.serialize_quad(&quad?)?;
    }
    Ok(serializer.finish()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_description_names_the_endpoint_in_every_format() {
        let settings = Settings::for_tests();
        for format in [RdfFormat::Turtle, RdfFormat::NTriples, RdfFormat::RdfXml] {
            let text = String::from_utf8(serialize(&settings, format).unwrap()).unwrap();
            assert!(
                text.contains("http://citykg.test/query"),
                "{format}: {text}"
            );
        }
    }
}
