//! Where the live city's derived data lives: the named graphs (`graph/state`,
//! `graph/rollups/{hour,day,month}`), the IRIs of current values, rollup buckets and datasets,
//! and the UTC periods buckets are cut into.

use crate::core::config::BaseIri;
use crate::core::vocab;
use oxigraph::model::{GraphName, NamedNode};
use oxsdatatypes::{DateTime, TimezoneOffset};

/// A bucket size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Size {
    Hour,
    Day,
    Month,
}

impl Size {
    pub const ALL: [Size; 3] = [Size::Hour, Size::Day, Size::Month];

    pub fn name(self) -> &'static str {
        match self {
            Self::Hour => "hour",
            Self::Day => "day",
            Self::Month => "month",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// What a rollup aggregates over: one sensor, or every sensor placed in one area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    Sensor,
    Area,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Sensor, Scope::Area];

    pub fn name(self) -> &'static str {
        match self {
            Self::Sensor => "sensor",
            Self::Area => "area",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// One UTC hour, day or month.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    pub size: Size,
    /// `2025-03-03T10`, `2025-03-03` or `2025-03`: the reference interval's name.
    pub label: String,
}

impl Period {
    /// The period of `size` that holds `time` (read in UTC; a time without a zone is UTC).
    pub fn of(size: Size, time: DateTime) -> Option<Self> {
        let utc = time.adjust(Some(TimezoneOffset::UTC))?;
        let label = match size {
            Size::Hour => format!(
                "{:04}-{:02}-{:02}T{:02}",
                utc.year(),
                utc.month(),
                utc.day(),
                utc.hour()
            ),
            Size::Day => format!("{:04}-{:02}-{:02}", utc.year(), utc.month(), utc.day()),
            Size::Month => format!("{:04}-{:02}", utc.year(), utc.month()),
        };
        Some(Self { size, label })
    }

    /// Its first instant, as `xsd:dateTime` text in UTC.
    pub fn start(&self) -> String {
        match self.size {
            Size::Hour => format!("{}:00:00Z", self.label),
            Size::Day => format!("{}T00:00:00Z", self.label),
            Size::Month => format!("{}-01T00:00:00Z", self.label),
        }
    }

    /// The UK government reference interval (`http://reference.data.gov.uk/id/day/2025-03-03`).
    pub fn iri(&self) -> NamedNode {
        NamedNode::new_unchecked(format!(
            "{}{}/{}",
            vocab::INTERVALS,
            self.size.name(),
            self.label
        ))
    }
}

/// `{base}graph/state`: the latest observation of every sensor (or feature) and property.
pub fn state_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/state"))
}

/// `{base}graph/rollups/{size}`: the buckets of one size, sensor and area datasets together.
pub fn rollup_graph(base: &BaseIri, size: Size) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("graph/rollups/{}", size.name())))
}

/// `{base}graph/profile`: the current city profile (areas, reference figures, buildings).
pub fn profile_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/profile"))
}

/// `{base}graph/kpi`: KPI assessments, computed and reported.
pub fn kpi_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/kpi"))
}

/// Every graph the live city derives.
pub fn derived_graphs(base: &BaseIri) -> Vec<NamedNode> {
    let mut graphs = vec![state_graph(base)];
    graphs.extend(Size::ALL.map(|size| rollup_graph(base, size)));
    graphs
}

/// Whether a graph is one the live city derives.
pub fn is_derived(base: &BaseIri, graph: &GraphName) -> bool {
    match graph {
        GraphName::NamedNode(g) => derived_graphs(base).iter().any(|d| d == g),
        _ => false,
    }
}

/// `{base}id/rollups/{scope}-{size}`: the `qb:DataSet` of one scope and size.
pub fn dataset(base: &BaseIri, scope: Scope, size: Size) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("id/rollups/{}-{}", scope.name(), size.name())))
}

/// A short, stable name for a (subject, property) pair.
pub fn pair_digest(subject: &str, property: &str) -> String {
    let digest = crate::core::digest::hex_sha256(format!("{subject}\n{property}").as_bytes());
    digest[..16].to_owned()
}

/// `{base}id/state/{digest}`: the current value of `property` for `subject`.
pub fn state_node(base: &BaseIri, subject: &str, property: &str) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("id/state/{}", pair_digest(subject, property))))
}

/// `{base}id/rollup/{scope}/{size}/{digest}/{period}`: one bucket.
pub fn bucket_node(
    base: &BaseIri,
    scope: Scope,
    subject: &str,
    property: &str,
    period: &Period,
) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!(
        "id/rollup/{}/{}/{}/{}",
        scope.name(),
        period.size.name(),
        pair_digest(subject, property),
        period.label
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn periods_are_cut_in_utc() {
        let time = DateTime::from_str("2025-03-03T23:30:00-02:00").unwrap();
        assert_eq!(Period::of(Size::Hour, time).unwrap().label, "2025-03-04T01");
        assert_eq!(Period::of(Size::Day, time).unwrap().label, "2025-03-04");
        assert_eq!(Period::of(Size::Month, time).unwrap().label, "2025-03");
        let local = DateTime::from_str("2025-12-31T23:59:59.5").unwrap();
        let month = Period::of(Size::Month, local).unwrap();
        assert_eq!(month.start(), "2025-12-01T00:00:00Z");
        assert_eq!(
            month.iri().as_str(),
            "http://reference.data.gov.uk/id/month/2025-12"
        );
        assert_eq!(
            Period::of(Size::Hour, local).unwrap().start(),
            "2025-12-31T23:00:00Z"
        );
    }
}
