//! The one clock: every time citykg writes into RDF (registry versions, ingest records,
//! quarantine entries, catalogue records, assessments, kits) comes from here.

/// Now, as an `xsd:dateTime` in UTC.
pub fn now() -> String {
    oxsdatatypes::DateTime::now().to_string()
}
