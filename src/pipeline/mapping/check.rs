//! The checker: every problem in a mapping, found before anything runs. A [`CheckedMapping`] can
//! only be made here, so the engine never sees a mapping that has not passed.

use std::collections::HashSet;

use oxigraph::model::{Literal, NamedNode, Term};

use super::functions;
use super::model::{
    Expression, FunctionExecution, LogicalSource, Mapping, ObjectMap, ReferenceFormulation, Source,
    TermMap, TermType, TriplesMap,
};
use super::{Diagnostic, Location, MappingError};

/// What the mapping is checked for: running needs more (file sources, known reference
/// formulations) than converting it to another syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Run,
    Convert,
}

/// A mapping that passed every check for its purpose.
#[derive(Debug, Clone)]
pub struct CheckedMapping {
    mapping: Mapping,
}

impl CheckedMapping {
    pub fn mapping(&self) -> &Mapping {
        &self.mapping
    }
}

pub fn check(mut mapping: Mapping, purpose: Purpose) -> Result<CheckedMapping, MappingError> {
    normalize(&mut mapping);
    let mut problems = Vec::new();
    let mut names = HashSet::new();
    for map in &mapping.triples_maps {
        if !names.insert(&map.name) {
            problems.push(Diagnostic::new(
                "two triples maps have this name; rename one",
                Location::in_map(&map.name),
            ));
        }
    }
    for map in &mapping.triples_maps {
        let mut checker = Checker {
            mapping: &mapping,
            map,
            problems: &mut problems,
        };
        checker.triples_map(purpose);
    }
    if problems.is_empty() {
        Ok(CheckedMapping { mapping })
    } else {
        Err(MappingError { problems })
    }
}

/// Shortcut passes that make equivalent spellings one: a string constant declared
/// `rml:termType rml:IRI` is an IRI constant.
fn normalize(mapping: &mut Mapping) {
    for map in &mut mapping.triples_maps {
        let pom_maps = map.predicate_object_maps.iter_mut().flat_map(|pom| {
            pom.predicates
                .iter_mut()
                .chain(pom.graphs.iter_mut())
                .chain(pom.objects.iter_mut().filter_map(|o| match o {
                    ObjectMap::Term(t) => Some(t),
                    ObjectMap::Referencing(_) => None,
                }))
        });
        for term_map in std::iter::once(&mut map.subject.term)
            .chain(map.subject.graphs.iter_mut())
            .chain(pom_maps)
        {
            if let (
                Expression::Constant(Term::Literal(literal)),
                Some(TermType::Iri | TermType::Uri | TermType::UnsafeIri),
            ) = (&term_map.expression, term_map.term_type)
                && let Ok(iri) = NamedNode::new(literal.value())
            {
                term_map.expression = Expression::Constant(iri.into());
                term_map.term_type = None;
            }
        }
    }
}

struct Checker<'a> {
    mapping: &'a Mapping,
    map: &'a TriplesMap,
    problems: &'a mut Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Subject,
    Predicate,
    Object,
    Graph,
    /// Function inputs, language and datatype maps: any value.
    Value,
}

impl Checker<'_> {
    fn problem(&mut self, term_map: Option<&TermMap>, what: &str, message: String) {
        let mut location = Location::in_map(&self.map.name).with_term_map(what);
        if let Some(name) = term_map.and_then(|t| t.name.as_ref()) {
            location.term_map = Some(format!("{what} {name}"));
        }
        self.problems.push(Diagnostic::new(message, location));
    }

    fn triples_map(&mut self, purpose: Purpose) {
        if purpose == Purpose::Run {
            self.runnable(&self.map.logical_source);
        }
        self.optional_columns(&self.map.logical_source);
        let subject = &self.map.subject;
        self.term_map(&subject.term, Role::Subject, "subject map");
        for graph in &subject.graphs {
            self.term_map(graph, Role::Graph, "graph map");
        }
        for pom in &self.map.predicate_object_maps {
            for predicate in &pom.predicates {
                self.term_map(predicate, Role::Predicate, "predicate map");
            }
            for graph in &pom.graphs {
                self.term_map(graph, Role::Graph, "graph map");
            }
            for object in &pom.objects {
                match object {
                    ObjectMap::Term(term_map) => {
                        self.term_map(term_map, Role::Object, "object map")
                    }
                    ObjectMap::Referencing(referencing) => {
                        let parent = self
                            .mapping
                            .triples_maps
                            .iter()
                            .find(|m| m.name == referencing.parent);
                        match parent {
                            None => self.problem(
                                None,
                                "referencing object map",
                                format!(
                                    "the parent triples map {} does not exist",
                                    referencing.parent
                                ),
                            ),
                            Some(parent)
                                if referencing.joins.is_empty()
                                    && parent.logical_source != self.map.logical_source =>
                            {
                                self.problem(
                                    None,
                                    "referencing object map",
                                    format!(
                                        "the parent triples map {} reads another logical source, so a join condition is needed (rml:joinCondition)",
                                        referencing.parent
                                    ),
                                );
                            }
                            Some(_) => {}
                        }
                    }
                }
            }
        }
    }

    fn runnable(&mut self, source: &LogicalSource) {
        let message = match (&source.source, &source.reference_formulation) {
            (Source::File(_), None | Some(ReferenceFormulation::JsonPath | ReferenceFormulation::Csv | ReferenceFormulation::XPath { .. })) => return,
            (Source::File(_), Some(other)) => {
                format!("citykg cannot read a file with the reference formulation {other:?}; use JSONPath, CSV or XPath")
            }
            (Source::Database(_), _) => {
                "this logical source is a relational database; citykg runs file and payload sources only (convert it with `citykg mapping convert`, or export the table to CSV)".to_owned()
            }
            (Source::Other(what), _) => {
                format!("citykg cannot read the source {what}; it runs file and payload sources only")
            }
        };
        self.problem(None, "logical source", message);
    }

    /// `citykg:optionalColumn` names CSV columns: on a JSON or XML source it would silently
    /// mean nothing, so it is a problem there.
    fn optional_columns(&mut self, source: &LogicalSource) {
        let Source::File(file) = &source.source else {
            return;
        };
        if file.csv.optional_columns.is_empty() {
            return;
        }
        let extension = file.path.rsplit('.').next().unwrap_or("");
        let csv = match &source.reference_formulation {
            Some(ReferenceFormulation::Csv) => true,
            None => ["csv", "tsv"]
                .iter()
                .any(|csv| extension.eq_ignore_ascii_case(csv)),
            Some(_) => false,
        };
        if !csv {
            self.problem(
                None,
                "logical source",
                format!(
                    "citykg:optionalColumn ({}) applies to CSV sources only",
                    file.csv.optional_columns.join(", ")
                ),
            );
        }
    }

    /// The function exists, gets only parameters it has and every one it needs, and has the
    /// output asked for; then its inputs, which may be functions themselves.
    fn function(&mut self, term_map: &TermMap, execution: &FunctionExecution, what: &str) {
        match &execution.function.expression {
            Expression::Constant(Term::NamedNode(iri)) => {
                let parameters = execution.inputs.iter().map(|i| i.parameter.as_str());
                let output = execution.output.as_ref().map(NamedNode::as_str);
                for problem in functions::check_call(iri.as_str(), parameters, output) {
                    self.problem(Some(term_map), what, problem.to_string());
                }
            }
            Expression::Constant(other) => {
                self.problem(
                    Some(term_map),
                    what,
                    format!("the function must be named by an IRI, found {other}"),
                );
            }
            _ => {}
        }
        for input in &execution.inputs {
            self.term_map(&input.value, Role::Value, "function input");
        }
    }

    fn term_map(&mut self, term_map: &TermMap, role: Role, what: &str) {
        let term_type = term_map.term_type;
        match (&term_map.expression, role, term_type) {
            (_, Role::Subject, Some(TermType::Literal)) => {
                self.problem(
                    Some(term_map),
                    what,
                    "a subject cannot be a literal; remove rml:termType rml:Literal".into(),
                );
            }
            (_, Role::Predicate, Some(t))
                if !matches!(t, TermType::Iri | TermType::Uri | TermType::UnsafeIri) =>
            {
                self.problem(Some(term_map), what, "a predicate must be an IRI".into());
            }
            (_, Role::Graph, Some(TermType::Literal)) => {
                self.problem(
                    Some(term_map),
                    what,
                    "a graph name cannot be a literal".into(),
                );
            }
            (Expression::Constant(constant), _, Some(t)) => {
                let consistent = matches!(
                    (constant, t),
                    (
                        Term::NamedNode(_),
                        TermType::Iri | TermType::Uri | TermType::UnsafeIri
                    ) | (Term::Literal(_), TermType::Literal)
                );
                if !consistent {
                    self.problem(
                        Some(term_map),
                        what,
                        format!("the constant {constant} cannot have the term type {t:?}; remove rml:termType"),
                    );
                }
            }
            (
                Expression::Constant(Term::Literal(_)),
                Role::Subject | Role::Predicate | Role::Graph,
                None,
            ) => {
                self.problem(
                    Some(term_map),
                    what,
                    "this constant must be an IRI, not a literal".into(),
                );
            }
            _ => {}
        }
        let literal_options = term_map.language.is_some() || term_map.datatype.is_some();
        if literal_options
            && (role != Role::Object || matches!(term_type, Some(t) if t != TermType::Literal))
        {
            self.problem(
                Some(term_map),
                what,
                "rml:language and rml:datatype only apply to literal object maps".into(),
            );
        }
        if term_map.language.is_some() && term_map.datatype.is_some() {
            self.problem(
                Some(term_map),
                what,
                "give a language or a datatype, not both".into(),
            );
        }
        if let Some(language) = &term_map.language
            && let Expression::Constant(Term::Literal(tag)) = &language.expression
            && !is_valid_language_tag(tag.value())
        {
            self.problem(
                Some(term_map),
                what,
                format!(
                    "`{}` is not a valid BCP 47 language tag (e.g. en, en-GB)",
                    tag.value()
                ),
            );
        }
        if let Some(datatype) = &term_map.datatype
            && let Expression::Constant(constant) = &datatype.expression
            && !matches!(constant, Term::NamedNode(_))
        {
            self.problem(
                Some(term_map),
                what,
                format!("the datatype {constant} must be an IRI"),
            );
        }
        if let Some(language) = &term_map.language {
            self.term_map(language, Role::Value, "language map");
        }
        if let Some(datatype) = &term_map.datatype {
            self.term_map(datatype, Role::Value, "datatype map");
        }
        if let Expression::Function(execution) = &term_map.expression {
            self.function(term_map, execution, what);
        }
    }
}

/// Well-formed per BCP 47, and not a 5-8 letter primary language subtag: those are reserved for
/// registration and none is registered, so `english` is no more valid than `a-english`.
pub fn is_valid_language_tag(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or("");
    Literal::new_language_tagged_literal("", tag).is_ok()
        && !(primary.len() >= 5 && primary.chars().all(|c| c.is_ascii_alphabetic()))
}
