//! The model as canonical RML-Core Turtle: triples maps keep their names (IRIs, or blank node
//! labels made Turtle-safe); every other node is written as a nested `[ ... ]`.

use std::fmt::Write as _;

use oxigraph::model::{NamedNode, Term};

use super::turtle::{Node, T, Turtle};
use super::{PREFIXES, RDF, RDFS, RML, WriteError};
use crate::pipeline::mapping::model::{
    DatabaseSource, Expression, FunctionExecution, Gather, GatherStrategy, JoinCondition,
    LogicalSource, MapName, Mapping, ObjectMap, PredicateObjectMap, ReferenceFormulation, Source,
    SubjectMap, Template, TemplatePart, TermMap, TermType, TriplesMap,
};
use crate::pipeline::payload::source::{Compression, CsvDialect, FileSource, SourceRoot};

/// The mapping as canonical RML-Core Turtle.
pub fn to_rml(mapping: &Mapping) -> Result<String, WriteError> {
    let plain;
    let mapping = if mapping.core_semantics {
        mapping
    } else {
        plain = with_plain_references(mapping);
        &plain
    };
    let mut turtle = Turtle::default();
    let mut body = String::new();
    for triples_map in &mapping.triples_maps {
        let node = triples_map_node(triples_map)?;
        let subject = map_name(&triples_map.name);
        turtle.statement(&mut body, &subject, &node);
    }
    if let Some(iri) = turtle.invalid {
        return Err(WriteError::InvalidIri { iri });
    }
    let mut out = String::new();
    for (prefix, namespace) in PREFIXES {
        if turtle.used.contains(prefix) {
            let _ = writeln!(out, "@prefix {prefix}: <{namespace}> .");
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&body);
    Ok(out)
}

/// RML-Core gives a reference to a JSON number an `xsd:integer`/`xsd:double` literal; legacy RML
/// and YARRRML give a plain string. Written as RML-Core, a mapping that did not ask for natural
/// datatypes says `rml:datatype xsd:string` (the same literal as a plain one in RDF 1.1) on
/// reference-valued literal object maps, so the converted mapping makes the same triples.
fn with_plain_references(mapping: &Mapping) -> Mapping {
    let mut mapping = mapping.clone();
    mapping.core_semantics = true;
    for map in &mut mapping.triples_maps {
        for pom in &mut map.predicate_object_maps {
            for object in &mut pom.objects {
                if let ObjectMap::Term(term) = object
                    && matches!(term.expression, Expression::Reference(_))
                    && matches!(term.term_type, None | Some(TermType::Literal))
                    && term.language.is_none()
                    && term.datatype.is_none()
                {
                    term.datatype = Some(Box::new(TermMap::constant(
                        oxigraph::model::vocab::xsd::STRING.into_owned(),
                    )));
                }
            }
        }
    }
    mapping
}

fn rml(local: &str) -> String {
    format!("{RML}{local}")
}

fn rml_iri(local: &str) -> T {
    T::Iri(rml(local))
}

fn typed(class: &str) -> (String, T) {
    (format!("{RDF}type"), rml_iri(class))
}

fn map_name(name: &MapName) -> T {
    match name {
        MapName::Iri(iri) => T::Iri(iri.clone()),
        MapName::Blank(label) => T::Raw(format!("_:{}", blank_label(label))),
    }
}

fn triples_map_node(map: &TriplesMap) -> Result<Node, WriteError> {
    let mut node = vec![typed("TriplesMap")];
    if let Some(label) = &map.label {
        node.push((format!("{RDFS}label"), T::Str(label.clone())));
    }
    node.push((
        rml("logicalSource"),
        T::Node(logical_source_node(&map.logical_source, &map.name)?),
    ));
    if let Some(base) = &map.base_iri {
        node.push((rml("baseIRI"), T::Iri(base.clone())));
    }
    node.push((rml("subjectMap"), T::Node(subject_node(&map.subject))));
    for pom in &map.predicate_object_maps {
        node.push((rml("predicateObjectMap"), T::Node(pom_node(pom))));
    }
    Ok(node)
}

fn logical_source_node(source: &LogicalSource, map: &MapName) -> Result<Node, WriteError> {
    let mut node = vec![typed("LogicalSource")];
    match &source.source {
        Source::Other(other) => {
            if !source.null_values.is_empty() {
                return Err(WriteError::NotExpressible {
                    map: map.to_string(),
                    what: "NULL values on a source that is neither a file nor a database",
                    syntax: "RML",
                });
            }
            let value = match NamedNode::new(other.as_str()) {
                Ok(iri) => T::Iri(iri.into_string()),
                Err(_) => T::Str(other.clone()),
            };
            node.push((rml("source"), value));
        }
        Source::File(_) | Source::Database(_) => {
            let mut source_node = match &source.source {
                Source::Database(database) => database_node(database),
                Source::File(file) => file_source_node(file),
                Source::Other(_) => Vec::new(),
            };
            for null in &source.null_values {
                source_node.push((rml("null"), T::Str(null.clone())));
            }
            node.push((rml("source"), T::Node(source_node)));
        }
    }
    if let Some(formulation) = &source.reference_formulation {
        node.push((
            rml("referenceFormulation"),
            reference_formulation(formulation, &source.source),
        ));
    }
    if let Some(iterator) = &source.iterator {
        node.push((rml("iterator"), T::Str(iterator.clone())));
    }
    // citykg's extension sits on the logical source, next to the reference formulation it
    // qualifies, not on the (standard) source description.
    if let Source::File(file) = &source.source {
        for column in &file.csv.optional_columns {
            node.push((
                crate::core::vocab::OPTIONAL_COLUMN.to_owned(),
                T::Str(column.clone()),
            ));
        }
    }
    if let Source::Database(database) = &source.source {
        if let Some(table) = &database.table_name {
            node.push((rml("tableName"), T::Str(table.clone())));
        }
        if let Some(query) = &database.query {
            node.push((rml("query"), T::Str(query.clone())));
        }
    }
    Ok(node)
}

fn file_source_node(file: &FileSource) -> Node {
    let root = match file.root {
        SourceRoot::MappingDirectory => "MappingDirectory",
        SourceRoot::CurrentWorkingDirectory => "CurrentWorkingDirectory",
    };
    let mut node = vec![
        typed("RelativePathSource"),
        (rml("root"), rml_iri(root)),
        (rml("path"), T::Str(file.path.clone())),
    ];
    let compression = match file.compression {
        Compression::None => None,
        Compression::Gzip => Some("gzip"),
        Compression::Zip => Some("zip"),
        Compression::TarGzip => Some("targz"),
        Compression::TarXz => Some("tarxz"),
    };
    if let Some(compression) = compression {
        node.push((rml("compression"), rml_iri(compression)));
    }
    if let Some(encoding) = &file.encoding {
        let value = match encoding.to_ascii_uppercase().as_str() {
            "UTF-8" => rml_iri("UTF-8"),
            "UTF-16" => rml_iri("UTF-16"),
            _ => T::Str(encoding.clone()),
        };
        node.push((rml("encoding"), value));
    }
    let dialect = CsvDialect {
        optional_columns: Vec::new(),
        ..file.csv.clone()
    };
    if dialect != CsvDialect::default() {
        node.push((
            "http://www.w3.org/ns/csvw#dialect".to_owned(),
            T::Node(csv_dialect_node(&file.csv)),
        ));
    }
    node
}

fn csv_dialect_node(dialect: &CsvDialect) -> Node {
    let csvw = |local: &str| format!("http://www.w3.org/ns/csvw#{local}");
    vec![
        (format!("{RDF}type"), T::Iri(csvw("Dialect"))),
        (
            csvw("delimiter"),
            T::Str(char::from(dialect.delimiter).to_string()),
        ),
        (
            csvw("quoteChar"),
            T::Str(char::from(dialect.quote).to_string()),
        ),
        (csvw("header"), T::Bool(dialect.header)),
        (csvw("trim"), T::Bool(dialect.trim)),
    ]
}

fn database_node(database: &DatabaseSource) -> Node {
    let d2rq = |local: &str| format!("http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#{local}");
    let mut node = vec![(format!("{RDF}type"), T::Iri(d2rq("Database")))];
    let fields = [
        ("jdbcDSN", &database.dsn),
        ("jdbcDriver", &database.driver),
        ("username", &database.username),
        ("password", &database.password),
    ];
    for (local, value) in fields {
        if let Some(value) = value {
            node.push((d2rq(local), T::Str(value.clone())));
        }
    }
    if let Some(version) = &database.sql_version {
        let value = match NamedNode::new(version.as_str()) {
            Ok(iri) => T::Iri(iri.into_string()),
            Err(_) => T::Str(version.clone()),
        };
        node.push((rml("sqlVersion"), value));
    }
    node
}

fn reference_formulation(formulation: &ReferenceFormulation, source: &Source) -> T {
    match formulation {
        ReferenceFormulation::JsonPath => rml_iri("JSONPath"),
        ReferenceFormulation::Csv => rml_iri("CSV"),
        ReferenceFormulation::XPath { namespaces } if namespaces.is_empty() => rml_iri("XPath"),
        ReferenceFormulation::XPath { namespaces } => {
            let mut node = vec![typed("XPathReferenceFormulation")];
            for (prefix, url) in namespaces {
                node.push((
                    rml("namespace"),
                    T::Node(vec![
                        typed("Namespace"),
                        (rml("namespacePrefix"), T::Str(prefix.clone())),
                        (rml("namespaceURL"), T::Str(url.clone())),
                    ]),
                ));
            }
            T::Node(node)
        }
        ReferenceFormulation::Sql2008 => match source {
            Source::Database(DatabaseSource {
                query: None,
                table_name: Some(_),
                ..
            }) => rml_iri("SQL2008Table"),
            _ => rml_iri("SQL2008Query"),
        },
        ReferenceFormulation::Other(iri) => T::Iri(iri.clone()),
    }
}

fn subject_node(subject: &SubjectMap) -> Node {
    let mut node = vec![typed("SubjectMap")];
    node.extend(term_map_body(&subject.term));
    for class in &subject.classes {
        node.push((rml("class"), T::Iri(class.as_str().to_owned())));
    }
    for graph in &subject.graphs {
        node.push(shortcut_or_map(graph, "graph", "graphMap", "GraphMap"));
    }
    node
}

fn pom_node(pom: &PredicateObjectMap) -> Node {
    let mut node = vec![typed("PredicateObjectMap")];
    for predicate in &pom.predicates {
        node.push(shortcut_or_map(
            predicate,
            "predicate",
            "predicateMap",
            "PredicateMap",
        ));
    }
    for object in &pom.objects {
        match object {
            ObjectMap::Term(term) => {
                node.push(shortcut_or_map(term, "object", "objectMap", "ObjectMap"));
            }
            ObjectMap::Referencing(referencing) => {
                let mut object = vec![
                    typed("RefObjectMap"),
                    (rml("parentTriplesMap"), map_name(&referencing.parent)),
                ];
                for join in &referencing.joins {
                    object.push((rml("joinCondition"), T::Node(join_node(join))));
                }
                node.push((rml("objectMap"), T::Node(object)));
            }
        }
    }
    for graph in &pom.graphs {
        node.push(shortcut_or_map(graph, "graph", "graphMap", "GraphMap"));
    }
    node
}

fn join_node(join: &JoinCondition) -> Node {
    let mut node = vec![typed("Join")];
    for (expression, shortcut, map) in [
        (&join.child, "child", "childMap"),
        (&join.parent, "parent", "parentMap"),
    ] {
        match expression {
            Expression::Reference(reference) => {
                node.push((rml(shortcut), T::Str(reference.clone())));
            }
            other => node.push((rml(map), T::Node(expression_body(other)))),
        }
    }
    node
}

/// A constant-only term map as its shortcut (`rml:predicate ex:p`), anything else in full.
fn shortcut_or_map(term: &TermMap, shortcut: &str, map: &str, class: &str) -> (String, T) {
    if let Some(constant) = plain_constant(term) {
        return (rml(shortcut), constant_term(constant));
    }
    let mut node = vec![typed(class)];
    node.extend(term_map_body(term));
    (rml(map), T::Node(node))
}

fn plain_constant(term: &TermMap) -> Option<&Term> {
    match &term.expression {
        Expression::Constant(constant)
            if term.term_type.is_none()
                && term.language.is_none()
                && term.datatype.is_none()
                && term.gather.is_none() =>
        {
            Some(constant)
        }
        _ => None,
    }
}

fn term_map_body(term: &TermMap) -> Node {
    let mut node = expression_body(&term.expression);
    if let Some(term_type) = term.term_type {
        let local = match term_type {
            TermType::Iri => "IRI",
            TermType::UnsafeIri => "UnsafeIRI",
            TermType::Uri => "URI",
            TermType::BlankNode => "BlankNode",
            TermType::Literal => "Literal",
        };
        node.push((rml("termType"), rml_iri(local)));
    }
    if let Some(language) = &term.language {
        node.push(shortcut_or_map(
            language,
            "language",
            "languageMap",
            "LanguageMap",
        ));
    }
    if let Some(datatype) = &term.datatype {
        node.push(shortcut_or_map(
            datatype,
            "datatype",
            "datatypeMap",
            "DatatypeMap",
        ));
    }
    if let Some(gather) = &term.gather {
        node.extend(gather_body(gather));
    }
    node
}

fn expression_body(expression: &Expression) -> Node {
    match expression {
        Expression::Constant(constant) => vec![(rml("constant"), constant_term(constant))],
        Expression::Reference(reference) => vec![(rml("reference"), T::Str(reference.clone()))],
        Expression::Template(template) => {
            vec![(rml("template"), T::Str(rml_template(template)))]
        }
        Expression::Function(execution) => function_body(execution),
        // A fresh blank node: the term type says it all.
        Expression::Absent => Vec::new(),
    }
}

fn function_body(execution: &FunctionExecution) -> Node {
    let mut call = vec![typed("FunctionExecution")];
    call.push(shortcut_or_map(
        &execution.function,
        "function",
        "functionMap",
        "FunctionMap",
    ));
    for input in &execution.inputs {
        let mut node = vec![
            typed("Input"),
            (
                rml("parameter"),
                T::Iri(input.parameter.as_str().to_owned()),
            ),
        ];
        node.push(shortcut_or_map(
            &input.value,
            "inputValue",
            "inputValueMap",
            "InputValueMap",
        ));
        call.push((rml("input"), T::Node(node)));
    }
    let mut body = vec![(rml("functionExecution"), T::Node(call))];
    if let Some(output) = &execution.output {
        body.push((rml("return"), T::Iri(output.as_str().to_owned())));
    }
    body
}

fn gather_body(gather: &Gather) -> Node {
    let maps = gather
        .maps
        .iter()
        .map(|map| T::Node(term_map_body(map)))
        .collect();
    let mut node = vec![
        (rml("gather"), T::List(maps)),
        (
            rml("gatherAs"),
            T::Iri(gather.gather_as.as_str().to_owned()),
        ),
    ];
    if gather.strategy == GatherStrategy::CartesianProduct {
        node.push((rml("strategy"), rml_iri("cartesianProduct")));
    }
    if gather.allow_empty {
        node.push((rml("allowEmptyListAndContainer"), T::Bool(true)));
    }
    node
}

fn constant_term(term: &Term) -> T {
    match term {
        Term::NamedNode(iri) => T::Iri(iri.as_str().to_owned()),
        Term::BlankNode(blank) => T::Raw(format!("_:{}", blank_label(blank.as_str()))),
        Term::Literal(literal) => T::Raw(literal.to_string()),
        #[allow(unreachable_patterns)]
        other => T::Raw(other.to_string()),
    }
}

/// An RML template: `{`, `}` and `\` in text and references escaped with a backslash.
pub(super) fn rml_template(template: &Template) -> String {
    let mut out = String::new();
    for part in &template.parts {
        match part {
            TemplatePart::Text(text) => escape_template_text(&mut out, text),
            TemplatePart::Reference(reference) => {
                out.push('{');
                escape_template_text(&mut out, reference);
                out.push('}');
            }
        }
    }
    out
}

fn escape_template_text(out: &mut String, text: &str) {
    for character in text.chars() {
        if matches!(character, '{' | '}' | '\\') {
            out.push('\\');
        }
        out.push(character);
    }
}

/// A blank node label Turtle accepts: ASCII letters, digits and `-` kept, anything else
/// (including `_`) as `_xHH..` so that different labels stay different.
pub(super) fn blank_label(label: &str) -> String {
    let mut out = String::from("b");
    for character in label.chars() {
        if character.is_ascii_alphanumeric() || character == '-' {
            out.push(character);
        } else {
            let _ = write!(out, "_x{:X}_", u32::from(character));
        }
    }
    out
}
