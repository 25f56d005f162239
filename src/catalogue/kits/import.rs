//! A kit from another instance -> this one, all or nothing: every part is checked (the use case
//! against the use-case shape, each mapping through the registry's checks, which refuse sources
//! outside the payload and reference data, each sample payload run through its mapping, each
//! query parsed) and only a kit without problems is installed. IRIs under the exporting
//! instance's base are rebased onto this one's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::storage::{Cause, Origin, Storage};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use serde::Serialize;

use super::export::objects;
use super::journal::{Journal, Pending};
use super::parts::{self, SamplePart};
use super::{Kit, KitError, KitProblem, USE_CASE_TURTLE};
use crate::catalogue::use_cases::{Catalog, CatalogError, InputSyntax};
use crate::core::config::BaseIri;
use crate::core::digest::hex_sha256;
use crate::core::ids::MappingId;
use crate::core::ids::{UseCaseId, use_case_iri};
use crate::core::vocab as v;
use crate::pipeline::ingest::model::RegisteredMapping;
use crate::pipeline::ingest::registry::meta::MappingSyntax;
use crate::pipeline::ingest::registry::{PutOptions, Registry, RegistryError};
use crate::pipeline::ingest::run::{self, PayloadKind};

pub struct Target<'a> {
    pub catalog: &'a Catalog,
    pub registry: &'a Registry,
    pub store: &'a Storage,
    pub base: &'a BaseIri,
    pub ontologies: &'a Path,
    pub reference_data: Option<PathBuf>,
    /// Recorded as the author of the mappings the kit installs.
    pub author: &'a str,
    /// Where the record of an import in progress is kept (`None`: a memory store).
    pub journal_folder: Option<PathBuf>,
    /// Cancelled at the import's time limit: the checks stop, nothing is installed.
    pub stop: oxigraph::sparql::CancellationToken,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Kit(#[from] KitError),
    #[error("a use case {0} exists here; delete it first or import the kit elsewhere")]
    Exists(UseCaseId),
    #[error(transparent)]
    Registry(#[from] RegistryError),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error("cannot record the import in progress: {0}")]
    Journal(std::io::Error),
    #[error("the import was stopped at its time limit; nothing was installed")]
    Stopped,
}

/// What an import installed, and what it noticed without refusing the kit.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Imported {
    pub use_case: String,
    pub iri: String,
    pub mappings_installed: Vec<String>,
    pub mappings_already_present: Vec<String>,
    pub samples_checked: usize,
    pub queries_checked: usize,
    pub warnings: Vec<KitProblem>,
}

/// A registered mapping of the kit, checked and ready to install.
struct NewMapping {
    id: MappingId,
    text: String,
    syntax: MappingSyntax,
    registered: RegisteredMapping,
}

/// Checks the kit whole, then installs its mappings and its use case. Blocking.
pub fn import(target: &Target<'_>, kit: &Kit) -> Result<Imported, ImportError> {
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let id = match UseCaseId::parse(&kit.manifest.use_case) {
        Ok(id) => id,
        Err(e) => {
            return Err(KitError::Invalid(vec![KitProblem::new(super::MANIFEST, e.0)]).into());
        }
    };
    if target.catalog.get(&id)?.is_some() {
        return Err(ImportError::Exists(id));
    }

    let (new_mappings, present) = check_mappings(target, kit, &mut problems, &mut warnings)?;
    check_shapes(target, kit, &mut problems, &mut warnings);
    let triples = match rebased_use_case(kit, target.base) {
        Ok(triples) => triples,
        Err(problem) => {
            problems.push(problem);
            Vec::new()
        }
    };
    check_parts_match_files(kit, &triples, &id, target.base, &mut problems);
    let samples_checked = check_samples(target, kit, &new_mappings, &mut problems);
    let queries_checked = check_queries(kit, &mut problems);

    let kit_mappings: Vec<String> = new_mappings
        .iter()
        .map(|m| crate::core::ids::mapping_iri(target.base, &m.id).into_string())
        .collect();
    let mapping_exists =
        |iri: &str| kit_mappings.iter().any(|m| m == iri) || target.registry.knows_iri(iri);
    let prepared = if triples.is_empty() {
        None
    } else {
        match target.catalog.prepare(
            &ntriples(&triples),
            InputSyntax::Turtle,
            Some(&id),
            &mapping_exists,
        ) {
            Ok(prepared) => Some(prepared),
            Err(CatalogError::Invalid { problems: found }) => {
                problems.extend(found.into_iter().map(|p| {
                    let at = [p.focus_node, p.path, p.value]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let message = if at.is_empty() {
                        p.message
                    } else {
                        format!("{} ({at})", p.message)
                    };
                    KitProblem::new(USE_CASE_TURTLE, message)
                }));
                None
            }
            Err(CatalogError::Syntax { message }) => {
                problems.push(KitProblem::new(USE_CASE_TURTLE, message));
                None
            }
            Err(other) => return Err(other.into()),
        }
    };
    let Some(prepared) = prepared.filter(|_| problems.is_empty()) else {
        return Err(KitError::Invalid(problems).into());
    };
    if target.stop.is_cancelled() {
        return Err(ImportError::Stopped);
    }

    let outcome = install(target, &new_mappings, &prepared)?;
    Ok(Imported {
        use_case: outcome.id.to_string(),
        iri: outcome.iri.as_str().to_owned(),
        mappings_installed: new_mappings.iter().map(|m| m.id.to_string()).collect(),
        mappings_already_present: present,
        samples_checked,
        queries_checked,
        warnings,
    })
}

/// One import installs at a time, so that one's undo never removes another's mappings.
static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Installs the checked mappings, then the use case: all or nothing. A failure undoes the
/// mappings installed so far; a crash is undone at the next start (`journal::recover`).
fn install(
    target: &Target<'_>,
    new_mappings: &[NewMapping],
    prepared: &crate::catalogue::use_cases::Prepared,
) -> Result<crate::catalogue::use_cases::PutOutcome, ImportError> {
    let _one_at_a_time = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    let journal = Journal::begin(
        target.journal_folder.as_deref(),
        &Pending {
            use_case: prepared.id.to_string(),
            mappings: new_mappings.iter().map(|m| m.id.to_string()).collect(),
        },
    )
    .map_err(ImportError::Journal)?;
    let mut installed: Vec<&MappingId> = Vec::new();
    let outcome = new_mappings
        .iter()
        .try_for_each(|mapping| {
            target.registry.put(
                &mapping.id,
                &mapping.text,
                mapping.syntax,
                target.author,
                &PutOptions::default(),
            )?;
            installed.push(&mapping.id);
            Ok(())
        })
        .and_then(|()| {
            let cause = Cause::new(target.author, Origin::Kit);
            target
                .catalog
                .put(prepared, true, cause)
                .map_err(|e| match e {
                    CatalogError::Exists(id) => ImportError::Exists(id),
                    other => ImportError::Catalog(other),
                })
        });
    if outcome.is_err() {
        for id in installed {
            if let Err(error) = target.registry.delete(id, target.author) {
                // The journal stays, so the next start removes it.
                tracing::error!(%id, %error, "cannot undo a mapping of a failed kit import");
                return outcome;
            }
        }
    }
    journal.end().map_err(ImportError::Journal)?;
    outcome
}

/// Registered mappings go through every registry check; one that already exists here must be
/// the same text. Built-ins must exist here; a different built-in text is only a warning.
fn check_mappings(
    target: &Target<'_>,
    kit: &Kit,
    problems: &mut Vec<KitProblem>,
    warnings: &mut Vec<KitProblem>,
) -> Result<(Vec<NewMapping>, Vec<String>), ImportError> {
    let mut new = Vec::new();
    let mut present = Vec::new();
    for entry in &kit.manifest.mappings {
        let file = entry
            .file
            .clone()
            .unwrap_or_else(|| "citykg-kit.json".to_owned());
        let id = match MappingId::parse(&entry.id) {
            Ok(id) => id,
            Err(e) => {
                problems.push(KitProblem::new(file, e.0));
                continue;
            }
        };
        if entry.builtin || id.is_builtin() {
            match target.registry.text(&id, None) {
                None => problems.push(KitProblem::new(
                    file,
                    format!("uses built-in mapping {id}, which this citykg does not ship"),
                )),
                Some((text, _)) if hex_sha256(text.as_bytes()) != entry.sha256 => {
                    warnings.push(KitProblem::new(
                        file,
                        format!("built-in mapping {id} differs from the exporter's version; this instance's is used"),
                    ));
                    present.push(id.to_string());
                }
                Some(_) => present.push(id.to_string()),
            }
            continue;
        }
        let Some(path) = entry.file.as_deref() else {
            problems.push(KitProblem::new(
                file,
                format!("registered mapping {id} has no file in the kit"),
            ));
            continue;
        };
        let text = match kit.text(path) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let syntax = match path.rsplit('.').next() {
            Some("ttl") => MappingSyntax::Rml,
            Some("yml" | "yaml") => MappingSyntax::Yarrrml,
            _ => {
                problems.push(KitProblem::new(
                    path,
                    "is neither RML Turtle (.ttl) nor YARRRML (.yml)",
                ));
                continue;
            }
        };
        if let Some((existing, _)) = target.registry.text(&id, None) {
            if *existing == *text {
                present.push(id.to_string());
            } else {
                problems.push(KitProblem::new(
                    path,
                    format!("mapping {id} exists here with other content; rename it in the kit or delete it here"),
                ));
            }
            continue;
        }
        match target
            .registry
            .prepare(&id, text, syntax, &PutOptions::default())
        {
            Ok(prepared) => new.push(NewMapping {
                id,
                text: text.to_owned(),
                syntax,
                registered: prepared.mapping,
            }),
            Err(RegistryError::Invalid { problems: found }) => {
                problems.extend(found.iter().map(|d| KitProblem::new(path, d.to_string())))
            }
            Err(RegistryError::ReservedId(_) | RegistryError::UnknownShapes { .. }) => {
                problems.push(KitProblem::new(path, "has a reserved id or unknown shapes"));
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok((new, present))
}

/// Shapes cannot be installed (the shipped ones are what ingest validates with): each must
/// parse, and one that differs from this instance's shipped set of that name is a warning.
fn check_shapes(
    target: &Target<'_>,
    kit: &Kit,
    problems: &mut Vec<KitProblem>,
    warnings: &mut Vec<KitProblem>,
) {
    for shape in &kit.manifest.shapes {
        let Ok(text) = kit.text(&shape.file) else {
            continue;
        };
        if let Err(e) = crate::standards::shacl::Shapes::from_turtle(text, None) {
            problems.push(KitProblem::new(&shape.file, e.to_string()));
            continue;
        }
        match crate::standards::shacl::shipped::text(target.ontologies, &shape.name) {
            Some(local) if local == text => {}
            Some(_) => warnings.push(KitProblem::new(
                &shape.file,
                format!(
                    "differs from this instance's `{}` shapes, which are used",
                    shape.name
                ),
            )),
            None => warnings.push(KitProblem::new(
                &shape.file,
                format!(
                    "this instance has no `{}` shapes; kept in the kit only",
                    shape.name
                ),
            )),
        }
    }
}

/// `use-case.ttl` parsed, every IRI under the exporter's base moved under ours.
fn rebased_use_case(kit: &Kit, base: &BaseIri) -> Result<Vec<Triple>, KitProblem> {
    let text = kit.text(USE_CASE_TURTLE)?;
    let from = kit.manifest.source_base.as_str();
    let parser = RdfParser::from_format(RdfFormat::Turtle)
        .with_base_iri(from)
        .map_err(|e| KitProblem::new(super::MANIFEST, format!("sourceBase: {e}")))?;
    let rebase = |iri: &NamedNode| match iri.as_str().strip_prefix(from) {
        Some(rest) => NamedNode::new(base.join(rest)).unwrap_or_else(|_| iri.clone()),
        None => iri.clone(),
    };
    let mut triples = Vec::new();
    for quad in parser.for_slice(text.as_bytes()) {
        let quad = quad.map_err(|e| {
            KitProblem::new(
                USE_CASE_TURTLE,
                crate::storage::bulk::describe_parse_error(&e.into()),
            )
        })?;
        let subject = match quad.subject {
            NamedOrBlankNode::NamedNode(n) => NamedOrBlankNode::NamedNode(rebase(&n)),
            other => other,
        };
        let object = match quad.object {
            Term::NamedNode(n) => Term::NamedNode(rebase(&n)),
            other => other,
        };
        triples.push(Triple::new(subject, quad.predicate, object));
    }
    Ok(triples)
}

/// The samples and queries in the RDF are what gets stored; the files must say the same.
fn check_parts_match_files(
    kit: &Kit,
    triples: &[Triple],
    id: &UseCaseId,
    base: &BaseIri,
    problems: &mut Vec<KitProblem>,
) {
    let use_case = use_case_iri(base, id);
    let samples: BTreeMap<String, SamplePart> =
        objects(triples, use_case.as_ref(), v::SAMPLE_PAYLOAD)
            .filter_map(|node| SamplePart::read(triples, node, base))
            .map(|part| (part.name.clone(), part))
            .collect();
    for entry in &kit.manifest.samples {
        let same = samples.get(&entry.name).is_some_and(|part| {
            kit.text(&entry.file).is_ok_and(|text| text == part.content)
                && part.mapping == entry.mapping
                && part.media_type == entry.media_type
        });
        if !same {
            problems.push(KitProblem::new(
                &entry.file,
                format!("does not match sample `{}` of the use case", entry.name),
            ));
        }
    }
    let queries: BTreeMap<String, String> = objects(triples, use_case.as_ref(), v::NAMED_QUERY)
        .filter_map(|node| parts::query_part(triples, node))
        .collect();
    for entry in &kit.manifest.queries {
        let same = queries
            .get(&entry.name)
            .is_some_and(|text| kit.text(&entry.file).is_ok_and(|file| file == text));
        if !same {
            problems.push(KitProblem::new(
                &entry.file,
                format!("does not match query `{}` of the use case", entry.name),
            ));
        }
    }
}

/// Each sample must map through its mapping (the kit's or one here) to at least one quad.
fn check_samples(
    target: &Target<'_>,
    kit: &Kit,
    new_mappings: &[NewMapping],
    problems: &mut Vec<KitProblem>,
) -> usize {
    let context = run::Context {
        store: target.store,
        base: target.base,
        reference_data: target.reference_data.clone(),
        ontologies: target.ontologies.to_path_buf(),
        inflate_limit: crate::core::config::DEFAULT_MAX_BODY_BYTES as u64,
        stop: target.stop.clone(),
    };
    let mut checked = 0;
    for sample in &kit.manifest.samples {
        let Ok(bytes) = kit.text(&sample.file) else {
            continue;
        };
        let Some(kind) = PayloadKind::from_media_type(&sample.media_type) else {
            problems.push(KitProblem::new(
                &sample.file,
                format!("media type {} is not one ingest reads", sample.media_type),
            ));
            continue;
        };
        let here = MappingId::parse(&sample.mapping)
            .ok()
            .and_then(|id| target.registry.get(&id));
        let mapping = new_mappings
            .iter()
            .find(|m| m.id.as_str() == sample.mapping)
            .map(|m| &m.registered)
            .or(here.as_deref());
        let Some(mapping) = mapping else {
            problems.push(KitProblem::new(
                &sample.file,
                format!(
                    "is for mapping {}, which neither the kit nor this instance has",
                    sample.mapping
                ),
            ));
            continue;
        };
        let payload = run::Payload {
            bytes: bytes.as_bytes(),
            kind,
            charset: None,
            zone: None,
        };
        match run::preview(&context, mapping, &payload) {
            Ok(mapped) if mapped.quads.is_empty() => problems.push(KitProblem::new(
                &sample.file,
                format!("maps to no data through {}", sample.mapping),
            )),
            Ok(_) => checked += 1,
            Err(e) => problems.push(KitProblem::new(
                &sample.file,
                format!("does not map through {}: {e}", sample.mapping),
            )),
        }
    }
    checked
}

fn check_queries(kit: &Kit, problems: &mut Vec<KitProblem>) -> usize {
    let mut checked = 0;
    for query in &kit.manifest.queries {
        let Ok(text) = kit.text(&query.file) else {
            continue;
        };
        // The service's own parse path (nesting bounded, a large stack). Whether a SERVICE
        // call may go out is decided when the query runs, against that instance's allow-list.
        match crate::standards::sparql::parse_query(
            text,
            None,
            &crate::core::config::AllowList::default(),
        ) {
            Ok(_)
            | Err(
                crate::standards::sparql::SparqlError::OutboundRefused { .. }
                | crate::standards::sparql::SparqlError::VariableService,
            ) => checked += 1,
            Err(e) => problems.push(KitProblem::new(&query.file, e.to_string())),
        }
    }
    checked
}

fn ntriples(triples: &[Triple]) -> String {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    for triple in triples {
        // Writing to a Vec cannot fail.
        let _ = writer.serialize_triple(triple);
    }
    String::from_utf8(writer.finish().unwrap_or_default()).unwrap_or_default()
}
