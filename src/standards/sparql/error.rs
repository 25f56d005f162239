//! The errors of running SPARQL, each with what a caller needs to fix it.

use oxigraph::sparql::{QueryEvaluationError, UpdateEvaluationError};

#[derive(Debug, thiserror::Error)]
pub enum SparqlError {
    #[error("SPARQL syntax error at line {line}, column {column}: {message}")]
    Syntax {
        line: u64,
        column: u64,
        message: String,
    },
    #[error("SPARQL syntax error: {message}")]
    SyntaxWithoutLocation { message: String },
    #[error(
        "the brackets nest more than {max} deep at line {line}, column {column}; flatten the query"
    )]
    TooDeep { line: u64, column: u64, max: usize },
    #[error(
        "the query is longer than {max} bytes outside its data blocks (at line {line}, column \
         {column}); send bulk data as INSERT DATA or through the Graph Store (/store)"
    )]
    TooLong { line: u64, column: u64, max: usize },
    #[error(
        "the query's operators nest more than {max} deep (a long chain of || or +, or of {{ }} groups); \
         use IN, VALUES or fewer groups"
    )]
    TooComplex { max: usize },
    #[error("{parameter} is not an absolute IRI: {value:?}")]
    BadGraphIri {
        parameter: &'static str,
        value: String,
    },
    #[error(
        "the protocol's {parameter} cannot be combined with USING, USING NAMED or WITH in the update"
    )]
    DatasetConflict { parameter: &'static str },
    #[error(
        "calls to {target} are refused: the host {host:?} is not on the allow-list (no request was made)"
    )]
    OutboundRefused { target: String, host: String },
    #[error(
        "SERVICE with a variable endpoint is refused: only constant allow-listed endpoints may be called"
    )]
    VariableService,
    #[error("the query ran longer than its time limit of {seconds} s and was stopped")]
    Timeout { seconds: f64 },
    #[error("query evaluation failed: {0}")]
    Evaluation(String),
    #[error("storage error during SPARQL evaluation: {0}")]
    Storage(String),
    #[error("cannot write the results: {0}")]
    Write(#[from] std::io::Error),
}

impl SparqlError {
    /// Turns spargebra's "error at L:C: expected ..." into a located error.
    pub fn from_syntax(error: &spargebra::SparqlSyntaxError) -> Self {
        let message = error.to_string();
        let located = message
            .strip_prefix("error at ")
            .and_then(|rest| rest.split_once(": "))
            .and_then(|(position, detail)| {
                let (line, column) = position.split_once(':')?;
                Some((line.parse().ok()?, column.parse().ok()?, detail.to_owned()))
            });
        match located {
            Some((line, column, message)) => Self::Syntax {
                line,
                column,
                message,
            },
            None => Self::SyntaxWithoutLocation { message },
        }
    }

    pub(crate) fn from_evaluation(
        error: QueryEvaluationError,
        timeout_seconds: Option<f64>,
    ) -> Self {
        match error {
            QueryEvaluationError::Cancelled => Self::Timeout {
                seconds: timeout_seconds.unwrap_or_default(),
            },
            QueryEvaluationError::Dataset(e) => Self::Storage(e.to_string()),
            other => Self::Evaluation(other.to_string()),
        }
    }

    pub(crate) fn from_update(error: UpdateEvaluationError, timeout_seconds: Option<f64>) -> Self {
        match error {
            UpdateEvaluationError::Storage(e) => Self::Storage(e.to_string()),
            UpdateEvaluationError::Unexpected(e) => match e.downcast::<QueryEvaluationError>() {
                Ok(e) => Self::from_evaluation(*e, timeout_seconds),
                Err(e) => Self::Evaluation(e.to_string()),
            },
            other => Self::Evaluation(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let error = spargebra::SparqlParser::new()
            .parse_query("SELECT * WHERE {\n  ?s ?p \n}")
            .unwrap_err();
        match SparqlError::from_syntax(&error) {
            SparqlError::Syntax {
                line,
                column,
                message,
            } => {
                assert_eq!(line, 3);
                assert!(column >= 1);
                assert!(message.contains("expected"), "{message}");
            }
            other => panic!("expected a located error, got {other:?}"),
        }
    }
}
