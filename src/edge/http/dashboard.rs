//! `/dashboard`: the city operators' page. KPI tiles with a sparkline of their input's daily
//! mean, a map of the areas and sensors coloured by the latest value of one property (SVG from
//! the profile's polygons: no tile server, no script, no asset from elsewhere), the latest
//! readings and each area's data capture. Everything comes from the derived graphs and the
//! in-memory current values, so the page costs the same at 10k or 10M observations.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::NamedNode;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tera::Context;

use super::problem::Problem;
use super::render;
use super::state::AppState;
use crate::city::kpi::assessments::{Assessment, Status};
use crate::city::layout::{Scope, Size};
use crate::city::views::{self, SeriesFilter, StateFilter};
use crate::edge::auth::Role;
use crate::storage::{StoreError, run_blocking};

const PROPERTY_NS: &str = "https://w3id.org/citykg/property/";
/// Sequential colours, low to high (ColorBrewer YlOrRd, 5 classes).
const PALETTE: [&str; 5] = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
const MAP_WIDTH: f64 = 640.0;
const SPARK_WIDTH: f64 = 120.0;
const SPARK_HEIGHT: f64 = 28.0;
/// Days of daily means a sparkline shows.
const SPARK_DAYS: usize = 30;
/// Hours over which an area's data capture is measured, back from the latest reading.
const CAPTURE_HOURS: i64 = 7 * 24;
const LATEST_ROWS: usize = 20;

#[derive(Serialize)]
struct Tile {
    label: String,
    method: String,
    code: String,
    value: String,
    unit: String,
    status: String,
    capture: Option<String>,
    guideline: Option<String>,
    notes: Vec<String>,
    sparkline: Option<String>,
}

#[derive(Serialize)]
struct MapArea {
    iri: String,
    label: String,
    path: String,
    fill: String,
    value: String,
}

#[derive(Serialize)]
struct MapSensor {
    iri: String,
    cx: String,
    cy: String,
    fill: String,
    title: String,
}

#[derive(Serialize)]
struct MapView {
    width: String,
    height: String,
    areas: Vec<MapArea>,
    sensors: Vec<MapSensor>,
    legend: Vec<(String, String)>,
}

#[derive(Serialize)]
struct Latest {
    subject: String,
    property: String,
    value: String,
    time: String,
}

#[derive(Serialize)]
struct Capture {
    area: String,
    hours: usize,
    share: String,
}

#[derive(Serialize)]
struct Page {
    property: String,
    property_name: String,
    properties: Vec<(String, String)>,
    year: Option<i32>,
    tiles: Vec<Tile>,
    map: Option<MapView>,
    latest: Vec<Latest>,
    capture: Vec<Capture>,
}

fn short(iri: &str) -> String {
    iri.rsplit(['/', '#']).next().unwrap_or(iri).to_owned()
}

/// Three significant digits at most (whole numbers from 100 up): 0.00103, 2.4, 22.5, 1234.
fn format_number(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    let magnitude = value.abs().log10().floor() as i32;
    let decimals = (2 - magnitude).clamp(0, 12) as usize;
    format!("{value:.decimals$}")
}

/// Readable UTC time: `2025-03-09 23:52 UTC`.
fn readable_time(text: &str) -> String {
    match crate::city::readings::utc_time(&oxigraph::model::Literal::new_typed_literal(
        text,
        oxigraph::model::vocab::xsd::DATE_TIME,
    )) {
        Some(t) => format!(
            "{:04}-{:02}-{:02} {:02}:{:02} UTC",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        ),
        None => text.to_owned(),
    }
}

fn colour(value: f64, low: f64, high: f64) -> &'static str {
    if high <= low {
        return PALETTE[2];
    }
    let class = (((value - low) / (high - low)) * PALETTE.len() as f64).floor() as usize;
    PALETTE[class.min(PALETTE.len() - 1)]
}

/// A polyline of daily means in the sparkline's box.
fn sparkline(means: &[f64]) -> Option<String> {
    if means.len() < 2 {
        return None;
    }
    let (low, high) = means
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    let span = if high > low { high - low } else { 1.0 };
    let step = SPARK_WIDTH / (means.len() - 1) as f64;
    Some(
        means
            .iter()
            .enumerate()
            .map(|(i, v)| {
                format!(
                    "{:.1},{:.1}",
                    i as f64 * step,
                    SPARK_HEIGHT - 2.0 - (v - low) / span * (SPARK_HEIGHT - 4.0)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The city-wide daily means of `property` (every sensor's day buckets pooled), last days.
fn daily_means(
    storage: &crate::storage::Storage,
    base: &crate::core::config::BaseIri,
    property: &NamedNode,
    from: Option<String>,
) -> Result<Vec<f64>, StoreError> {
    let filter = SeriesFilter {
        scope: Scope::Area,
        subject: None,
        property: property.clone(),
        size: Size::Day,
        from,
        to: None,
    };
    let mut points = views::series(storage, base, &filter)?;
    if points.is_empty() {
        points = views::series(
            storage,
            base,
            &SeriesFilter {
                scope: Scope::Sensor,
                ..filter
            },
        )?;
    }
    let mut by_day: BTreeMap<String, (u64, f64)> = BTreeMap::new();
    for p in points {
        let day = by_day.entry(p.start).or_default();
        day.0 += p.count;
        day.1 += p.sum;
    }
    let means: Vec<f64> = by_day
        .values()
        .filter(|(n, _)| *n > 0)
        .map(|(n, sum)| sum / *n as f64)
        .collect();
    Ok(means[means.len().saturating_sub(SPARK_DAYS)..].to_vec())
}

fn tiles(
    state: &AppState,
    stored: &[Assessment],
    since: Option<String>,
) -> Result<(Option<i32>, Vec<Tile>), StoreError> {
    let year = stored
        .iter()
        .filter(|a| a.status == Status::Computed)
        .map(|a| a.year)
        .max();
    let Some(year) = year else {
        return Ok((None, Vec::new()));
    };
    let methods = state.kpis.methods();
    let mut sparks: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut out = Vec::new();
    for a in stored.iter().filter(|a| a.year == year) {
        let method = a
            .method
            .as_ref()
            .and_then(|slug| methods.iter().find(|m| &m.slug == slug));
        let spark = match method.map(|m| m.properties[0].clone()) {
            Some(property) => match sparks.get(property.as_str()) {
                Some(s) => s.clone(),
                None => {
                    let s = sparkline(&daily_means(
                        &state.store,
                        &state.settings.base_iri,
                        &property,
                        since.clone(),
                    )?);
                    sparks.insert(property.as_str().to_owned(), s.clone());
                    s
                }
            },
            None => None,
        };
        out.push(Tile {
            label: a.label.clone(),
            code: short(&a.kpi),
            value: a.value.map_or_else(|| "no value".to_owned(), format_number),
            unit: a.unit.as_deref().map(short).unwrap_or_default(),
            status: match (a.status, a.value) {
                (Status::Reported, _) => "reported",
                (Status::Computed, Some(_)) => "computed",
                (Status::Computed, None) => "missing",
            }
            .to_owned(),
            capture: a.capture.map(|c| format!("{:.1} %", c * 100.0)),
            // A guideline in the unit of the value (air pollution); the noise level's 55 dB
            // threshold is said in its note.
            guideline: a
                .guideline
                .filter(|_| a.pollutant.is_some())
                .map(format_number),
            method: a.method.clone().unwrap_or_default(),
            notes: a.notes.clone(),
            sparkline: spark,
        });
    }
    Ok((Some(year), out))
}

/// Hours since the epoch of a UTC `xsd:dateTime` text.
fn hour_number(text: &str) -> Option<i64> {
    let t = crate::city::readings::utc_time(&oxigraph::model::Literal::new_typed_literal(
        text,
        oxigraph::model::vocab::xsd::DATE_TIME,
    ))?;
    let day = crate::city::kpi::calculate::day_number(&format!(
        "{:04}-{:02}-{:02}",
        t.year(),
        t.month(),
        t.day()
    ))?;
    Some(day * 24 + i64::from(t.hour()))
}

/// The UTC `xsd:dateTime` text of an hour number (see [`hour_number`]).
fn hour_text(hour: i64) -> String {
    let (days, hour) = (hour.div_euclid(24), hour.rem_euclid(24));
    // Civil date from days since 1970-01-01 (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{hour:02}:00:00Z")
}

fn build(state: &AppState, property: NamedNode) -> Result<Page, StoreError> {
    let storage = &state.store;
    let base = &state.settings.base_iri;
    let map_areas = state.city.areas();
    let stored = state.kpis.assessments()?;
    let readings = state.city.current_readings();
    let mut all =
        views::current_values(storage, base, &StateFilter::default(), readings, &map_areas)?;
    // The sparklines look back from the latest reading of any property.
    let newest = all.iter().filter_map(|v| hour_number(&v.time)).max();
    let since = newest.map(|h| hour_text(h - 24 * SPARK_DAYS as i64));
    let (year, tiles) = tiles(state, &stored, since)?;
    let properties: BTreeSet<String> = all.iter().map(|v| v.property.clone()).collect();
    let mut values: Vec<_> = all
        .iter()
        .filter(|v| v.property == property.as_str())
        .cloned()
        .collect();
    views::locate(storage, &map_areas, &mut values)?;
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.number).collect();
    let (low, high) = numbers
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
    // Each area's mean of its sensors' latest values.
    let mut area_values: BTreeMap<&str, (f64, u32)> = BTreeMap::new();
    for v in &values {
        if let Some(n) = v.number {
            for area in &v.areas {
                let e = area_values.entry(area.as_str()).or_default();
                e.0 += n;
                e.1 += 1;
            }
        }
    }
    let map = if map_areas.areas().is_empty() {
        None
    } else {
        let mut bounds: Option<(f64, f64, f64, f64)> = None;
        for b in map_areas.areas().iter().filter_map(|a| a.shape.bounds()) {
            bounds = Some(match bounds {
                None => b,
                Some((a, c, d, e)) => (a.min(b.0), c.min(b.1), d.max(b.2), e.max(b.3)),
            });
        }
        let (x0, y0, x1, y1) = bounds.unwrap_or((0.0, 0.0, 1.0, 1.0));
        let aspect = ((y0 + y1) / 2.0).to_radians().cos().max(0.01);
        let scale = MAP_WIDTH / ((x1 - x0) * aspect).max(1e-9);
        let project = |x: f64, y: f64| ((x - x0) * aspect * scale, (y1 - y) * scale);
        let areas = map_areas
            .areas()
            .iter()
            .map(|area| {
                let mut path = String::new();
                for polygon in &area.shape.polygons {
                    for ring in &polygon.rings {
                        for (i, (x, y)) in ring.iter().enumerate() {
                            let (px, py) = project(*x, *y);
                            path.push_str(&format!(
                                "{}{px:.1} {py:.1} ",
                                if i == 0 { "M" } else { "L" }
                            ));
                        }
                        path.push_str("Z ");
                    }
                }
                let mean = area_values
                    .get(area.node.as_str())
                    .map(|(sum, n)| sum / f64::from(*n));
                MapArea {
                    iri: area.node.as_str().to_owned(),
                    label: area
                        .label
                        .clone()
                        .unwrap_or_else(|| short(area.node.as_str())),
                    path: path.trim_end().to_owned(),
                    fill: mean.map_or("#eaeef2", |m| colour(m, low, high)).to_owned(),
                    value: mean.map_or_else(|| "no reading".to_owned(), format_number),
                }
            })
            .collect();
        let sensors = values
            .iter()
            .filter_map(|v| {
                let (x, y) = v.location?;
                let (cx, cy) = project(x, y);
                Some(MapSensor {
                    iri: v.subject.clone(),
                    cx: format!("{cx:.1}"),
                    cy: format!("{cy:.1}"),
                    fill: v
                        .number
                        .map_or(PALETTE[0], |n| colour(n, low, high))
                        .to_owned(),
                    title: format!(
                        "{}: {} at {}",
                        short(&v.subject),
                        v.value,
                        readable_time(&v.time)
                    ),
                })
            })
            .collect();
        let legend = if numbers.is_empty() {
            Vec::new()
        } else if high <= low {
            vec![(PALETTE[2].to_owned(), format_number(low))]
        } else {
            let step = (high - low) / PALETTE.len() as f64;
            PALETTE
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    (
                        (*c).to_owned(),
                        format!(
                            "{} to {}",
                            format_number(low + step * i as f64),
                            format_number(low + step * (i + 1) as f64)
                        ),
                    )
                })
                .collect()
        };
        Some(MapView {
            width: format!("{MAP_WIDTH:.0}"),
            height: format!("{:.0}", (y1 - y0) * scale),
            areas,
            sensors,
            legend,
        })
    };
    // Data capture per area: hours with readings of the property over the last week of data.
    let latest_hour = values.iter().filter_map(|v| hour_number(&v.time)).max();
    let mut capture = Vec::new();
    if let Some(latest) = latest_hour {
        let points = views::series(
            storage,
            base,
            &SeriesFilter {
                scope: Scope::Area,
                subject: None,
                property: property.clone(),
                size: Size::Hour,
                from: Some(hour_text(latest - CAPTURE_HOURS + 1)),
                to: None,
            },
        )?;
        let mut hours: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
        for p in &points {
            if let Some(h) = hour_number(&p.start)
                && h > latest - CAPTURE_HOURS
            {
                hours.entry(p.subject.as_str()).or_default().insert(h);
            }
        }
        for area in map_areas.areas() {
            let n = hours.get(area.node.as_str()).map_or(0, BTreeSet::len);
            capture.push(Capture {
                area: area
                    .label
                    .clone()
                    .unwrap_or_else(|| short(area.node.as_str())),
                hours: n,
                share: format!("{:.0} %", 100.0 * n as f64 / CAPTURE_HOURS as f64),
            });
        }
    }
    all.sort_by(|a, b| {
        b.reading
            .time
            .partial_cmp(&a.reading.time)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let latest = all
        .iter()
        .take(LATEST_ROWS)
        .map(|v| Latest {
            subject: short(&v.subject),
            property: short(&v.property),
            value: v.number.map_or_else(|| v.value.clone(), format_number),
            time: readable_time(&v.time),
        })
        .collect();
    Ok(Page {
        property_name: short(property.as_str()),
        property: property.into_string(),
        properties: properties
            .iter()
            .map(|p| {
                (
                    short(p),
                    form_urlencoded::byte_serialize(p.as_bytes()).collect(),
                )
            })
            .collect(),
        year,
        tiles,
        map,
        latest,
        capture,
    })
}

/// `GET /dashboard[?property=pm25]`.
pub async fn page(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    super::auth::authorize(&request, &state, Role::Read)?;
    let property =
        match super::body::Params::parse(request.query_string().as_bytes()).single("property")? {
            None => format!("{PROPERTY_NS}pm25"),
            Some(value) if value.contains(':') => value,
            Some(value) => format!("{PROPERTY_NS}{value}"),
        };
    let property = NamedNode::new(&property).map_err(|e| {
        Problem::bad_request(
            "bad-parameter",
            format!("`property` must be a property name such as pm25 or an IRI ({e})"),
        )
    })?;
    // The page reads windows of rollups for every tile: it takes a task slot.
    let _admitted = super::deadline::Admitted::task(&state).await?;
    let shared = state.clone();
    let page = run_blocking(move || build(&shared, property)).await??;
    let mut context = Context::new();
    context.insert("page", &page);
    render::render(&state, "dashboard.html", &context, StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hour_numbers_and_their_text_go_both_ways() {
        for text in [
            "2025-03-03T10:00:00Z",
            "2024-02-29T23:00:00Z",
            "2025-01-01T00:00:00Z",
        ] {
            assert_eq!(hour_text(hour_number(text).unwrap()), text);
        }
        assert_eq!(format_number(0.001031), "0.00103");
        assert_eq!(format_number(22.5), "22.5");
        assert_eq!(format_number(1234.4), "1234");
    }
}
