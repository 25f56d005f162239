//! `/ontologies`, `/ontologies/{name}` and `/def/{term}`.

use crate::helpers::{parse_rdf, spawn_app};
use oxigraph::io::RdfFormat;
use oxigraph::model::{NamedNodeRef, TermRef};

const BROWSER: &str = "text/html,application/xhtml+xml,*/*;q=0.8";
const RDFS_LABEL: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#label");

#[actix_web::test]
async fn the_module_list_gives_iri_version_terms_and_digest() {
    let app = spawn_app().await;
    let list = app.get("/ontologies", "application/json").await;
    assert_eq!(list.status, 200);
    let json = list.json();
    let modules = json.as_array().unwrap();
    let sosa = modules
        .iter()
        .find(|m| m["name"] == "sosa")
        .expect("sosa is listed");
    assert_eq!(sosa["graph"], "http://citykg.test/graph/ontology/sosa");
    assert_eq!(sosa["href"], "/ontologies/sosa");
    assert!(sosa["terms"].as_u64().unwrap() > 5, "{sosa}");
    assert_eq!(sosa["sha256"].as_str().unwrap().len(), 64);
    assert!(modules.iter().any(|m| m["name"] == "citykg"));
    let page = app.get("/ontologies", BROWSER).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("href=\"&#x2F;ontologies&#x2F;sosa\""),
        "{}",
        page.text()
    );
}

#[actix_web::test]
async fn a_module_is_served_in_every_rdf_format_and_as_a_page() {
    let app = spawn_app().await;
    let observation = NamedNodeRef::new_unchecked("http://www.w3.org/ns/sosa/Observation");
    for (accept, format) in [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let reply = app.get("/ontologies/sosa", accept).await;
        assert_eq!(reply.status, 200, "{accept}");
        assert!(
            reply.content_type().starts_with(accept),
            "{accept}: {}",
            reply.content_type()
        );
        let dataset = parse_rdf(format, &reply.body);
        let labelled = dataset
            .quads_for_subject(observation)
            .any(|q| q.predicate == RDFS_LABEL && matches!(q.object, TermRef::Literal(_)));
        assert!(labelled, "{accept}: sosa:Observation has a label");
    }
    let page = app.get("/ontologies/sosa", BROWSER).await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(
        text.contains("<h2>Classes</h2>")
            && text.contains(&escaped("http://www.w3.org/ns/sosa/Observation")),
        "{text}"
    );
    let missing = app.get("/ontologies/nowhere", "text/turtle").await;
    let problem = missing.problem(404);
    assert!(
        problem["detail"].as_str().unwrap().contains("/ontologies"),
        "{problem}"
    );
}

#[actix_web::test]
async fn citykg_terms_dereference_under_def() {
    let app = spawn_app().await;
    let reply = app.get("/def/sourceSha256", "text/turtle").await;
    assert_eq!(reply.status, 200);
    let dataset = parse_rdf(RdfFormat::Turtle, &reply.body);
    let term = NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#sourceSha256");
    assert!(
        dataset
            .quads_for_subject(term)
            .any(|q| q.predicate == RDFS_LABEL)
    );
    let page = app.get("/def/sourceSha256", BROWSER).await;
    assert!(
        page.text()
            .contains(&escaped("https://w3id.org/citykg/ns#sourceSha256")),
        "{}",
        page.text()
    );
    app.get("/def/noSuchTerm", "text/turtle").await.problem(404);
    app.get("/def/bad%20name", "text/turtle").await.problem(404);
}

/// Text as tera writes it into a page (it escapes `/`).
fn escaped(text: &str) -> String {
    text.replace('/', "&#x2F;")
}
