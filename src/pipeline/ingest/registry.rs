//! The mapping registry: upload (parse, check, sources, lint, all problems at once), versions,
//! read-only built-ins, persistence under `<location>/mappings/` (memory only on a memory store)
//! and the RDF mirror in `graph/mappings`. No HTTP types; `put` and `delete` do blocking I/O
//! and store work, so async callers run them on the blocking pool.

pub mod builtins;
pub mod files;
pub mod graph;
pub mod meta;
pub mod sources;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use crate::storage::{Storage, StoreError};
use oxigraph::model::NamedNode;

use self::files::Files;
use self::meta::{LintWarning, MappingMeta, MappingSyntax, VersionMeta};
use super::lint::{self, Vocabulary};
use super::model::{RegisteredMapping, ValidationPolicy};
use crate::core::config::{BaseIri, Settings, StoreLocation};
use crate::core::graphs;
use crate::core::ids::MappingId;
use crate::pipeline::mapping::check::{self, Purpose};
use crate::pipeline::mapping::{self, Diagnostic, Location};

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    #[error("the mapping has {} problem(s)", problems.len())]
    Invalid { problems: Vec<Diagnostic> },
    #[error("{0} is a built-in mapping and cannot be changed")]
    ReadOnly(MappingId),
    #[error("no mapping {0}")]
    NotFound(MappingId),
    #[error("the id {0} is reserved: it ends in a path the API uses (/preview, /versions/N)")]
    ReservedId(MappingId),
    #[error("unknown shape set {name:?}; known: {known}")]
    UnknownShapes { name: String, known: String },
    #[error("built-in mapping {id}: {problems}")]
    Builtin { id: String, problems: String },
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the registry file {path} is damaged: {source}")]
    Meta {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error(
        "the stored mapping {id} could not be read when the server started ({reason}); \
         repair or remove its folder under the mappings folder and restart"
    )]
    Damaged { id: String, reason: String },
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// Per-upload choices; `None` keeps the previous version's choice (or the default).
#[derive(Debug, Clone, Default)]
pub struct PutOptions {
    pub validation: Option<ValidationPolicy>,
    pub shapes: Option<Vec<String>>,
    pub target_graph: Option<NamedNode>,
}

/// A mapping that passed every check, not stored: what `put` stores and a preview runs.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub mapping: RegisteredMapping,
    pub sources: Vec<String>,
    pub warnings: Vec<LintWarning>,
}

/// What `put` did.
#[derive(Debug, Clone)]
pub struct PutOutcome {
    pub created: bool,
    pub meta: MappingMeta,
}

struct Version {
    text: Arc<str>,
    registered: Arc<RegisteredMapping>,
}

struct Entry {
    meta: MappingMeta,
    versions: BTreeMap<u32, Version>,
}

pub struct Registry {
    store: Storage,
    base: BaseIri,
    graph: NamedNode,
    ontologies: PathBuf,
    reference_data: Option<PathBuf>,
    files: Option<Files>,
    entries: RwLock<BTreeMap<MappingId, Entry>>,
    /// Stored mappings that could not be read at start: not served, and never overwritten.
    damaged: RwLock<Vec<files::Damaged>>,
    /// Serialises writers, so version numbers and the mirror stay in step.
    writer: Mutex<()>,
}

impl Registry {
    /// Loads the stored mappings and the built-ins, and rewrites `graph/mappings` from them.
    pub fn open(store: Storage, settings: &Settings) -> Result<Self, RegistryError> {
        let graph = graphs::mappings_graph(&settings.base_iri);
        let files = match &settings.location {
            StoreLocation::Memory => None,
            StoreLocation::Disk(dir) => Some(Files::new(dir.join("mappings"))),
        };
        let registry = Self {
            store,
            base: settings.base_iri.clone(),
            graph,
            ontologies: settings.ontologies.clone(),
            reference_data: settings.reference_data_folder(),
            files,
            entries: RwLock::default(),
            damaged: RwLock::default(),
            writer: Mutex::default(),
        };
        registry.load(settings)?;
        Ok(registry)
    }

    fn load(&self, settings: &Settings) -> Result<(), RegistryError> {
        let mut entries = BTreeMap::new();
        let (stored, damaged) = self
            .files
            .as_ref()
            .map(Files::load_all)
            .transpose()?
            .unwrap_or_default();
        for d in &damaged {
            tracing::error!(id = %d.id, reason = %d.reason, "a stored mapping cannot be read; it is not served and will not be overwritten until its folder is repaired or removed");
        }
        *self.damaged.write().unwrap_or_else(|e| e.into_inner()) = damaged;
        for stored in stored {
            let mut versions = BTreeMap::new();
            for (n, text) in stored.texts {
                let Some(version) = stored.meta.version(n) else {
                    continue;
                };
                match self.rebuild(&stored.meta.id, version, &text) {
                    Ok(registered) => {
                        versions.insert(
                            n,
                            Version {
                                text: text.into(),
                                registered: Arc::new(registered),
                            },
                        );
                    }
                    Err(error) => {
                        tracing::warn!(id = %stored.meta.id, version = n, %error, "a stored mapping version no longer checks; it is not served")
                    }
                }
            }
            entries.insert(
                stored.meta.id.clone(),
                Entry {
                    meta: stored.meta,
                    versions,
                },
            );
        }
        let now = crate::core::clock::now();
        let vocabulary = Vocabulary::from_store(&self.store, &self.base)?;
        for builtin in builtins::read(&settings.mappings)? {
            let fail = |problems: String| RegistryError::Builtin {
                id: builtin.id.clone(),
                problems,
            };
            let id = MappingId::parse(&builtin.id).map_err(|e| fail(e.to_string()))?;
            let prepared = self
                .prepare_with(
                    &id,
                    &builtin.text,
                    builtin.syntax,
                    &PutOptions::default(),
                    None,
                    &vocabulary,
                )
                .map_err(|e| match e {
                    RegistryError::Invalid { problems } => fail(
                        problems
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    other => other,
                })?;
            let version = version_meta(&prepared, 1, "citykg", &now, builtin.syntax);
            let meta = MappingMeta {
                id: id.clone(),
                read_only: true,
                created: now.clone(),
                updated: now.clone(),
                versions: vec![version],
            };
            let mut versions = BTreeMap::new();
            versions.insert(
                1,
                Version {
                    text: builtin.text.into(),
                    registered: Arc::new(prepared.mapping),
                },
            );
            entries.insert(id, Entry { meta, versions });
        }
        let metas: Vec<&MappingMeta> = entries.values().map(|e| &e.meta).collect();
        graph::apply(
            &self.store,
            &graph::Mirror {
                agent: "citykg",
                graph: &self.graph,
                base: &self.base,
                write: &metas,
                remove: &[],
                reset: true,
            },
        )?;
        *self.entries.write().unwrap_or_else(|e| e.into_inner()) = entries;
        Ok(())
    }

    /// A mapping whose stored files could not be read is left alone: writing it anew would
    /// overwrite what the operator may still recover.
    fn refuse_damaged(&self, id: &MappingId) -> Result<(), RegistryError> {
        let damaged = self.damaged.read().unwrap_or_else(|e| e.into_inner());
        match damaged.iter().find(|d| d.id == id.as_str()) {
            Some(d) => Err(RegistryError::Damaged {
                id: d.id.clone(),
                reason: d.reason.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The latest version of `id`.
    pub fn get(&self, id: &MappingId) -> Option<Arc<RegisteredMapping>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(id)?
            .versions
            .values()
            .next_back()
            .map(|v| v.registered.clone())
    }

    /// Version `n` of `id`.
    pub fn version(&self, id: &MappingId, n: u32) -> Option<Arc<RegisteredMapping>> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries
            .get(id)?
            .versions
            .get(&n)
            .map(|v| v.registered.clone())
    }

    /// Whether `iri` is `{base}mappings/{id}` of a mapping in the registry.
    pub fn knows_iri(&self, iri: &str) -> bool {
        crate::core::ids::mapping_id_of(&self.base, iri).is_some_and(|id| {
            self.entries
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .contains_key(&id)
        })
    }

    pub fn meta(&self, id: &MappingId) -> Option<MappingMeta> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.get(id).map(|e| e.meta.clone())
    }

    /// Every mapping, by id.
    pub fn list(&self) -> Vec<MappingMeta> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        entries.values().map(|e| e.meta.clone()).collect()
    }

    /// The file of version `n` (the latest when `None`) and its syntax.
    pub fn text(&self, id: &MappingId, n: Option<u32>) -> Option<(Arc<str>, MappingSyntax)> {
        let entries = self.entries.read().unwrap_or_else(|e| e.into_inner());
        let entry = entries.get(id)?;
        let n = n.or_else(|| entry.versions.keys().next_back().copied())?;
        let syntax = entry.meta.version(n)?.syntax;
        Some((entry.versions.get(&n)?.text.clone(), syntax))
    }

    /// Every check an upload runs, without storing anything (preview of an unsaved mapping).
    pub fn prepare(
        &self,
        id: &MappingId,
        text: &str,
        syntax: MappingSyntax,
        options: &PutOptions,
    ) -> Result<Prepared, RegistryError> {
        let previous = self.get(id);
        let vocabulary = Vocabulary::from_store(&self.store, &self.base)?;
        self.prepare_with(id, text, syntax, options, previous.as_deref(), &vocabulary)
    }

    /// Creates `id` or adds a version to it. Blocking.
    pub fn put(
        &self,
        id: &MappingId,
        text: &str,
        syntax: MappingSyntax,
        author: &str,
        options: &PutOptions,
    ) -> Result<PutOutcome, RegistryError> {
        if id.is_builtin() {
            return Err(RegistryError::ReadOnly(id.clone()));
        }
        if is_reserved(id) {
            return Err(RegistryError::ReservedId(id.clone()));
        }
        self.refuse_damaged(id)?;
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let prepared = self.prepare(id, text, syntax, options)?;
        let now = crate::core::clock::now();
        let (mut meta, created) = match self.meta(id) {
            Some(meta) => (meta, false),
            None => (
                MappingMeta {
                    id: id.clone(),
                    read_only: false,
                    created: now.clone(),
                    updated: now.clone(),
                    versions: Vec::new(),
                },
                true,
            ),
        };
        let n = meta.latest().map_or(1, |v| v.version + 1);
        let mut registered = prepared.mapping.clone();
        registered.version = n;
        meta.versions
            .push(version_meta(&prepared, n, author, &now, syntax));
        meta.updated = now;
        if let Some(files) = &self.files {
            files.write(&meta, n, syntax, text)?;
        }
        graph::apply(
            &self.store,
            &graph::Mirror {
                agent: author,
                graph: &self.graph,
                base: &self.base,
                write: &[&meta],
                remove: &[],
                reset: false,
            },
        )?;
        let mut entries = self.entries.write().unwrap_or_else(|e| e.into_inner());
        let entry = entries.entry(id.clone()).or_insert_with(|| Entry {
            meta: meta.clone(),
            versions: BTreeMap::new(),
        });
        entry.meta = meta.clone();
        entry.versions.insert(
            n,
            Version {
                text: text.into(),
                registered: Arc::new(registered),
            },
        );
        Ok(PutOutcome { created, meta })
    }

    /// Removes `id` and all its versions. Blocking.
    pub fn delete(&self, id: &MappingId, agent: &str) -> Result<(), RegistryError> {
        if id.is_builtin() {
            return Err(RegistryError::ReadOnly(id.clone()));
        }
        let _writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        let meta = self
            .meta(id)
            .ok_or_else(|| RegistryError::NotFound(id.clone()))?;
        if let Some(files) = &self.files {
            files.remove(&meta)?;
        }
        graph::apply(
            &self.store,
            &graph::Mirror {
                agent,
                graph: &self.graph,
                base: &self.base,
                write: &[],
                remove: &[id],
                reset: false,
            },
        )?;
        self.entries
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(id);
        Ok(())
    }

    fn prepare_with(
        &self,
        id: &MappingId,
        text: &str,
        syntax: MappingSyntax,
        options: &PutOptions,
        previous: Option<&RegisteredMapping>,
        vocabulary: &Vocabulary,
    ) -> Result<Prepared, RegistryError> {
        let shapes = options
            .shapes
            .clone()
            .or_else(|| previous.map(|p| p.shapes.clone()))
            .unwrap_or_default();
        let known = crate::standards::shacl::shipped::names(&self.ontologies);
        if let Some(name) = shapes.iter().find(|s| !known.contains(s)) {
            return Err(RegistryError::UnknownShapes {
                name: name.clone(),
                known: known.join(", "),
            });
        }
        let model =
            mapping::parse(text, syntax.parser(), Some(self.base.as_str())).map_err(|e| {
                RegistryError::Invalid {
                    problems: e.problems,
                }
            })?;
        let warnings = lint::lint(&model, vocabulary);
        let planned = sources::plan(&model, self.reference_data.as_deref());
        let checked = check::check(model, Purpose::Run);
        let (checked, plan) = match (checked, planned) {
            (Ok(checked), Ok(plan)) => (checked, plan),
            (checked, planned) => {
                let mut problems = checked.err().map(|e| e.problems).unwrap_or_default();
                problems.extend(planned.err().unwrap_or_default());
                return Err(RegistryError::Invalid { problems });
            }
        };
        let target_graph = match options
            .target_graph
            .clone()
            .or_else(|| previous.map(|p| p.target_graph.clone()))
        {
            Some(graph) => graph,
            None => graphs::source_graph(&self.base, id.as_str()).map_err(|e| {
                RegistryError::Invalid {
                    problems: vec![Diagnostic::new(
                        format!("the id does not make a graph IRI: {e}"),
                        Location::default(),
                    )],
                }
            })?,
        };
        Ok(Prepared {
            mapping: RegisteredMapping {
                id: id.clone(),
                version: 0,
                checked: Arc::new(checked),
                payload_source: plan.payload,
                target_graph,
                validation: options
                    .validation
                    .or_else(|| previous.map(|p| p.validation))
                    .unwrap_or_default(),
                shapes,
                sha256: crate::core::digest::hex_sha256(text.as_bytes()),
            },
            sources: plan.all,
            warnings,
        })
    }

    /// Re-checks a stored version at start (its lint warnings are kept from the upload).
    fn rebuild(
        &self,
        id: &MappingId,
        version: &VersionMeta,
        text: &str,
    ) -> Result<RegisteredMapping, RegistryError> {
        let model = mapping::parse(text, version.syntax.parser(), Some(self.base.as_str()))
            .map_err(|e| RegistryError::Invalid {
                problems: e.problems,
            })?;
        let checked = check::check(model, Purpose::Run).map_err(|e| RegistryError::Invalid {
            problems: e.problems,
        })?;
        Ok(RegisteredMapping {
            id: id.clone(),
            version: version.version,
            checked: Arc::new(checked),
            payload_source: version.payload_source.clone(),
            target_graph: NamedNode::new(version.target_graph.as_str()).map_err(|e| {
                RegistryError::Invalid {
                    problems: vec![Diagnostic::new(e.to_string(), Location::default())],
                }
            })?,
            validation: version.validation,
            shapes: version.shapes.clone(),
            sha256: version.sha256.clone(),
        })
    }
}

fn version_meta(
    prepared: &Prepared,
    n: u32,
    author: &str,
    now: &str,
    syntax: MappingSyntax,
) -> VersionMeta {
    let mapping = &prepared.mapping;
    VersionMeta {
        version: n,
        sha256: mapping.sha256.clone(),
        author: author.to_owned(),
        created: now.to_owned(),
        syntax,
        validation: mapping.validation,
        shapes: mapping.shapes.clone(),
        target_graph: mapping.target_graph.as_str().to_owned(),
        payload_source: mapping.payload_source.clone(),
        sources: prepared.sources.clone(),
        warnings: prepared.warnings.clone(),
    }
}

/// Ids the routes could not tell from a sub-resource.
fn is_reserved(id: &MappingId) -> bool {
    let segments: Vec<&str> = id.as_str().split('/').collect();
    matches!(segments.last(), Some(&"preview") | Some(&"versions"))
        || segments
            .windows(2)
            .any(|w| w[0] == "versions" && w[1].bytes().all(|b| b.is_ascii_digit()))
}
