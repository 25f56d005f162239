//! What `ontologies/` says is honest: every module and shapes file parses; every term a module
//! declares is described in words and points at the ontology that defines it; every module says
//! what it is; every class, predicate and datatype the mappings use (the benchmark's under
//! `../shared/bench/rml`, and any shipped under `mappings/`) and every class or property the
//! shapes name is declared by some module. Each test lists every problem it finds, not the first.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use citykg::pipeline::mapping::model::{Expression, Mapping, ObjectMap, TermMap};
use citykg::pipeline::mapping::{self, Syntax};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::{rdf, rdfs};
use oxigraph::model::{Graph, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef, Triple};

const OWL_ONTOLOGY: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Ontology");
const OWL_VERSION_INFO: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo");
const DCTERMS_TITLE: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/title");
const DCTERMS_DESCRIPTION: NamedNodeRef<'_> =
    NamedNodeRef::new_unchecked("http://purl.org/dc/terms/description");
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
const SH: &str = "http://www.w3.org/ns/shacl#";
const QUDT: &str = "http://qudt.org/schema/qudt/";
const CITYKG: &str = "https://w3id.org/citykg/ns#";

/// The languages the modules are written in, not vocabularies citykg maps onto: their terms
/// (`rdf:type`, `rdfs:label`, `owl:Class`, `xsd:dateTime`) need no module of their own.
const LANGUAGE_NAMESPACES: &[&str] = &[
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
];

const EXPECTED_MODULES: &[&str] = &[
    "citykg",
    "dcat",
    "dcterms",
    "dqv",
    "geosparql",
    "prov",
    "qudt",
    "saref",
    "saref4city",
    "skos",
    "sdg",
    "sosa",
    "u4ssc",
    "verticals",
    "wot",
];
const EXPECTED_SHAPES: &[&str] = &[
    "measurement",
    "observation",
    "provenance",
    "sensor",
    "use-case",
];

/// Observable properties the shipped mappings write; each must be a concept of the code list.
const EXPECTED_PROPERTIES: &[&str] = &[
    "pm25",
    "pm10",
    "no2",
    "o3",
    "noise",
    "temperature",
    "humidity",
    "vehicle_count",
    "avg_speed",
    "occupancy",
    "water_consumption",
    "active_power",
    "energy",
];

/// UN/CEFACT Rec 20 codes vendor payloads send (NGSI `unitCode`), each to resolve to one unit.
const PAYLOAD_UNIT_CODES: &[&str] = &["GQ", "KMH", "P1", "LTR", "KWT", "KWH", "CEL", "MTQ", "C62"];

/// SHACL terms outside SHACL Core (SPARQL-based constraints and targets, SHACL-AF, SHACL-JS).
const NOT_SHACL_CORE: &[&str] = &[
    "sparql",
    "select",
    "ask",
    "prefixes",
    "declare",
    "SPARQLConstraint",
    "SPARQLTarget",
    "SPARQLRule",
    "rule",
    "condition",
    "target",
    "JSConstraint",
    "jsFunctionName",
    "jsLibrary",
];

struct Document {
    name: String,
    graph: Graph,
}

fn iri(value: &str) -> NamedNode {
    NamedNode::new_unchecked(value)
}

fn crate_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn shared_dir() -> PathBuf {
    std::env::var_os("CITYKG_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate_dir().join("../shared"))
}

fn is_language_term(term: &str) -> bool {
    LANGUAGE_NAMESPACES.iter().any(|ns| term.starts_with(ns))
}

/// Files under `dir` (and its subfolders when `deep`) whose name ends in one of `extensions`.
fn files(dir: &Path, extensions: &[&str], deep: bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return found;
    };
    for path in entries.map(|e| e.unwrap().path()) {
        if path.is_dir() {
            if deep {
                found.extend(files(&path, extensions, deep));
            }
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| extensions.contains(&e))
        {
            found.push(path);
        }
    }
    found.sort();
    found
}

fn parse_turtle(path: &Path) -> Result<Graph, String> {
    let text = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(RdfFormat::Turtle).for_slice(&text) {
        let quad = quad.map_err(|e| format!("{}: {e}", path.display()))?;
        graph.insert(&Triple::new(quad.subject, quad.predicate, quad.object));
    }
    Ok(graph)
}

/// Every Turtle file directly in `dir`, parsed; fails listing every file that does not parse.
fn load(dir: &Path) -> Vec<Document> {
    let mut documents = Vec::new();
    let mut errors = Vec::new();
    for path in files(dir, &["ttl"], false) {
        match parse_turtle(&path) {
            Ok(graph) => documents.push(Document {
                name: path.file_stem().unwrap().to_string_lossy().into_owned(),
                graph,
            }),
            Err(error) => errors.push(error),
        }
    }
    assert!(
        errors.is_empty(),
        "files that do not parse:\n{}",
        errors.join("\n")
    );
    documents
}

fn modules() -> Vec<Document> {
    load(&crate_dir().join("ontologies"))
}

fn shapes() -> Vec<Document> {
    load(&crate_dir().join("ontologies/shapes"))
}

/// IRIs a module declares: every named subject of an `rdf:type` triple but the module node.
fn declared_in(graph: &Graph) -> BTreeSet<NamedNode> {
    graph
        .triples_for_predicate(rdf::TYPE)
        .filter(|t| t.object != TermRef::from(OWL_ONTOLOGY))
        .filter_map(|t| match t.subject {
            NamedOrBlankNodeRef::NamedNode(n) => Some(n.into_owned()),
            NamedOrBlankNodeRef::BlankNode(_) => None,
        })
        .collect()
}

fn declared(modules: &[Document]) -> BTreeSet<String> {
    modules
        .iter()
        .flat_map(|m| declared_in(&m.graph))
        .map(|n| n.into_string())
        .collect()
}

fn has_any(graph: &Graph, subject: NamedNodeRef<'_>, predicates: &[NamedNodeRef<'_>]) -> bool {
    predicates.iter().any(|p| {
        graph
            .objects_for_subject_predicate(subject, *p)
            .any(|o| !matches!(o, TermRef::Literal(l) if l.value().trim().is_empty()))
    })
}

fn has_type(graph: &Graph, subject: NamedNodeRef<'_>, class: &str) -> bool {
    graph
        .objects_for_subject_predicate(subject, rdf::TYPE)
        .any(|o| matches!(o, TermRef::NamedNode(n) if n.as_str() == class))
}

fn fail_listing(what: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{what} ({}):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_ontology_module_and_shapes_file_parses_and_none_is_missing() {
    let modules: BTreeSet<String> = modules().into_iter().map(|d| d.name).collect();
    let shapes: BTreeSet<String> = shapes().into_iter().map(|d| d.name).collect();
    let mut problems = Vec::new();
    for name in EXPECTED_MODULES.iter().filter(|n| !modules.contains(**n)) {
        problems.push(format!("module ontologies/{name}.ttl is missing"));
    }
    for name in EXPECTED_SHAPES.iter().filter(|n| !shapes.contains(**n)) {
        problems.push(format!(
            "shapes file ontologies/shapes/{name}.ttl is missing"
        ));
    }
    fail_listing("missing files", &problems);
}

#[test]
fn every_module_says_what_it_is_with_title_version_and_description() {
    let mut problems = Vec::new();
    for module in modules() {
        let nodes: Vec<_> = module
            .graph
            .subjects_for_predicate_object(rdf::TYPE, OWL_ONTOLOGY)
            .collect();
        let [NamedOrBlankNodeRef::NamedNode(node)] = nodes.as_slice() else {
            problems.push(format!(
                "{}: {} owl:Ontology nodes, want one IRI",
                module.name,
                nodes.len()
            ));
            continue;
        };
        for (predicate, name) in [
            (DCTERMS_TITLE, "dcterms:title"),
            (OWL_VERSION_INFO, "owl:versionInfo"),
            (DCTERMS_DESCRIPTION, "dcterms:description"),
        ] {
            if !has_any(&module.graph, *node, &[predicate]) {
                problems.push(format!(
                    "{}: the module node <{}> has no {name}",
                    module.name,
                    node.as_str()
                ));
            }
        }
    }
    fail_listing("modules that do not say what they are", &problems);
}

#[test]
fn every_declared_term_has_a_label_a_comment_and_its_defining_ontology() {
    let pref_label = iri(&format!("{SKOS}prefLabel"));
    let definition = iri(&format!("{SKOS}definition"));
    let mut problems = Vec::new();
    for module in modules() {
        for term in declared_in(&module.graph) {
            let checks = [
                (
                    vec![rdfs::LABEL, pref_label.as_ref()],
                    "rdfs:label or skos:prefLabel",
                ),
                (
                    vec![rdfs::COMMENT, definition.as_ref()],
                    "rdfs:comment or skos:definition",
                ),
                (vec![rdfs::IS_DEFINED_BY], "rdfs:isDefinedBy"),
            ];
            for (predicates, what) in checks {
                if !has_any(&module.graph, term.as_ref(), &predicates) {
                    problems.push(format!(
                        "{}: <{}> has no {what}",
                        module.name,
                        term.as_str()
                    ));
                }
            }
        }
    }
    fail_listing("terms declared without a description", &problems);
}

/// The constant IRI a term map always gives, if it is one.
fn constant_iri(map: &TermMap) -> Option<&str> {
    match &map.expression {
        Expression::Constant(Term::NamedNode(n)) => Some(n.as_str()),
        _ => None,
    }
}

/// What a mapping uses from the vocabularies, each term with the files it appears in.
#[derive(Default)]
struct Uses {
    terms: BTreeMap<String, BTreeSet<String>>,
    /// Last path segment of constant objects of `sosa:observedProperty` and `sosa:observes`.
    property_names: BTreeSet<String>,
}

impl Uses {
    fn add(&mut self, term: &str, file: &str) {
        self.terms
            .entry(term.to_owned())
            .or_default()
            .insert(file.to_owned());
    }

    fn collect(&mut self, mapping: &Mapping, file: &str) {
        let observes = [
            "http://www.w3.org/ns/sosa/observedProperty",
            "http://www.w3.org/ns/sosa/observes",
        ];
        for triples_map in &mapping.triples_maps {
            for class in &triples_map.subject.classes {
                self.add(class.as_str(), file);
            }
            for pom in &triples_map.predicate_object_maps {
                let predicates: Vec<&str> =
                    pom.predicates.iter().filter_map(constant_iri).collect();
                for predicate in &predicates {
                    self.add(predicate, file);
                }
                for object in &pom.objects {
                    let ObjectMap::Term(object) = object else {
                        continue;
                    };
                    if let Some(datatype) = object.datatype.as_deref().and_then(constant_iri) {
                        self.add(datatype, file);
                    }
                    let Some(value) = constant_iri(object) else {
                        continue;
                    };
                    if predicates.contains(&rdf::TYPE.as_str()) {
                        self.add(value, file);
                    }
                    if predicates.iter().any(|p| observes.contains(p)) {
                        let name = value.rsplit(['/', '#']).next().unwrap_or(value);
                        self.property_names.insert(name.to_owned());
                    }
                }
            }
        }
    }
}

/// The benchmark's mappings (required) and the shipped ones under `mappings/` (if any).
fn mapping_uses() -> Uses {
    let bench = shared_dir().join("bench/rml");
    assert!(
        bench.is_dir(),
        "the benchmark mappings are expected at {} (set CITYKG_SHARED to the shared folder)",
        bench.display()
    );
    let mut paths = files(&bench, &["ttl"], true);
    paths.extend(files(
        &crate_dir().join("mappings"),
        &["ttl", "yml", "yaml", "yarrrml"],
        true,
    ));
    assert!(
        !paths.is_empty(),
        "no mapping found under {}",
        bench.display()
    );
    let mut uses = Uses::default();
    let mut errors = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        match mapping::parse(&text, Syntax::from_path(&path), None) {
            Ok(mapping) => uses.collect(&mapping, &file),
            Err(error) => errors.push(format!("{file}: {error}")),
        }
    }
    fail_listing("mappings that do not parse", &errors);
    uses
}

#[test]
fn every_class_predicate_and_datatype_the_mappings_use_is_declared_in_a_module() {
    let declared = declared(&modules());
    let uses = mapping_uses();
    assert!(
        uses.terms.len() > 5,
        "too few terms found in the mappings: {:?}",
        uses.terms
    );
    let undeclared: Vec<String> = uses
        .terms
        .iter()
        .filter(|(term, _)| !is_language_term(term) && !declared.contains(*term))
        .map(|(term, files)| {
            format!(
                "<{term}> used in {}",
                files.iter().cloned().collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    fail_listing(
        "terms the mappings use that no module declares",
        &undeclared,
    );
}

#[test]
fn shapes_name_only_declared_classes_and_properties_and_stay_in_shacl_core() {
    let declared = declared(&modules());
    let references = [
        "targetClass",
        "class",
        "path",
        "inversePath",
        "targetObjectsOf",
        "targetSubjectsOf",
        "equals",
        "disjoint",
        "lessThan",
        "lessThanOrEquals",
    ];
    let mut problems = Vec::new();
    for shapes in shapes() {
        for reference in references {
            let predicate = iri(&format!("{SH}{reference}"));
            for triple in shapes.graph.triples_for_predicate(&predicate) {
                if let TermRef::NamedNode(term) = triple.object {
                    if !is_language_term(term.as_str()) && !declared.contains(term.as_str()) {
                        problems.push(format!(
                            "{}: sh:{reference} <{}> is not declared in a module",
                            shapes.name,
                            term.as_str()
                        ));
                    }
                }
            }
        }
        for triple in shapes.graph.iter() {
            let mut named = vec![triple.predicate.as_str()];
            if let TermRef::NamedNode(object) = triple.object {
                named.push(object.as_str());
            }
            for term in named {
                let local = term.strip_prefix(SH).unwrap_or_default();
                if NOT_SHACL_CORE.contains(&local) {
                    problems.push(format!("{}: sh:{local} is not SHACL Core", shapes.name));
                }
            }
        }
    }
    fail_listing("shapes problems", &problems);
}

#[test]
fn every_shape_explains_itself_in_words_with_a_severity() {
    let sh = |local: &str| iri(&format!("{SH}{local}"));
    let (name, description, message, severity) =
        (sh("name"), sh("description"), sh("message"), sh("severity"));
    let constraints = [
        "or", "and", "xone", "not", "nodeKind", "class", "datatype", "closed",
    ]
    .map(sh);
    let targets = [
        "targetClass",
        "targetObjectsOf",
        "targetSubjectsOf",
        "targetNode",
    ]
    .map(sh);
    let mut problems = Vec::new();
    for shapes in shapes() {
        let graph = &shapes.graph;
        let said = |node: NamedOrBlankNodeRef<'_>, predicate: &NamedNode| {
            graph
                .object_for_subject_predicate(node, predicate)
                .is_some()
        };
        let mut targeted: Vec<NamedOrBlankNodeRef<'_>> = Vec::new();
        for triple in targets.iter().flat_map(|t| graph.triples_for_predicate(t)) {
            if !targeted.contains(&triple.subject) {
                targeted.push(triple.subject);
            }
        }
        for shape in targeted {
            let mut missing: Vec<&str> = [(&name, "sh:name"), (&description, "sh:description")]
                .into_iter()
                .filter(|(p, _)| !said(shape, p))
                .map(|(_, what)| what)
                .collect();
            if constraints.iter().any(|c| said(shape, c)) {
                missing.extend(
                    [(&message, "sh:message"), (&severity, "sh:severity")]
                        .into_iter()
                        .filter(|(p, _)| !said(shape, p))
                        .map(|(_, what)| what),
                );
            }
            for property in graph.objects_for_subject_predicate(shape, &sh("property")) {
                let property = match property {
                    TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                    TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                    _ => continue,
                };
                let path = graph
                    .object_for_subject_predicate(property, &sh("path"))
                    .map_or_else(|| "no path".to_owned(), |p| p.to_string());
                for (p, what) in [
                    (&name, "sh:name"),
                    (&description, "sh:description"),
                    (&message, "sh:message"),
                    (&severity, "sh:severity"),
                ] {
                    if !said(property, p) {
                        problems.push(format!(
                            "{}: the property shape of {shape} for {path} has no {what}",
                            shapes.name
                        ));
                    }
                }
            }
            for what in missing {
                problems.push(format!("{}: {shape} has no {what}", shapes.name));
            }
        }
    }
    fail_listing("shapes that do not explain themselves", &problems);
}

#[test]
fn every_module_file_is_compiled_into_the_binary() {
    let source =
        std::fs::read_to_string(crate_dir().join("src/standards/ontologies/mod.rs")).unwrap();
    let missing: Vec<String> = files(&crate_dir().join("ontologies"), &["ttl"], false)
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|file| !source.contains(&format!("\"/ontologies/{file}\"")))
        .map(|file| format!("ontologies/{file} is not in src/standards/ontologies/mod.rs BUILTIN"))
        .collect();
    fail_listing("modules the lone binary would not serve", &missing);
}

#[test]
fn the_unit_codes_vendor_payloads_send_each_resolve_to_one_declared_unit() {
    let modules = modules();
    let code = iri(&format!("{QUDT}uneceCommonCode"));
    let mut units_by_code: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for module in &modules {
        for triple in module.graph.triples_for_predicate(&code) {
            if let (NamedOrBlankNodeRef::NamedNode(unit), TermRef::Literal(value)) =
                (triple.subject, triple.object)
            {
                let entry = units_by_code.entry(value.value().to_owned()).or_default();
                entry.insert(unit.as_str().to_owned());
                if !has_type(&module.graph, unit, &format!("{QUDT}Unit")) {
                    entry.insert(format!("{} (not typed qudt:Unit)", unit.as_str()));
                }
            }
        }
    }
    let mut problems: Vec<String> = units_by_code
        .iter()
        .filter(|(_, units)| units.len() != 1)
        .map(|(code, units)| format!("code {code:?} names {units:?}"))
        .collect();
    for code in PAYLOAD_UNIT_CODES
        .iter()
        .filter(|c| !units_by_code.contains_key(**c))
    {
        problems.push(format!("code {code:?} has no unit"));
    }
    fail_listing(
        "UN/CEFACT codes that do not name exactly one unit",
        &problems,
    );
}

#[test]
fn every_observable_property_concept_has_a_declared_quantity_kind_and_a_fitting_default_unit() {
    let modules = modules();
    let citykg = modules
        .iter()
        .find(|m| m.name == "citykg")
        .expect("ontologies/citykg.ttl");
    let all: Graph = modules.iter().flat_map(|m| m.graph.iter()).collect();
    let in_scheme = iri(&format!("{SKOS}inScheme"));
    let notation = iri(&format!("{SKOS}notation"));
    let kind = iri(&format!("{QUDT}hasQuantityKind"));
    let applicable = iri(&format!("{QUDT}applicableUnit"));
    let default_unit = iri(&format!("{CITYKG}defaultUnit"));
    let scheme = iri(&format!("{CITYKG}ObservableProperties"));
    let mut problems = Vec::new();
    let mut notations = BTreeSet::new();
    for concept in citykg
        .graph
        .subjects_for_predicate_object(&in_scheme, &scheme)
    {
        let NamedOrBlankNodeRef::NamedNode(concept) = concept else {
            continue;
        };
        let name = concept.as_str();
        match citykg
            .graph
            .object_for_subject_predicate(concept, &notation)
        {
            Some(TermRef::Literal(n)) => notations.insert(n.value().to_owned()),
            _ => {
                problems.push(format!("<{name}> has no skos:notation"));
                false
            }
        };
        let kinds: Vec<_> = citykg
            .graph
            .objects_for_subject_predicate(concept, &kind)
            .collect();
        let unit = citykg
            .graph
            .object_for_subject_predicate(concept, &default_unit);
        let (Some(TermRef::NamedNode(unit)), [TermRef::NamedNode(qk)]) = (unit, kinds.as_slice())
        else {
            problems.push(format!(
                "<{name}> needs one qudt:hasQuantityKind and one citykg:defaultUnit"
            ));
            continue;
        };
        if !has_type(&all, *qk, &format!("{QUDT}QuantityKind")) {
            problems.push(format!(
                "<{name}>: quantity kind <{}> is not declared",
                qk.as_str()
            ));
        }
        if !has_type(&all, unit, &format!("{QUDT}Unit")) {
            problems.push(format!(
                "<{name}>: default unit <{}> is not declared",
                unit.as_str()
            ));
        }
        let fits = all.contains(&Triple::new(
            qk.into_owned(),
            applicable.clone(),
            unit.into_owned(),
        )) || all.contains(&Triple::new(
            unit.into_owned(),
            kind.clone(),
            qk.into_owned(),
        ));
        if !fits {
            problems.push(format!(
                "<{name}>: unit <{}> is not a unit of <{}>",
                unit.as_str(),
                qk.as_str()
            ));
        }
    }
    let mapped = mapping_uses().property_names;
    for missing in EXPECTED_PROPERTIES
        .iter()
        .map(|p| (*p).to_owned())
        .chain(mapped)
        .filter(|p| !notations.contains(p))
    {
        problems.push(format!(
            "no concept with skos:notation {missing:?} in citykg:ObservableProperties"
        ));
    }
    fail_listing("observable property concepts", &problems);
}
