//! The plan: a checked mapping compiled for running. Triples maps are grouped by source, so each
//! source is read once whatever the number of maps and iterators over it; references are
//! interned per iterator; join parents get an index built in a pass of their own first.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, Term};

use super::EngineError;
use super::gather::{Collection, CompiledGather};
use super::terms::{CompiledExpression, CompiledTermMap, InvalidIri, IriStyle, Kind, Part};
use crate::mapping::check::CheckedMapping;
use crate::mapping::model::{
    Expression, FileSource, LogicalSource, MapName, Mapping, ObjectMap, ReferenceFormulation,
    Source, TemplatePart, TermMap, TermType, TriplesMap,
};
use crate::payload::{IteratorSpec, PayloadFormat};

pub struct Plan {
    /// Passes that build join indexes, run before the output passes.
    pub index_passes: Vec<SourcePass>,
    pub output_passes: Vec<SourcePass>,
    pub join_count: usize,
}

/// One read of one source, serving every iterator over it.
pub struct SourcePass {
    pub source: FileSource,
    pub format: PayloadFormat,
    pub iterators: Vec<IteratorPlan>,
}

pub struct IteratorPlan {
    pub spec: IteratorSpec,
    pub null_values: Vec<String>,
    pub maps: Vec<CompiledMap>,
    /// Join indexes this iterator's records feed (index passes only).
    pub index_builders: Vec<IndexBuilder>,
}

pub struct IndexBuilder {
    pub join: usize,
    pub keys: Vec<CompiledTermMap>,
    pub subject: CompiledTermMap,
}

pub struct CompiledMap {
    pub name: MapName,
    pub subject: CompiledTermMap,
    pub classes: Vec<NamedNode>,
    pub subject_graphs: Vec<CompiledTermMap>,
    pub predicate_objects: Vec<CompiledPredicateObject>,
    pub base_iri: String,
    /// Whether this map's subject is the record's own key (see `dedup`): its triples cannot
    /// repeat across records, so they are not remembered.
    pub keyed: bool,
}

pub struct CompiledPredicateObject {
    pub predicates: Vec<CompiledTermMap>,
    pub objects: Vec<CompiledObject>,
    pub graphs: Vec<CompiledTermMap>,
}

pub enum CompiledObject {
    Term(CompiledTermMap),
    /// Parent in the same logical source without join conditions: its subject on this record.
    SameRecord(CompiledTermMap),
    /// Join: this record's child values looked up in join index `join`.
    Join {
        join: usize,
        keys: Vec<CompiledTermMap>,
    },
}

/// Interns the references an iterator's maps use.
#[derive(Default)]
struct References {
    list: Vec<String>,
    index: HashMap<String, usize>,
}

impl References {
    fn intern(&mut self, reference: &str) -> usize {
        if let Some(i) = self.index.get(reference) {
            return *i;
        }
        self.list.push(reference.to_owned());
        self.index.insert(reference.to_owned(), self.list.len() - 1);
        self.list.len() - 1
    }
}

/// Where a logical source's records come from, as a grouping key.
fn source_key(source: &LogicalSource) -> Result<(FileSource, PayloadFormat), EngineError> {
    let Source::File(file) = &source.source else {
        return Err(EngineError::Unsupported(format!("{:?}", source.source)));
    };
    let extension = file
        .path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let format = match (&source.reference_formulation, extension.as_str()) {
        (Some(ReferenceFormulation::JsonPath), "jsonl" | "ndjson") | (None, "jsonl" | "ndjson") => {
            PayloadFormat::JsonLines
        }
        (Some(ReferenceFormulation::JsonPath), _) | (None, "json") => PayloadFormat::Json,
        (Some(ReferenceFormulation::Csv), _) | (None, "csv" | "tsv") => {
            PayloadFormat::Csv(file.csv.clone())
        }
        (Some(ReferenceFormulation::XPath { namespaces }), _) => PayloadFormat::Xml {
            namespaces: namespaces.clone(),
        },
        (None, "xml") => PayloadFormat::Xml {
            namespaces: Vec::new(),
        },
        (other, _) => {
            return Err(EngineError::Unsupported(format!(
                "reference formulation {other:?} for {}",
                file.path
            )));
        }
    };
    Ok((file.clone(), format))
}

pub fn build(checked: &CheckedMapping, base_iri: &str) -> Result<Plan, EngineError> {
    let mapping = checked.mapping();
    let mut output_passes: Vec<SourcePass> = Vec::new();
    let mut index_passes: Vec<SourcePass> = Vec::new();
    let mut joins: Vec<(MapName, Vec<Expression>)> = Vec::new();
    let mut compiler = Compiler {
        mapping,
        base_iri,
        natural: mapping.core_semantics,
    };

    // Output passes: every triples map, grouped by source then by iterator.
    let mut references: HashMap<(usize, usize), References> = HashMap::new();
    for map in &mapping.triples_maps {
        let (pass, iterator) = slot(&mut output_passes, &map.logical_source)?;
        let refs = references.entry((pass, iterator)).or_default();
        let compiled = compiler.triples_map(map, refs, &mut joins, &mut index_passes)?;
        if let Some(plan) = output_passes
            .get_mut(pass)
            .and_then(|p| p.iterators.get_mut(iterator))
        {
            plan.maps.push(compiled);
        }
    }
    for ((pass, iterator), refs) in references {
        if let Some(plan) = output_passes
            .get_mut(pass)
            .and_then(|p| p.iterators.get_mut(iterator))
        {
            plan.spec.references = refs.list;
        }
    }
    for pass in &mut output_passes {
        for iterator in &mut pass.iterators {
            mark_keyed(&mut iterator.maps);
        }
    }
    Ok(Plan {
        index_passes,
        output_passes,
        join_count: joins.len(),
    })
}

/// The pass and iterator slot for a logical source, created when new.
fn slot(
    passes: &mut Vec<SourcePass>,
    source: &LogicalSource,
) -> Result<(usize, usize), EngineError> {
    let (file, format) = source_key(source)?;
    let pass = match passes
        .iter()
        .position(|p| p.source == file && p.format == format)
    {
        Some(i) => i,
        None => {
            passes.push(SourcePass {
                source: file,
                format,
                iterators: Vec::new(),
            });
            passes.len() - 1
        }
    };
    let Some(pass_ref) = passes.get_mut(pass) else {
        return Err(EngineError::Unsupported("internal: missing pass".into()));
    };
    let iterator = match pass_ref
        .iterators
        .iter()
        .position(|i| i.spec.iterator == source.iterator && i.null_values == source.null_values)
    {
        Some(i) => i,
        None => {
            pass_ref.iterators.push(IteratorPlan {
                spec: IteratorSpec {
                    iterator: source.iterator.clone(),
                    references: Vec::new(),
                },
                null_values: source.null_values.clone(),
                maps: Vec::new(),
                index_builders: Vec::new(),
            });
            pass_ref.iterators.len() - 1
        }
    };
    Ok((pass, iterator))
}

/// Record-key analysis, per iterator, on the sets of references subject maps use. A map is
/// "keyed" (one entity per record, so its triples cannot repeat across records) when its set is
/// maximal (no other map's set strictly contains it) and not empty, and either it is the only
/// maximal set or it strictly contains another map's set: an observation `{sensor}/{time}` next
/// to its sensor `{sensor}` is finer than the sensor, so the record is its key. Maps whose sets
/// are incomparable (a sensor `{id}` and its district `{district}` in one registry row) say
/// nothing about which one is per record, so all of them are remembered. The others (a sensor
/// described with each of its messages, a constant property) are remembered too. When the
/// assumption is wrong (a payload repeats a record) the repeats are caught only within the
/// recent window, see `dedup`.
fn mark_keyed(maps: &mut [CompiledMap]) {
    let sets: Vec<Vec<usize>> = maps
        .iter()
        .map(|m| subject_references(&m.subject))
        .collect();
    let strictly_within = |small: &Vec<usize>, large: &Vec<usize>| {
        small.len() < large.len() && small.iter().all(|r| large.contains(r))
    };
    let maximal: Vec<&Vec<usize>> = sets
        .iter()
        .filter(|set| !set.is_empty() && !sets.iter().any(|other| strictly_within(set, other)))
        .collect();
    let mut distinct_maximal = maximal.clone();
    distinct_maximal.sort();
    distinct_maximal.dedup();
    for (map, set) in maps.iter_mut().zip(&sets) {
        map.keyed = maximal.contains(&set)
            && (distinct_maximal.len() == 1
                || sets.iter().any(|other| strictly_within(other, set)));
    }
}

fn subject_references(term_map: &CompiledTermMap) -> Vec<usize> {
    let mut refs = match &term_map.expression {
        CompiledExpression::Reference(i) => vec![*i],
        CompiledExpression::Template(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Part::Reference(i) => Some(*i),
                Part::Text(_) => None,
            })
            .collect(),
        // Unknown shape: never treat as a key.
        CompiledExpression::Function(_)
        | CompiledExpression::Constant(_)
        | CompiledExpression::FreshBlankNode => Vec::new(),
    };
    refs.sort_unstable();
    refs.dedup();
    refs
}

/// Whether an IRI-safe template makes a valid absolute IRI whatever its values: it starts with
/// a scheme, and the IRI is valid with every kind of encoded value in each reference (empty,
/// unreserved text, a percent-encoded byte, a non-ASCII character). Encoded values can only be
/// made of those, so each record's IRI needs no parsing.
fn template_always_valid(template: &crate::mapping::model::Template) -> bool {
    let Some(TemplatePart::Text(first)) = template.parts.first() else {
        return false;
    };
    if !first.contains(':') || first.split(':').next().is_none_or(|s| s.contains('/')) {
        return false;
    }
    ["", "x", "%41", "\u{e9}", "a.b~c_d-e"]
        .iter()
        .all(|sample| {
            let iri: String = template
                .parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Text(text) => text.as_str(),
                    TemplatePart::Reference(_) => sample,
                })
                .collect();
            oxiri::Iri::parse(iri.as_str()).is_ok()
        })
}

struct Compiler<'m> {
    mapping: &'m Mapping,
    base_iri: &'m str,
    natural: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Position {
    Subject,
    Predicate,
    Object,
    Graph,
    Value,
}

impl<'m> Compiler<'m> {
    fn triples_map(
        &mut self,
        map: &'m TriplesMap,
        refs: &mut References,
        joins: &mut Vec<(MapName, Vec<Expression>)>,
        index_passes: &mut Vec<SourcePass>,
    ) -> Result<CompiledMap, EngineError> {
        let label = |what: &str| format!("triples map {}, {what}", map.name);
        let subject = self.term_map(
            &map.subject.term,
            Position::Subject,
            refs,
            label("subject map"),
        )?;
        let mut subject_graphs = Vec::new();
        for graph in &map.subject.graphs {
            subject_graphs.push(self.term_map(graph, Position::Graph, refs, label("graph map"))?);
        }
        let mut predicate_objects = Vec::new();
        for pom in &map.predicate_object_maps {
            let mut predicates = Vec::new();
            for p in &pom.predicates {
                predicates.push(self.term_map(
                    p,
                    Position::Predicate,
                    refs,
                    label("predicate map"),
                )?);
            }
            let mut graphs = Vec::new();
            for g in &pom.graphs {
                graphs.push(self.term_map(g, Position::Graph, refs, label("graph map"))?);
            }
            let mut objects = Vec::new();
            for object in &pom.objects {
                objects.push(match object {
                    ObjectMap::Term(t) => CompiledObject::Term(self.term_map(
                        t,
                        Position::Object,
                        refs,
                        label("object map"),
                    )?),
                    ObjectMap::Referencing(r) => {
                        let Some(parent) = self
                            .mapping
                            .triples_maps
                            .iter()
                            .find(|m| m.name == r.parent)
                        else {
                            return Err(EngineError::Unsupported(format!(
                                "missing parent {}",
                                r.parent
                            )));
                        };
                        if r.joins.is_empty() {
                            CompiledObject::SameRecord(self.term_map(
                                &parent.subject.term,
                                Position::Subject,
                                refs,
                                label("referencing object map"),
                            )?)
                        } else {
                            let parent_keys: Vec<Expression> =
                                r.joins.iter().map(|j| j.parent.clone()).collect();
                            let key = (parent.name.clone(), parent_keys);
                            let join = match joins.iter().position(|k| *k == key) {
                                Some(join) => join,
                                None => {
                                    let join = joins.len();
                                    joins.push(key);
                                    self.index_builder(
                                        parent,
                                        r.joins.iter().map(|j| &j.parent),
                                        join,
                                        index_passes,
                                    )?;
                                    join
                                }
                            };
                            let mut keys = Vec::new();
                            for condition in &r.joins {
                                keys.push(self.expression_map(
                                    &condition.child,
                                    refs,
                                    label("join condition (child)"),
                                )?);
                            }
                            CompiledObject::Join { join, keys }
                        }
                    }
                });
            }
            predicate_objects.push(CompiledPredicateObject {
                predicates,
                objects,
                graphs,
            });
        }
        Ok(CompiledMap {
            name: map.name.clone(),
            subject,
            classes: map.subject.classes.clone(),
            subject_graphs,
            predicate_objects,
            base_iri: map
                .base_iri
                .clone()
                .unwrap_or_else(|| self.base_iri.to_owned()),
            keyed: false,
        })
    }

    fn index_builder<'e>(
        &mut self,
        parent: &'m TriplesMap,
        keys: impl Iterator<Item = &'e Expression>,
        join: usize,
        index_passes: &mut Vec<SourcePass>,
    ) -> Result<(), EngineError> {
        let (pass, iterator) = slot(index_passes, &parent.logical_source)?;
        let Some(plan) = index_passes
            .get_mut(pass)
            .and_then(|p| p.iterators.get_mut(iterator))
        else {
            return Err(EngineError::Unsupported(
                "internal: missing index slot".into(),
            ));
        };
        let mut refs = References::default();
        for existing in &plan.spec.references {
            refs.intern(existing);
        }
        let label = format!("triples map {}, join condition (parent)", parent.name);
        let mut compiled_keys = Vec::new();
        for key in keys {
            compiled_keys.push(self.expression_map(key, &mut refs, label.clone())?);
        }
        let subject = self.term_map(
            &parent.subject.term,
            Position::Subject,
            &mut refs,
            format!("triples map {}, subject map", parent.name),
        )?;
        plan.spec.references = refs.list;
        plan.index_builders.push(IndexBuilder {
            join,
            keys: compiled_keys,
            subject,
        });
        Ok(())
    }

    fn expression_map(
        &mut self,
        expression: &Expression,
        refs: &mut References,
        label: String,
    ) -> Result<CompiledTermMap, EngineError> {
        self.term_map(
            &TermMap::of(expression.clone()),
            Position::Value,
            refs,
            label,
        )
    }

    fn term_map(
        &mut self,
        map: &TermMap,
        position: Position,
        refs: &mut References,
        label: String,
    ) -> Result<CompiledTermMap, EngineError> {
        let term_type = map.term_type.unwrap_or(match (position, &map.expression) {
            (Position::Subject | Position::Predicate | Position::Graph, _) => TermType::Iri,
            (Position::Value, _) => TermType::Literal,
            (Position::Object, Expression::Constant(Term::Literal(_))) => TermType::Literal,
            (Position::Object, Expression::Constant(Term::BlankNode(_))) => TermType::BlankNode,
            (Position::Object, _) if map.language.is_some() || map.datatype.is_some() => {
                TermType::Literal
            }
            (Position::Object, Expression::Reference(_) | Expression::Function(_)) => {
                TermType::Literal
            }
            (Position::Object, _) => TermType::Iri,
        });
        let kind = match term_type {
            TermType::Iri => Kind::Iri(IriStyle::Safe),
            TermType::Uri => Kind::Iri(IriStyle::Uri),
            TermType::UnsafeIri => Kind::Iri(IriStyle::Unsafe),
            TermType::BlankNode => Kind::BlankNode,
            TermType::Literal => Kind::Literal {
                language: match &map.language {
                    Some(l) => Some(Box::new(self.term_map(
                        l,
                        Position::Value,
                        refs,
                        label.clone(),
                    )?)),
                    None => None,
                },
                datatype: match &map.datatype {
                    Some(d) => Some(Box::new(self.term_map(
                        d,
                        Position::Value,
                        refs,
                        label.clone(),
                    )?)),
                    None => None,
                },
                natural: self.natural,
            },
        };
        let expression = match &map.expression {
            // A constant with a language or datatype of its own (rml:constant "x" + rml:language).
            Expression::Constant(Term::Literal(l))
                if map.language.is_some() || map.datatype.is_some() =>
            {
                CompiledExpression::Template(vec![Part::Text(l.value().to_owned())])
            }
            Expression::Constant(term) => CompiledExpression::Constant(term.clone()),
            Expression::Reference(r) => CompiledExpression::Reference(refs.intern(r)),
            Expression::Absent => CompiledExpression::FreshBlankNode,
            Expression::Template(t) => CompiledExpression::Template(
                t.parts
                    .iter()
                    .map(|p| match p {
                        TemplatePart::Text(text) => Part::Text(text.clone()),
                        TemplatePart::Reference(r) => Part::Reference(refs.intern(r)),
                    })
                    .collect(),
            ),
            Expression::Function(execution) => {
                let compiled =
                    super::functions::compile(execution, &mut |m: &TermMap, what: &str| {
                        self.term_map(m, Position::Value, refs, format!("{label}, {what}"))
                    })?;
                CompiledExpression::Function(Box::new(compiled))
            }
        };
        let gather = match &map.gather {
            None => None,
            Some(gather) => {
                let collection = Collection::from_iri(&gather.gather_as).ok_or_else(|| {
                    EngineError::Unsupported(format!(
                        "{label}: rml:gatherAs {} (use rdf:List, rdf:Bag, rdf:Seq or rdf:Alt)",
                        gather.gather_as
                    ))
                })?;
                let mut members = Vec::new();
                for member in &gather.maps {
                    members.push(self.term_map(
                        member,
                        Position::Object,
                        refs,
                        format!("{label}, gathered term map"),
                    )?);
                }
                Some(Box::new(CompiledGather {
                    members,
                    collection,
                    strategy: gather.strategy,
                    allow_empty: gather.allow_empty,
                }))
            }
        };
        let invalid_iri = if self.natural {
            InvalidIri::Error
        } else {
            InvalidIri::Skip
        };
        let iri_checked = matches!(kind, Kind::Iri(IriStyle::Safe | IriStyle::Uri))
            && matches!(&map.expression, Expression::Template(t) if template_always_valid(t));
        Ok(CompiledTermMap {
            expression,
            kind,
            label,
            invalid_iri,
            iri_checked,
            gather,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyed(subjects: &[&[usize]]) -> Vec<bool> {
        let mut maps: Vec<CompiledMap> = subjects
            .iter()
            .map(|refs| CompiledMap {
                name: MapName::Blank("m".into()),
                subject: CompiledTermMap {
                    expression: CompiledExpression::Template(
                        refs.iter().map(|r| Part::Reference(*r)).collect(),
                    ),
                    kind: Kind::Iri(IriStyle::Safe),
                    label: String::new(),
                    invalid_iri: InvalidIri::Error,
                    iri_checked: false,
                    gather: None,
                },
                classes: Vec::new(),
                subject_graphs: Vec::new(),
                predicate_objects: Vec::new(),
                base_iri: String::new(),
                keyed: false,
            })
            .collect();
        mark_keyed(&mut maps);
        maps.iter().map(|m| m.keyed).collect()
    }

    #[test]
    fn the_record_key_is_the_finest_subject() {
        // TTN: observations {device, time} x3, sensor {device}, property (constant).
        assert_eq!(
            keyed(&[&[0, 1], &[0, 1], &[0], &[]]),
            [true, true, false, false]
        );
        // NGSI-v2: each observation has its own time reference; all finer than the sensor.
        assert_eq!(
            keyed(&[&[0, 1], &[0, 2], &[0, 3], &[0], &[]]),
            [true, true, true, false, false]
        );
        // A registry row: sensor {id} and district {district} are incomparable: remember both.
        assert_eq!(keyed(&[&[0], &[0], &[1]]), [false, false, false]);
        // One map alone over a source: its subject is the record's key.
        assert_eq!(keyed(&[&[0, 1]]), [true]);
        // A constant subject is never a key.
        assert_eq!(keyed(&[&[]]), [false]);
    }
}
