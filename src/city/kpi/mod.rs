//! U4SSC KPIs from the city's own data. `methods.rs` reads how each computable KPI is worked
//! out (`ontologies/kpi-methods.ttl`); `calculate.rs` runs a method over rollups and the city
//! profile; `assessments.rs` stores the results (and the values operators report for the other
//! KPIs) as SAREF4CITY assessments in `graph/kpi`; `report.rs` lays all 91 KPIs out for a
//! year. [`Kpis`] ties them together and recomputes in the background after data changes.

pub mod assessments;
pub mod calculate;
pub mod methods;
pub mod report;

use self::assessments::{Assessment, Status};
use self::methods::Method;
use super::layout;
use super::profile::Profile;
use crate::core::background::{Debounced, Timing};
use crate::core::config::BaseIri;
use crate::core::vocab;
use crate::storage::{Cause, Change, Consumer, Origin, Storage, StoreError};
use oxigraph::model::{NamedNode, Term};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// When the background recomputation runs: two seconds after a change (a burst of ingests costs
/// one run), and under sustained writes at most once every ten seconds or four times its own
/// duration (KPIs are yearly figures; ingest should not pay for recomputing them continuously).
pub const TIMING: Timing = Timing {
    delay: Duration::from_secs(2),
    gap: Duration::from_secs(10),
};

/// The years the month rollups hold readings for.
pub fn years_with_data(storage: &Storage, base: &BaseIri) -> Result<BTreeSet<i32>, StoreError> {
    let graph = layout::rollup_graph(base, layout::Size::Month);
    let mut years = BTreeSet::new();
    for quad in storage.quads(
        None,
        Some(vocab::SDMX_REF_PERIOD),
        None,
        Some(graph.as_ref().into()),
    ) {
        if let Term::NamedNode(period) = quad?.object
            && let Some(year) = period
                .as_str()
                .rsplit('/')
                .next()
                .and_then(|label| label.split('-').next())
                .and_then(|y| y.parse::<i32>().ok())
                .filter(|y| YEARS.contains(y))
        {
            years.insert(year);
        }
    }
    Ok(years)
}

/// A recomputation's result.
#[derive(Debug, Clone)]
pub struct Computed {
    pub year: i32,
    pub assessments: Vec<Assessment>,
    pub elapsed: Duration,
}

/// What an operator reports for a KPI no method computes (or computes differently).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Reported {
    pub value: f64,
    pub unit: Option<String>,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum KpiError {
    #[error("there is no U4SSC KPI {0}; codes look like EN-EN-AQ-1C or \"EN: EN: AQ: 1C\"")]
    UnknownKpi(String),
    #[error("the year {0} is outside 1900-2200")]
    BadYear(i32),
    #[error("{0}")]
    BadValue(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub struct Kpis {
    storage: Storage,
    base: BaseIri,
    methods: Vec<Method>,
}

impl Kpis {
    pub fn new(storage: Storage, base: BaseIri) -> Result<Self, methods::MethodsError> {
        Ok(Self {
            storage,
            base,
            methods: methods::all()?,
        })
    }

    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    pub fn graph(&self) -> NamedNode {
        layout::kpi_graph(&self.base)
    }

    /// Computes every method for `year` from rollups and the profile and stores the results
    /// (replacing the year's computed assessments) in one write.
    pub fn compute(&self, year: i32) -> Result<Computed, KpiError> {
        check_year(year)?;
        let started = Instant::now();
        let profile = Profile::read(&self.storage, &self.base)?;
        let inputs = calculate::Inputs::new(&self.storage, &self.base, year, &profile);
        let created = crate::core::clock::now();
        let assesses = profile
            .city
            .clone()
            .unwrap_or_else(|| NamedNode::new_unchecked(self.base.join("id/city")));
        let mut out = Vec::with_capacity(self.methods.len());
        for method in &self.methods {
            let outcome = calculate::run(method, &inputs)?;
            out.push(Assessment {
                iri: assessments::computed_node(&self.base, &method.slug, year)
                    .as_str()
                    .to_owned(),
                kpi: method.kpi.as_str().to_owned(),
                method: Some(method.slug.clone()),
                label: method.label.clone(),
                year,
                status: Status::Computed,
                value: outcome.value,
                unit: Some(method.unit.as_str().to_owned()),
                assesses: assesses.as_str().to_owned(),
                capture: outcome.capture,
                guideline: method.guideline,
                pollutant: (method.calculation == methods::Calculation::AnnualMeanOfSensors)
                    .then(|| method.properties[0].as_str().to_owned()),
                formula: Some(method.formula.clone()),
                source: None,
                notes: outcome.notes,
                derived_from: outcome
                    .derived_from
                    .iter()
                    .map(|n| n.as_str().to_owned())
                    .collect(),
                created: created.clone(),
            });
        }
        let graph = self.graph();
        self.storage.write(Cause::service(Origin::Kpi), |tx| {
            for assessment in &out {
                assessments::put(tx, assessment, &graph)?;
            }
            Ok::<_, StoreError>(())
        })?;
        Ok(Computed {
            year,
            assessments: out,
            elapsed: started.elapsed(),
        })
    }

    /// Recomputes every year with data; a year that fails is logged and the others go on.
    pub fn compute_all(&self) -> Result<Vec<Computed>, KpiError> {
        let mut done = Vec::new();
        for year in years_with_data(&self.storage, &self.base)? {
            match self.compute(year) {
                Ok(computed) => done.push(computed),
                Err(e) => {
                    tracing::error!(year, error = %e, "the KPIs of a year could not be computed")
                }
            }
        }
        Ok(done)
    }

    /// Every stored assessment.
    pub fn assessments(&self) -> Result<Vec<Assessment>, StoreError> {
        assessments::all(&self.storage, &self.graph())
    }

    /// Records (or replaces) an operator's value for a KPI and year.
    pub fn report(
        &self,
        code: &str,
        year: i32,
        reported: &Reported,
        cause: Cause,
    ) -> Result<Assessment, KpiError> {
        check_year(year)?;
        let kpi = report::find_kpi(&self.storage, &self.base, code)?
            .ok_or_else(|| KpiError::UnknownKpi(code.to_owned()))?;
        if !reported.value.is_finite() {
            return Err(KpiError::BadValue(
                "the value must be a finite number".to_owned(),
            ));
        }
        if reported.source.trim().is_empty() {
            return Err(KpiError::BadValue(
                "say where the value comes from (`source`)".to_owned(),
            ));
        }
        let unit = reported
            .unit
            .as_deref()
            .map(|u| {
                oxigraph::model::NamedNode::new(u)
                    .map(|n| n.into_string())
                    .map_err(|e| KpiError::BadValue(format!("the unit must be an IRI: {e}")))
            })
            .transpose()?;
        let profile = Profile::read(&self.storage, &self.base)?;
        let assessment = Assessment {
            iri: assessments::reported_node(&self.base, &kpi.slug, year)
                .as_str()
                .to_owned(),
            kpi: kpi.iri.clone(),
            method: None,
            label: kpi.name.clone(),
            year,
            status: Status::Reported,
            value: Some(reported.value),
            unit,
            assesses: profile
                .city
                .unwrap_or_else(|| NamedNode::new_unchecked(self.base.join("id/city")))
                .as_str()
                .to_owned(),
            capture: None,
            guideline: None,
            pollutant: None,
            formula: None,
            source: Some(reported.source.trim().to_owned()),
            notes: reported
                .note
                .iter()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty())
                .collect(),
            derived_from: Vec::new(),
            created: crate::core::clock::now(),
        };
        let graph = self.graph();
        self.storage
            .write(cause, |tx| assessments::put(tx, &assessment, &graph))?;
        Ok(assessment)
    }

    /// Removes an operator's value; whether there was one.
    pub fn unreport(&self, code: &str, year: i32, cause: Cause) -> Result<bool, KpiError> {
        check_year(year)?;
        let kpi = report::find_kpi(&self.storage, &self.base, code)?
            .ok_or_else(|| KpiError::UnknownKpi(code.to_owned()))?;
        let node = assessments::reported_node(&self.base, &kpi.slug, year);
        let graph = self.graph();
        Ok(self
            .storage
            .write(cause, |tx| assessments::remove(tx, &node, &graph))?)
    }
}

/// The years KPIs are computed and reported for.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

fn check_year(year: i32) -> Result<(), KpiError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(KpiError::BadYear(year))
    }
}

/// Keeps the computed KPIs up to date: a write that may change their inputs (observations,
/// the profile) asks for a recomputation of every year with data, off the request path
/// (see [`TIMING`]).
pub struct KpiUpkeep {
    worker: Debounced,
}

impl KpiUpkeep {
    pub fn start(kpis: std::sync::Arc<Kpis>) -> std::io::Result<Self> {
        let worker = Debounced::start("kpis", TIMING, move || match kpis.compute_all() {
            Ok(done) => {
                for c in done {
                    tracing::info!(
                        year = c.year,
                        ms = c.elapsed.as_secs_f64() * 1000.0,
                        "KPIs recomputed"
                    );
                }
            }
            Err(e) => tracing::error!(error = %e, "KPIs could not be recomputed"),
        })?;
        Ok(Self { worker })
    }

    /// Whether a recomputation is due or running (tests wait on it).
    pub fn busy(&self) -> bool {
        self.worker.busy()
    }
}

impl Consumer for KpiUpkeep {
    fn name(&self) -> &'static str {
        "kpi upkeep"
    }

    fn committed(&self, change: &Change) {
        match change.cause.origin {
            Origin::Kpi
            | Origin::Assessment
            | Origin::UseCases
            | Origin::Kit
            | Origin::Harvest
            | Origin::Ontologies
            | Origin::Registry { .. } => {}
            _ => self.worker.poke(),
        }
    }

    fn recover(&self) {
        self.worker.poke();
    }
}
