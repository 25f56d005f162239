//! GeoJSON geometries -> GeoSPARQL WKT literals. A JSON reference flattens a nested
//! `coordinates` array into its numbers, so the function takes the geometry's `type` and that
//! flat list and rebuilds the pairs. GeoJSON writes longitude first, as WKT under GeoSPARQL's
//! default CRS (CRS84) does, so the order is kept, never swapped: a payload that put latitude
//! first stays wrong rather than being silently "fixed".

use super::call::string;
use super::params::{Call, def, list, one};
use super::{Args, FunctionDef, OutputDef, ParameterDef};

const TYPE: ParameterDef = one(citykg_fn!("geometryType"), &[]);
const COORDINATES: ParameterDef = list(citykg_fn!("coordinates"), &[]);
const OUTPUT: &[OutputDef] = &[OutputDef {
    iri: citykg_fn!("output"),
    aliases: &[],
}];

pub(super) const FUNCTIONS: &[FunctionDef] = &[def(
    citykg_fn!("wktFromGeoJson"),
    &[TYPE, COORDINATES],
    OUTPUT,
    wkt_from_geojson,
)];

/// `Point`, `MultiPoint`, `LineString`, and `Polygon` with one ring (a flat list cannot tell
/// where a second ring starts, so a ring that does not close is refused), in 2D.
fn wkt_from_geojson(args: &Args<'_>) -> Call {
    let kind = text_or_none!(args, 0);
    let values = args.list(1);
    if values.is_empty() {
        return Ok(None);
    }
    let mut numbers = Vec::with_capacity(values.len());
    for value in values {
        let number: f64 = value
            .text
            .trim()
            .parse()
            .ok()
            .filter(|number: &f64| number.is_finite())
            .ok_or_else(|| args.invalid(1, &value.text, "not a number"))?;
        numbers.push(number);
    }
    if numbers.len() % 2 != 0 {
        return Err(args.invalid(
            1,
            &join(&numbers),
            "an odd count of numbers: only 2D positions (longitude, latitude) are supported",
        ));
    }
    let pairs: Vec<(f64, f64)> = numbers
        .chunks_exact(2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    for (longitude, latitude) in &pairs {
        if !(-180.0..=180.0).contains(longitude) || !(-90.0..=90.0).contains(latitude) {
            return Err(args.invalid(
                1,
                &join(&numbers),
                "a position outside longitude -180..180, latitude -90..90",
            ));
        }
    }
    let points = |pairs: &[(f64, f64)]| {
        pairs
            .iter()
            .map(|(x, y)| format!("{x} {y}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let wkt = match kind.trim() {
        "Point" if pairs.len() == 1 => format!("POINT({})", points(&pairs)),
        "MultiPoint" => format!("MULTIPOINT({})", points(&pairs)),
        "LineString" if pairs.len() >= 2 => format!("LINESTRING({})", points(&pairs)),
        "Polygon" if pairs.len() >= 4 && pairs.first() == pairs.last() => {
            format!("POLYGON(({}))", points(&pairs))
        }
        "Point" | "LineString" | "Polygon" => {
            return Err(args.invalid(
                1,
                &join(&numbers),
                "too few positions for the geometry type, or a polygon ring that does not close",
            ));
        }
        _ => {
            return Err(args.invalid(
                0,
                kind,
                "not a supported GeoJSON geometry type (Point, MultiPoint, LineString, Polygon)",
            ));
        }
    };
    Ok(string(wkt))
}

fn join(numbers: &[f64]) -> String {
    numbers
        .iter()
        .map(f64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
