//! RFC 4180 rows with the CSVW dialect options of the logical source. References are column
//! names resolved to indexes once, when the header is read; a name that is not in the header is
//! an error before any row is visited. A row is one reused buffer: no allocation per row.
//!
//! Every cell is a string value, the empty cell too (`""`): RML's `rml:null` decides whether it
//! counts as absent (conformance case RMLSTC0004b declares `rml:null ""` for exactly that).
//! Without a header, references name columns by 1-based number (`1`) or CSVW name (`_col.1`).
//!
//! A column the logical source declares optional (`citykg:optionalColumn`) may be missing from
//! the file: references to it then give no value, like a NULL. Only those: any other missing
//! column is still an error (RMLTC0002e), so a misspelt name cannot silently map nothing.

use std::io::BufRead;

use csv::{ReaderBuilder, StringRecord, Trim};

use super::reader::Visit;
use super::{IteratorSpec, PayloadError, ReadError, Record, Value};
use crate::pipeline::payload::source::CsvDialect;

#[derive(Debug)]
pub(crate) struct CsvPlan {
    dialect: CsvDialect,
    /// The references of each spec (CSV has no iterator: every row is a record of every spec).
    references: Vec<Vec<String>>,
}

impl CsvPlan {
    pub(crate) fn compile(dialect: &CsvDialect, specs: &[IteratorSpec]) -> Self {
        Self {
            dialect: dialect.clone(),
            references: specs.iter().map(|spec| spec.references.clone()).collect(),
        }
    }

    pub(crate) fn read<E>(
        &self,
        input: &mut dyn BufRead,
        visit: &mut Visit<'_, E>,
    ) -> Result<(), ReadError<E>> {
        let mut reader = ReaderBuilder::new()
            .delimiter(self.dialect.delimiter)
            .quote(self.dialect.quote)
            .has_headers(self.dialect.header)
            .trim(if self.dialect.trim {
                Trim::All
            } else {
                Trim::None
            })
            .flexible(false)
            .from_reader(input);
        let mut row = StringRecord::new();
        let header = if self.dialect.header {
            reader.headers().map_err(syntax)?.clone()
        } else {
            // The width comes from the first row; it is read here and visited below.
            if !reader.read_record(&mut row).map_err(syntax)? {
                return Ok(());
            }
            StringRecord::new()
        };
        let columns = self.resolve(&header, row.len())?;
        if !self.dialect.header {
            visit_row(&row, &columns, visit)?;
        }
        while reader.read_record(&mut row).map_err(syntax)? {
            visit_row(&row, &columns, visit)?;
        }
        Ok(())
    }

    /// Column indexes of every reference of every spec; `None` for an optional column the file
    /// does not have.
    fn resolve(
        &self,
        header: &StringRecord,
        width: usize,
    ) -> Result<Vec<Vec<Option<usize>>>, PayloadError> {
        self.references
            .iter()
            .map(|references| {
                references
                    .iter()
                    .map(|reference| match column(header, width, reference) {
                        Ok(index) => Ok(Some(index)),
                        Err(_) if self.dialect.optional_columns.contains(reference) => Ok(None),
                        Err(error) => Err(error),
                    })
                    .collect()
            })
            .collect()
    }
}

fn column(header: &StringRecord, width: usize, reference: &str) -> Result<usize, PayloadError> {
    if header.is_empty() {
        let number = reference.strip_prefix("_col.").unwrap_or(reference);
        return match number.parse::<usize>() {
            Ok(number) if (1..=width).contains(&number) => Ok(number - 1),
            _ => Err(PayloadError::InvalidReference {
                expression: reference.to_owned(),
                message: format!(
                    "the CSV source has no header: name a column by its number, 1 to {width}"
                ),
            }),
        };
    }
    header
        .iter()
        .position(|name| name == reference)
        .ok_or_else(|| PayloadError::InvalidReference {
            expression: reference.to_owned(),
            message: format!(
                "no column `{reference}` in the CSV header (columns: {})",
                header.iter().collect::<Vec<_>>().join(", ")
            ),
        })
}

fn visit_row<E>(
    row: &StringRecord,
    columns: &[Vec<Option<usize>>],
    visit: &mut Visit<'_, E>,
) -> Result<(), ReadError<E>> {
    for (index, columns) in columns.iter().enumerate() {
        visit(index, &CsvRecord { row, columns }).map_err(ReadError::Visit)?;
    }
    Ok(())
}

fn syntax(error: csv::Error) -> PayloadError {
    let line = error.position().map_or(0, csv::Position::line);
    match error.into_kind() {
        csv::ErrorKind::Io(error) => PayloadError::Io(error),
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => PayloadError::Syntax {
            line,
            column: 1,
            message: format!("the row has {len} fields where the header has {expected_len}"),
        },
        csv::ErrorKind::Utf8 { err, .. } => PayloadError::Syntax {
            line,
            column: err.field() as u64 + 1,
            message: format!("field {} is not valid UTF-8", err.field() + 1),
        },
        other => PayloadError::Syntax {
            line,
            column: 1,
            message: format!("{other:?}"),
        },
    }
}

/// One CSV row.
struct CsvRecord<'a> {
    row: &'a StringRecord,
    columns: &'a [Option<usize>],
}

impl Record for CsvRecord<'_> {
    fn values<'r>(&'r self, reference: usize, out: &mut Vec<Value<'r>>) {
        if let Some(cell) = self
            .columns
            .get(reference)
            .copied()
            .flatten()
            .and_then(|column| self.row.get(column))
        {
            out.push(Value::string(cell));
        }
    }
}

#[cfg(test)]
mod tests;
