//! The calculations behind the KPI methods: each reads rollups (never raw observations) and
//! the city profile, and gives a value with what it was derived from, its data capture and a
//! note when something is missing or short.

use super::methods::{Calculation, Method};
use crate::city::layout::{self, Scope, Size};
use crate::city::profile::Profile;
use crate::city::views::{self, Point};
use crate::core::config::BaseIri;
use crate::core::vocab::city;
use crate::storage::{Storage, StoreError};
use oxigraph::model::{NamedNode, NamedNodeRef};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// How far back a figure of the profile may come from when the year's own is missing.
const FIGURE_LOOKBACK_YEARS: i32 = 10;

/// Peak hours (UTC) for the travel time index: the morning and evening rush.
const PEAK_HOURS: [u32; 5] = [7, 8, 16, 17, 18];

/// A method's result for one year.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Outcome {
    pub value: Option<f64>,
    /// The share of expected hourly readings present (0..1), where the method defines it.
    pub capture: Option<f64>,
    pub notes: Vec<String>,
    /// The rollup datasets and profile version the value comes from.
    pub derived_from: BTreeSet<NamedNode>,
}

/// A property's buckets of one scope and size.
type SeriesKey = (Scope, Size, NamedNode);

/// What the calculations read, each rollup series at most once per run.
pub struct Inputs<'a> {
    storage: &'a Storage,
    base: &'a BaseIri,
    pub year: i32,
    pub profile: &'a Profile,
    series: RefCell<HashMap<SeriesKey, Rc<Vec<Point>>>>,
    /// The (scope, size) pairs read so far.
    loaded: RefCell<std::collections::HashSet<(Scope, Size)>>,
}

impl<'a> Inputs<'a> {
    pub fn new(storage: &'a Storage, base: &'a BaseIri, year: i32, profile: &'a Profile) -> Self {
        Self {
            storage,
            base,
            year,
            profile,
            series: RefCell::default(),
            loaded: RefCell::default(),
        }
    }

    /// The buckets of `property` in the year, every sensor (or area) of `scope`: the year's
    /// buckets of a scope and size are read once per run, whatever the property.
    fn points(
        &self,
        scope: Scope,
        size: Size,
        property: &NamedNode,
        outcome: &mut Outcome,
    ) -> Result<Rc<Vec<Point>>, StoreError> {
        outcome
            .derived_from
            .insert(layout::dataset(self.base, scope, size));
        let key = (scope, size, property.clone());
        if self.loaded.borrow().contains(&(scope, size)) {
            return Ok(self.series.borrow().get(&key).cloned().unwrap_or_default());
        }
        self.loaded.borrow_mut().insert((scope, size));
        let all = views::year_buckets(self.storage, self.base, scope, size, self.year)?;
        let mut series = self.series.borrow_mut();
        let mut by_property: HashMap<&str, Vec<Point>> = HashMap::new();
        for ((_, p), points) in &all {
            by_property
                .entry(p.as_str())
                .or_default()
                .extend(points.iter().cloned());
        }
        for (p, points) in by_property {
            series.insert((scope, size, NamedNode::new_unchecked(p)), Rc::new(points));
        }
        Ok(series
            .entry(key)
            .or_insert_with(|| Rc::new(Vec::new()))
            .clone())
    }

    /// A figure of the city for the year (or the latest year before it, with a note).
    fn city_figure(&self, figure: NamedNodeRef<'_>, outcome: &mut Outcome) -> Option<f64> {
        for year in (self.year - FIGURE_LOOKBACK_YEARS..=self.year).rev() {
            if let Some(value) = self.profile.city_figure(figure, year) {
                self.used_profile(outcome);
                if year != self.year {
                    outcome.notes.push(format!(
                        "{} of {year} used: the profile has none for {}",
                        local(figure.as_str()),
                        self.year
                    ));
                }
                return Some(value);
            }
        }
        outcome.notes.push(format!(
            "the city profile gives no {} for {} or the {FIGURE_LOOKBACK_YEARS} years before",
            local(figure.as_str()),
            self.year
        ));
        None
    }

    /// A figure per area for the year: each area's own, or its latest of the years before
    /// (with a note naming how many areas needed that).
    fn areas_figure(
        &self,
        figure: NamedNodeRef<'_>,
        outcome: &mut Outcome,
    ) -> Option<BTreeMap<NamedNode, f64>> {
        let mut values = BTreeMap::new();
        let mut older = 0;
        for area in self.profile.areas.keys() {
            let found = (self.year - FIGURE_LOOKBACK_YEARS..=self.year)
                .rev()
                .find_map(|year| {
                    self.profile
                        .figures
                        .get(&(area.clone(), figure.into_owned(), year))
                        .map(|v| (year, *v))
                });
            if let Some((year, value)) = found {
                older += usize::from(year != self.year);
                values.insert(area.clone(), value);
            }
        }
        if values.is_empty() {
            outcome.notes.push(format!(
                "the city profile gives no {} per area",
                local(figure.as_str())
            ));
            return None;
        }
        self.used_profile(outcome);
        if older > 0 {
            outcome.notes.push(format!(
                "{} of {older} area(s) taken from an earlier year: the profile has none for {}",
                local(figure.as_str()),
                self.year
            ));
        }
        Some(values)
    }

    fn used_profile(&self, outcome: &mut Outcome) {
        if let Some(version) = &self.profile.version {
            outcome.derived_from.insert(version.clone());
        }
    }

    fn hours_in_year(&self) -> f64 {
        let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
        if leap { 8784.0 } else { 8760.0 }
    }
}

fn local(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// Runs `method` for the year of `inputs`.
pub fn run(method: &Method, inputs: &Inputs<'_>) -> Result<Outcome, StoreError> {
    let mut outcome = Outcome::default();
    let value = match method.calculation {
        Calculation::AnnualMeanOfSensors => annual_mean(method, inputs, &mut outcome)?,
        Calculation::VolumePerCapitaPerDay => {
            volume_per_capita_per_day(method, inputs, &mut outcome)?
        }
        Calculation::EnergyPerCapita => energy_per_capita(method, inputs, &mut outcome)?,
        Calculation::EnergyPerFloorArea => energy_per_floor_area(method, inputs, &mut outcome)?,
        Calculation::TravelTimeIndex => travel_time_index(method, inputs, &mut outcome)?,
        Calculation::SupplyLoss => supply_loss(method, inputs, &mut outcome)?,
        Calculation::MonitoredStreetShare => monitored_street_share(method, inputs, &mut outcome)?,
        Calculation::SmartMeterShare => smart_meter_share(method, inputs, &mut outcome)?,
        Calculation::PopulationAboveLevel => population_above_level(method, inputs, &mut outcome)?,
    };
    outcome.value = value.filter(|v| v.is_finite());
    Ok(outcome)
}

fn first_property(method: &Method) -> &NamedNode {
    &method.properties[0]
}

fn no_readings(method: &Method, property: &NamedNode, inputs: &Inputs<'_>, outcome: &mut Outcome) {
    let _ = method;
    outcome.notes.push(format!(
        "no readings of {} in {}",
        local(property.as_str()),
        inputs.year
    ));
}

/// Per subject: (count, sum, buckets) over the points.
fn totals(points: &[Point]) -> BTreeMap<&str, (u64, f64, u64)> {
    let mut out: BTreeMap<&str, (u64, f64, u64)> = BTreeMap::new();
    for p in points {
        let t = out.entry(p.subject.as_str()).or_default();
        t.0 += p.count;
        t.1 += p.sum;
        t.2 += 1;
    }
    out
}

fn annual_mean(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let property = first_property(method);
    let points = inputs.points(Scope::Sensor, Size::Hour, property, outcome)?;
    let sensors = totals(&points);
    if sensors.is_empty() {
        no_readings(method, property, inputs, outcome);
        return Ok(None);
    }
    let hours = inputs.hours_in_year();
    let means: Vec<f64> = sensors
        .values()
        .map(|(n, sum, _)| sum / *n as f64)
        .collect();
    let captures: Vec<f64> = sensors
        .values()
        .map(|(_, _, h)| *h as f64 / hours)
        .collect();
    let capture = captures.iter().sum::<f64>() / captures.len() as f64;
    outcome.capture = Some(capture);
    if let Some(min) = method.min_capture {
        let valid = captures.iter().filter(|c| **c >= min).count();
        if valid < captures.len() {
            outcome.notes.push(format!(
                "{} of {} sensors have less than {:.0} % data capture in {}: not a valid annual mean under the EU rule",
                captures.len() - valid,
                captures.len(),
                min * 100.0,
                inputs.year
            ));
        }
    }
    Ok(Some(means.iter().sum::<f64>() / means.len() as f64))
}

fn volume_per_capita_per_day(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let property = first_property(method);
    let points = inputs.points(Scope::Sensor, Size::Day, property, outcome)?;
    let days: BTreeSet<&str> = points.iter().map(|p| p.period.as_str()).collect();
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        no_readings(method, property, inputs, outcome);
        return Ok(None);
    };
    let span = day_number(last)
        .zip(day_number(first))
        .map_or(1, |(l, f)| l - f + 1);
    let total: f64 = points.iter().map(|p| p.sum).sum();
    let Some(population) = inputs.city_figure(city::POPULATION, outcome) else {
        return Ok(None);
    };
    outcome.notes.push(format!(
        "{total:.1} L over {span} day(s) with readings ({first} to {last})"
    ));
    Ok(Some(total / population / span as f64))
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (proleptic Gregorian).
pub fn day_number(label: &str) -> Option<i64> {
    let mut parts = label.splitn(3, '-');
    let (y, m, d): (i64, i64, i64) = (
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
        parts.next()?.parse().ok()?,
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// kWh per subject: each hour's mean kW times one hour, over the hours with readings.
fn energy_by_subject(points: &[Point]) -> BTreeMap<&str, f64> {
    let mut out: BTreeMap<&str, f64> = BTreeMap::new();
    for p in points {
        *out.entry(p.subject.as_str()).or_default() += p.mean;
    }
    out
}

fn energy_per_capita(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let property = first_property(method);
    let points = inputs.points(Scope::Sensor, Size::Hour, property, outcome)?;
    if points.is_empty() {
        no_readings(method, property, inputs, outcome);
        return Ok(None);
    }
    let by_meter = energy_by_subject(&points);
    let energy: f64 = by_meter.values().sum();
    let Some(population) = inputs.city_figure(city::POPULATION, outcome) else {
        return Ok(None);
    };
    outcome
        .notes
        .push(format!("{energy:.1} kWh from {} meter(s)", by_meter.len()));
    Ok(Some(energy / population))
}

fn energy_per_floor_area(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let buildings = &inputs.profile.buildings;
    if buildings.is_empty() {
        outcome
            .notes
            .push("the city profile lists no public building".to_owned());
        return Ok(None);
    }
    inputs.used_profile(outcome);
    let property = first_property(method);
    let points = inputs.points(Scope::Sensor, Size::Hour, property, outcome)?;
    let by_meter = energy_by_subject(&points);
    let mut energy = 0.0;
    let mut area = 0.0;
    for building in buildings {
        let measured: Vec<f64> = building
            .meters
            .iter()
            .filter_map(|m| by_meter.get(m.as_str()).copied())
            .collect();
        if measured.is_empty() {
            outcome.notes.push(format!(
                "{}: no meter reported in {}",
                building.label, inputs.year
            ));
            continue;
        }
        energy += measured.iter().sum::<f64>();
        area += building.floor_area;
    }
    if area <= 0.0 {
        return Ok(None);
    }
    Ok(Some(energy / area))
}

fn hour_of_day(period: &str) -> Option<u32> {
    period.rsplit('T').next()?.parse().ok()
}

fn travel_time_index(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let property = first_property(method);
    let points = inputs.points(Scope::Sensor, Size::Hour, property, outcome)?;
    let mut by_sensor: BTreeMap<&str, (f64, u64, f64)> = BTreeMap::new();
    for p in points.iter() {
        let s = by_sensor
            .entry(p.subject.as_str())
            .or_insert((f64::MIN, 0, 0.0));
        s.0 = s.0.max(p.mean);
        if hour_of_day(&p.period).is_some_and(|h| PEAK_HOURS.contains(&h)) {
            s.1 += p.count;
            s.2 += p.sum;
        }
    }
    let indices: Vec<f64> = by_sensor
        .values()
        .filter(|(free, n, sum)| *n > 0 && *sum > 0.0 && *free > 0.0)
        .map(|(free, n, sum)| free / (sum / *n as f64))
        .collect();
    if indices.is_empty() {
        if points.is_empty() {
            no_readings(method, property, inputs, outcome);
        } else {
            outcome
                .notes
                .push("no speed readings in the peak hours".to_owned());
        }
        return Ok(None);
    }
    outcome.notes.push(format!(
        "{} road segment(s) with peak-hour readings",
        indices.len()
    ));
    Ok(Some(indices.iter().sum::<f64>() / indices.len() as f64))
}

fn supply_loss(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let [inflow_property, consumption_property] = &method.properties[..] else {
        outcome
            .notes
            .push("the method needs an inflow and a consumption property".to_owned());
        return Ok(None);
    };
    // The file sorts them by IRI: water_consumption before water_inflow.
    let (inflow_property, consumption_property) = if inflow_property.as_str().ends_with("inflow") {
        (inflow_property, consumption_property)
    } else {
        (consumption_property, inflow_property)
    };
    let inflow = inputs.points(Scope::Sensor, Size::Hour, inflow_property, outcome)?;
    if inflow.is_empty() {
        no_readings(method, inflow_property, inputs, outcome);
        return Ok(None);
    }
    let hours: BTreeSet<&str> = inflow.iter().map(|p| p.period.as_str()).collect();
    let put_in: f64 = inflow.iter().map(|p| p.sum).sum();
    let consumed: f64 = inputs
        .points(Scope::Sensor, Size::Hour, consumption_property, outcome)?
        .iter()
        .filter(|p| hours.contains(p.period.as_str()))
        .map(|p| p.sum)
        .sum();
    if put_in <= 0.0 {
        return Ok(None);
    }
    outcome.notes.push(format!(
        "{put_in:.1} L put into supply, {consumed:.1} L metered, over {} hour(s)",
        hours.len()
    ));
    Ok(Some(100.0 * (put_in - consumed) / put_in))
}

fn reporting_sensors(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<usize, StoreError> {
    let mut sensors = BTreeSet::new();
    for property in &method.properties {
        for p in inputs
            .points(Scope::Sensor, Size::Month, property, outcome)?
            .iter()
        {
            sensors.insert(p.subject.clone());
        }
    }
    Ok(sensors.len())
}

fn monitored_street_share(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let sensors = reporting_sensors(method, inputs, outcome)?;
    let length = inputs.city_figure(city::MAJOR_STREET_LENGTH, outcome);
    let per_sensor = inputs.city_figure(city::MONITORED_LENGTH_PER_TRAFFIC_SENSOR, outcome);
    let (Some(length), Some(per_sensor)) = (length, per_sensor) else {
        return Ok(None);
    };
    if length <= 0.0 {
        return Ok(None);
    }
    outcome.notes.push(format!(
        "{sensors} traffic sensor(s) reported in {}",
        inputs.year
    ));
    Ok(Some(
        100.0 * (sensors as f64 * per_sensor / length).min(1.0),
    ))
}

fn smart_meter_share(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let meters = reporting_sensors(method, inputs, outcome)?;
    let Some(figure) = method.figures.first() else {
        return Ok(None);
    };
    let Some(all) = inputs.city_figure(figure.as_ref(), outcome) else {
        return Ok(None);
    };
    if all <= 0.0 {
        return Ok(None);
    }
    outcome.notes.push(format!(
        "{meters} meter(s) reported in {} of {all:.0}",
        inputs.year
    ));
    Ok(Some(100.0 * (meters as f64 / all).min(1.0)))
}

fn population_above_level(
    method: &Method,
    inputs: &Inputs<'_>,
    outcome: &mut Outcome,
) -> Result<Option<f64>, StoreError> {
    let property = first_property(method);
    let points = inputs.points(Scope::Area, Size::Month, property, outcome)?;
    if points.is_empty() {
        no_readings(method, property, inputs, outcome);
        return Ok(None);
    }
    let Some(level) = method.guideline else {
        return Ok(None);
    };
    let Some(population) = inputs.areas_figure(city::POPULATION, outcome) else {
        return Ok(None);
    };
    let (mut exposed, mut covered, mut areas) = (0.0, 0.0, 0);
    for (area, (n, sum, _)) in totals(&points) {
        let Some(people) = population.get(&NamedNode::new_unchecked(area)) else {
            continue;
        };
        areas += 1;
        covered += people;
        if sum / n as f64 > level {
            exposed += people;
        }
    }
    if covered <= 0.0 {
        outcome
            .notes
            .push("no area with noise readings has a population".to_owned());
        return Ok(None);
    }
    outcome.notes.push(format!(
        "{exposed:.0} of {covered:.0} inhabitants of {areas} area(s) with noise readings live where the mean is above {level} dB"
    ));
    Ok(Some(100.0 * exposed / covered))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_count_days_across_months_and_leap_years() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2025-03-03"), Some(20_150));
        assert_eq!(
            day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(),
            2
        );
        assert_eq!(hour_of_day("2025-03-03T17"), Some(17));
    }
}
