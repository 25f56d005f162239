//! Reading the derived graphs back for people and dashboards: the current values (`/state`)
//! and the buckets of one sensor, one area or every area (`/series`). Both read only the
//! derived graphs, so their cost follows sensors and buckets, not observations.

use super::areas::AreaMap;
use super::layout::{self, Scope, Size};
use super::world::{Read, World, node_quads, object, position};
use crate::core::config::BaseIri;
use crate::core::vocab::{self, city};
use crate::storage::{Storage, StoreError};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};
use serde::Serialize;
use std::collections::BTreeMap;

/// One current value.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CurrentValue {
    /// The sensor, or the feature of interest for observations without a sensor.
    pub subject: String,
    pub by_sensor: bool,
    pub property: String,
    pub value: String,
    /// The value as a number, when it is one.
    pub number: Option<f64>,
    pub time: String,
    pub observation: String,
    /// WGS84 longitude and latitude of the subject, when known.
    pub location: Option<(f64, f64)>,
    pub areas: Vec<String>,
    /// The reading it copies (its RDF is `state::quads` of it).
    #[serde(skip)]
    pub reading: super::readings::Reading,
}

/// What `/state` selects.
#[derive(Debug, Default, Clone)]
pub struct StateFilter {
    pub property: Option<NamedNode>,
    pub area: Option<NamedNode>,
    /// min longitude, min latitude, max longitude, max latitude.
    pub bbox: Option<[f64; 4]>,
}

fn named(term: Option<&Term>) -> Option<&NamedNode> {
    match term {
        Some(Term::NamedNode(n)) => Some(n),
        _ => None,
    }
}

fn literal_number(term: Option<&Term>) -> Option<f64> {
    match term {
        Some(Term::Literal(l)) => l.value().trim().parse().ok(),
        _ => None,
    }
}

/// The areas a node is placed in: explicitly, or by its position in the profile's areas.
fn areas(storage: &Storage, map: &AreaMap, node: &NamedNode) -> Result<Vec<String>, StoreError> {
    Ok(Read::new(storage, map)
        .areas(node)?
        .into_iter()
        .map(NamedNode::into_string)
        .collect())
}

/// Where a subject is: its WGS84 point and the areas it is placed in.
type Place = (Option<(f64, f64)>, Vec<String>);

/// The current values that pass `filter`, sorted by subject and property: from `readings` when
/// the caller has them in memory, else from `graph/state`.
pub fn current_values(
    storage: &Storage,
    base: &BaseIri,
    filter: &StateFilter,
    readings: Option<Vec<super::readings::Reading>>,
    map: &AreaMap,
) -> Result<Vec<CurrentValue>, StoreError> {
    let readings = match readings {
        Some(readings) => readings,
        None => super::state::all(storage, base)?,
    };
    let mut out = Vec::new();
    let mut places: BTreeMap<NamedNode, Place> = BTreeMap::new();
    for reading in readings {
        if filter
            .property
            .as_ref()
            .is_some_and(|p| *p != reading.property)
        {
            continue;
        }
        let subject = reading.key.node().clone();
        let needs_place = filter.area.is_some() || filter.bbox.is_some();
        if needs_place && !places.contains_key(&subject) {
            let place = (position(storage, &subject)?, areas(storage, map, &subject)?);
            places.insert(subject.clone(), place);
        }
        let (point, in_areas) = places.get(&subject).cloned().unwrap_or_default();
        if let Some(area) = &filter.area
            && !in_areas.iter().any(|a| a == area.as_str())
        {
            continue;
        }
        if let Some([x0, y0, x1, y1]) = filter.bbox {
            match point {
                Some((x, y)) if x >= x0 && x <= x1 && y >= y0 && y <= y1 => {}
                _ => continue,
            }
        }
        out.push(CurrentValue {
            by_sensor: matches!(reading.key, super::readings::Key::Sensor(_)),
            subject: subject.into_string(),
            property: reading.property.as_str().to_owned(),
            number: super::readings::numeric(&reading.result),
            value: reading.result.value().to_owned(),
            time: reading.time_literal.value().to_owned(),
            observation: reading.observation.as_str().to_owned(),
            location: point,
            areas: in_areas,
            reading,
        });
    }
    out.sort_by(|a, b| (&a.subject, &a.property).cmp(&(&b.subject, &b.property)));
    Ok(out)
}

/// Fills in where each current value's subject is (for maps and GeoJSON).
pub fn locate(
    storage: &Storage,
    map: &AreaMap,
    values: &mut [CurrentValue],
) -> Result<(), StoreError> {
    for value in values.iter_mut().filter(|v| v.location.is_none()) {
        let node = NamedNode::new_unchecked(value.subject.clone());
        value.location = position(storage, &node)?;
        value.areas = areas(storage, map, &node)?;
    }
    Ok(())
}

/// One bucket of a series.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Point {
    pub subject: String,
    pub period: String,
    pub start: String,
    pub count: u64,
    pub sum: f64,
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    /// Population standard deviation.
    pub stddev: f64,
}

/// What `/series` selects.
#[derive(Debug, Clone)]
pub struct SeriesFilter {
    pub scope: Scope,
    /// One sensor or area; `None`: every subject of the scope.
    pub subject: Option<NamedNode>,
    pub property: NamedNode,
    pub size: Size,
    /// Inclusive bounds on the bucket's start, as `xsd:dateTime` text in UTC.
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The buckets that pass `filter`, sorted by subject and start.
pub fn series(
    storage: &Storage,
    base: &BaseIri,
    filter: &SeriesFilter,
) -> Result<Vec<Point>, StoreError> {
    let graph = layout::rollup_graph(base, filter.size);
    let prefix = base.join(&format!(
        "id/rollup/{}/{}/",
        filter.scope.name(),
        filter.size.name()
    ));
    let subject_predicate = match filter.scope {
        Scope::Sensor => city::REF_SENSOR,
        Scope::Area => vocab::SDMX_REF_AREA,
    };
    // The bucket nodes: by subject when one is given, else by property.
    let nodes: Vec<NamedNode> = {
        let pattern = match &filter.subject {
            Some(subject) => storage.quads(
                None,
                Some(subject_predicate),
                Some(subject.as_ref().into()),
                Some(graph.as_ref().into()),
            ),
            None => storage.quads(
                None,
                Some(city::REF_PROPERTY),
                Some(filter.property.as_ref().into()),
                Some(graph.as_ref().into()),
            ),
        };
        let mut nodes = Vec::new();
        for quad in pattern {
            if let NamedOrBlankNode::NamedNode(node) = quad?.subject
                && node.as_str().starts_with(&prefix)
            {
                nodes.push(node);
            }
        }
        nodes
    };
    let mut out = Vec::new();
    for node in nodes {
        // The period is the IRI's last segment: buckets outside the bounds are not read.
        let start = node.as_str().rsplit('/').next().map(|label| {
            layout::Period {
                size: filter.size,
                label: label.to_owned(),
            }
            .start()
        });
        if let Some(start) = &start
            && (filter.from.as_ref().is_some_and(|from| start < from)
                || filter.to.as_ref().is_some_and(|to| start > to))
        {
            continue;
        }
        let quads = node_quads(storage, &node, &graph)?;
        if named(object(&quads, city::REF_PROPERTY)) != Some(&filter.property) {
            continue;
        }
        let (Some(subject), Some(Term::Literal(start)), Some(Term::NamedNode(period))) = (
            named(object(&quads, subject_predicate)),
            object(&quads, city::PERIOD_START),
            object(&quads, vocab::SDMX_REF_PERIOD),
        ) else {
            continue;
        };
        let start = start.value().to_owned();
        if filter
            .from
            .as_ref()
            .is_some_and(|from| start.as_str() < from.as_str())
            || filter
                .to
                .as_ref()
                .is_some_and(|to| start.as_str() > to.as_str())
        {
            continue;
        }
        let count = literal_number(object(&quads, city::COUNT)).unwrap_or_default() as u64;
        let sum = literal_number(object(&quads, city::SUM)).unwrap_or(f64::NAN);
        let squares = literal_number(object(&quads, city::SUM_OF_SQUARES)).unwrap_or(f64::NAN);
        let mean = literal_number(object(&quads, city::MEAN)).unwrap_or(f64::NAN);
        let variance = (squares / count as f64 - mean * mean).max(0.0);
        out.push(Point {
            subject: subject.as_str().to_owned(),
            period: period
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned(),
            start,
            count,
            sum,
            min: literal_number(object(&quads, city::MIN)).unwrap_or(f64::NAN),
            max: literal_number(object(&quads, city::MAX)).unwrap_or(f64::NAN),
            mean,
            stddev: variance.sqrt(),
        });
    }
    out.sort_by(|a, b| (&a.subject, &a.start).cmp(&(&b.subject, &b.start)));
    Ok(out)
}

/// A time bound given as a date or a date-time, as UTC text comparable with bucket starts; an
/// upper bound given as a date covers the whole day.
pub fn utc_bound(text: &str, upper: bool) -> Option<String> {
    use std::str::FromStr;
    let text = text.trim();
    let time = if text.len() == 10 {
        let day = oxsdatatypes::Date::from_str(text).ok()?;
        let time = if upper { "23:59:59" } else { "00:00:00" };
        oxsdatatypes::DateTime::from_str(&format!("{day}T{time}Z")).ok()?
    } else {
        oxsdatatypes::DateTime::from_str(text).ok()?
    };
    let utc = time.adjust(Some(oxsdatatypes::TimezoneOffset::UTC))?;
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        utc.year(),
        utc.month(),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
            .to_string()
            .split('.')
            .next()
            .unwrap_or("0")
            .parse::<u8>()
            .ok()?
    ))
}

/// Every bucket of `scope` and `size` whose period starts in `year`, by (subject, property):
/// the data set's buckets from one scan, each one's count and sum by a seek, its (subject,
/// property) found from its IRI's pair digest through the month buckets (few), so that no
/// bucket is read whole. `min`, `max` and `stddev` are left out (NaN).
pub fn year_buckets(
    storage: &Storage,
    base: &BaseIri,
    scope: Scope,
    size: Size,
    year: i32,
) -> Result<BTreeMap<(String, String), Vec<Point>>, StoreError> {
    let prefix_of = |size: Size| base.join(&format!("id/rollup/{}/{}/", scope.name(), size.name()));
    // digest -> (subject, property), from the month buckets.
    let month = layout::rollup_graph(base, Size::Month);
    let month_prefix = prefix_of(Size::Month);
    let subject_predicate = match scope {
        Scope::Sensor => city::REF_SENSOR,
        Scope::Area => vocab::SDMX_REF_AREA,
    };
    let digest_of = |node: &str, prefix: &str| -> Option<(String, String)> {
        let (digest, label) = node.strip_prefix(prefix)?.split_once('/')?;
        Some((digest.to_owned(), label.to_owned()))
    };
    let mut pairs: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::new();
    for (predicate, slot) in [(subject_predicate, 0), (city::REF_PROPERTY, 1)] {
        for quad in storage.quads(None, Some(predicate), None, Some(month.as_ref().into())) {
            let quad = quad?;
            let (NamedOrBlankNode::NamedNode(node), Term::NamedNode(object)) =
                (&quad.subject, &quad.object)
            else {
                continue;
            };
            if let Some((digest, _)) = digest_of(node.as_str(), &month_prefix) {
                let pair = pairs.entry(digest).or_default();
                let target = if slot == 0 { &mut pair.0 } else { &mut pair.1 };
                *target = Some(object.as_str().to_owned());
            }
        }
    }
    // The data set's buckets (only this scope's), then each one's count and sum by a seek.
    let graph = layout::rollup_graph(base, size);
    let g = Some(graph.as_ref().into());
    let dataset = layout::dataset(base, scope, size);
    let prefix = prefix_of(size);
    let year_prefix = format!("{year:04}-");
    let mut found: BTreeMap<(String, String), (u64, f64)> = BTreeMap::new();
    for quad in storage.quads(
        None,
        Some(vocab::QB_IN_DATA_SET),
        Some(dataset.as_ref().into()),
        g,
    ) {
        let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
            continue;
        };
        let Some((digest, label)) = digest_of(node.as_str(), &prefix) else {
            continue;
        };
        if !label.starts_with(&year_prefix) {
            continue;
        }
        let measure = |predicate| -> Result<Option<f64>, StoreError> {
            let quad = storage
                .quads(Some(node.as_ref().into()), Some(predicate), None, g)
                .next()
                .transpose()?;
            Ok(literal_number(quad.as_ref().map(|q| &q.object)))
        };
        if let (Some(count), Some(sum)) = (measure(city::COUNT)?, measure(city::SUM)?) {
            found.insert((digest, label), (count as u64, sum));
        }
    }
    let mut out: BTreeMap<(String, String), Vec<Point>> = BTreeMap::new();
    for ((digest, label), (count, sum)) in found {
        let Some((Some(subject), Some(property))) = pairs.get(&digest) else {
            continue;
        };
        if count == 0 {
            continue;
        }
        let period = layout::Period { size, label };
        out.entry((subject.clone(), property.clone()))
            .or_default()
            .push(Point {
                subject: subject.clone(),
                start: period.start(),
                period: period.label,
                count,
                sum,
                min: f64::NAN,
                max: f64::NAN,
                mean: sum / count as f64,
                stddev: f64::NAN,
            });
    }
    Ok(out)
}
