//! `citykg validate`: a SHACL report as Turtle, for stewards working offline and for scripts.
//! Exit code 0 when the data conforms, 3 when it does not (1 for errors, as everywhere).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use citykg::core::rdf_file;
use citykg::edge::cli::ValidateArgs;
use citykg::standards::shacl::{self, Shapes, StoreGraph};
use oxigraph::io::{RdfFormat, RdfParser, RdfSerializer};
use oxigraph::model::{Graph, GraphNameRef, NamedNode, Triple};

/// Validates and prints the report; returns whether the data conforms.
pub fn validate(args: &ValidateArgs) -> anyhow::Result<bool> {
    let shapes_text = std::fs::read_to_string(&args.shapes)
        .with_context(|| format!("cannot read the shapes {}", args.shapes.display()))?;
    let shapes = Shapes::from_turtle(&shapes_text, None)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.shapes.display()))?;
    let report = match (&args.data, &args.store.location) {
        (Some(data), None) => {
            let graph = read_graph(data)?;
            match shacl::validate(&shapes, &graph) {
                Ok(report) => report,
                Err(never) => match never {},
            }
        }
        (None, Some(_)) => {
            let (store, _) = super::open_disk(&args.store)?;
            match &args.graph {
                Some(iri) => {
                    let graph = NamedNode::new(iri.as_str())
                        .with_context(|| format!("--graph {iri} is not an IRI"))?;
                    shacl::validate(
                        &shapes,
                        &StoreGraph::graph(&store, GraphNameRef::NamedNode(graph.as_ref())),
                    )?
                }
                None => shacl::validate(&shapes, &StoreGraph::union(&store))?,
            }
        }
        _ => bail!("give the data to validate: --data FILE, or --location DIR [--graph IRI]"),
    };
    let mut serializer = RdfSerializer::from_format(RdfFormat::Turtle);
    for (prefix, iri) in [
        ("sh", "http://www.w3.org/ns/shacl#"),
        ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ] {
        serializer = serializer.with_prefix(prefix, iri)?;
    }
    let mut writer = serializer.for_writer(std::io::stdout().lock());
    for triple in report.to_graph().iter() {
        writer.serialize_triple(triple)?;
    }
    writer.finish()?.flush()?;
    let summary = report.summary();
    eprintln!(
        "{}: {} result(s) {:?}",
        if summary.conforms {
            "conforms"
        } else {
            "does not conform"
        },
        summary.results,
        summary.by_severity
    );
    Ok(report.conforms)
}

fn read_graph(path: &Path) -> anyhow::Result<Graph> {
    let (format, gzipped) = rdf_file::format_of(path)?;
    let reader = rdf_file::open(path, gzipped)?;
    let mut graph = Graph::new();
    for quad in RdfParser::from_format(format).for_reader(reader) {
        let quad = quad.map_err(|e| {
            anyhow::anyhow!(
                "{}: {}",
                path.display(),
                citykg::storage::bulk::describe_parse_error(&e)
            )
        })?;
        graph.insert(&Triple::from(quad));
    }
    Ok(graph)
}
