//! A use case of this instance -> a kit: its description, the registered mappings it uses (built-ins
//! by reference and digest), the shapes its data is checked against, and its sample payloads and
//! named queries as plain files beside the RDF that also carries them.

use std::collections::BTreeSet;
use std::path::Path;

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNodeRef, Term, TermRef, Triple};

use super::manifest::{MappingEntry, NamedFile, SampleEntry};
use super::parts::{self, SamplePart};
use super::{Files, Kit, KitError, Manifest, USE_CASE_JSONLD, USE_CASE_TURTLE};
use crate::catalogue::use_cases::Catalog;
use crate::core::config::BaseIri;
use crate::core::digest::hex_sha256;
use crate::core::ids::{UseCaseId, mapping_id_of, use_case_iri};
use crate::core::vocab as v;
use crate::pipeline::ingest::registry::Registry;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("there is no use case {0}")]
    NotFound(UseCaseId),
    #[error("use case {id} uses mapping {iri}, which is not in this registry")]
    MissingMapping { id: UseCaseId, iri: String },
    #[error("cannot write the kit: {0}")]
    Write(String),
    #[error(transparent)]
    Catalog(#[from] crate::catalogue::use_cases::CatalogError),
    #[error(transparent)]
    Kit(#[from] KitError),
}

pub struct Sources<'a> {
    pub catalog: &'a Catalog,
    pub registry: &'a Registry,
    pub ontologies: &'a Path,
    pub base: &'a BaseIri,
}

/// The kit of use case `id` as `.tar.gz` bytes.
pub fn export(sources: &Sources<'_>, id: &UseCaseId) -> Result<Vec<u8>, ExportError> {
    let quads = sources
        .catalog
        .get(id)?
        .ok_or_else(|| ExportError::NotFound(id.clone()))?;
    let use_case = use_case_iri(sources.base, id);
    let triples: Vec<Triple> = quads.iter().cloned().map(Triple::from).collect();
    let mut files = Files::new();
    files.insert(USE_CASE_TURTLE.to_owned(), turtle(&triples)?);
    let compacted = sources
        .catalog
        .compacted(id)?
        .ok_or_else(|| ExportError::NotFound(id.clone()))?;
    files.insert(
        USE_CASE_JSONLD.to_owned(),
        serde_json::to_vec_pretty(&compacted).map_err(|e| ExportError::Write(e.to_string()))?,
    );

    let mut mappings = Vec::new();
    // The use-case shape, the shapes the assessment checks its data with, and any a mapping
    // validates ingests against.
    let mut shape_names: BTreeSet<String> = ["use-case", "observation", "sensor", "measurement"]
        .map(str::to_owned)
        .into();
    for iri in objects(&triples, use_case.as_ref(), v::USES_MAPPING) {
        let missing = || ExportError::MissingMapping {
            id: id.clone(),
            iri: iri.to_owned(),
        };
        let mapping_id = mapping_id_of(sources.base, iri).ok_or_else(missing)?;
        let (text, syntax) = sources
            .registry
            .text(&mapping_id, None)
            .ok_or_else(missing)?;
        if let Some(registered) = sources.registry.get(&mapping_id) {
            shape_names.extend(registered.shapes.iter().cloned());
        }
        let builtin = mapping_id.is_builtin();
        let file = (!builtin).then(|| format!("mappings/{mapping_id}.{}", syntax.extension()));
        if let Some(file) = &file {
            files.insert(file.clone(), text.as_bytes().to_vec());
        }
        mappings.push(MappingEntry {
            id: mapping_id.to_string(),
            builtin,
            file,
            sha256: hex_sha256(text.as_bytes()),
        });
    }

    let mut shapes = Vec::new();
    for name in shape_names {
        if let Some(text) = crate::standards::shacl::shipped::text(sources.ontologies, &name) {
            let file = format!("shapes/{name}.ttl");
            files.insert(file.clone(), text.into_bytes());
            shapes.push(NamedFile { name, file });
        }
    }

    let mut samples = Vec::new();
    for sample in objects(&triples, use_case.as_ref(), v::SAMPLE_PAYLOAD) {
        let Some(part) = SamplePart::read(&triples, sample, sources.base) else {
            continue;
        };
        let file = format!("samples/{}.{}", part.name, extension(&part.media_type));
        files.insert(file.clone(), part.content.into_bytes());
        samples.push(SampleEntry {
            name: part.name,
            file,
            mapping: part.mapping,
            media_type: part.media_type,
        });
    }

    let mut queries = Vec::new();
    for query in objects(&triples, use_case.as_ref(), v::NAMED_QUERY) {
        let Some((name, text)) = parts::query_part(&triples, query) else {
            continue;
        };
        let file = format!("queries/{name}.rq");
        files.insert(file.clone(), text.into_bytes());
        queries.push(NamedFile { name, file });
    }

    let manifest = Manifest {
        format: super::FORMAT.to_owned(),
        use_case: id.to_string(),
        source_base: sources.base.as_str().to_owned(),
        exported: crate::core::clock::now(),
        generator: concat!("citykg ", env!("CARGO_PKG_VERSION")).to_owned(),
        mappings,
        shapes,
        samples,
        queries,
        files: Default::default(),
    };
    Ok(Kit::to_archive(manifest, files)?)
}

pub(super) fn objects<'a>(
    triples: &'a [Triple],
    subject: NamedNodeRef<'a>,
    predicate: NamedNodeRef<'a>,
) -> impl Iterator<Item = &'a str> + 'a {
    triples.iter().filter_map(move |t| match &t.object {
        Term::NamedNode(object)
            if t.predicate.as_ref() == predicate
                && TermRef::from(t.subject.as_ref()) == TermRef::from(subject) =>
        {
            Some(object.as_str())
        }
        _ => None,
    })
}

fn extension(media_type: &str) -> &'static str {
    match media_type {
        "text/csv" => "csv",
        "application/xml" | "text/xml" => "xml",
        "application/x-ndjson" => "jsonl",
        _ => "json",
    }
}

fn turtle(triples: &[Triple]) -> Result<Vec<u8>, ExportError> {
    let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
    for (prefix, namespace) in v::KIT_PREFIXES {
        serializer = serializer
            .with_prefix(*prefix, *namespace)
            .map_err(|e| ExportError::Write(e.to_string()))?;
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in triples {
        writer
            .serialize_triple(triple)
            .map_err(|e| ExportError::Write(e.to_string()))?;
    }
    writer
        .finish()
        .map_err(|e| ExportError::Write(e.to_string()))
}
