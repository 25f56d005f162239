//! The rubric: the dimensions, the metrics, and the thresholds that turn a metric's value into a
//! level from 0 to 3. One table serves the computation, the stored measurements, the rubric page
//! and `docs/assessment.md` (a test checks the document quotes every threshold written here), so
//! what is published is what is computed.

use serde::Serialize;

use crate::core::vocab::{CITYKG_NAMESPACE, LEVEL_SCHEME};

/// A level from 0 (not yet) to 3 (full).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Level(u8);

impl Level {
    pub const NONE: Level = Level(0);
    pub const TOP: Level = Level(3);

    pub fn new(level: u8) -> Option<Self> {
        (level <= 3).then_some(Self(level))
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// `https://w3id.org/citykg/level/{n}`.
    pub fn iri(self) -> String {
        format!("{LEVEL_SCHEME}{}", self.0)
    }

    pub fn from_iri(iri: &str) -> Option<Self> {
        iri.strip_prefix(LEVEL_SCHEME)?
            .parse::<u8>()
            .ok()
            .and_then(Self::new)
    }

    pub fn label(self) -> &'static str {
        ["not yet", "basic", "substantial", "full"][usize::from(self.0.min(3))]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Dimension {
    Vocabulary,
    Conformance,
    ObservationQuality,
    Intake,
    Openness,
}

impl Dimension {
    pub const ALL: [Dimension; 5] = [
        Dimension::Vocabulary,
        Dimension::Conformance,
        Dimension::ObservationQuality,
        Dimension::Intake,
        Dimension::Openness,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Vocabulary => "vocabulary",
            Self::Conformance => "conformance",
            Self::ObservationQuality => "observationQuality",
            Self::Intake => "intake",
            Self::Openness => "openness",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Vocabulary => "Vocabulary",
            Self::Conformance => "Conformance",
            Self::ObservationQuality => "Observation quality",
            Self::Intake => "Intake",
            Self::Openness => "Openness",
        }
    }

    pub fn iri(self) -> String {
        format!("{CITYKG_NAMESPACE}{}", self.name())
    }

    pub fn metrics(self) -> impl Iterator<Item = Metric> {
        Metric::ALL
            .into_iter()
            .filter(move |m| m.dimension() == self)
    }
}

/// The datatype of a metric's `dqv:value`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Datatype {
    Decimal,
    Integer,
    Boolean,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    VocabularyCoverage,
    ShapeViolations,
    ShapeWarnings,
    ShapeInfos,
    UnitCoverage,
    TimeCoverage,
    LocationCoverage,
    VendorFormats,
    OpenLicence,
    MachineReadableAccess,
}

/// How a metric's value becomes a level: the bounds for levels 1, 2 and 3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// A share of a whole, in thousandths: level n when the share is at least `at_least[n-1]`.
    /// No whole (nothing to measure) is level 0.
    Share { at_least: [u32; 3] },
    /// A count of SHACL results per validated node, in thousandths: level n when the rate is
    /// at most `at_most[n-1]`. No validated node is level 0.
    Rate { at_most: [u32; 3] },
    /// A count: level n when the count is at least `at_least[n-1]`.
    Count { at_least: [u64; 3] },
    /// True is level 3, false level 0.
    Flag,
    /// Advice that never lowers a level: level 3 whenever there are nodes to validate, else 0.
    Advice,
}

impl Metric {
    pub const ALL: [Metric; 10] = [
        Metric::VocabularyCoverage,
        Metric::ShapeViolations,
        Metric::ShapeWarnings,
        Metric::ShapeInfos,
        Metric::UnitCoverage,
        Metric::TimeCoverage,
        Metric::LocationCoverage,
        Metric::VendorFormats,
        Metric::OpenLicence,
        Metric::MachineReadableAccess,
    ];

    /// The local name in citykg's namespace (`citykg:unitCoverage`).
    pub fn name(self) -> &'static str {
        match self {
            Self::VocabularyCoverage => "vocabularyCoverage",
            Self::ShapeViolations => "shapeViolations",
            Self::ShapeWarnings => "shapeWarnings",
            Self::ShapeInfos => "shapeInfos",
            Self::UnitCoverage => "unitCoverage",
            Self::TimeCoverage => "timeCoverage",
            Self::LocationCoverage => "locationCoverage",
            Self::VendorFormats => "vendorFormats",
            Self::OpenLicence => "openLicence",
            Self::MachineReadableAccess => "machineReadableAccess",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    pub fn iri(self) -> String {
        format!("{CITYKG_NAMESPACE}{}", self.name())
    }

    pub fn from_iri(iri: &str) -> Option<Self> {
        iri.strip_prefix(CITYKG_NAMESPACE).and_then(Self::from_name)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::VocabularyCoverage => "vocabulary coverage",
            Self::ShapeViolations => "shape violations",
            Self::ShapeWarnings => "shape warnings",
            Self::ShapeInfos => "shape infos",
            Self::UnitCoverage => "unit coverage",
            Self::TimeCoverage => "time coverage",
            Self::LocationCoverage => "location coverage",
            Self::VendorFormats => "vendor formats",
            Self::OpenLicence => "open licence",
            Self::MachineReadableAccess => "machine-readable access",
        }
    }

    /// How the value is computed, in one sentence (the rubric page and the document say more).
    pub fn computed(self) -> &'static str {
        match self {
            Self::VocabularyCoverage => {
                "distinct classes (rdf:type objects) and predicates of the data graphs that a shipped ontology module declares, over all of them"
            }
            Self::ShapeViolations => {
                "sh:Violation results of the data graphs against the shipped observation, sensor and measurement shapes"
            }
            Self::ShapeWarnings => "sh:Warning results against the same shapes",
            Self::ShapeInfos => "sh:Info results against the same shapes",
            Self::UnitCoverage => {
                "observations (sosa:Observation, saref:Measurement) with a QUDT unit (sosa:hasResult/qudt:unit or saref:isMeasuredIn), over all observations"
            }
            Self::TimeCoverage => {
                "observations with an xsd:dateTime sosa:resultTime (saref:hasTimestamp for measurements), over all observations"
            }
            Self::LocationCoverage => {
                "sensors, platforms and features of interest with geo:hasGeometry or geo:hasDefaultGeometry, over all of them"
            }
            Self::VendorFormats => {
                "mappings named with citykg:usesMapping that exist in the mapping registry (built-in or registered)"
            }
            Self::OpenLicence => "dct:license is a licence marked citykg:isOpenLicence true",
            Self::MachineReadableAccess => {
                "a distribution through this service's SPARQL endpoint or Graph Store, and data in the data graphs"
            }
        }
    }

    pub fn dimension(self) -> Dimension {
        match self {
            Self::VocabularyCoverage => Dimension::Vocabulary,
            Self::ShapeViolations | Self::ShapeWarnings | Self::ShapeInfos => {
                Dimension::Conformance
            }
            Self::UnitCoverage | Self::TimeCoverage | Self::LocationCoverage => {
                Dimension::ObservationQuality
            }
            Self::VendorFormats => Dimension::Intake,
            Self::OpenLicence | Self::MachineReadableAccess => Dimension::Openness,
        }
    }

    pub fn datatype(self) -> Datatype {
        match self.rule() {
            Rule::Share { .. } => Datatype::Decimal,
            Rule::Rate { .. } | Rule::Count { .. } | Rule::Advice => Datatype::Integer,
            Rule::Flag => Datatype::Boolean,
        }
    }

    /// The published thresholds.
    pub fn rule(self) -> Rule {
        match self {
            Self::VocabularyCoverage => Rule::Share {
                at_least: [500, 800, 950],
            },
            Self::UnitCoverage | Self::TimeCoverage | Self::LocationCoverage => Rule::Share {
                at_least: [500, 800, 950],
            },
            Self::ShapeViolations => Rule::Rate {
                at_most: [100, 10, 0],
            },
            Self::ShapeWarnings => Rule::Rate {
                at_most: [500, 100, 0],
            },
            Self::ShapeInfos => Rule::Advice,
            Self::VendorFormats => Rule::Count {
                at_least: [1, 2, 3],
            },
            Self::OpenLicence | Self::MachineReadableAccess => Rule::Flag,
        }
    }

    /// The condition of each level, 0 to 3, in words (the rubric page and the document).
    pub fn thresholds(self) -> [String; 4] {
        let pct = |permille: u32| {
            let whole = permille / 10;
            match permille % 10 {
                0 => format!("{whole} %"),
                tenth => format!("{whole}.{tenth} %"),
            }
        };
        let rate = |permille: u32| {
            if permille == 0 {
                "none".to_owned()
            } else {
                format!(
                    "at most {} per 100 validated nodes",
                    f64::from(permille) / 10.0
                )
            }
        };
        match self.rule() {
            Rule::Share {
                at_least: [a, b, c],
            } => [
                format!("no data, or below {}", pct(a)),
                format!("at least {}", pct(a)),
                format!("at least {}", pct(b)),
                format!("at least {}", pct(c)),
            ],
            Rule::Rate { at_most: [a, b, c] } => [
                format!(
                    "no node to validate, or more than {} per 100 validated nodes",
                    f64::from(a) / 10.0
                ),
                rate(a),
                rate(b),
                rate(c),
            ],
            Rule::Count {
                at_least: [a, b, c],
            } => [
                format!("fewer than {a}"),
                format!("at least {a}"),
                format!("at least {b}"),
                format!("at least {c}"),
            ],
            Rule::Flag => [
                "false".to_owned(),
                "(not used)".to_owned(),
                "(not used)".to_owned(),
                "true".to_owned(),
            ],
            Rule::Advice => [
                "no node to validate".to_owned(),
                "(not used)".to_owned(),
                "(not used)".to_owned(),
                "any number, once there are nodes to validate".to_owned(),
            ],
        }
    }
}

/// The level of a share `part / whole`, exactly (integer arithmetic, no rounding).
pub fn share_level(at_least: [u32; 3], part: u64, whole: u64) -> Level {
    if whole == 0 {
        return Level::NONE;
    }
    let reached = at_least
        .iter()
        .take_while(|t| u128::from(part) * 1000 >= u128::from(**t) * u128::from(whole))
        .count();
    Level(reached as u8)
}

/// The level of `count` results over `nodes` validated nodes.
pub fn rate_level(at_most: [u32; 3], count: u64, nodes: u64) -> Level {
    if nodes == 0 {
        return Level::NONE;
    }
    let reached = at_most
        .iter()
        .take_while(|t| u128::from(count) * 1000 <= u128::from(**t) * u128::from(nodes))
        .count();
    Level(reached as u8)
}

pub fn count_level(at_least: [u64; 3], count: u64) -> Level {
    Level(at_least.iter().take_while(|t| count >= **t).count() as u8)
}

/// The rubric as served at `/use-cases/rubric`.
#[derive(Debug, Serialize)]
pub struct RubricView {
    pub levels: Vec<LevelView>,
    pub dimensions: Vec<DimensionView>,
}

#[derive(Debug, Serialize)]
pub struct LevelView {
    pub level: u8,
    pub iri: String,
    pub label: &'static str,
}

#[derive(Debug, Serialize)]
pub struct DimensionView {
    pub dimension: &'static str,
    pub iri: String,
    pub label: &'static str,
    pub metrics: Vec<MetricView>,
}

#[derive(Debug, Serialize)]
pub struct MetricView {
    pub metric: &'static str,
    pub iri: String,
    pub label: &'static str,
    pub datatype: Datatype,
    pub computed: &'static str,
    /// The condition of levels 0, 1, 2 and 3.
    pub thresholds: [String; 4],
}

pub fn rubric() -> RubricView {
    RubricView {
        levels: (0..=3)
            .map(|n| {
                let level = Level(n);
                LevelView {
                    level: n,
                    iri: level.iri(),
                    label: level.label(),
                }
            })
            .collect(),
        dimensions: Dimension::ALL
            .into_iter()
            .map(|d| DimensionView {
                dimension: d.name(),
                iri: d.iri(),
                label: d.label(),
                metrics: d
                    .metrics()
                    .map(|m| MetricView {
                        metric: m.name(),
                        iri: m.iri(),
                        label: m.label(),
                        datatype: m.datatype(),
                        computed: m.computed(),
                        thresholds: m.thresholds(),
                    })
                    .collect(),
            })
            .collect(),
    }
}
