//! A byte scan before parsing: how deeply the JSON text nests (strings skipped), so a hostile
//! document is refused before the recursive parser and algorithms see it; and byte offsets
//! turned into the line and column a person can find.

use super::JsonLdError;

/// Refuses `text` when its arrays and objects nest deeper than `max`.
pub fn check(text: &str, max: usize) -> Result<(), JsonLdError> {
    match crate::core::rdf_file::json_too_deep(text.as_bytes(), max) {
        Some(offset) => {
            let (line, column) = line_column(text, offset);
            Err(JsonLdError {
                code: None,
                message: format!(
                    "the document nests arrays and objects more than {max} deep \
                     (line {line}, column {column})"
                ),
                location: Some((line, column)),
            })
        }
        None => Ok(()),
    }
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    crate::core::rdf_file::line_column(text.as_bytes(), offset)
}
