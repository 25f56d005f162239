//! The command line: one clap tree for every subcommand. Flags stay `Option`s so that
//! `config::Settings` can tell "not given" from "given" and fill gaps from the TOML file.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "citykg",
    version,
    about = "Interoperable smart-city data as RDF, served over SPARQL"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP service (SPARQL 1.1 Protocol, Graph Store Protocol, pages).
    Serve(ServeArgs),
    /// Bulk load RDF files (format from the extension, `.gz` accepted).
    Load(LoadArgs),
    /// Write the whole dataset as N-Quads or TriG (a backup `load` restores).
    Dump(DumpArgs),
    /// Run a SPARQL query against the store, offline.
    Query(QueryArgs),
    /// Run RML or YARRRML mappings over files and write the RDF they make.
    Map(MapArgs),
    /// Work with mapping files.
    #[command(subcommand)]
    Mapping(MappingCommand),
    /// Validate RDF against SHACL shapes and print the report as Turtle (exit 3: does not conform).
    Validate(ValidateArgs),
    /// Manage bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Harvest a DCAT catalogue feed (Hydra paging, modified_since) into the use-case catalogue.
    Harvest(HarvestArgs),
    /// Recompute the current values and rollups (graph/state, graph/rollups/...) from every
    /// observation; what the service keeps up to date with each write.
    RebuildState(RebuildStateArgs),
}

#[derive(Debug, Args)]
pub struct RebuildStateArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Base IRI of the store's resources [default: http://<bind>/, as `serve`].
    #[arg(long, env = "CITYKG_BASE_IRI")]
    pub base_iri: Option<String>,
}

#[derive(Debug, Args)]
pub struct HarvestArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Base IRI of the store's resources [default: http://<bind>/, as `serve`].
    #[arg(long, env = "CITYKG_BASE_IRI")]
    pub base_iri: Option<String>,
    /// Hosts that may be contacted (comma separated); the catalogue's host must be one.
    #[arg(long, env = "CITYKG_ALLOW_HOSTS", value_delimiter = ',')]
    pub allow_hosts: Option<Vec<String>>,
    /// Fetch everything and remove what the remote no longer lists, ignoring the watermark.
    #[arg(long)]
    pub full: bool,
    /// The feed URL, e.g. http://partner.example/catalog.
    pub url: String,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// SHACL shapes (Turtle), e.g. ontologies/shapes/observation.ttl.
    #[arg(long)]
    pub shapes: PathBuf,
    /// An RDF file to validate (format from the extension, .gz accepted).
    #[arg(long, conflicts_with = "location")]
    pub data: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
    /// With --location: validate only this named graph (default: the whole dataset).
    #[arg(long, requires = "location")]
    pub graph: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MapOutputFormat {
    Nquads,
    /// Turtle for the default graph; named graphs are written as TriG blocks.
    Turtle,
}

#[derive(Debug, Args)]
pub struct MapArgs {
    /// Mapping file: RML in Turtle (.ttl, either vocabulary) or YARRRML (.yml/.yaml/.yarrrml).
    /// Repeat to run several mappings together (joins may cross files).
    #[arg(long, required = true)]
    pub mapping: Vec<PathBuf>,
    /// Read the source named NAME (its path as the mapping writes it) from PATH instead.
    #[arg(long, value_name = "NAME=PATH")]
    pub input: Vec<String>,
    /// Folder that relative source paths resolve against [default: the mapping file's folder].
    #[arg(long)]
    pub source_dir: Option<PathBuf>,
    /// Another folder sources may be read from (the source folder and --input files always may).
    #[arg(long)]
    pub allow_dir: Vec<PathBuf>,
    /// Base IRI for relative IRIs the mapping generates [default: http://example.com/].
    #[arg(long)]
    pub base_iri: Option<String>,
    /// Zone of payload times written without one (`Z`, `UTC`, `+01:00`); without it such a
    /// time is an error unless the mapping names a zone (citykg-fn:zone).
    #[arg(long, allow_hyphen_values = true)]
    pub timezone: Option<String>,
    #[arg(long, value_enum, default_value = "nquads")]
    pub format: MapOutputFormat,
    /// Output file (written whole or not at all); standard output when absent.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MappingSyntax {
    /// Canonical RML-Core Turtle.
    Rml,
    Yarrrml,
}

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Print a mapping as canonical RML-Core Turtle (or YARRRML): what citykg understood.
    Convert {
        /// RML Turtle (either vocabulary) or YARRRML file.
        file: PathBuf,
        #[arg(long, value_enum, default_value = "rml")]
        to: MappingSyntax,
    },
}

/// Where the store lives; shared by every subcommand that opens it.
#[derive(Debug, Args, Clone, Default)]
pub struct StoreArgs {
    /// Folder of the on-disk store [default: ./data].
    #[arg(long, env = "CITYKG_LOCATION")]
    pub location: Option<PathBuf>,
    /// TOML configuration file; flags and CITYKG_ variables override it.
    #[arg(long, env = "CITYKG_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Keep everything in memory (nothing is written to disk).
    #[arg(long, env = "CITYKG_MEMORY", conflicts_with = "location")]
    pub memory: bool,
    /// Address and port to listen on [default: 127.0.0.1:7700].
    #[arg(long, env = "CITYKG_BIND")]
    pub bind: Option<String>,
    /// Base IRI of minted resources and named graphs [default: http://<bind>/].
    #[arg(long, env = "CITYKG_BASE_IRI")]
    pub base_iri: Option<String>,
    /// Query timeout in seconds [default: 30].
    #[arg(long, env = "CITYKG_QUERY_TIMEOUT")]
    pub query_timeout: Option<f64>,
    /// Maximal request body size in bytes [default: 64 MiB].
    #[arg(long, env = "CITYKG_MAX_BODY_BYTES")]
    pub max_body_bytes: Option<usize>,
    /// Bytes of failed payloads the quarantine keeps before refusing more [default: 256 MiB].
    #[arg(long, env = "CITYKG_MAX_QUARANTINE_BYTES")]
    pub max_quarantine_bytes: Option<usize>,
    /// Maximal number of queries evaluated at once [default: 2 x CPUs].
    #[arg(long, env = "CITYKG_MAX_CONCURRENT_QUERIES")]
    pub max_concurrent_queries: Option<usize>,
    /// Time limit in seconds of every other expensive request: SHACL validation, ingest,
    /// preview, kit import, GET /store [default: 300].
    #[arg(long, env = "CITYKG_TASK_TIMEOUT")]
    pub task_timeout: Option<f64>,
    /// Maximal number of those requests running at once [default: 2 x CPUs].
    #[arg(long, env = "CITYKG_MAX_CONCURRENT_TASKS")]
    pub max_concurrent_tasks: Option<usize>,
    /// Writes are refused with 507 while the data folder's disk has less free space than this,
    /// in bytes (0: no check) [default: 256 MiB].
    #[arg(long, env = "CITYKG_MIN_FREE_BYTES")]
    pub min_free_bytes: Option<u64>,
    /// Hosts that SPARQL SERVICE may call (comma separated; empty by default).
    #[arg(long, env = "CITYKG_ALLOW_HOSTS", value_delimiter = ',')]
    pub allow_hosts: Option<Vec<String>>,
    /// Folder of ontology modules loaded into graph/ontology/{name} [default: ./ontologies].
    #[arg(long, env = "CITYKG_ONTOLOGIES")]
    pub ontologies: Option<PathBuf>,
    /// Folder of built-in mappings registered read-only as builtin/{name} [default: ./mappings].
    #[arg(long, env = "CITYKG_MAPPINGS")]
    pub mappings: Option<PathBuf>,
    /// Folder that registered mappings may read reference files from (besides the request body)
    /// [default: <location>/reference-data].
    #[arg(long, env = "CITYKG_REFERENCE_DATA")]
    pub reference_data: Option<PathBuf>,
    /// Require a read token for reads too.
    #[arg(long, env = "CITYKG_PRIVATE")]
    pub private: bool,
    /// Do not keep current values and rollups (graph/state, graph/rollups/...) with each
    /// write; `citykg rebuild-state` or a start without this flag recomputes them.
    #[arg(long, env = "CITYKG_NO_LIVE_STATE")]
    pub no_live_state: bool,
    /// Accept NGSI-LD writes without a token (for a broker behind a proxy that authenticates,
    /// as FIWARE deployments put a PEP proxy in front); every other write still needs one.
    #[arg(long, env = "CITYKG_NGSI_LD_OPEN_WRITES")]
    pub ngsi_ld_open_writes: bool,
}

#[derive(Debug, Args)]
pub struct LoadArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Load the triples of every file into this named graph (datasets keep their own graphs otherwise).
    #[arg(long)]
    pub graph: Option<String>,
    /// Base IRI for relative IRIs in the files.
    #[arg(long)]
    pub base_iri: Option<String>,
    /// Files to load: .ttl .nt .nq .trig .rdf/.owl/.xml .jsonld, optionally .gz.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum DumpFormat {
    Nquads,
    Trig,
}

#[derive(Debug, Args)]
pub struct DumpArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, value_enum, default_value = "nquads")]
    pub format: DumpFormat,
    /// Output file (`.gz` compresses); standard output when absent.
    #[arg(short = 'o', long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum TableFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, value_enum, default_value = "table")]
    pub format: TableFormat,
    /// The SPARQL query text, or @FILE to read it from a file.
    pub query: String,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print its secret once.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
    },
    /// List token names and roles (never secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by name.
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        name: String,
    },
}
