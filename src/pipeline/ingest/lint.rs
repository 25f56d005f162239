//! The interoperability lint: what a mapping writes that the loaded ontologies do not expect.
//! Warnings, never errors: classes and predicates no ontology module declares, literals without
//! a datatype where the ontology gives the predicate a datatype range, and units written as plain
//! strings instead of QUDT unit IRIs. Reads the ontology graphs (`{base}graph/ontology/...`) once
//! per call into a [`Vocabulary`]; the lint itself is pure.

use std::collections::{HashMap, HashSet};

use crate::storage::{Storage, StoreError};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphNameRef, NamedNode, NamedOrBlankNode, Term};

use super::registry::meta::LintWarning;
use crate::core::config::BaseIri;
use crate::pipeline::mapping::model::{Expression, Mapping, ObjectMap, TermMap, TermType};

/// Namespaces whose terms are the language of RDF itself, never flagged.
const CORE: &[&str] = &[
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://www.w3.org/2000/01/rdf-schema#",
    "http://www.w3.org/2002/07/owl#",
    "http://www.w3.org/2001/XMLSchema#",
];

const OWL: &str = "http://www.w3.org/2002/07/owl#";
const OWL_CLASS: oxigraph::model::NamedNodeRef<'static> =
    oxigraph::model::NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#Class");

/// The terms the loaded ontology modules declare.
#[derive(Debug, Default)]
pub struct Vocabulary {
    classes: HashSet<NamedNode>,
    properties: HashSet<NamedNode>,
    /// Predicates whose `rdfs:range` is a datatype.
    datatype_ranges: HashMap<NamedNode, NamedNode>,
}

impl Vocabulary {
    /// Reads every graph under `{base}graph/ontology/`.
    pub fn from_store(store: &Storage, base: &BaseIri) -> Result<Self, StoreError> {
        let prefix = base.join("graph/ontology/");
        let class_types = [OWL_CLASS, rdfs::CLASS];
        let mut vocabulary = Self::default();
        let mut datatypes = HashSet::new();
        let mut ranges = Vec::new();
        for graph in store.named_graphs() {
            let NamedOrBlankNode::NamedNode(graph) = graph? else {
                continue;
            };
            if !graph.as_str().starts_with(&prefix) {
                continue;
            }
            let in_graph = Some(GraphNameRef::NamedNode(graph.as_ref()));
            for quad in store.quads(None, Some(rdf::TYPE), None, in_graph) {
                let quad = quad?;
                let (NamedOrBlankNode::NamedNode(subject), Term::NamedNode(kind)) =
                    (quad.subject, quad.object)
                else {
                    continue;
                };
                if class_types.contains(&kind.as_ref()) {
                    vocabulary.classes.insert(subject);
                } else if kind.as_ref() == rdf::PROPERTY
                    || (kind.as_str().starts_with(OWL) && kind.as_str().ends_with("Property"))
                {
                    vocabulary.properties.insert(subject);
                } else if kind.as_ref() == rdfs::DATATYPE {
                    datatypes.insert(subject);
                }
            }
            for quad in store.quads(None, Some(rdfs::RANGE), None, in_graph) {
                let quad = quad?;
                if let (NamedOrBlankNode::NamedNode(p), Term::NamedNode(range)) =
                    (quad.subject, quad.object)
                {
                    ranges.push((p, range));
                }
            }
        }
        for (predicate, range) in ranges {
            if range
                .as_str()
                .starts_with(xsd::STRING.as_str().trim_end_matches("string"))
                || datatypes.contains(&range)
            {
                vocabulary.datatype_ranges.insert(predicate, range);
            }
        }
        Ok(vocabulary)
    }

    pub fn declares_class(&self, iri: &NamedNode) -> bool {
        is_core(iri) || self.classes.contains(iri)
    }

    pub fn declares_property(&self, iri: &NamedNode) -> bool {
        is_core(iri) || self.properties.contains(iri)
    }
}

fn is_core(iri: &NamedNode) -> bool {
    CORE.iter().any(|ns| iri.as_str().starts_with(ns))
}

/// Every warning for `mapping`, in the order of its triples maps.
pub fn lint(mapping: &Mapping, vocabulary: &Vocabulary) -> Vec<LintWarning> {
    let mut warnings = Vec::new();
    for map in &mapping.triples_maps {
        let name = map.name.to_string();
        let mut warn = |message: String, term: &NamedNode| {
            warnings.push(LintWarning {
                message,
                triples_map: Some(name.clone()),
                term: Some(term.as_str().to_owned()),
            });
        };
        for class in &map.subject.classes {
            if !vocabulary.declares_class(class) {
                warn(
                    format!("the class {class} is not declared by any loaded ontology module"),
                    class,
                );
            }
        }
        for pom in &map.predicate_object_maps {
            for predicate in pom.predicates.iter().filter_map(constant_iri) {
                if !vocabulary.declares_property(predicate) {
                    warn(
                        format!(
                            "the predicate {predicate} is not declared by any loaded ontology module"
                        ),
                        predicate,
                    );
                }
                for object in &pom.objects {
                    let ObjectMap::Term(object) = object else {
                        continue;
                    };
                    if predicate.as_ref() == rdf::TYPE
                        && let Expression::Constant(Term::NamedNode(class)) = &object.expression
                        && !vocabulary.declares_class(class)
                    {
                        warn(
                            format!(
                                "the class {class} is not declared by any loaded ontology module"
                            ),
                            class,
                        );
                    }
                    if !makes_literal(object) {
                        continue;
                    }
                    if is_unit_predicate(predicate) {
                        warn(
                            format!(
                                "{predicate} gets a plain literal; give the unit as a QUDT unit IRI (e.g. http://qudt.org/vocab/unit/MicroGM-PER-M3)"
                            ),
                            predicate,
                        );
                    }
                    if let Some(range) = vocabulary.datatype_ranges.get(predicate)
                        && object.datatype.is_none()
                        && object.language.is_none()
                        && !matches!(object.expression, Expression::Constant(_))
                        && range.as_ref() != xsd::STRING
                    {
                        warn(
                            format!(
                                "{predicate} has the range {range} in the ontology, but this object map gives no datatype; add one"
                            ),
                            predicate,
                        );
                    }
                }
            }
        }
    }
    warnings
}

fn constant_iri(term_map: &TermMap) -> Option<&NamedNode> {
    match &term_map.expression {
        Expression::Constant(Term::NamedNode(iri)) => Some(iri),
        _ => None,
    }
}

/// Whether the object map makes literals (explicitly, or by default for references and functions).
fn makes_literal(object: &TermMap) -> bool {
    match (&object.expression, object.term_type) {
        (_, Some(TermType::Literal)) => true,
        (_, Some(_)) => false,
        (Expression::Constant(term), None) => matches!(term, Term::Literal(_)),
        (Expression::Reference(_) | Expression::Function(_), None) => true,
        (Expression::Template(_), None) => object.datatype.is_some() || object.language.is_some(),
        (Expression::Absent, None) => false,
    }
}

fn is_unit_predicate(predicate: &NamedNode) -> bool {
    let iri = predicate.as_str();
    let local = iri.rsplit(['#', '/']).next().unwrap_or(iri);
    local.to_ascii_lowercase().contains("unit")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::mapping::{Syntax, parse};

    const MAPPING: &str = r#"
prefixes:
  ex: http://example.com/
  sosa: http://www.w3.org/ns/sosa/
mappings:
  obs:
    sources: [[payload.csv~csv]]
    s: ex:obs/$(id)
    po:
      - [a, sosa:Observation]
      - [a, ex:Reading]
      - [sosa:hasSimpleResult, $(value)]
      - [ex:madeUp, $(x)]
      - [ex:unit, $(unit)]
"#;

    #[test]
    fn unknown_terms_untyped_ranges_and_string_units_warn() {
        let mapping = parse(MAPPING, Syntax::Yarrrml, None).unwrap();
        let sosa = |l: &str| NamedNode::new(format!("http://www.w3.org/ns/sosa/{l}")).unwrap();
        let mut vocabulary = Vocabulary::default();
        vocabulary.classes.insert(sosa("Observation"));
        vocabulary.properties.insert(sosa("hasSimpleResult"));
        vocabulary
            .datatype_ranges
            .insert(sosa("hasSimpleResult"), xsd::DOUBLE.into_owned());
        let terms: Vec<String> = lint(&mapping, &vocabulary)
            .into_iter()
            .filter_map(|w| w.term)
            .collect();
        for expected in [
            "http://example.com/Reading",
            "http://www.w3.org/ns/sosa/hasSimpleResult",
            "http://example.com/madeUp",
            "http://example.com/unit",
        ] {
            assert!(
                terms.iter().any(|t| t == expected),
                "{expected} in {terms:?}"
            );
        }
        assert!(
            !terms.iter().any(|t| t.ends_with("Observation")),
            "{terms:?}"
        );
    }
}
