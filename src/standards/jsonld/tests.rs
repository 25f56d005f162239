use super::*;
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{BlankNode, Dataset, GraphName, Literal, NamedNode, Term};

fn base() -> BaseIri {
    BaseIri::parse("http://citykg.test/").unwrap()
}

fn iri(s: &str) -> NamedNode {
    NamedNode::new(s).unwrap()
}

fn canonical(quads: impl IntoIterator<Item = Quad>) -> Dataset {
    let mut d: Dataset = quads.into_iter().collect();
    d.canonicalize(CanonicalizationAlgorithm::Unstable);
    d
}

#[test]
fn documents_using_the_citykg_context_expand_with_its_terms() {
    let text = r#"{
      "@context": "http://citykg.test/ns/context.jsonld",
      "@id": "http://citykg.test/id/obs/1",
      "@type": "Observation",
      "madeBySensor": "http://citykg.test/id/sensor/7",
      "resultTime": "2025-01-01T00:00:00Z",
      "observedProperty": "cprop:pm25",
      "title": {"@value": "one", "@language": "en"}
    }"#;
    let quads = to_rdf(text, &base()).unwrap();
    let obs = iri("http://citykg.test/id/obs/1");
    let has = |p: &str, o: Term| {
        quads
            .iter()
            .any(|q| q.subject == obs.clone().into() && q.predicate.as_str() == p && q.object == o)
    };
    assert_eq!(quads.len(), 5);
    assert!(has(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        iri("http://www.w3.org/ns/sosa/Observation").into()
    ));
    assert!(has(
        "http://www.w3.org/ns/sosa/madeBySensor",
        iri("http://citykg.test/id/sensor/7").into()
    ));
    assert!(has(
        "http://www.w3.org/ns/sosa/resultTime",
        Literal::new_typed_literal(
            "2025-01-01T00:00:00Z",
            iri("http://www.w3.org/2001/XMLSchema#dateTime")
        )
        .into()
    ));
    assert!(has(
        "http://www.w3.org/ns/sosa/observedProperty",
        iri("https://w3id.org/citykg/property/pm25").into()
    ));
    assert!(has(
        "http://purl.org/dc/terms/title",
        Literal::new_language_tagged_literal("one", "en")
            .unwrap()
            .into()
    ));
}

#[test]
fn remote_contexts_are_refused_naming_the_url() {
    let text = r#"{"@context": "https://schema.org/", "name": "x"}"#;
    let error = to_rdf(text, &base()).unwrap_err();
    assert_eq!(error.code.as_deref(), Some("loading remote context failed"));
    assert!(error.message.contains("https://schema.org/"), "{error}");
    assert!(error.message.contains("not allow-listed"), "{error}");
    // Another base's context is not ours either.
    let text = r#"{"@context": "http://elsewhere.test/ns/context.jsonld", "name": "x"}"#;
    let error = to_rdf(text, &base()).unwrap_err();
    assert!(
        error
            .message
            .contains("http://elsewhere.test/ns/context.jsonld"),
        "{error}"
    );
}

#[test]
fn json_syntax_errors_are_located() {
    let error = to_rdf("{\n  \"@id\": \"http://x.test/a\",\n  oops\n}", &base()).unwrap_err();
    assert_eq!(error.location, Some((3, 3)), "{error}");
    assert!(error.message.contains("line 3, column 3"), "{error}");
    assert_eq!(error.code, None);
}

#[test]
fn jsonld_errors_carry_their_code() {
    let error = to_rdf(r#"{"@id": 5, "http://x.test/p": "v"}"#, &base()).unwrap_err();
    assert_eq!(error.code.as_deref(), Some("invalid @id value"), "{error}");
}

#[test]
fn deep_nesting_is_refused_before_processing() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let error = to_rdf(&deep, &base()).unwrap_err();
    assert!(error.message.contains("more than 128 deep"), "{error}");
    // Brackets inside strings do not count.
    let text = format!(r#"{{"http://x.test/p": "{}"}}"#, "[".repeat(500));
    assert!(to_rdf(&text, &base()).is_ok());
}

#[test]
fn blank_nodes_are_fresh_for_every_document() {
    let text = r#"{"http://x.test/p": {"http://x.test/q": "v"}}"#;
    let a = to_rdf(text, &base()).unwrap();
    let b = to_rdf(text, &base()).unwrap();
    assert_eq!(a.len(), 2);
    assert_ne!(a[0].subject, b[0].subject);
}

fn sample() -> Vec<Quad> {
    let uc = iri("http://citykg.test/id/use-case/demo");
    let agent = BlankNode::default();
    let head = BlankNode::default();
    let rest = BlankNode::default();
    let rdf = |l: &str| iri(&format!("http://www.w3.org/1999/02/22-rdf-syntax-ns#{l}"));
    let q = |s: oxigraph::model::NamedOrBlankNode, p: NamedNode, o: Term, g: GraphName| {
        Quad::new(s, p, o, g)
    };
    let g = GraphName::NamedNode(iri("http://citykg.test/graph/catalog"));
    vec![
        q(
            uc.clone().into(),
            rdf("type"),
            iri("http://www.w3.org/ns/dcat#Dataset").into(),
            g.clone(),
        ),
        q(
            uc.clone().into(),
            iri("http://purl.org/dc/terms/title"),
            Literal::new_language_tagged_literal("Air", "en")
                .unwrap()
                .into(),
            g.clone(),
        ),
        q(
            uc.clone().into(),
            iri("http://purl.org/dc/terms/issued"),
            Literal::new_typed_literal("2024-03-01", iri("http://www.w3.org/2001/XMLSchema#date"))
                .into(),
            g.clone(),
        ),
        q(
            uc.clone().into(),
            iri("https://w3id.org/citykg/ns#stakeholder"),
            agent.clone().into(),
            g.clone(),
        ),
        q(
            agent.clone().into(),
            iri("http://xmlns.com/foaf/0.1/name"),
            Literal::new_simple_literal("City").into(),
            g.clone(),
        ),
        q(
            uc.clone().into(),
            iri("http://x.test/list"),
            head.clone().into(),
            GraphName::DefaultGraph,
        ),
        q(
            head.clone().into(),
            rdf("first"),
            Literal::new_simple_literal("1").into(),
            GraphName::DefaultGraph,
        ),
        q(
            head.clone().into(),
            rdf("rest"),
            rest.clone().into(),
            GraphName::DefaultGraph,
        ),
        q(
            rest.clone().into(),
            rdf("first"),
            Literal::new_simple_literal("2").into(),
            GraphName::DefaultGraph,
        ),
        q(
            rest.into(),
            rdf("rest"),
            rdf("nil").into(),
            GraphName::DefaultGraph,
        ),
    ]
}

#[test]
fn quads_survive_every_json_ld_form() {
    let quads = sample();
    let expected = canonical(quads.clone());
    let loader = ContextLoader::new(&base());
    let forms = [
        from_rdf(&quads),
        compact_quads(&quads, &base()).unwrap(),
        flatten_quads(&quads, &base()).unwrap(),
    ];
    for form in forms {
        let text = form.to_string();
        let back = to_rdf_with(&text, &loader, &Options::default()).unwrap();
        assert_eq!(canonical(back), expected, "{text}");
    }
    let compacted = compact_quads(&quads, &base()).unwrap();
    assert_eq!(
        compacted["@context"],
        "http://citykg.test/ns/context.jsonld"
    );
    let catalog = compacted["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@id"] == "http://citykg.test/graph/catalog")
        .unwrap();
    assert_eq!(catalog["@graph"][0]["issued"], "2024-03-01", "{compacted}");
    assert_eq!(
        catalog["@graph"][0]["stakeholder"],
        serde_json::json!({"name": "City"}),
        "{compacted}"
    );
}

#[test]
fn long_blank_node_chains_do_not_nest_without_bound() {
    let rdf = |l: &str| iri(&format!("http://www.w3.org/1999/02/22-rdf-syntax-ns#{l}"));
    let nodes: Vec<BlankNode> = (0..5000).map(|_| BlankNode::default()).collect();
    let mut quads = vec![Quad::new(
        iri("http://x.test/s"),
        iri("http://x.test/list"),
        nodes[0].clone(),
        GraphName::DefaultGraph,
    )];
    for (i, node) in nodes.iter().enumerate() {
        quads.push(Quad::new(
            node.clone(),
            rdf("first"),
            Literal::from(i as i64),
            GraphName::DefaultGraph,
        ));
        let next: Term = nodes
            .get(i + 1)
            .map_or(rdf("nil").into(), |n| n.clone().into());
        quads.push(Quad::new(
            node.clone(),
            rdf("rest"),
            next,
            GraphName::DefaultGraph,
        ));
    }
    // On a thread with the blocking pool's default stack size.
    let expected = canonical(quads.clone());
    let result = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let compacted = compact_quads(&quads, &base()).unwrap();
            let loader = ContextLoader::new(&base());
            to_rdf_with(&compacted.to_string(), &loader, &Options::default()).unwrap()
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(canonical(result), expected);
}

#[test]
fn the_shipped_context_is_valid_and_served_for_the_base() {
    let loader = ContextLoader::new(&base());
    let expanded = expand(
        r#"{"@context": "http://citykg.test/ns/context.jsonld", "@id": "http://x.test/a", "hasEmail": "mailto:a@x.test"}"#,
        &loader,
        &Options::default(),
    )
    .unwrap();
    assert_eq!(
        expanded,
        serde_json::json!([{
            "@id": "http://x.test/a",
            "http://www.w3.org/2006/vcard/ns#hasEmail": [{"@id": "mailto:a@x.test"}]
        }])
    );
    assert_eq!(context_iri(&base()), "http://citykg.test/ns/context.jsonld");
    assert!(context_document().contains("\"dqv\": \"http://www.w3.org/ns/dqv#\""));
}

#[test]
fn documents_nested_to_the_limit_are_processed_from_a_small_stack() {
    // Every level a node object: the worst case for the crate's recursion.
    let levels = MAX_DEPTH - 1;
    let text = format!(
        "{}\"http://x.test/v\"{}",
        r#"{"http://x.test/p": "#.repeat(levels),
        "}".repeat(levels)
    );
    let quads = std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let quads = to_rdf(&text, &base()).unwrap();
            let compacted = compact_quads(&quads, &base()).unwrap();
            (quads.len(), compacted)
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(quads.0, levels);
    assert_eq!(quads.1["@context"], "http://citykg.test/ns/context.jsonld");
}
