//! The RML vocabularies. Legacy terms (R2RML `rr:`, `http://semweb.mmlab.be/ns/rml#`, `ql:`) are
//! rewritten to RML-Core (`http://w3id.org/rml/`) as the document is read, so the rest of the
//! parser knows one vocabulary.

use std::borrow::Cow;

pub const RML: &str = "http://w3id.org/rml/";
pub const RR: &str = "http://www.w3.org/ns/r2rml#";
pub const RML_LEGACY: &str = "http://semweb.mmlab.be/ns/rml#";
pub const QL: &str = "http://semweb.mmlab.be/ns/ql#";
pub const FNML_LEGACY: &str = "http://semweb.mmlab.be/ns/fnml#";
pub const FNO: &str = "https://w3id.org/function/ontology#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
pub const D2RQ: &str = "http://www.wiwiss.fu-berlin.de/suhl/bizer/D2RQ/0.1#";
pub const CSVW: &str = "http://www.w3.org/ns/csvw#";
pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// The RML-Core IRI for a legacy one; other IRIs unchanged.
pub fn to_core(iri: &str) -> Cow<'_, str> {
    for legacy in [RR, RML_LEGACY, QL] {
        if let Some(local) = iri.strip_prefix(legacy) {
            let local = match local {
                // R2RML names the SQL query differently; keep both readable as one term.
                "sqlQuery" => "query",
                other => other,
            };
            return Cow::Owned(format!("{RML}{local}"));
        }
    }
    Cow::Borrowed(iri)
}

/// `rml:` + local name.
pub fn rml(local: &str) -> String {
    format!("{RML}{local}")
}
