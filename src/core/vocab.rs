//! The one vocabulary: every IRI citykg reads or writes by name, and the prefix tables of the
//! documents it writes. Terms of other vocabularies carry their prefix (`DCAT_`, `DCT_`,
//! `SOSA_`...); citykg's own terms do not. SHACL's terms stay with the SHACL engine
//! (`standards::shacl::vocab`), RML's with the RML reader.

use oxigraph::model::NamedNodeRef;

const fn iri(value: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(value)
}

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

pub const USE_CASE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#UseCase");
pub const VERTICAL: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#vertical");
pub const SDG: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#sdg");
pub const SUPPORTS_KPI: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#supportsKpi");
pub const REQUIRES_PROPERTY: NamedNodeRef<'static> =
    iri("https://w3id.org/citykg/ns#requiresProperty");
pub const MATURITY: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#maturity");
pub const STAKEHOLDER: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#stakeholder");
pub const STAKEHOLDER_ROLE: NamedNodeRef<'static> =
    iri("https://w3id.org/citykg/ns#stakeholderRole");
pub const DEVICE_TYPE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#deviceType");
pub const VENDOR_FORMAT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#vendorFormat");
pub const USES_MAPPING: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#usesMapping");
pub const DATA_GRAPH: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#dataGraph");
pub const COUNTRY_CODE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#countryCode");
pub const HARVESTED_FROM: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#harvestedFrom");
pub const SEEDED_AT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#seededAt");
pub const LEVEL: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#level");
pub const VERTICAL_SCHEME: &str = "https://w3id.org/citykg/vertical/";
pub const MATURITY_SCHEME: &str = "https://w3id.org/citykg/maturity/";
pub const KPI_SCHEME: &str = "https://w3id.org/citykg/kpi/";
pub const SDG_SCHEME: &str = "http://metadata.un.org/sdg/";
pub const TURTLE_MEDIA_TYPE: NamedNodeRef<'static> =
    iri("https://www.iana.org/assignments/media-types/text/turtle");
pub const ENGLISH: NamedNodeRef<'static> =
    iri("http://publications.europa.eu/resource/authority/language/ENG");
/// `citykg:remoteModified`: on a harvested record, the remote record's `dct:modified`.
pub const REMOTE_MODIFIED: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#remoteModified");
/// `citykg:HarvestSource`, in `graph/harvest`: one catalogue citykg harvests.
pub const HARVEST_SOURCE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#HarvestSource");
/// `citykg:harvestWatermark`: the remote's clock (its HTTP `Date`) when the last successful
/// run started; the next run asks for `modified_since` this.
pub const HARVEST_WATERMARK: NamedNodeRef<'static> =
    iri("https://w3id.org/citykg/ns#harvestWatermark");
/// `citykg:harvestRuns`: successful runs so far.
pub const HARVEST_RUNS: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#harvestRuns");
/// `citykg:supportNode`: a node a harvested dataset points to but does not own (a remote data
/// service, a remote publisher), kept while some harvested dataset of this source refers to it.
pub const SUPPORT_NODE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#supportNode");
/// `https://w3id.org/citykg/level/{0..3}`: the level concepts.
pub const LEVEL_SCHEME: &str = "https://w3id.org/citykg/level/";
pub const IS_OPEN_LICENCE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#isOpenLicence");
pub const SAMPLE_PAYLOAD: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#samplePayload");
pub const NAMED_QUERY: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#namedQuery");
pub const FOR_MAPPING: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#forMapping");
pub const CONTENT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#content");
pub const SPARQL: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#sparql");
/// IANA's register: `dcat:mediaType` values are IRIs under it.
pub const IANA_MEDIA_TYPES: &str = "https://www.iana.org/assignments/media-types/";
pub const KIT_PREFIXES: &[(&str, &str)] = &[
    ("citykg", "https://w3id.org/citykg/ns#"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dqv", "http://www.w3.org/ns/dqv#"),
    ("geo", "http://www.opengis.net/ont/geosparql#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
];

pub const DCAT_DATASET: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Dataset");
pub const DCAT_CATALOG: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Catalog");
pub const DCAT_CATALOG_RECORD: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#CatalogRecord");
pub const DCAT_DISTRIBUTION: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Distribution");
pub const DCAT_DATA_SERVICE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#DataService");
pub const DCAT_THEME: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#theme");
pub const DCAT_DISTRIBUTION_P: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#distribution");
pub const DCAT_ACCESS_URL: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#accessURL");
pub const DCAT_ACCESS_SERVICE: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#accessService");
pub const DCAT_MEDIA_TYPE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#mediaType");
pub const DCAT_ENDPOINT_URL: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#endpointURL");
pub const DCAT_ENDPOINT_DESCRIPTION: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#endpointDescription");
pub const DCAT_SERVICE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#service");
pub const DCAT_CONTACT_POINT: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#contactPoint");
pub const DCAT_KEYWORD: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#keyword");
pub const DCAT_CENTROID: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#centroid");
pub const DCAT_RESOURCE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Resource");
pub const DCAT_DATASET_LINK: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#dataset");
pub const DCAT_RECORD: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#record");
pub const DCAT_SERVES_DATASET: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#servesDataset");
pub const DCAT_LANDING_PAGE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#landingPage");

pub const DCT_IDENTIFIER: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/identifier");
pub const DCT_CREATED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/created");
pub const DCT_MODIFIED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/modified");
pub const DCT_CREATOR: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/creator");
pub const DCT_FORMAT: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/format");
pub const DCT_HAS_VERSION: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/hasVersion");
pub const DCT_IS_VERSION_OF: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/isVersionOf");
pub const DCT_TITLE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/title");
pub const DCT_DESCRIPTION: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/description");
pub const DCT_ISSUED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/issued");
pub const DCT_LICENSE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/license");
pub const DCT_SPATIAL: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/spatial");
pub const DCT_PUBLISHER: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/publisher");
pub const DCT_CONFORMS_TO: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/conformsTo");
pub const DCT_LANGUAGE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/language");
pub const DCT_SOURCE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/source");
pub const DCT_EXTENT: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/extent");
pub const DCT_HAS_PART: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/hasPart");
pub const DCT_LINGUISTIC_SYSTEM: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/LinguisticSystem");
pub const DCT_MEDIA_TYPE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/MediaType");
pub const DCT_MEDIA_TYPE_OR_EXTENT: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/MediaTypeOrExtent");
pub const DCT_LICENSE_DOCUMENT: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/LicenseDocument");
pub const DCT_STANDARD: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/Standard");

pub const DQV_HAS_QUALITY_MEASUREMENT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#hasQualityMeasurement");
pub const DQV_IS_MEASUREMENT_OF: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#isMeasurementOf");
pub const DQV_VALUE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dqv#value");
pub const DQV_QUALITY_MEASUREMENT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#QualityMeasurement");
pub const DQV_COMPUTED_ON: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dqv#computedOn");

pub const FOAF_AGENT: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/Agent");
pub const FOAF_NAME: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/name");
pub const FOAF_HOMEPAGE: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/homepage");
pub const FOAF_PRIMARY_TOPIC: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/primaryTopic");
pub const FOAF_PAGE: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/page");
pub const FOAF_DOCUMENT: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/Document");

pub const GEO_HAS_GEOMETRY: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#hasGeometry");
pub const GEO_SF_WITHIN: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#sfWithin");
pub const GEO_HAS_DEFAULT_GEOMETRY: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#hasDefaultGeometry");
pub const GEO_AS_WKT: NamedNodeRef<'static> = iri("http://www.opengis.net/ont/geosparql#asWKT");
pub const GEO_WKT_LITERAL: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#wktLiteral");
pub const GEO_FEATURE: NamedNodeRef<'static> = iri("http://www.opengis.net/ont/geosparql#Feature");

pub const HYDRA_COLLECTION: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/hydra/core#Collection");
pub const HYDRA_PARTIAL_COLLECTION_VIEW: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/hydra/core#PartialCollectionView");
pub const HYDRA_VIEW: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#view");
pub const HYDRA_MEMBER: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#member");
pub const HYDRA_TOTAL_ITEMS: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/hydra/core#totalItems");
pub const HYDRA_FIRST: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#first");
pub const HYDRA_NEXT: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#next");
pub const HYDRA_PREVIOUS: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#previous");
pub const HYDRA_LAST: NamedNodeRef<'static> = iri("http://www.w3.org/ns/hydra/core#last");

pub const PROV_GENERATED_AT_TIME: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/prov#generatedAtTime");
pub const PROV_ENTITY: NamedNodeRef<'static> = iri("http://www.w3.org/ns/prov#Entity");
pub const PROV_WAS_DERIVED_FROM: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/prov#wasDerivedFrom");
pub const PROV_WAS_REVISION_OF: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/prov#wasRevisionOf");
pub const PROV_WAS_ATTRIBUTED_TO: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/prov#wasAttributedTo");

pub const QUDT_UNIT: NamedNodeRef<'static> = iri("http://qudt.org/schema/qudt/unit");
/// Where QUDT's unit individuals live: a unit "is QUDT" when its IRI starts with this.
pub const QUDT_UNITS: &str = "http://qudt.org/vocab/unit/";

pub const QB_DATA_SET: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#DataSet");
pub const QB_DATA_STRUCTURE_DEFINITION: NamedNodeRef<'static> =
    iri("http://purl.org/linked-data/cube#DataStructureDefinition");
pub const QB_STRUCTURE: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#structure");
pub const QB_COMPONENT: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#component");
pub const QB_DIMENSION: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#dimension");
pub const QB_MEASURE: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#measure");
pub const QB_ATTRIBUTE: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#attribute");
pub const QB_OBSERVATION: NamedNodeRef<'static> =
    iri("http://purl.org/linked-data/cube#Observation");
/// The property `qb:dataSet` (the class is [`QB_DATA_SET`]).
pub const QB_IN_DATA_SET: NamedNodeRef<'static> = iri("http://purl.org/linked-data/cube#dataSet");
pub const SDMX_REF_AREA: NamedNodeRef<'static> =
    iri("http://purl.org/linked-data/sdmx/2009/dimension#refArea");
pub const SDMX_REF_PERIOD: NamedNodeRef<'static> =
    iri("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod");
/// Where the UK government's reference intervals live (`{this}day/2025-03-03`): the usual
/// `sdmx-dimension:refPeriod` values of RDF Data Cube datasets.
pub const INTERVALS: &str = "http://reference.data.gov.uk/id/";

pub const RDFS_LABEL: NamedNodeRef<'static> = iri("http://www.w3.org/2000/01/rdf-schema#label");

pub const SAREF_MEASUREMENT: NamedNodeRef<'static> = iri("https://saref.etsi.org/core/Measurement");
pub const SAREF_HAS_VALUE: NamedNodeRef<'static> = iri("https://saref.etsi.org/core/hasValue");
pub const S4CITY_KPI_ASSESSMENT: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/saref4city/KeyPerformanceIndicatorAssessment");
pub const S4CITY_QUANTIFIES_KPI: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/saref4city/quantifiesKPI");
pub const S4CITY_ASSESSES: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/saref4city/assesses");
pub const S4CITY_HAS_CALCULATION_PERIOD: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/saref4city/hasCalculationPeriod");
pub const S4CITY_HAS_CREATION_DATE: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/saref4city/hasCreationDate");
pub const SAREF_DEVICE: NamedNodeRef<'static> = iri("https://saref.etsi.org/core/Device");
pub const SAREF_IS_MEASURED_IN: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/isMeasuredIn");
pub const SAREF_HAS_TIMESTAMP: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/hasTimestamp");
pub const SAREF_MADE_BY: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/measurementMadeBy");

pub const SKOS_PREF_LABEL: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#prefLabel");
pub const SKOS_NOTATION: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#notation");
pub const SKOS_CONCEPT: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#Concept");
pub const SKOS_CONCEPT_SCHEME: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#ConceptScheme");

pub const SOSA_OBSERVATION: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/Observation");
pub const SOSA_SENSOR: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/Sensor");
pub const SOSA_PLATFORM: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/Platform");
pub const SOSA_FEATURE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/FeatureOfInterest");
pub const SOSA_HAS_RESULT: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/hasResult");
pub const SOSA_RESULT_TIME: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/resultTime");
pub const SOSA_MADE_BY_SENSOR: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/sosa/madeBySensor");
pub const SOSA_HAS_FEATURE: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/sosa/hasFeatureOfInterest");
pub const SOSA_OBSERVED_PROPERTY: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/sosa/observedProperty");
pub const SOSA_HAS_SIMPLE_RESULT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/sosa/hasSimpleResult");
pub const SOSA_IS_HOSTED_BY: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/isHostedBy");

pub const WGS84_LAT: NamedNodeRef<'static> = iri("http://www.w3.org/2003/01/geo/wgs84_pos#lat");
pub const WGS84_LONG: NamedNodeRef<'static> = iri("http://www.w3.org/2003/01/geo/wgs84_pos#long");

pub const VCARD_FN: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#fn");
pub const VCARD_HAS_EMAIL: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#hasEmail");
pub const VCARD_KIND: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#Kind");
pub const VCARD_ORGANIZATION: NamedNodeRef<'static> =
    iri("http://www.w3.org/2006/vcard/ns#Organization");
pub const VCARD_INDIVIDUAL: NamedNodeRef<'static> =
    iri("http://www.w3.org/2006/vcard/ns#Individual");

/// citykg's terms for the live city's derived graphs (`src/city`): current values and the
/// rollups' RDF Data Cube components, declared in `ontologies/citykg.ttl`.
pub mod city {
    use super::{NamedNodeRef, iri};

    pub const CURRENT_VALUE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#CurrentValue");
    pub const REF_SENSOR: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#refSensor");
    pub const REF_FEATURE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#refFeature");
    pub const REF_PROPERTY: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#refProperty");
    pub const LATEST_OBSERVATION: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#latestObservation");
    pub const VALUE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#value");
    pub const RESULT_TIME: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#resultTime");
    pub const PERIOD_START: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#periodStart");
    pub const COUNT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#count");
    pub const SUM: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#sum");
    pub const MIN: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#min");
    pub const MAX: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#max");
    pub const MEAN: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#mean");
    pub const SUM_OF_SQUARES: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#sumOfSquares");
    pub const ACCUMULATOR: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#accumulator");

    // The city profile (`graph/profile`).
    pub const CITY: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#City");
    pub const AREA: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#Area");
    pub const PUBLIC_BUILDING: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#PublicBuilding");
    pub const REFERENCE_FIGURE: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#ReferenceFigure");
    pub const FIGURE_OF: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#figureOf");
    pub const FIGURE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#figure");
    pub const YEAR: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#year");
    pub const FLOOR_AREA: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#floorArea");
    pub const METERED_BY: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#meteredBy");
    pub const POPULATION: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#population");
    pub const MAJOR_STREET_LENGTH: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#majorStreetLength");
    pub const MONITORED_LENGTH_PER_TRAFFIC_SENSOR: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#monitoredLengthPerTrafficSensor");
    pub const WATER_METERS: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#waterMeters");
    pub const ELECTRICITY_METERS: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#electricityMeters");
    pub const PROFILE_VERSION: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#CityProfileVersion");
    pub const VERSION_NUMBER: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#versionNumber");
    pub const CURRENT_VERSION: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#currentVersion");

    // KPI assessments (`graph/kpi`).
    pub const KPI_STATUS: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#kpiStatus");
    pub const COMPUTED: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#Computed");
    pub const REPORTED: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#Reported");
    pub const FORMULA: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#formula");
    pub const DATA_CAPTURE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#dataCapture");
    pub const GUIDELINE_VALUE: NamedNodeRef<'static> =
        iri("https://w3id.org/citykg/ns#guidelineValue");
    pub const POLLUTANT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#pollutant");
    pub const KPI_NOTE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#kpiNote");
    pub const KPI_REPORT: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#KpiReport");
    pub const MISSING_KPI: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#missingKpi");
}
