//! Geo-queries (GS CIM 009 clause 4.10): `georel`, `geometry`, `coordinates`, `geoproperty`,
//! checked once and evaluated on GeoJSON values in memory. Distances are great-circle distances
//! (haversine, metres) to the nearest vertex of the entity's geometry; the topological relations
//! work on vertices and segments in longitude/latitude (planar), polygons with their holes.

use serde_json::Value;

use super::entity::{Entity, is_geometry};
use super::error::NgsiError;
use crate::city::areas::Polygon;

const EARTH_RADIUS_M: f64 = 6_371_008.8;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Relation {
    Near { max: Option<f64>, min: Option<f64> },
    Within,
    Contains,
    Intersects,
    Disjoint,
    Equals,
    Overlaps,
}

/// A parsed geo-query.
#[derive(Debug)]
pub struct GeoQuery {
    relation: Relation,
    geometry: Value,
    shape: Geometry,
    /// The expanded name of the GeoProperty compared.
    pub property: String,
}

/// A geometry as points, lines and polygons.
#[derive(Debug, Default)]
struct Geometry {
    points: Vec<(f64, f64)>,
    lines: Vec<Vec<(f64, f64)>>,
    polygons: Vec<Polygon>,
}

fn point(value: &Value) -> Option<(f64, f64)> {
    let pair = value.as_array()?;
    Some((pair.first()?.as_f64()?, pair.get(1)?.as_f64()?))
}

fn line(value: &Value) -> Option<Vec<(f64, f64)>> {
    value.as_array()?.iter().map(point).collect()
}

fn polygon(value: &Value) -> Option<Polygon> {
    let rings = value
        .as_array()?
        .iter()
        .map(line)
        .collect::<Option<Vec<_>>>()?;
    Some(Polygon { rings })
}

impl Geometry {
    fn from_geojson(value: &Value) -> Option<Self> {
        let coordinates = value.get("coordinates")?;
        let mut shape = Self::default();
        match value.get("type")?.as_str()? {
            "Point" => shape.points.push(point(coordinates)?),
            "MultiPoint" => shape.points = line(coordinates)?,
            "LineString" => shape.lines.push(line(coordinates)?),
            "MultiLineString" => {
                shape.lines = coordinates
                    .as_array()?
                    .iter()
                    .map(line)
                    .collect::<Option<_>>()?;
            }
            "Polygon" => shape.polygons.push(polygon(coordinates)?),
            "MultiPolygon" => {
                shape.polygons = coordinates
                    .as_array()?
                    .iter()
                    .map(polygon)
                    .collect::<Option<_>>()?;
            }
            _ => return None,
        }
        Some(shape)
    }

    fn vertices(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.points
            .iter()
            .copied()
            .chain(self.lines.iter().flatten().copied())
            .chain(
                self.polygons
                    .iter()
                    .flat_map(|p| p.rings.iter().flatten().copied()),
            )
    }

    fn segments(&self) -> Vec<((f64, f64), (f64, f64))> {
        let mut segments = Vec::new();
        let rings = self
            .lines
            .iter()
            .chain(self.polygons.iter().flat_map(|p| p.rings.iter()));
        for ring in rings {
            for pair in ring.windows(2) {
                segments.push((pair[0], pair[1]));
            }
        }
        segments
    }

    fn covers(&self, (x, y): (f64, f64)) -> bool {
        self.polygons.iter().any(|p| p.contains(x, y))
            || self.points.contains(&(x, y))
            || self
                .lines
                .iter()
                .any(|l| l.windows(2).any(|s| on_segment((x, y), s[0], s[1])))
    }

    fn intersects(&self, other: &Geometry) -> bool {
        if self.vertices().any(|v| other.covers(v)) || other.vertices().any(|v| self.covers(v)) {
            return true;
        }
        let mine = self.segments();
        let theirs = other.segments();
        mine.iter()
            .any(|a| theirs.iter().any(|b| segments_cross(a.0, a.1, b.0, b.1)))
    }

    /// Every vertex of `self` is covered by `other` and no edge of `other` crosses `self`'s.
    fn within(&self, other: &Geometry) -> bool {
        let mut vertices = self.vertices().peekable();
        vertices.peek().is_some() && self.vertices().all(|v| other.covers(v))
    }
}

fn orientation(a: (f64, f64), b: (f64, f64), c: (f64, f64)) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

fn on_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> bool {
    orientation(a, b, p).abs() < 1e-12
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

fn segments_cross(a: (f64, f64), b: (f64, f64), c: (f64, f64), d: (f64, f64)) -> bool {
    let (o1, o2) = (orientation(a, b, c), orientation(a, b, d));
    let (o3, o4) = (orientation(c, d, a), orientation(c, d, b));
    (o1 * o2 < 0.0 && o3 * o4 < 0.0)
        || on_segment(c, a, b)
        || on_segment(d, a, b)
        || on_segment(a, c, d)
        || on_segment(b, c, d)
}

/// Great-circle distance in metres between two (longitude, latitude) points.
pub fn haversine((lon1, lat1): (f64, f64), (lon2, lat2): (f64, f64)) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lon2 - lon1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

fn distance_modifier(text: &str, name: &str) -> Result<f64, NgsiError> {
    let value: f64 = text.parse().map_err(|_| {
        NgsiError::bad_request(format!("{name} must be a number of metres, not {text:?}"))
    })?;
    if !value.is_finite() || value <= 0.0 {
        return Err(NgsiError::bad_request(format!(
            "{name} must be a positive, finite number of metres"
        )));
    }
    Ok(value)
}

impl GeoQuery {
    /// Parses the four parameters; `property` is the expanded GeoProperty name.
    pub fn parse(
        georel: &str,
        geometry: Option<&str>,
        coordinates: Option<&str>,
        property: String,
    ) -> Result<Self, NgsiError> {
        let mut parts = georel.split(';');
        let relation = match parts.next().unwrap_or("") {
            "near" => {
                let (mut max, mut min) = (None, None);
                for modifier in parts.by_ref() {
                    match modifier.split_once("==") {
                        Some(("maxDistance", v)) if max.is_none() && min.is_none() => {
                            max = Some(distance_modifier(v, "maxDistance")?);
                        }
                        Some(("minDistance", v)) if max.is_none() && min.is_none() => {
                            min = Some(distance_modifier(v, "minDistance")?);
                        }
                        _ => {
                            return Err(NgsiError::bad_request(format!(
                                "near takes one modifier, maxDistance==N or minDistance==N, not {modifier:?}"
                            )));
                        }
                    }
                }
                if max.is_none() && min.is_none() {
                    return Err(NgsiError::bad_request(
                        "near needs maxDistance==N or minDistance==N",
                    ));
                }
                Relation::Near { max, min }
            }
            "within" => Relation::Within,
            "contains" => Relation::Contains,
            "intersects" => Relation::Intersects,
            "disjoint" => Relation::Disjoint,
            "equals" => Relation::Equals,
            "overlaps" => Relation::Overlaps,
            other => {
                return Err(NgsiError::bad_request(format!(
                    "georel {other:?} is not near, within, contains, intersects, disjoint, equals or overlaps"
                )));
            }
        };
        if !matches!(relation, Relation::Near { .. }) && parts.next().is_some() {
            return Err(NgsiError::bad_request(format!(
                "georel {georel:?}: only near takes a modifier"
            )));
        }
        let kind = geometry.ok_or_else(|| NgsiError::bad_request("a geo-query needs geometry"))?;
        let coordinates =
            coordinates.ok_or_else(|| NgsiError::bad_request("a geo-query needs coordinates"))?;
        let parsed: Value = serde_json::from_str(coordinates).map_err(|_| {
            NgsiError::bad_request(format!("coordinates {coordinates:?} are not a JSON array"))
        })?;
        let geometry = serde_json::json!({"type": kind, "coordinates": parsed});
        if !is_geometry(&geometry) {
            return Err(NgsiError::bad_request(format!(
                "geometry {kind} with coordinates {coordinates} is not a GeoJSON geometry"
            )));
        }
        if matches!(relation, Relation::Near { .. }) && kind != "Point" {
            return Err(NgsiError::bad_request("near needs a Point geometry"));
        }
        let shape = Geometry::from_geojson(&geometry)
            .ok_or_else(|| NgsiError::bad_request("the geometry cannot be read"))?;
        Ok(Self {
            relation,
            geometry,
            shape,
            property,
        })
    }

    /// Whether one of the entity's GeoProperty instances satisfies the query.
    pub fn matches(&self, entity: &Entity) -> bool {
        let Some(instances) = entity.attributes.get(&self.property) else {
            return false;
        };
        instances.iter().any(|instance| {
            let Some(shape) = Geometry::from_geojson(&instance.value) else {
                return false;
            };
            match self.relation {
                Relation::Near { max, min } => {
                    let Some(&origin) = self.shape.points.first() else {
                        return false;
                    };
                    let distance = shape
                        .vertices()
                        .map(|v| haversine(origin, v))
                        .fold(f64::INFINITY, f64::min);
                    max.is_none_or(|m| distance <= m) && min.is_none_or(|m| distance >= m)
                }
                Relation::Within => shape.within(&self.shape),
                Relation::Contains => self.shape.within(&shape),
                Relation::Intersects => shape.intersects(&self.shape),
                Relation::Disjoint => !shape.intersects(&self.shape),
                Relation::Equals => {
                    instance.value.get("coordinates") == self.geometry.get("coordinates")
                        && instance.value.get("type") == self.geometry.get("type")
                }
                Relation::Overlaps => {
                    shape.intersects(&self.shape)
                        && !shape.within(&self.shape)
                        && !self.shape.within(&shape)
                }
            }
        })
    }

    /// The distance in metres from the query's point to the entity (for `orderBy` by distance).
    pub fn distance_to(&self, value: &Value) -> Option<f64> {
        let origin = *self.shape.points.first()?;
        let shape = Geometry::from_geojson(value)?;
        shape
            .vertices()
            .map(|v| haversine(origin, v))
            .reduce(f64::min)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ngsild::context::ActiveContext;
    use crate::ngsild::entity::{Shape, parse};
    use serde_json::json;

    fn at(id: &str, geometry: Value) -> Entity {
        let body =
            json!({"id": id, "type": "T", "location": {"type": "GeoProperty", "value": geometry}});
        parse(
            &body,
            &ActiveContext::core(),
            Shape::Entity,
            "2026-12-07T00:00:00Z",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    fn query(georel: &str, geometry: &str, coordinates: &str) -> GeoQuery {
        GeoQuery::parse(
            georel,
            Some(geometry),
            Some(coordinates),
            "https://uri.etsi.org/ngsi-ld/location".to_owned(),
        )
        .unwrap_or_else(|e| panic!("{georel}: {e}"))
    }

    #[test]
    fn relations_between_points_lines_and_polygons() {
        // Brussels Grand-Place and a point about 1.1 km east.
        let place = at(
            "urn:x:1",
            json!({"type": "Point", "coordinates": [4.3524, 50.8467]}),
        );
        let east = at(
            "urn:x:2",
            json!({"type": "Point", "coordinates": [4.3680, 50.8467]}),
        );
        let near = query("near;maxDistance==1000", "Point", "[4.3524,50.8467]");
        assert!(near.matches(&place));
        assert!(!near.matches(&east));
        assert!(query("near;minDistance==1000", "Point", "[4.3524,50.8467]").matches(&east));
        let square = "[[[4.34,50.84],[4.36,50.84],[4.36,50.85],[4.34,50.85],[4.34,50.84]]]";
        assert!(query("within", "Polygon", square).matches(&place));
        assert!(!query("within", "Polygon", square).matches(&east));
        assert!(query("disjoint", "Polygon", square).matches(&east));
        let street = at(
            "urn:x:3",
            json!({"type": "LineString", "coordinates": [[4.30, 50.845], [4.40, 50.845]]}),
        );
        assert!(query("intersects", "Polygon", square).matches(&street));
        assert!(!query("within", "Polygon", square).matches(&street));
        assert!(query("equals", "Point", "[4.3524,50.8467]").matches(&place));
        let district = at(
            "urn:x:4",
            json!({"type": "Polygon", "coordinates": serde_json::from_str::<Value>(square).unwrap_or_default()}),
        );
        assert!(query("contains", "Point", "[4.35,50.845]").matches(&district));
    }

    #[test]
    fn bad_geo_queries_are_refused() {
        let property = "https://uri.etsi.org/ngsi-ld/location".to_owned();
        for (georel, geometry, coordinates) in [
            ("near;maxDistance==0", "Point", "[1,2]"),
            ("near;maxDistance==-5", "Point", "[1,2]"),
            ("near;maxDistance==inf", "Point", "[1,2]"),
            ("near;maxDistance==1e999", "Point", "[1,2]"),
            ("near;maxDistance==5;minDistance==1", "Point", "[1,2]"),
            ("near", "Point", "[1,2]"),
            ("nearby", "Point", "[1,2]"),
            ("within", "Polygon", "[1,2]"),
            ("within", "Circle", "[1,2]"),
        ] {
            assert!(
                GeoQuery::parse(georel, Some(geometry), Some(coordinates), property.clone())
                    .is_err(),
                "{georel} {geometry} {coordinates}"
            );
        }
    }
}
