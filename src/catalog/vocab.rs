//! The IRIs the catalogue reads and writes (the model in `docs/`-less form: see
//! `/use-cases` in ARCHITECTURE.md). Kept here rather than in `crate::vocab` because only the
//! catalogue, its feed and its assessment use them.

use oxigraph::model::NamedNodeRef;

const fn iri(value: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(value)
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

pub const DCT_TITLE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/title");
pub const DCT_DESCRIPTION: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/description");
pub const DCT_IDENTIFIER: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/identifier");
pub const DCT_ISSUED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/issued");
pub const DCT_MODIFIED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/modified");
pub const DCT_LICENSE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/license");
pub const DCT_SPATIAL: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/spatial");
pub const DCT_PUBLISHER: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/publisher");
pub const DCT_CONFORMS_TO: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/conformsTo");
pub const DCT_LANGUAGE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/language");

pub const FOAF_AGENT: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/Agent");
pub const FOAF_NAME: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/name");
pub const FOAF_HOMEPAGE: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/homepage");
pub const FOAF_PRIMARY_TOPIC: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/primaryTopic");
pub const VCARD_FN: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#fn");
pub const VCARD_HAS_EMAIL: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#hasEmail");

pub const SKOS_PREF_LABEL: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#prefLabel");
pub const SKOS_NOTATION: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#notation");
pub const RDFS_LABEL: NamedNodeRef<'static> = iri("http://www.w3.org/2000/01/rdf-schema#label");

pub const DQV_HAS_QUALITY_MEASUREMENT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#hasQualityMeasurement");
pub const DQV_IS_MEASUREMENT_OF: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#isMeasurementOf");
pub const DQV_VALUE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dqv#value");

pub const TURTLE_MEDIA_TYPE: NamedNodeRef<'static> =
    iri("https://www.iana.org/assignments/media-types/text/turtle");
pub const ENGLISH: NamedNodeRef<'static> =
    iri("http://publications.europa.eu/resource/authority/language/ENG");
