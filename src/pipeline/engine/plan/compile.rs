//! Term maps, objects, joins and gather maps compiled against an iterator's interned references.

use super::*;

/// Whether an IRI-safe template makes a valid absolute IRI whatever its values: it starts with
/// a scheme, and the IRI is valid with every kind of encoded value in each reference (empty,
/// unreserved text, a percent-encoded byte, a non-ASCII character). Encoded values can only be
/// made of those, so each record's IRI needs no parsing.
fn template_always_valid(template: &crate::pipeline::mapping::model::Template) -> bool {
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

pub(super) struct Compiler<'m> {
    pub(super) mapping: &'m Mapping,
    pub(super) base_iri: &'m str,
    pub(super) natural: bool,
    pub(super) calls: CallContext,
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
    pub(super) fn triples_map(
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
                let compiled = crate::pipeline::engine::functions::compile(
                    execution,
                    self.calls,
                    label.clone(),
                    &mut |m: &TermMap, what: &str| {
                        self.term_map(m, Position::Value, refs, format!("{label}, {what}"))
                    },
                )?;
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
