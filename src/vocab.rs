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

/// The prefixes of the shipped ontologies' namespaces, for RDF written for people (pages,
/// ontology documents, `/id/` descriptions).
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("sosa", "http://www.w3.org/ns/sosa/"),
    ("ssn", "http://www.w3.org/ns/ssn/"),
    ("saref", "https://saref.etsi.org/core/"),
    ("s4city", "https://saref.etsi.org/saref4city/"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("wgs", "http://www.w3.org/2003/01/geo/wgs84_pos#"),
    ("qudt", "http://qudt.org/schema/qudt/"),
    ("unit", "http://qudt.org/vocab/unit/"),
    ("quantitykind", "http://qudt.org/vocab/quantitykind/"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("citykg", "https://w3id.org/citykg/ns#"),
];

/// The prefixes of the catalogue feed (DCAT-AP, Hydra), as harvesters expect to read them.
pub const CATALOG_PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("hydra", "http://www.w3.org/ns/hydra/core#"),
    ("citykg", "https://w3id.org/citykg/ns#"),
];

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
