//! `citykg map` and `citykg mapping convert`.

use std::io::{BufRead, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use citykg::edge::cli::{MapArgs, MapOutputFormat, MappingSyntax};
use citykg::pipeline::engine::{self, RunOptions, SourceOpener};
use citykg::pipeline::mapping::check::{self, Purpose};
use citykg::pipeline::mapping::functions::{CallContext, parse_zone};
use citykg::pipeline::mapping::model::{Mapping, Source};
use citykg::pipeline::mapping::{self, Syntax};
use citykg::pipeline::payload::PayloadError;
use citykg::pipeline::payload::resolve::{self, SourcePolicy};
use citykg::pipeline::payload::source::SourceRoot;
use citykg::pipeline::quads::{NQuadsSink, QuadSink, SinkError};
use indicatif::ProgressBar;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::QuadRef;

const DEFAULT_BASE_IRI: &str = "http://example.com/";

pub fn map(args: &MapArgs) -> anyhow::Result<()> {
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    let overrides = parse_inputs(&args.input)?;
    let mut merged: Option<Mapping> = None;
    let mut allowed: Vec<PathBuf> = args.allow_dir.clone();
    for file in &args.mapping {
        let mut mapping = read_mapping(file)?;
        let mapping_dir = file.parent().map_or_else(|| cwd.clone(), |p| cwd.join(p));
        let source_dir = args
            .source_dir
            .as_ref()
            .map_or_else(|| mapping_dir.clone(), |d| cwd.join(d));
        allowed.push(source_dir.clone());
        place_sources(&mut mapping, &source_dir, &cwd, &overrides);
        merged = Some(match merged {
            None => mapping,
            Some(mut all) => {
                if all.core_semantics != mapping.core_semantics {
                    bail!(
                        "{} mixes the RML-Core and the legacy RML vocabulary with the other mapping files; their literal typing rules differ, so convert them to one (`citykg mapping convert`)",
                        file.display()
                    );
                }
                all.triples_maps.extend(mapping.triples_maps);
                all
            }
        });
    }
    let Some(mapping) = merged else {
        bail!("no mapping given")
    };
    let checked = check::check(mapping, Purpose::Run).map_err(|e| anyhow::anyhow!("{e}"))?;
    let base_iri = args.base_iri.as_deref().unwrap_or(DEFAULT_BASE_IRI);
    // An --input file is allowed as itself, not its folder: the mapping's other sources still
    // have to lie in the allowed folders.
    let policy = overrides
        .iter()
        .fold(SourcePolicy::new(allowed), |policy, (_, path)| {
            let file = cwd.join(path);
            policy.with_override(file.display().to_string(), file)
        });
    let opener = CliSources {
        policy,
        progress: progress_bar(),
    };
    let naive_time_zone = match args.timezone.as_deref() {
        None => None,
        Some(text) => Some(parse_zone(text).ok_or_else(|| {
            anyhow::anyhow!("--timezone {text}: not `Z`, `UTC` or an offset such as `+01:00`")
        })?),
    };
    let options = RunOptions {
        base_iri,
        sources: &opener,
        calls: CallContext { naive_time_zone },
    };
    let started = std::time::Instant::now();
    let stats = match &args.output {
        None => {
            let stdout = std::io::stdout().lock();
            write_output(
                &checked,
                &options,
                args.format,
                BufWriter::with_capacity(1 << 16, stdout),
            )?
        }
        Some(path) => {
            // Written next to the target and renamed at the end: a failed run leaves no half file.
            let dir = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let temporary = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            let stats = write_output(
                &checked,
                &options,
                args.format,
                BufWriter::with_capacity(1 << 16, temporary.as_file()),
            )?;
            temporary.as_file().sync_all()?;
            temporary
                .persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            stats
        }
    };
    opener.progress.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    eprintln!(
        "{} quads from {} records in {seconds:.2} s ({:.0} quads/s)",
        stats.quads,
        stats.records,
        stats.quads as f64 / seconds.max(1e-9)
    );
    Ok(())
}

fn write_output(
    checked: &check::CheckedMapping,
    options: &RunOptions<'_>,
    format: MapOutputFormat,
    out: impl Write,
) -> anyhow::Result<engine::RunStats> {
    match format {
        MapOutputFormat::Nquads => {
            let mut sink = NQuadsSink::new(out);
            let stats = engine::run(checked, options, &mut sink)?;
            sink.finish()?;
            Ok(stats)
        }
        MapOutputFormat::Turtle => {
            let mut sink = TrigSink(RdfSerializer::from_format(RdfFormat::TriG).for_writer(out));
            let stats = engine::run(checked, options, &mut sink)?;
            sink.0
                .finish()
                .context("cannot write the output")?
                .flush()?;
            Ok(stats)
        }
    }
}

struct TrigSink<W: Write>(oxigraph::io::WriterQuadSerializer<W>);

impl<W: Write> QuadSink for TrigSink<W> {
    fn push(&mut self, quad: QuadRef<'_>) -> Result<(), SinkError> {
        self.0
            .serialize_quad(quad)
            .map_err(|e| SinkError(Box::new(e)))
    }
}

pub fn read_mapping(file: &Path) -> anyhow::Result<Mapping> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let base = format!(
        "file://{}",
        std::path::absolute(file)
            .unwrap_or_else(|_| file.to_path_buf())
            .display()
    );
    mapping::parse(&text, Syntax::from_path(file), Some(&base))
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))
}

/// `NAME=PATH` pairs.
fn parse_inputs(inputs: &[String]) -> anyhow::Result<Vec<(String, PathBuf)>> {
    inputs
        .iter()
        .map(|input| match input.split_once('=') {
            Some((name, path)) if !name.is_empty() && !path.is_empty() => Ok((name.to_owned(), PathBuf::from(path))),
            _ => bail!("--input takes NAME=PATH (the source path as the mapping writes it, then the file to read), got `{input}`"),
        })
        .collect()
}

/// Makes every file source an absolute path: an `--input` override when its name matches,
/// else resolved against its root (the source folder or the working directory).
fn place_sources(
    mapping: &mut Mapping,
    source_dir: &Path,
    cwd: &Path,
    overrides: &[(String, PathBuf)],
) {
    for map in &mut mapping.triples_maps {
        let Source::File(file) = &mut map.logical_source.source else {
            continue;
        };
        if let Some((_, path)) = overrides.iter().find(|(name, _)| *name == file.path) {
            file.path = cwd.join(path).display().to_string();
            continue;
        }
        let root = match file.root {
            SourceRoot::MappingDirectory => source_dir,
            SourceRoot::CurrentWorkingDirectory => cwd,
        };
        file.path = root.join(&file.path).display().to_string();
    }
}

struct CliSources {
    policy: SourcePolicy,
    progress: ProgressBar,
}

impl SourceOpener for CliSources {
    fn open(
        &self,
        source: &citykg::pipeline::payload::source::FileSource,
    ) -> Result<Box<dyn BufRead + '_>, PayloadError> {
        let input = resolve::open(source, Path::new("/"), &self.policy)?;
        Ok(Box::new(std::io::BufReader::new(Progress {
            inner: input,
            bar: &self.progress,
        })))
    }
}

/// Counts bytes read into the progress bar (hidden when stderr is not a terminal).
struct Progress<'a, R> {
    inner: R,
    bar: &'a ProgressBar,
}

impl<R: Read> Read for Progress<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} read {binary_bytes} ({binary_bytes_per_sec}) {elapsed}",
    ) {
        bar.set_style(style);
    }
    bar
}

pub fn convert(file: &Path, to: MappingSyntax) -> anyhow::Result<()> {
    let mapping = read_mapping(file)?;
    let checked = check::check(mapping, Purpose::Convert)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let text = match to {
        MappingSyntax::Rml => mapping::write::to_rml(checked.mapping()),
        MappingSyntax::Yarrrml => mapping::write::to_yarrrml(checked.mapping()),
    }
    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(())
}
