//! `citykg harvest [--location DIR] URL`: the same harvest as `POST /admin/harvest`, on the
//! on-disk store (the server must be stopped: RocksDB allows one process). The allow-list and
//! base IRI come from flags, `CITYKG_` variables or the config file, as for `serve`.

use anyhow::Context;
use citykg::catalogue::harvest::{self, HarvestOptions};
use citykg::edge::cli::{HarvestArgs, ServeArgs};

pub fn harvest(args: &HarvestArgs) -> anyhow::Result<()> {
    let settings = citykg::edge::settings::serve_settings(&ServeArgs {
        store: args.store.clone(),
        base_iri: args.base_iri.clone(),
        allow_hosts: args.allow_hosts.clone(),
        ..ServeArgs::default()
    })?;
    let (store, _) = super::open_disk(&args.store)?;
    let mut options = HarvestOptions::new(args.url.clone());
    options.full = args.full;
    let report = harvest::run(&store, &settings.base_iri, &settings.allow_list, &options)
        .with_context(|| format!("harvesting {}", args.url))?;
    store.flush().context("flushing the store")?;
    println!(
        "{} ({}): {} pages, {} datasets read: {} added, {} updated, {} unchanged, {} removed, {} skipped; {} held; next modified_since {}",
        report.url,
        report.mode,
        report.pages,
        report.fetched,
        report.added,
        report.updated,
        report.unchanged,
        report.removed,
        report.skipped,
        report.held,
        report.watermark
    );
    Ok(())
}
