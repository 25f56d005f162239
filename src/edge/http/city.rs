//! `/state` and `/series`: the live city's current values and rollup buckets, read from the
//! derived graphs (see `src/city`). Thin: parameters in, `city::views` out.

use actix_web::{HttpRequest, HttpResponse, web};
use oxigraph::model::NamedNode;
use serde_json::json;

use super::negotiate::{self, Output};
use super::problem::Problem;
use super::render::{self, csv_table};
use super::state::AppState;
use crate::city::layout::{Scope, Size};
use crate::city::views::{self, CurrentValue, Point, SeriesFilter, StateFilter};
use crate::storage::run_blocking;

/// Rows of the `/state` page (the other formats carry every value).
const STATE_PAGE_ROWS: usize = 1000;

/// The query parameters, each at most once.
fn params(request: &HttpRequest) -> Result<Vec<(String, String)>, Problem> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(request.query_string().as_bytes()) {
        if out.iter().any(|(n, _)| *n == name) {
            return Err(Problem::bad_request(
                "repeated-parameter",
                format!("the parameter `{name}` is given more than once"),
            ));
        }
        out.push((name.into_owned(), value.into_owned()));
    }
    Ok(out)
}

fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn iri(params: &[(String, String)], name: &str) -> Result<Option<NamedNode>, Problem> {
    get(params, name)
        .map(|text| {
            NamedNode::new(text).map_err(|e| {
                Problem::bad_request(
                    "bad-parameter",
                    format!("`{name}` must be an absolute IRI ({e}): {text:?}"),
                )
            })
        })
        .transpose()
}

fn bbox(text: &str) -> Result<[f64; 4], Problem> {
    let bad = || {
        Problem::bad_request(
            "bad-parameter",
            format!("`bbox` is minLon,minLat,maxLon,maxLat in degrees, got {text:?}"),
        )
    };
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>().map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    match numbers[..] {
        [x0, y0, x1, y1] if numbers.iter().all(|n| n.is_finite()) && x0 <= x1 && y0 <= y1 => {
            Ok([x0, y0, x1, y1])
        }
        _ => Err(bad()),
    }
}

pub async fn state(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let offer = negotiate::negotiate(&request, negotiate::STATE)?;
    let params = params(&request)?;
    let filter = StateFilter {
        property: iri(&params, "property")?,
        area: iri(&params, "area")?,
        bbox: get(&params, "bbox").map(bbox).transpose()?,
    };
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let geo = offer.output == Output::Document;
    let city = state.city.clone();
    let values = run_blocking(move || {
        let readings = city.current_readings();
        let map = city.areas();
        let mut values = views::current_values(&storage, &base, &filter, readings, &map)?;
        if geo {
            views::locate(&storage, &map, &mut values)?;
        }
        Ok::<_, crate::storage::StoreError>(values)
    })
    .await??;
    let response = match offer.output {
        Output::Results(_) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(state_csv(&values)?),
        Output::Document => HttpResponse::Ok()
            .content_type("application/geo+json")
            .json(geojson(&values)),
        Output::Rdf(format) => {
            let base = &state.settings.base_iri;
            let triples: Vec<oxigraph::model::Triple> = values
                .iter()
                .flat_map(|v| crate::city::state::quads(base, &v.reading))
                .map(oxigraph::model::Triple::from)
                .collect();
            render::rdf_response(format, offer.media_type(), &triples)?
        }
        Output::Html => {
            let mut context = tera::Context::new();
            let shown: Vec<_> = values.iter().take(STATE_PAGE_ROWS).collect();
            context.insert("values", &shown);
            context.insert("total", &values.len());
            context.insert("query", request.query_string());
            render::render(
                &state,
                "state.html",
                &context,
                actix_web::http::StatusCode::OK,
            )?
        }
        _ => HttpResponse::Ok().json(json!({ "values": values })),
    };
    Ok(with_vary(response))
}

fn with_vary(mut response: HttpResponse) -> HttpResponse {
    response.headers_mut().insert(
        actix_web::http::header::VARY,
        actix_web::http::header::HeaderValue::from_static("Accept"),
    );
    response
}

fn state_csv(values: &[CurrentValue]) -> Result<Vec<u8>, Problem> {
    csv_table(
        &["subject", "property", "value", "time", "observation"],
        values.iter().map(|v| {
            vec![
                v.subject.clone(),
                v.property.clone(),
                v.value.clone(),
                v.time.clone(),
                v.observation.clone(),
            ]
        }),
    )
}

/// Current values as GeoJSON points (RFC 7946); values without a known location are left out.
fn geojson(values: &[CurrentValue]) -> serde_json::Value {
    let features: Vec<_> = values
        .iter()
        .filter_map(|v| {
            let (lon, lat) = v.location?;
            Some(json!({
                "type": "Feature",
                "id": format!("{} {}", v.subject, v.property),
                "geometry": { "type": "Point", "coordinates": [lon, lat] },
                "properties": {
                    "subject": v.subject, "property": v.property, "value": v.number.map_or_else(|| json!(v.value), |n| json!(n)),
                    "time": v.time, "observation": v.observation, "areas": v.areas,
                },
            }))
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features })
}

pub async fn series(
    request: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, Problem> {
    let offer = negotiate::negotiate(&request, negotiate::SERIES)?;
    let params = params(&request)?;
    let property = iri(&params, "property")?.ok_or_else(|| {
        Problem::bad_request(
            "missing-parameter",
            "`property` (the observed property's IRI) is required",
        )
    })?;
    let size = match get(&params, "size") {
        None => Size::Day,
        Some(text) => Size::parse(text).ok_or_else(|| {
            Problem::bad_request(
                "bad-parameter",
                format!("`size` is hour, day or month, got {text:?}"),
            )
        })?,
    };
    let (scope, subject) = match (
        iri(&params, "sensor")?,
        iri(&params, "area")?,
        get(&params, "scope"),
    ) {
        (Some(sensor), None, None) => (Scope::Sensor, Some(sensor)),
        (None, Some(area), None) => (Scope::Area, Some(area)),
        (None, None, Some(text)) => (
            Scope::parse(text).ok_or_else(|| {
                Problem::bad_request(
                    "bad-parameter",
                    format!("`scope` is sensor or area, got {text:?}"),
                )
            })?,
            None,
        ),
        _ => {
            return Err(Problem::bad_request(
                "bad-parameter",
                "give exactly one of `sensor` (an IRI), `area` (an IRI) or `scope` (sensor or area: all of them)",
            ));
        }
    };
    let bound = |name: &str, upper: bool| -> Result<Option<String>, Problem> {
        get(&params, name)
            .map(|text| {
                views::utc_bound(text, upper).ok_or_else(|| {
                    Problem::bad_request(
                        "bad-parameter",
                        format!("`{name}` is a date (2025-03-03) or a date-time (2025-03-03T10:00:00Z), got {text:?}"),
                    )
                })
            })
            .transpose()
    };
    let filter = SeriesFilter {
        scope,
        subject,
        property,
        size,
        from: bound("from", false)?,
        to: bound("to", true)?,
    };
    let storage = state.store.clone();
    let base = state.settings.base_iri.clone();
    let echo = filter.clone();
    let points = run_blocking(move || views::series(&storage, &base, &filter)).await??;
    let response = match offer.output {
        Output::Results(_) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .body(series_csv(&points)?),
        _ => HttpResponse::Ok().json(json!({
            "property": echo.property.as_str(),
            "scope": echo.scope.name(),
            "size": echo.size.name(),
            "series": points,
        })),
    };
    Ok(with_vary(response))
}

fn series_csv(points: &[Point]) -> Result<Vec<u8>, Problem> {
    csv_table(
        &[
            "subject", "period", "start", "count", "sum", "min", "max", "mean", "stddev",
        ],
        points.iter().map(|p| {
            vec![
                p.subject.clone(),
                p.period.clone(),
                p.start.clone(),
                p.count.to_string(),
                p.sum.to_string(),
                p.min.to_string(),
                p.max.to_string(),
                p.mean.to_string(),
                p.stddev.to_string(),
            ]
        }),
    )
}
