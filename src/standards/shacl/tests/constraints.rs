//! One table per constraint family: each row is shapes, data and the expected results.

use super::expect;

#[test]
fn value_type_constraints_check_class_datatype_and_node_kind() {
    expect(
        "ex:S sh:targetNode ex:a, ex:b, ex:c, \"lit\" ; sh:class ex:Person .",
        "ex:a a ex:Student . ex:Student rdfs:subClassOf ex:Person . ex:b a ex:Animal .",
        &[
            "ex:b Class ex:b",
            "ex:c Class ex:c",
            "\"lit\" Class \"lit\"",
        ],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:age ; sh:property [ sh:path ex:age ; sh:datatype xsd:byte ] .",
        "ex:a ex:age \"12\"^^xsd:byte , \"300\"^^xsd:byte , 12 , \"x\" .",
        &[
            "ex:a Datatype \"12\"",
            "ex:a Datatype \"300\"",
            "ex:a Datatype \"x\"",
        ],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:nodeKind sh:BlankNodeOrIRI ] .",
        "ex:a ex:p ex:b , [] , \"x\" .",
        &["ex:a NodeKind \"x\""],
    );
}

#[test]
fn cardinality_counts_value_nodes() {
    let shapes =
        "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 2 ] .";
    expect(
        shapes,
        "ex:a a ex:C . ex:b a ex:C ; ex:p 1 . ex:c a ex:C ; ex:p 1, 2, 3 .",
        &["ex:a MinCount", "ex:c MaxCount"],
    );
}

#[test]
fn value_ranges_use_sparql_comparison_and_reject_incomparable_values() {
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minInclusive 1 ; sh:maxExclusive 10.5 ] .",
        "ex:a ex:p 1, 5.5, \"7\"^^xsd:double, 10.5, 0, \"five\", ex:x .",
        &[
            "ex:a MaxExclusive \"10.5\"",
            "ex:a MinInclusive \"0\"",
            "ex:a MinInclusive \"five\"",
            "ex:a MaxExclusive \"five\"",
            "ex:a MinInclusive ex:x",
            "ex:a MaxExclusive ex:x",
        ],
    );
    expect(
        "ex:S sh:targetNode \"2024-01-02T00:00:00Z\"^^xsd:dateTime ; sh:minExclusive \"2024-01-01T00:00:00Z\"^^xsd:dateTime .",
        "",
        &[],
    );
}

#[test]
fn string_constraints_check_length_pattern_and_languages() {
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:minLength 2 ; sh:maxLength 3 ] .",
        "ex:a ex:p \"a\", \"ab\", \"abcd\", 12, [] .",
        &[
            "ex:a MinLength \"a\"",
            "ex:a MaxLength \"abcd\"",
            "ex:a MinLength _",
            "ex:a MaxLength _",
        ],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:pattern \"^b\" ; sh:flags \"i\" ] .",
        "ex:a ex:p \"Bob\", \"alice\", ex:bob .",
        &["ex:a Pattern \"alice\"", "ex:a Pattern ex:bob"],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:languageIn (\"en\" \"fr\") ; sh:uniqueLang true ] .",
        "ex:a ex:p \"a\"@en, \"b\"@en-GB, \"c\"@fr, \"d\"@de, \"e\" .",
        &["ex:a LanguageIn \"d\"", "ex:a LanguageIn \"e\""],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:uniqueLang true ] .",
        "ex:a ex:p \"a\"@en, \"b\"@en, \"c\"@en, \"d\"@fr, \"e\"@de, \"f\"@de .",
        &["ex:a UniqueLang", "ex:a UniqueLang"],
    );
}

#[test]
fn property_pairs_compare_with_another_predicate() {
    expect(
        "ex:S sh:targetSubjectsOf ex:p ; sh:property [ sh:path ex:p ; sh:equals ex:q ; sh:disjoint ex:r ] .",
        "ex:a ex:p 1, 2 ; ex:q 2, 3 ; ex:r 1 .",
        &[
            "ex:a Equals \"1\"",
            "ex:a Equals \"3\"",
            "ex:a Disjoint \"1\"",
        ],
    );
    expect(
        "ex:S sh:targetSubjectsOf ex:start ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ; sh:lessThanOrEquals ex:max ] .",
        "ex:a ex:start 5 ; ex:end 5, 6, \"x\" ; ex:max 5 .",
        &["ex:a LessThan \"5\"", "ex:a LessThan \"5\""],
    );
}

#[test]
fn logical_constraints_combine_shapes() {
    let shapes = "
        ex:HasP sh:property [ sh:path ex:p ; sh:minCount 1 ] .
        ex:HasQ sh:property [ sh:path ex:q ; sh:minCount 1 ] .
        ex:And sh:targetNode ex:a, ex:b ; sh:and (ex:HasP ex:HasQ) .
        ex:Or sh:targetNode ex:a, ex:c ; sh:or (ex:HasP ex:HasQ) .
        ex:Xone sh:targetNode ex:a, ex:b, ex:c ; sh:xone (ex:HasP ex:HasQ) .
        ex:Not sh:targetNode ex:a, ex:c ; sh:not ex:HasP .";
    expect(
        shapes,
        "ex:a ex:p 1 ; ex:q 1 . ex:b ex:p 1 .",
        &[
            "ex:b And ex:b",
            "ex:c Or ex:c",
            "ex:a Xone ex:a",
            "ex:c Xone ex:c",
            "ex:a Not ex:a",
        ],
    );
}

#[test]
fn shape_based_constraints_nest_shapes() {
    expect(
        "ex:S sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:Named ] .
         ex:Named sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
        "ex:a ex:knows ex:b, ex:c . ex:b ex:name \"B\" .",
        &["ex:a Node ex:c"],
    );
    expect(
        "ex:S sh:targetNode ex:a ;
           sh:property ex:P1 , ex:P2 .
         ex:P1 sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Wheel ] ;
           sh:qualifiedMinCount 2 ; sh:qualifiedValueShapesDisjoint true .
         ex:P2 sh:path ex:part ; sh:qualifiedValueShape [ sh:class ex:Spare ] ;
           sh:qualifiedMaxCount 0 ; sh:qualifiedValueShapesDisjoint true .",
        "ex:a ex:part ex:w1, ex:w2, ex:w3 . ex:w1 a ex:Wheel . ex:w2 a ex:Wheel, ex:Spare . ex:w3 a ex:Spare .",
        &["ex:a QualifiedMinCount", "ex:a QualifiedMaxCount"],
    );
}

#[test]
fn other_constraints_check_closed_has_value_and_in() {
    expect(
        "ex:S sh:targetNode ex:a ; sh:closed true ; sh:ignoredProperties (rdf:type) ;
           sh:property [ sh:path ex:p ] .",
        "ex:a a ex:C ; ex:p 1 ; ex:q 2 .",
        &["ex:a Closed \"2\""],
    );
    expect(
        "ex:S sh:targetNode ex:a, ex:b ; sh:property [ sh:path ex:p ; sh:hasValue 1 ; sh:in (1 2) ] .",
        "ex:a ex:p 1, 3 . ex:b ex:p 2 .",
        &["ex:a In \"3\"", "ex:b HasValue"],
    );
}

#[test]
fn deactivated_severity_and_messages_shape_the_results() {
    expect(
        "ex:S sh:targetNode ex:a ; sh:class ex:C ; sh:deactivated true .",
        "",
        &[],
    );
    let shapes = super::shapes(
        "ex:S sh:targetNode ex:a ; sh:class ex:C ; sh:severity sh:Warning ; sh:message \"no C\"@en .",
    );
    let Ok(report) = crate::standards::shacl::validate(&shapes, &super::graph(""));
    assert!(!report.conforms);
    let result = &report.results[0];
    assert_eq!(result.severity, crate::standards::shacl::Severity::Warning);
    assert_eq!(result.messages[0].value(), "no C");
    let summary = report.summary();
    assert_eq!(summary.by_severity.get("Warning"), Some(&1));
    assert_eq!(report.violations(), 0);
}

#[test]
fn recursive_shapes_terminate() {
    expect(
        "ex:Person sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:Person ] ;
           sh:property [ sh:path ex:name ; sh:minCount 1 ] .",
        "ex:a ex:knows ex:b ; ex:name \"A\" . ex:b ex:knows ex:a , ex:c ; ex:name \"B\" .",
        &["ex:a Node ex:b"],
    );
    // A paradox (a shape that is its own negation) has no defined answer: it must only stop.
    let _ = super::check("ex:S sh:targetNode ex:a ; sh:not ex:S .", "");
}

#[test]
fn self_referencing_property_shapes_over_cyclic_or_long_data_stop() {
    // sh:property pointing back at its own shape, over a cycle.
    expect(
        "ex:S sh:targetNode ex:a ; sh:property ex:P .
         ex:P sh:path ex:next ; sh:property ex:P ; sh:nodeKind sh:IRI .",
        "ex:a ex:next ex:b . ex:b ex:next ex:a , \"x\" .",
        &["ex:b NodeKind \"x\""],
    );
    // A chain far longer than the nesting limit, each link checked with sh:node.
    let mut data = String::new();
    for i in 0..5000 {
        data.push_str(&format!("ex:n{i} ex:next ex:n{} .\n", i + 1));
    }
    let results = super::check(
        "ex:S sh:targetNode ex:n0 ; sh:property [ sh:path ex:next ; sh:node ex:S ] .",
        &data,
    );
    assert!(results.len() <= 1, "{results:?}");
}
