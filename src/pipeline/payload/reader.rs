//! The one entry point the engine uses: compile every iterator and reference over a source once,
//! then stream the source once, handing each record to the visitor with its iterator's index.

use std::io::BufRead;

use super::csv::CsvPlan;
use super::json::JsonPlan;
use super::xml::XmlPlan;
use super::{IteratorSpec, PayloadError, PayloadFormat, ReadError, Record};

/// Every iterator over one source, compiled. Reusable for any number of payloads.
#[derive(Debug)]
pub struct SourceReader {
    plan: Plan,
}

#[derive(Debug)]
enum Plan {
    Json(JsonPlan),
    JsonLines(JsonPlan),
    Csv(CsvPlan),
    Xml(XmlPlan),
}

/// The visitor as the readers see it: one type whatever closure the engine passes.
pub(super) type Visit<'v, E> = dyn FnMut(usize, &dyn Record) -> Result<(), E> + 'v;

impl SourceReader {
    /// Compiles the iterators and references of `specs`; the first problem is the error.
    pub fn compile(format: &PayloadFormat, specs: &[IteratorSpec]) -> Result<Self, PayloadError> {
        let mut problems = Vec::new();
        let plan = Self::plan(format, specs, &mut problems);
        match (plan, problems.into_iter().next()) {
            (Some(plan), None) => Ok(Self { plan }),
            (_, Some(problem)) => Err(problem),
            (None, None) => Err(PayloadError::InvalidIterator {
                expression: String::new(),
                message: "cannot compile the iterators".to_owned(),
            }),
        }
    }

    fn plan(
        format: &PayloadFormat,
        specs: &[IteratorSpec],
        problems: &mut Vec<PayloadError>,
    ) -> Option<Plan> {
        Some(match format {
            PayloadFormat::Json => Plan::Json(JsonPlan::compile(specs, true, problems)?),
            PayloadFormat::JsonLines => Plan::JsonLines(JsonPlan::compile(specs, false, problems)?),
            PayloadFormat::Csv(dialect) => Plan::Csv(CsvPlan::compile(dialect, specs)),
            PayloadFormat::Xml { namespaces } => {
                Plan::Xml(XmlPlan::compile(namespaces, specs, problems)?)
            }
        })
    }

    /// Reads `input` once, visiting the records of spec `i` with `i`, in document order.
    pub fn read<E>(
        &self,
        input: impl BufRead,
        mut visit: impl FnMut(usize, &dyn Record) -> Result<(), E>,
    ) -> Result<(), ReadError<E>> {
        let mut input = input;
        super::text::skip_utf8_bom(&mut input).map_err(PayloadError::Io)?;
        let input: &mut dyn BufRead = &mut input;
        match &self.plan {
            Plan::Json(plan) => plan.read_document(input, &mut visit),
            Plan::JsonLines(plan) => plan.read_lines(input, &mut visit),
            Plan::Csv(plan) => plan.read(input, &mut visit),
            Plan::Xml(plan) => plan.read(input, &mut visit),
        }
    }
}

/// Every problem with the iterators and references of `specs`, without reading any payload.
/// (A CSV reference is checked against the header, so only when the payload is read.)
pub fn check(format: &PayloadFormat, specs: &[IteratorSpec]) -> Vec<PayloadError> {
    let mut problems = Vec::new();
    SourceReader::plan(format, specs, &mut problems);
    problems
}

/// Compiles `specs` and reads `input` in one call; see [`SourceReader`].
pub fn read_records<E>(
    format: &PayloadFormat,
    input: impl BufRead,
    specs: &[IteratorSpec],
    visit: impl FnMut(usize, &dyn Record) -> Result<(), E>,
) -> Result<(), ReadError<E>> {
    SourceReader::compile(format, specs)?.read(input, visit)
}

/// Test helper output: per record, its spec index and the values of each reference.
#[cfg(test)]
pub(crate) type Collected = Vec<(usize, Vec<Vec<String>>)>;

/// Test helper input: per spec, its iterator and references.
#[cfg(test)]
pub(crate) type Specs<'a> = [(Option<&'a str>, &'a [&'a str])];

/// Test helper: every record as (spec index, the values of each reference as `text:kind`).
#[cfg(test)]
pub(crate) fn collect(
    format: &PayloadFormat,
    input: &[u8],
    specs: &Specs<'_>,
) -> Result<Collected, PayloadError> {
    let specs: Vec<IteratorSpec> = specs
        .iter()
        .map(|(iterator, references)| IteratorSpec {
            iterator: iterator.map(str::to_owned),
            references: references
                .iter()
                .map(|reference| (*reference).to_owned())
                .collect(),
        })
        .collect();
    let mut records = Vec::new();
    let result = read_records(format, input, &specs, |index, record| {
        let count = specs.get(index).map_or(0, |spec| spec.references.len());
        let mut values = Vec::new();
        for reference in 0..count {
            let mut out = Vec::new();
            record.values(reference, &mut out);
            values.push(
                out.iter()
                    .map(|value| match value.kind {
                        super::ValueKind::String => value.text.to_string(),
                        kind => format!("{}:{kind:?}", value.text),
                    })
                    .collect(),
            );
        }
        records.push((index, values));
        Ok::<(), std::convert::Infallible>(())
    });
    match result {
        Ok(()) => Ok(records),
        Err(ReadError::Payload(error)) => Err(error),
        Err(ReadError::Visit(never)) => match never {},
    }
}
