//! What each subcommand does. Output for people goes to stdout; progress and logs to stderr.

pub mod harvest;
pub mod map;
pub mod validate;

use anyhow::{Context, bail};
use citykg::core::config::{AllowList, StoreLocation};
use citykg::edge::auth::{Role, TokenStore};
use citykg::edge::cli::{
    DumpArgs, DumpFormat, LoadArgs, QueryArgs, RebuildStateArgs, ServeArgs, StoreArgs, TableFormat,
    TokenCommand,
};
use citykg::edge::http::Application;
use citykg::standards::sparql::{self, ProtocolDataset, ResultFormat, RunOptions};
use citykg::storage::{Cause, Origin, Storage, bulk};
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::QueryResultsFormat;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

pub fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    let settings = citykg::edge::settings::serve_settings(args)?;
    let bind = settings.bind.clone();
    let place = match &settings.location {
        StoreLocation::Memory => "memory".to_owned(),
        StoreLocation::Disk(dir) => dir.display().to_string(),
    };
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings)?;
        app.stop_on_signals().context("cannot install the signal handlers")?;
        if let Some(secret) = &app.first_admin_token {
            println!("First start: created the admin token below. It is shown only this once; store it safely.");
            println!("  {secret}");
            println!("Create more with `citykg token create --role write --name NAME`.");
        }
        let port = app.port();
        let host = bind.rsplit_once(':').map_or(bind.as_str(), |(h, _)| h);
        println!("citykg listening on http://{host}:{port}/ (store: {place}); Ctrl-C stops it");
        app.run_until_stopped().await.context("the server stopped with an error")
    })
}

pub(crate) fn open_disk(args: &StoreArgs) -> anyhow::Result<(Storage, PathBuf)> {
    let StoreLocation::Disk(dir) = citykg::edge::settings::store_location(args)? else {
        bail!("this command needs an on-disk store (--location)");
    };
    let store = Storage::open(&StoreLocation::Disk(dir.clone()))
        .with_context(|| format!("is a server running on {}? stop it first", dir.display()))?;
    Ok((store, dir))
}

pub fn load(args: &LoadArgs) -> anyhow::Result<()> {
    let (store, dir) = open_disk(&args.store)?;
    // The bulk load bypasses the live city's upkeep: the next start (or `rebuild-state`)
    // recomputes it.
    citykg::city::mark_stale(&dir).context("cannot mark the current values for a rebuild")?;
    let bar = progress_bar();
    let progress = bar.clone();
    let started = Instant::now();
    let options = bulk::LoadOptions {
        graph: args.graph.as_deref(),
        base_iri: args.base_iri.as_deref(),
        on_progress: Arc::new(move |n| progress.set_position(n)),
    };
    let count = bulk::load_files(&store, Cause::service(Origin::Load), &args.files, &options)?;
    store.flush()?;
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "loaded {count} quads from {} file(s) in {seconds:.1} s ({:.0} quads/s)",
        args.files.len(),
        count as f64 / seconds.max(1e-9)
    );
    println!(
        "current values and rollups are rebuilt at the next start, or now with `citykg rebuild-state`"
    );
    Ok(())
}

pub fn rebuild_state(args: &RebuildStateArgs) -> anyhow::Result<()> {
    let settings = citykg::edge::settings::serve_settings(&ServeArgs {
        store: args.store.clone(),
        base_iri: args.base_iri.clone(),
        ..ServeArgs::default()
    })?;
    let (store, dir) = open_disk(&args.store)?;
    let started = Instant::now();
    let quads = citykg::city::rebuild_store(&store, &settings.base_iri)?;
    store.flush()?;
    citykg::city::clear_stale(&dir).context("cannot clear the rebuild marker")?;
    println!(
        "rebuilt current values and rollups: {quads} quads in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn dump(args: &DumpArgs) -> anyhow::Result<()> {
    let (store, _) = open_disk(&args.store)?;
    let format = match args.format {
        DumpFormat::Nquads => RdfFormat::NQuads,
        DumpFormat::Trig => RdfFormat::TriG,
    };
    let quads = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let file = std::io::BufWriter::new(file);
            if path.extension().is_some_and(|e| e == "gz") {
                let mut encoder =
                    flate2::write::GzEncoder::new(file, flate2::Compression::default());
                let quads = bulk::dump(&store, format, &mut encoder)?;
                encoder.finish()?.flush()?;
                quads
            } else {
                bulk::dump(&store, format, file)?
            }
        }
        None => bulk::dump(&store, format, std::io::stdout().lock())?,
    };
    eprintln!("dumped {quads} quads");
    Ok(())
}

pub fn query(args: &QueryArgs) -> anyhow::Result<()> {
    let text = match args.query.strip_prefix('@') {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the query file {path}"))?,
        None => args.query.clone(),
    };
    let (store, _) = open_disk(&args.store)?;
    let allow = AllowList::default();
    let parsed = sparql::parse_query(&text, None, &allow)?;
    let options = RunOptions {
        allow: &allow,
        cancel: None,
        timeout: None,
    };
    parsed.evaluate(&store, &ProtocolDataset::default(), &options, |results| {
        Ok(print_results(results, args.format))
    })?
}

fn print_results(results: QueryResults<'_>, format: TableFormat) -> anyhow::Result<()> {
    let out = std::io::stdout().lock();
    let format = match (format, &results) {
        (TableFormat::Table, _) => return print_table(results, out),
        (TableFormat::Csv, QueryResults::Graph(_)) => ResultFormat::Rdf(RdfFormat::NTriples),
        (TableFormat::Json, QueryResults::Graph(_)) => ResultFormat::Rdf(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
        (TableFormat::Csv, _) => ResultFormat::Results(QueryResultsFormat::Csv),
        (TableFormat::Json, _) => ResultFormat::Results(QueryResultsFormat::Json),
    };
    sparql::write_results(results, format, out, None)?.flush()?;
    Ok(())
}

/// Aligned columns for a terminal.
fn print_table(results: QueryResults<'_>, mut out: impl Write) -> anyhow::Result<()> {
    let (header, rows): (Vec<String>, Vec<Vec<String>>) = match results {
        QueryResults::Boolean(b) => (vec!["answer".into()], vec![vec![b.to_string()]]),
        QueryResults::Solutions(solutions) => {
            let header = solutions
                .variables()
                .iter()
                .map(|v| format!("?{}", v.as_str()))
                .collect();
            let mut rows = Vec::new();
            for solution in solutions {
                rows.push(
                    solution?
                        .values()
                        .iter()
                        .map(|v| v.as_ref().map(ToString::to_string).unwrap_or_default())
                        .collect(),
                );
            }
            (header, rows)
        }
        QueryResults::Graph(triples) => {
            let mut rows = Vec::new();
            for t in triples {
                let t = t?;
                rows.push(vec![
                    t.subject.to_string(),
                    t.predicate.to_string(),
                    t.object.to_string(),
                ]);
            }
            (
                vec!["subject".into(), "predicate".into(), "object".into()],
                rows,
            )
        }
    };
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .chain([header[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| -> String {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect::<Vec<_>>()
            .join(" | ")
            .trim_end()
            .to_owned()
    };
    writeln!(out, "{}", line(&header))?;
    writeln!(
        out,
        "{}",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    )?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    writeln!(
        out,
        "({} row{})",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" }
    )?;
    Ok(())
}

pub fn token(command: TokenCommand) -> anyhow::Result<()> {
    let tokens = |args: &StoreArgs| -> anyhow::Result<TokenStore> {
        let StoreLocation::Disk(dir) = citykg::edge::settings::store_location(args)? else {
            bail!("tokens live in an on-disk location");
        };
        Ok(TokenStore::open(Some(dir.join("tokens.json")))?)
    };
    match command {
        TokenCommand::Create { store, role, name } => {
            let role: Role = role.parse()?;
            let secret = tokens(&store)?.create(&name, role)?;
            println!("{secret}");
            eprintln!(
                "created token {name:?} with the {role} role; the secret above is shown only once"
            );
        }
        TokenCommand::List { store } => {
            for info in tokens(&store)?.list()? {
                println!("{}\t{}\t{}", info.name, info.role, info.created);
            }
        }
        TokenCommand::Revoke { store, name } => {
            tokens(&store)?.revoke(&name)?;
            eprintln!("revoked token {name:?}");
        }
    }
    Ok(())
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    if std::io::stderr().is_terminal() {
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {human_pos} quads loaded ({per_sec}) {elapsed}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    bar
}
