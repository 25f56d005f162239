//! The IRIs the feed and the harvester read and write (DCAT, DCMI terms, FOAF, Hydra, and
//! citykg's harvest terms), as `NamedNodeRef` constants.

use oxigraph::model::NamedNodeRef;

const fn iri(value: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(value)
}

pub const DCAT_CATALOG: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Catalog");
pub const DCAT_CATALOG_RECORD: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#CatalogRecord");
pub const DCAT_DATASET: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Dataset");
pub const DCAT_DATA_SERVICE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#DataService");
pub const DCAT_RESOURCE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#Resource");
pub const DCAT_DATASET_LINK: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#dataset");
pub const DCAT_RECORD: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#record");
pub const DCAT_SERVICE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#service");
pub const DCAT_SERVES_DATASET: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#servesDataset");
pub const DCAT_ENDPOINT_URL: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#endpointURL");
pub const DCAT_ENDPOINT_DESCRIPTION: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dcat#endpointDescription");
pub const DCAT_MEDIA_TYPE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#mediaType");
pub const DCAT_LANDING_PAGE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#landingPage");

pub const DCT_TITLE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/title");
pub const DCT_DESCRIPTION: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/description");
pub const DCT_PUBLISHER: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/publisher");
pub const DCT_MODIFIED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/modified");
pub const DCT_ISSUED: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/issued");
pub const DCT_SOURCE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/source");
pub const DCT_LANGUAGE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/language");
pub const DCT_LICENSE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/license");
pub const DCT_CONFORMS_TO: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/conformsTo");
pub const DCT_FORMAT: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/format");
pub const DCT_LINGUISTIC_SYSTEM: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/LinguisticSystem");
pub const DCT_MEDIA_TYPE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/MediaType");
pub const DCT_MEDIA_TYPE_OR_EXTENT: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/MediaTypeOrExtent");
pub const DCT_LICENSE_DOCUMENT: NamedNodeRef<'static> =
    iri("http://purl.org/dc/terms/LicenseDocument");
pub const DCT_STANDARD: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/Standard");

pub const FOAF_PRIMARY_TOPIC: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/primaryTopic");
pub const FOAF_AGENT: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/Agent");
pub const FOAF_NAME: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/name");
pub const FOAF_HOMEPAGE: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/homepage");
pub const FOAF_PAGE: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/page");
pub const FOAF_DOCUMENT: NamedNodeRef<'static> = iri("http://xmlns.com/foaf/0.1/Document");

pub const VCARD_KIND: NamedNodeRef<'static> = iri("http://www.w3.org/2006/vcard/ns#Kind");
pub const VCARD_ORGANIZATION: NamedNodeRef<'static> =
    iri("http://www.w3.org/2006/vcard/ns#Organization");
pub const VCARD_INDIVIDUAL: NamedNodeRef<'static> =
    iri("http://www.w3.org/2006/vcard/ns#Individual");

pub const SKOS_CONCEPT: NamedNodeRef<'static> = iri("http://www.w3.org/2004/02/skos/core#Concept");
pub const SKOS_CONCEPT_SCHEME: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#ConceptScheme");
pub const SKOS_PREF_LABEL: NamedNodeRef<'static> =
    iri("http://www.w3.org/2004/02/skos/core#prefLabel");

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

/// `citykg:harvestedFrom`: on a harvested record, the URL of the catalogue it came from.
pub const HARVESTED_FROM: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#harvestedFrom");
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
