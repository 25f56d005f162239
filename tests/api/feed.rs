//! `GET /catalog`: the DCAT-AP 3 feed. Fixture use cases are written into `graph/catalog` with
//! the Graph Store Protocol as the model (notes/usecase-model.md) says the catalogue writes
//! them; the vocabulary terms they use are declared in a test ontology graph the way the
//! shipped code lists declare them. The instance may hold other (shipped) use cases: counts
//! come from the feed itself.

use crate::helpers::{ADMIN, TestApp, form, parse_rdf, run_python_client, spawn_app};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, TermRef, Triple};
use std::collections::BTreeSet;

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// The terms the fixtures refer to, typed and labelled as the shipped code lists do.
pub const VOCABULARY: &str = r#"
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/citykg/vertical/energy> a skos:Concept ; skos:prefLabel "Energy"@en .
<https://w3id.org/citykg/maturity/pilot> a skos:Concept ; skos:prefLabel "Pilot"@en .
<http://metadata.un.org/sdg/11> a skos:Concept ; skos:prefLabel "Goal 11: Sustainable cities and communities"@en .
<https://saref.etsi.org/core/> a dct:Standard ; dct:title "SAREF"@en ; rdfs:label "SAREF"@en .
<http://creativecommons.org/licenses/by/4.0/> a dct:LicenseDocument ; dct:title "CC BY 4.0"@en ; rdfs:label "CC BY 4.0"@en .
"#;

/// One use case as the catalogue stores it (dataset, owned nodes, record, one measurement).
pub fn use_case(base: &str, id: &str, title: &str, modified: &str) -> String {
    let u = format!("{base}id/use-case/{id}");
    format!(
        r#"
@prefix citykg: <https://w3id.org/citykg/ns#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geo: <http://www.opengis.net/ont/geosparql#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dqv: <http://www.w3.org/ns/dqv#> . @prefix prov: <http://www.w3.org/ns/prov#> .
<{u}> a dcat:Dataset, citykg:UseCase ; dct:identifier "{id}" ;
  dct:title "{title}"@en, "Qualité de l'air {id}"@fr ; dct:description "Low-cost PM2.5 sensing ({id})"@en ;
  citykg:vertical <https://w3id.org/citykg/vertical/energy> ; dcat:theme <https://w3id.org/citykg/vertical/energy> ;
  citykg:sdg <http://metadata.un.org/sdg/11> ;
  dct:spatial <{u}/place> ; dct:publisher <{u}/publisher> ; dcat:contactPoint <{u}/contact> ;
  citykg:stakeholder <{u}/stakeholder/1> ; citykg:maturity <https://w3id.org/citykg/maturity/pilot> ;
  dct:conformsTo <https://saref.etsi.org/core/> ; citykg:deviceType "PM2.5 optical sensor"@en ;
  citykg:vendorFormat "TTN v3 uplink" ; citykg:usesMapping <{base}mappings/builtin/ttn-v3> ;
  citykg:dataGraph <{base}graph/source/builtin/ttn-v3> ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ; dct:issued "2024-03-01"^^xsd:date ;
  dct:modified "{modified}"^^xsd:dateTime ; dcat:keyword "air quality"@en ;
  dcat:distribution <{u}/distribution/graph-store>, <{u}/distribution/sparql> ;
  dqv:hasQualityMeasurement <{u}/measurement/openLicence> .
<{u}/place> a dct:Location ; skos:prefLabel "Kisumu"@en ; citykg:countryCode "KE" ;
  dcat:centroid "POINT(34.76 -0.09)"^^geo:wktLiteral .
<{u}/publisher> a foaf:Agent ; foaf:name "Kisumu County" .
<{u}/contact> a vcard:Organization ; vcard:fn "Kisumu ICT office" ; vcard:hasEmail <mailto:ict@kisumu.example> .
<{u}/stakeholder/1> a foaf:Agent ; foaf:name "Lake Basin operator" ; citykg:stakeholderRole "operator"@en .
<{u}/distribution/graph-store> a dcat:Distribution ; dct:title "Named graphs (Graph Store Protocol)"@en ;
  dcat:accessURL <{base}store> ; dcat:accessService <{base}id/service/sparql> ;
  dct:license <http://creativecommons.org/licenses/by/4.0/> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/text/turtle> .
<{u}/distribution/sparql> a dcat:Distribution ; dct:title "SPARQL endpoint"@en ;
  dcat:accessURL <{base}query> ; dcat:accessService <{base}id/service/sparql> .
<{u}/record> a dcat:CatalogRecord ; foaf:primaryTopic <{u}> ;
  dct:issued "{modified}"^^xsd:dateTime ; dct:modified "{modified}"^^xsd:dateTime .
<{u}/measurement/openLicence> a dqv:QualityMeasurement ; dqv:computedOn <{u}> ;
  dqv:isMeasurementOf citykg:openLicence ; dqv:value true ;
  citykg:level <https://w3id.org/citykg/level/3> ; prov:generatedAtTime "{modified}"^^xsd:dateTime .
"#
    )
}

/// Adds use cases `ids` (modified at 2025-06-10T08:00:0N) and the test vocabulary.
pub async fn add_use_cases(app: &TestApp, base: &str, ids: &[&str]) {
    let vocabulary = format!("{base}graph/ontology/feed-test");
    let reply = app.put_graph(&vocabulary, VOCABULARY).await;
    assert!(reply.status.is_success(), "{}", reply.text());
    let mut turtle = String::new();
    for (n, id) in ids.iter().enumerate() {
        turtle.push_str(&use_case(
            base,
            id,
            &format!("Air quality {id}"),
            &format!("2025-06-10T08:00:{:02}Z", n % 60),
        ));
    }
    // POST merges into the graph, so use cases already there stay.
    let path = format!(
        "/store?{}",
        form(&[("graph", &format!("{base}graph/catalog"))])
    );
    let request = app.admin(awc::http::Method::POST, &path, Some("text/turtle"));
    let reply = app.send(request, turtle).await;
    assert!(reply.status.is_success(), "{}", reply.text());
}

/// What the catalogue does on an update: a new title and the record's `dct:modified` = now.
pub async fn change_use_case(app: &TestApp, base: &str, id: &str, title: &str) {
    let u = format!("{base}id/use-case/{id}");
    let update = format!(
        r#"PREFIX dct: <http://purl.org/dc/terms/>
        DELETE {{ GRAPH <{base}graph/catalog> {{ <{u}> dct:title ?t . <{u}/record> dct:modified ?m }} }}
        INSERT {{ GRAPH <{base}graph/catalog> {{ <{u}> dct:title "{title}"@en . <{u}/record> dct:modified ?now }} }}
        WHERE {{ GRAPH <{base}graph/catalog> {{ <{u}> dct:title ?t . <{u}/record> dct:modified ?m }} BIND(NOW() AS ?now) }}"#
    );
    let reply = app.update(&update).await;
    assert_eq!(reply.status.as_u16(), 204, "{}", reply.text());
}

/// What the catalogue does on a delete: every triple of the use case and what it owns.
pub async fn delete_use_case(app: &TestApp, base: &str, id: &str) {
    let u = format!("{base}id/use-case/{id}");
    let update = format!(
        r#"DELETE {{ GRAPH <{base}graph/catalog> {{ ?s ?p ?o }} }}
        WHERE {{ GRAPH <{base}graph/catalog> {{ ?s ?p ?o FILTER(STR(?s) = "{u}" || STRSTARTS(STR(?s), "{u}/")) }} }}"#
    );
    let reply = app.update(&update).await;
    assert_eq!(reply.status.as_u16(), 204, "{}", reply.text());
}

/// A fetched page: its graph, the datasets the catalogue links, totalItems and hydra:next.
pub struct Page {
    pub graph: Graph,
    pub datasets: BTreeSet<String>,
    pub total: usize,
    pub next: Option<String>,
}

fn objects(graph: &Graph, predicate: &str) -> Vec<String> {
    let predicate = NamedNodeRef::new(predicate).unwrap();
    graph
        .triples_for_predicate(predicate)
        .filter_map(|t| match t.object {
            TermRef::NamedNode(n) => Some(n.as_str().to_owned()),
            TermRef::Literal(l) => Some(l.value().to_owned()),
            _ => None,
        })
        .collect()
}

pub async fn fetch_page(app: &TestApp, url: &str) -> Page {
    let reply = app
        .send(
            app.client.get(url).insert_header(("Accept", "text/turtle")),
            "",
        )
        .await;
    assert_eq!(reply.status.as_u16(), 200, "{url}: {}", reply.text());
    assert_eq!(reply.content_type(), "text/turtle");
    let graph: Graph = parse_rdf(RdfFormat::Turtle, &reply.body)
        .iter()
        .map(|q| Triple::from(q.into_owned()))
        .collect();
    let datasets = objects(&graph, &format!("{DCAT}dataset"))
        .into_iter()
        .collect();
    let total = objects(&graph, &format!("{HYDRA}totalItems"))
        .first()
        .map(|t| t.parse().unwrap())
        .expect("hydra:totalItems");
    let next = objects(&graph, &format!("{HYDRA}next")).into_iter().next();
    Page {
        graph,
        datasets,
        total,
        next,
    }
}

/// Follows hydra:next from `path` to the end: every page, merged, and the datasets in order.
pub async fn harvest_all(app: &TestApp, path: &str) -> (Graph, Vec<String>, usize, usize) {
    let mut url = Some(app.url(path));
    let mut merged = Graph::new();
    let mut datasets = Vec::new();
    let mut total = 0;
    let mut pages = 0;
    while let Some(current) = url.take() {
        let page = fetch_page(app, &current).await;
        pages += 1;
        assert!(pages < 1000, "hydra:next never ends");
        total = page.total;
        datasets.extend(page.datasets.iter().cloned());
        merged.extend(page.graph.iter());
        url = page.next;
    }
    (merged, datasets, total, pages)
}

/// The DCAT-AP 3.0.1 shapes. Upstream `dcat-ap-SHACL.ttl` names two property shapes of
/// DataServiceShape (`.../dc08f4dc...`, `.../eb3ac4e4...`) that it never defines; pySHACL and
/// citykg's validator both refuse such a shapes graph, so those two dangling `sh:property`
/// references are dropped, and only those: the test fails if the file changes.
pub fn dcat_ap_shapes() -> citykg::standards::shacl::Shapes {
    let dir = std::env::var_os("CITYKG_CONFORMANCE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../shared/conformance"
            ))
        });
    let file = dir.join("dcat-ap/shacl/dcat-ap-SHACL.ttl");
    let text = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut shapes: Graph = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(&text)
        .map(|q| Triple::from(q.unwrap()))
        .collect();
    let property = NamedNodeRef::new("http://www.w3.org/ns/shacl#property").unwrap();
    let dangling: Vec<Triple> = shapes
        .triples_for_predicate(property)
        .filter(|t| match t.object {
            TermRef::NamedNode(n) => shapes.triples_for_subject(n).next().is_none(),
            _ => false,
        })
        .map(|t| t.into_owned())
        .collect();
    let names: Vec<&str> = dangling
        .iter()
        .map(|t| match &t.object {
            oxigraph::model::Term::NamedNode(n) => n.as_str(),
            _ => "",
        })
        .collect();
    assert_eq!(names.len(), 2, "dangling property shapes: {names:?}");
    assert!(names.iter().all(|n| n.contains("#dcat:DataServiceShape/")));
    for t in &dangling {
        shapes.remove(t);
    }
    citykg::standards::shacl::Shapes::parse(&shapes).expect("the DCAT-AP shapes compile")
}

/// Violations of `graph` against DCAT-AP 3.0.1 with citykg's own validator, printed.
pub fn violations(graph: &Graph) -> Vec<String> {
    let report = citykg::standards::shacl::validate(&dcat_ap_shapes(), graph).unwrap();
    report
        .results
        .iter()
        .filter(|r| r.severity == citykg::standards::shacl::Severity::Violation)
        .map(|r| {
            format!(
                "{} {:?} {}: {:?}",
                r.focus_node,
                r.result_path.as_ref().map(ToString::to_string),
                r.source_constraint_component,
                r.value
            )
        })
        .collect()
}

#[actix_web::test]
async fn every_page_is_followed_to_the_end_and_the_feed_conforms_to_dcat_ap() {
    let app = spawn_app().await;
    let base = "http://citykg.test/";
    let ids = [
        "kisumu-air",
        "accra-air",
        "lima-air",
        "pune-air",
        "turku-air",
        "quito-air",
        "oslo-air",
    ];
    add_use_cases(&app, base, &ids).await;
    let (graph, datasets, total, pages) = harvest_all(&app, "/catalog?page_size=3").await;
    let unique: BTreeSet<&String> = datasets.iter().collect();
    assert_eq!(datasets.len(), total, "each dataset on exactly one page");
    assert_eq!(unique.len(), total);
    assert_eq!(pages, total.div_ceil(3));
    for id in ids {
        assert!(unique.contains(&format!("{base}id/use-case/{id}")), "{id}");
    }
    // Records with their modification dates, the data service and the catalogue.
    for (class, at_least) in [
        ("CatalogRecord", total),
        ("Dataset", total),
        ("Distribution", 2 * ids.len()),
        ("DataService", 1),
        ("Catalog", 1),
    ] {
        let class = oxigraph::model::NamedNode::new(format!("{DCAT}{class}")).unwrap();
        let n = graph
            .subjects_for_predicate_object(rdf::TYPE, &class)
            .count();
        assert!(n >= at_least, "{n} {class}");
    }
    // The measurements of the assessment come with their datasets.
    assert!(objects(&graph, "http://www.w3.org/ns/dqv#hasQualityMeasurement").len() >= ids.len());
    let problems = violations(&graph);
    assert!(
        problems.is_empty(),
        "{} violations:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[actix_web::test]
async fn paging_links_and_order_are_stable() {
    let app = spawn_app().await;
    let base = "http://citykg.test/";
    add_use_cases(&app, base, &["a-1", "a-2", "a-3", "a-4", "a-5"]).await;
    let first = fetch_page(&app, &app.url("/catalog?page_size=2")).await;
    let view = |page: &Page, p: &str| objects(&page.graph, &format!("{HYDRA}{p}"));
    assert_eq!(
        view(&first, "first"),
        [app.url("/catalog?page=1&page_size=2")]
    );
    let last_page = first.total.div_ceil(2);
    assert_eq!(
        view(&first, "last"),
        [app.url(&format!("/catalog?page={last_page}&page_size=2"))]
    );
    assert!(view(&first, "previous").is_empty());
    let second = fetch_page(&app, first.next.as_ref().unwrap()).await;
    assert_eq!(
        view(&second, "previous"),
        [app.url("/catalog?page=1&page_size=2")]
    );
    // The same request gives the same page.
    let again = fetch_page(&app, &app.url("/catalog?page_size=2")).await;
    assert_eq!(again.datasets, first.datasets);
    assert!(first.datasets.is_disjoint(&second.datasets));
}

#[actix_web::test]
async fn modified_since_returns_exactly_the_changed_use_case() {
    let app = spawn_app().await;
    let base = "http://citykg.test/";
    add_use_cases(&app, base, &["m-1", "m-2", "m-3"]).await;
    // Past every write so far, to the second (records written at start included).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let since = oxsdatatypes::DateTime::now().to_string();
    let since = format!("{}Z", since.get(..19).unwrap());
    change_use_case(&app, base, "m-2", "Air quality m-2, revised").await;
    let path = format!("/catalog?{}", form(&[("modified_since", &since)]));
    let (graph, datasets, total, _) = harvest_all(&app, &path).await;
    assert_eq!(datasets, [format!("{base}id/use-case/m-2")]);
    assert_eq!(total, 1);
    assert!(
        objects(&graph, "http://purl.org/dc/terms/title")
            .contains(&"Air quality m-2, revised".to_owned())
    );
    // Links keep the filter.
    let page = fetch_page(&app, &app.url(&path)).await;
    let first = objects(&page.graph, &format!("{HYDRA}first"));
    assert!(first[0].contains("modified_since="), "{first:?}");
}

#[actix_web::test]
async fn bad_parameters_are_400_problems() {
    let app = spawn_app().await;
    for (query, status, slug) in [
        ("modified_since=yesterday", 400, "bad-modified-since"),
        (
            "modified_since=2025-06-10T08:00:00",
            400,
            "bad-modified-since",
        ),
        ("page_size=1001", 400, "bad-feed-parameter"),
        ("page=0", 400, "bad-feed-parameter"),
        ("page=1&page=2", 400, "bad-feed-parameter"),
        ("page=100000", 404, "past-last-page"),
    ] {
        let reply = app.get(&format!("/catalog?{query}"), "text/turtle").await;
        let problem = reply.problem(status);
        assert_eq!(
            problem["type"],
            format!("https://w3id.org/citykg/problems/{slug}"),
            "{query}"
        );
    }
}

#[actix_web::test]
async fn every_rdf_format_says_the_same() {
    let app = spawn_app().await;
    add_use_cases(&app, "http://citykg.test/", &["f-1", "f-2"]).await;
    let turtle = app.get("/catalog?page_size=5", "text/turtle").await;
    let reference = parse_rdf(RdfFormat::Turtle, &turtle.body);
    for (accept, format) in [
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/n-triples", RdfFormat::NTriples),
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let reply = app.get("/catalog?page_size=5", accept).await;
        assert_eq!(reply.status.as_u16(), 200, "{accept}");
        assert_eq!(reply.content_type(), accept);
        let other = parse_rdf(format, &reply.body);
        assert_eq!(other.len(), reference.len(), "{accept}");
    }
}

/// The harvester test written against the standards: Python's rdflib follows hydra:next,
/// pySHACL validates the whole feed against DCAT-AP 3.0.1, SPARQL 1.1 Update changes one use
/// case, and a modified_since harvest must return exactly it (tests/clients/harvest_feed.py).
#[actix_web::test]
async fn a_third_party_harvester_gets_every_use_case_and_only_the_change() {
    let app = spawn_app().await;
    let base = "http://citykg.test/";
    add_use_cases(&app, base, &["p-1", "p-2", "p-3", "p-4", "p-5"]).await;
    let conformance = std::env::var("CITYKG_CONFORMANCE").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/conformance").to_owned()
    });
    run_python_client(
        "harvest_feed.py",
        vec![
            app.address.clone(),
            ADMIN.to_owned(),
            conformance,
            format!("{base}id/use-case/p-3"),
        ],
        "harvest checks passed",
    )
    .await;
}
