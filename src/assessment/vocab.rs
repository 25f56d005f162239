//! The IRIs the assessment reads and writes: DQV, the metric and level terms of
//! `ontologies/citykg.ttl`, and the terms of observations, units, times and places it counts.

use oxigraph::model::NamedNodeRef;

const fn iri(text: &'static str) -> NamedNodeRef<'static> {
    NamedNodeRef::new_unchecked(text)
}

pub const CITYKG: &str = "https://w3id.org/citykg/ns#";
/// `https://w3id.org/citykg/level/{0..3}`: the level concepts.
pub const LEVEL_SCHEME: &str = "https://w3id.org/citykg/level/";

pub const USE_CASE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#UseCase");
pub const DATA_GRAPH: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#dataGraph");
pub const USES_MAPPING: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#usesMapping");
pub const LEVEL: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#level");
pub const IS_OPEN_LICENCE: NamedNodeRef<'static> = iri("https://w3id.org/citykg/ns#isOpenLicence");
pub const MAPPING: NamedNodeRef<'static> = crate::vocab::registry::MAPPING;

pub const QUALITY_MEASUREMENT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#QualityMeasurement");
pub const HAS_QUALITY_MEASUREMENT: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#hasQualityMeasurement");
pub const COMPUTED_ON: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dqv#computedOn");
pub const IS_MEASUREMENT_OF: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/dqv#isMeasurementOf");
pub const VALUE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dqv#value");
pub const GENERATED_AT_TIME: NamedNodeRef<'static> =
    iri("http://www.w3.org/ns/prov#generatedAtTime");

pub const LICENSE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/license");
pub const TITLE: NamedNodeRef<'static> = iri("http://purl.org/dc/terms/title");
pub const DISTRIBUTION: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#distribution");
pub const ACCESS_URL: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#accessURL");
pub const ACCESS_SERVICE: NamedNodeRef<'static> = iri("http://www.w3.org/ns/dcat#accessService");

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
pub const SOSA_IS_HOSTED_BY: NamedNodeRef<'static> = iri("http://www.w3.org/ns/sosa/isHostedBy");

pub const SAREF_MEASUREMENT: NamedNodeRef<'static> = iri("https://saref.etsi.org/core/Measurement");
pub const SAREF_DEVICE: NamedNodeRef<'static> = iri("https://saref.etsi.org/core/Device");
pub const SAREF_IS_MEASURED_IN: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/isMeasuredIn");
pub const SAREF_HAS_TIMESTAMP: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/hasTimestamp");
pub const SAREF_MADE_BY: NamedNodeRef<'static> =
    iri("https://saref.etsi.org/core/measurementMadeBy");

pub const QUDT_UNIT: NamedNodeRef<'static> = iri("http://qudt.org/schema/qudt/unit");
/// Where QUDT's unit individuals live: a unit "is QUDT" when its IRI starts with this.
pub const QUDT_UNITS: &str = "http://qudt.org/vocab/unit/";

pub const GEO_HAS_GEOMETRY: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#hasGeometry");
pub const GEO_HAS_DEFAULT_GEOMETRY: NamedNodeRef<'static> =
    iri("http://www.opengis.net/ont/geosparql#hasDefaultGeometry");
