//! IRIs citykg writes itself, in one place.

use oxigraph::model::NamedNodeRef;

/// citykg's own namespace, declared in `ontologies/citykg.ttl`.
pub const CITYKG_NAMESPACE: &str = "https://w3id.org/citykg/ns#";

/// In citykg's own namespace, `https://w3id.org/citykg/ns#` (declared in `ontologies/citykg.ttl`):
/// the SHA-256 of the file an ontology graph was loaded from; lets start-up skip unchanged files.
pub const SOURCE_SHA256: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#sourceSha256");

/// citykg's extension of RML logical sources (declared in `ontologies/citykg.ttl`): a CSV column
/// the file may lack (`citykg:optionalColumn "P1"`), read by the RML parser, written by
/// `mapping convert`.
pub const OPTIONAL_COLUMN: &str = "https://w3id.org/citykg/ns#optionalColumn";

/// citykg's mapping registry terms (`ontologies/citykg.ttl`).
pub mod registry {
    use oxigraph::model::NamedNodeRef;

    pub const MAPPING: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#Mapping");
    pub const MAPPING_VERSION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#mappingVersion");
    pub const VALIDATION_POLICY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#validationPolicy");
    pub const REJECT_INVALID: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#RejectInvalid");
    pub const ACCEPT_WITH_REPORT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#AcceptWithReport");
    pub const TARGET_GRAPH: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#targetGraph");
    pub const READ_ONLY: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#readOnly");
}

/// The DCMI terms citykg writes.
pub mod dcterms {
    use oxigraph::model::NamedNodeRef;

    pub const IDENTIFIER: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/identifier");
    pub const CREATED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/created");
    pub const MODIFIED: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/modified");
    pub const CREATOR: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/creator");
    pub const FORMAT: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/format");
    pub const HAS_VERSION: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/hasVersion");
    pub const IS_VERSION_OF: NamedNodeRef<'static> =
        NamedNodeRef::new_unchecked("http://purl.org/dc/terms/isVersionOf");
}
