//! The plan: a checked mapping compiled for running. Triples maps are grouped by source, so each
//! source is read once whatever the number of maps and iterators over it; references are
//! interned per iterator; join parents get an index built in a pass of their own first.

use std::collections::HashMap;

use oxigraph::model::{NamedNode, Term};

use super::EngineError;
use super::gather::{Collection, CompiledGather};
use super::terms::{CompiledExpression, CompiledTermMap, InvalidIri, IriStyle, Kind, Part};
use crate::pipeline::mapping::check::CheckedMapping;
use crate::pipeline::mapping::functions::CallContext;
use crate::pipeline::mapping::model::{
    Expression, LogicalSource, MapName, Mapping, ObjectMap, ReferenceFormulation, Source,
    TemplatePart, TermMap, TermType, TriplesMap,
};
use crate::pipeline::payload::source::FileSource;
use crate::pipeline::payload::{IteratorSpec, PayloadFormat};

mod compile;
mod keys;

use self::compile::Compiler;
use self::keys::mark_keyed;

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

/// Compiles a mapping once; `calls` is what the run declares to its functions.
pub fn build(
    checked: &CheckedMapping,
    base_iri: &str,
    calls: CallContext,
) -> Result<Plan, EngineError> {
    let mapping = checked.mapping();
    let mut output_passes: Vec<SourcePass> = Vec::new();
    let mut index_passes: Vec<SourcePass> = Vec::new();
    let mut joins: Vec<(MapName, Vec<Expression>)> = Vec::new();
    let mut compiler = Compiler {
        mapping,
        base_iri,
        natural: mapping.core_semantics,
        calls,
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
