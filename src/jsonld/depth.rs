//! A byte scan before parsing: how deeply the JSON text nests (strings skipped), so a hostile
//! document is refused before the recursive parser and algorithms see it; and byte offsets
//! turned into the line and column a person can find.

use super::JsonLdError;

/// Refuses `text` when its arrays and objects nest deeper than `max`.
pub fn check(text: &str, max: usize) -> Result<(), JsonLdError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    let (line, column) = line_column(text, offset);
                    return Err(JsonLdError {
                        code: None,
                        message: format!(
                            "the document nests arrays and objects more than {max} deep \
                             (line {line}, column {column})"
                        ),
                        location: Some((line, column)),
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset`.
pub fn line_column(text: &str, offset: usize) -> (u64, u64) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or_default();
    let line = before.matches('\n').count() as u64 + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u64 + 1;
    (line, column)
}
