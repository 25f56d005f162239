//! `PATCH` of a use case: an RFC 7396 JSON merge patch applied to the use case's compacted
//! JSON-LD (what a client reads with `Accept: application/ld+json`), the result checked and
//! written like a `PUT`.

use serde_json::Value;

use super::{Catalog, CatalogError, InputSyntax, PutOutcome};
use crate::core::ids::{UseCaseId, use_case_iri};
use crate::storage::Cause;

impl Catalog {
    /// The use case as compacted JSON-LD, its sub-resources nested; `None` when there is none.
    pub fn compacted(&self, id: &UseCaseId) -> Result<Option<Value>, CatalogError> {
        let Some(quads) = self.get(id)? else {
            return Ok(None);
        };
        let root = use_case_iri(self.base(), id);
        crate::standards::jsonld::compact_tree(&quads, &root, self.base())
            .map(Some)
            .map_err(|e| CatalogError::Stored(e.to_string()))
    }

    /// Applies a merge patch to the use case and writes the result whole.
    pub fn patch(
        &self,
        id: &UseCaseId,
        patch: Value,
        mapping_exists: &dyn Fn(&str) -> bool,
        cause: Cause,
    ) -> Result<PutOutcome, CatalogError> {
        let mut document = self
            .compacted(id)?
            .ok_or_else(|| CatalogError::NotFound(id.clone()))?;
        merge_patch(&mut document, patch);
        let text =
            serde_json::to_string(&document).map_err(|e| CatalogError::Stored(e.to_string()))?;
        let prepared = self.prepare(&text, InputSyntax::JsonLd, Some(id), mapping_exists)?;
        self.put(&prepared, false, cause)
    }
}

/// RFC 7396: objects merge member by member, `null` removes a member, anything else replaces.
fn merge_patch(target: &mut Value, patch: Value) {
    let Value::Object(members) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(object) = target {
        for (name, value) in members {
            if value.is_null() {
                object.remove(&name);
            } else {
                merge_patch(object.entry(name).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::merge_patch;
    use serde_json::json;

    #[test]
    fn a_merge_patch_merges_objects_removes_nulls_and_replaces_the_rest() {
        let mut target = json!({"a": "b", "c": {"d": "e", "f": "g"}, "l": [1, 2]});
        merge_patch(
            &mut target,
            json!({"a": "z", "c": {"f": null, "h": 1}, "l": [3]}),
        );
        assert_eq!(target, json!({"a": "z", "c": {"d": "e", "h": 1}, "l": [3]}));
        merge_patch(&mut target, json!("scalar"));
        assert_eq!(target, json!("scalar"));
    }
}
