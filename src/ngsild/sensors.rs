//! The sensors that mapping ingest fills, seen as NGSI-LD entities (read-only, default tenant):
//! a `sosa:Sensor` (or, for observations without a sensor, the feature of interest as a
//! `sosa:FeatureOfInterest`) whose latest reading of each observed property is a Property with
//! `observedAt`, plus its position as `location`. They come from the live city's current values
//! (`graph/state`), so they follow every ingest without a copy.

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::entity::{Attribute, Entity, Kind};
use crate::city::CityState;
use crate::city::views::{self, CurrentValue, StateFilter};
use crate::core::config::BaseIri;
use crate::storage::{Storage, StoreError};

pub const SENSOR: &str = "http://www.w3.org/ns/sosa/Sensor";
pub const FEATURE: &str = "http://www.w3.org/ns/sosa/FeatureOfInterest";
const LOCATION: &str = "https://uri.etsi.org/ngsi-ld/location";

/// Reads sensors out of the live city.
pub struct Sensors {
    storage: Storage,
    base: BaseIri,
    city: Arc<CityState>,
}

impl Sensors {
    pub fn new(storage: Storage, base: BaseIri, city: Arc<CityState>) -> Self {
        Self {
            storage,
            base,
            city,
        }
    }

    /// Every sensor (and sensor-less feature) with current values, sorted by id; `only`: just
    /// that one.
    pub fn entities(&self, only: Option<&str>) -> Result<Vec<Entity>, StoreError> {
        let map = self.city.areas();
        let mut values = views::current_values(
            &self.storage,
            &self.base,
            &StateFilter::default(),
            self.city.current_readings(),
            &map,
        )?;
        if let Some(id) = only {
            values.retain(|v| v.subject == id);
        }
        views::locate(&self.storage, &map, &mut values)?;
        let mut by_subject: BTreeMap<String, Vec<CurrentValue>> = BTreeMap::new();
        for value in values {
            by_subject
                .entry(value.subject.clone())
                .or_default()
                .push(value);
        }
        Ok(by_subject
            .into_iter()
            .map(|(subject, values)| entity(subject, &values))
            .collect())
    }
}

fn entity(id: String, values: &[CurrentValue]) -> Entity {
    let by_sensor = values.first().is_some_and(|v| v.by_sensor);
    let mut attributes = BTreeMap::new();
    let mut latest = String::new();
    for value in values {
        let shown = match value.number {
            Some(n) => serde_json::Number::from_f64(n)
                .map_or_else(|| Value::String(value.value.clone()), Value::Number),
            None => Value::String(value.value.clone()),
        };
        let mut attribute = Attribute::new(Kind::Property, shown, &value.time);
        attribute.observed_at = Some(value.time.clone());
        attributes.insert(value.property.clone(), vec![attribute]);
        if value.time > latest {
            latest = value.time.clone();
        }
    }
    if let Some((longitude, latitude)) = values.iter().find_map(|v| v.location) {
        let point = serde_json::json!({"type": "Point", "coordinates": [longitude, latitude]});
        attributes.insert(
            LOCATION.to_owned(),
            vec![Attribute::new(Kind::GeoProperty, point, &latest)],
        );
    }
    Entity {
        id,
        types: vec![if by_sensor { SENSOR } else { FEATURE }.to_owned()],
        scopes: Vec::new(),
        attributes,
        created_at: latest.clone(),
        modified_at: latest,
    }
}
