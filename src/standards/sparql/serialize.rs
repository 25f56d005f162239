//! Writes query results to any `Write` in the negotiated format, one solution or triple at a
//! time, so a large result never sits in memory.

use super::SparqlError;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::QueryResults;
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use std::io::Write;

/// The format a result goes out in: SPARQL results for SELECT/ASK, RDF for CONSTRUCT/DESCRIBE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFormat {
    Results(QueryResultsFormat),
    Rdf(RdfFormat),
}

impl ResultFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Results(f) => f.media_type(),
            Self::Rdf(f) => f.media_type(),
        }
    }
}

/// Serialises `results` to `writer`. A `ResultFormat` of the wrong family is the caller's bug
/// and reported as an evaluation error rather than a panic.
/// `timeout_seconds` is only for the message if the evaluation is cancelled midway.
pub fn write_results<W: Write>(
    results: QueryResults<'_>,
    format: ResultFormat,
    writer: W,
    timeout_seconds: Option<f64>,
) -> Result<W, SparqlError> {
    let timeout = timeout_seconds;
    match (results, format) {
        (QueryResults::Boolean(value), ResultFormat::Results(f)) => Ok(
            QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(writer, value)?,
        ),
        (QueryResults::Solutions(solutions), ResultFormat::Results(f)) => {
            let mut serializer = QueryResultsSerializer::from_format(f)
                .serialize_solutions_to_writer(writer, solutions.variables().to_vec())?;
            for solution in solutions {
                let solution = solution.map_err(|e| SparqlError::from_evaluation(e, timeout))?;
                serializer.serialize(&solution)?;
            }
            Ok(serializer.finish()?)
        }
        (QueryResults::Graph(triples), ResultFormat::Rdf(f)) => {
            let mut serializer = RdfSerializer::from_format(f).for_writer(writer);
            for triple in triples {
                let triple = triple.map_err(|e| SparqlError::from_evaluation(e, timeout))?;
                serializer.serialize_triple(&triple)?;
            }
            Ok(serializer.finish()?)
        }
        (_, format) => Err(SparqlError::Evaluation(format!(
            "{} cannot carry this kind of query result",
            format.media_type()
        ))),
    }
}
