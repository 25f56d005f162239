//! IRIs citykg writes itself, in one place.

use oxigraph::model::NamedNodeRef;

/// citykg's own namespace, declared in `ontologies/citykg.ttl`.
pub const CITYKG_NAMESPACE: &str = "https://w3id.org/citykg/ns#";

/// In citykg's own namespace, `https://w3id.org/citykg/ns#` (declared in `ontologies/citykg.ttl`):
/// the SHA-256 of the file an ontology graph was loaded from; lets start-up skip unchanged files.
pub const SOURCE_SHA256: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("https://w3id.org/citykg/ns#sourceSha256");
