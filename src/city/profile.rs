//! The city profile: the reference data KPIs need and sensors cannot give (areas with their
//! polygons, population per area and year, street length, meter counts, public buildings
//! with their floor area and meters). An admin uploads it as Turtle or JSON-LD; it is checked
//! against the shipped `city-profile` shape and stored as a new version:
//!
//! - `graph/profile`: the current version (what placement and KPIs read);
//! - `graph/profile/versions`: one `citykg:CityProfileVersion` node per version
//!   (`id/profile/v{n}`: number, time, who, `prov:wasRevisionOf` the one before, and its
//!   triples as N-Triples text in `citykg:content`, so that old versions stay out of the union
//!   default graph and of placement) and `id/profile citykg:currentVersion` the latest.

use super::layout;
use crate::catalogue::use_cases::{CatalogError, InputProblem, InputSyntax};
use crate::core::config::BaseIri;
use crate::core::vocab::{self, city};
use crate::standards::shacl::Shapes;
use crate::storage::describe::ReadQuads;
use crate::storage::{Cause, Storage, StoreError};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(transparent)]
    Parse(#[from] CatalogError),
    #[error("the profile does not conform to the city-profile shape ({} problem(s))", .0.len())]
    Invalid(Vec<InputProblem>),
    #[error("the profile is empty")]
    Empty,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `{base}graph/profile/versions`.
pub fn versions_graph(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("graph/profile/versions"))
}

/// `{base}id/profile/v{n}`.
pub fn version_node(base: &BaseIri, number: u64) -> NamedNode {
    NamedNode::new_unchecked(base.join(&format!("id/profile/v{number}")))
}

fn profile_node(base: &BaseIri) -> NamedNode {
    NamedNode::new_unchecked(base.join("id/profile"))
}

/// One stored version.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Version {
    pub number: u64,
    pub iri: String,
    pub created: String,
    pub creator: String,
    pub triples: u64,
}

/// Parses, checks and stores a new version; returns it. Nothing is stored when the text does
/// not parse or does not conform (every violation is listed).
pub fn upload(
    storage: &Storage,
    base: &BaseIri,
    shapes: &Shapes,
    text: &str,
    syntax: InputSyntax,
    cause: Cause,
) -> Result<Version, ProfileError> {
    let triples = crate::catalogue::use_cases::input::parse(text, syntax, base)?;
    if triples.is_empty() {
        return Err(ProfileError::Empty);
    }
    let graph: oxigraph::model::Graph = triples.iter().collect();
    let mut problems = crate::catalogue::use_cases::validate::against_shape(shapes, &graph);
    problems.extend(unreadable_geometries(&graph));
    if !problems.is_empty() {
        return Err(ProfileError::Invalid(problems));
    }
    let created = crate::core::clock::now();
    let creator = cause.agent.clone();
    let content: String = triples.iter().map(|t| format!("{t} .\n")).collect();
    let current = layout::profile_graph(base);
    let versions = versions_graph(base);
    let version = storage.write(cause, |tx| -> Result<Version, ProfileError> {
        let number = latest_number(&*tx, base)? + 1;
        let node = version_node(base, number);
        tx.clear_graph(&current)?;
        for triple in &triples {
            tx.insert(&triple.clone().in_graph(current.clone()))?;
        }
        let profile = profile_node(base);
        let old: Vec<Quad> = tx
            .quads(
                Some(profile.as_ref().into()),
                Some(city::CURRENT_VERSION),
                None,
                Some(versions.as_ref().into()),
            )
            .collect::<Result<_, _>>()?;
        for quad in &old {
            tx.remove(quad)?;
        }
        let graph = GraphName::from(versions.clone());
        let at = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
            Quad::new(s.clone(), p, o, graph.clone())
        };
        let mut meta = vec![
            at(&node, rdf::TYPE, city::PROFILE_VERSION.into_owned().into()),
            at(&node, rdf::TYPE, vocab::PROV_ENTITY.into_owned().into()),
            at(
                &node,
                city::VERSION_NUMBER,
                Literal::new_typed_literal(number.to_string(), xsd::INTEGER).into(),
            ),
            at(
                &node,
                vocab::DCT_CREATED,
                Literal::new_typed_literal(&created, xsd::DATE_TIME).into(),
            ),
            at(
                &node,
                vocab::DCT_CREATOR,
                Literal::new_simple_literal(&creator).into(),
            ),
            at(
                &node,
                vocab::DCT_EXTENT,
                Literal::new_typed_literal(triples.len().to_string(), xsd::INTEGER).into(),
            ),
            at(&profile, city::CURRENT_VERSION, node.clone().into()),
            at(
                &node,
                vocab::CONTENT,
                Literal::new_simple_literal(&content).into(),
            ),
            at(
                &node,
                vocab::DCT_FORMAT,
                Literal::new_simple_literal("application/n-triples").into(),
            ),
        ];
        if number > 1 {
            meta.push(at(
                &node,
                vocab::PROV_WAS_REVISION_OF,
                version_node(base, number - 1).into(),
            ));
        }
        for quad in &meta {
            tx.insert(quad)?;
        }
        Ok(Version {
            number,
            iri: node.as_str().to_owned(),
            created: created.clone(),
            creator: creator.clone(),
            triples: triples.len() as u64,
        })
    })?;
    Ok(version)
}

/// The WKT geometries of areas and of the city that the shape lets through but placement could
/// not read (a ring that is not closed, too few points, another CRS).
fn unreadable_geometries(graph: &oxigraph::model::Graph) -> Vec<InputProblem> {
    use oxigraph::model::{NamedOrBlankNodeRef, TermRef};
    let mut problems = Vec::new();
    for class in [city::AREA, city::CITY] {
        for feature in graph.subjects_for_predicate_object(rdf::TYPE, class) {
            for geometry in graph.objects_for_subject_predicate(feature, vocab::GEO_HAS_GEOMETRY) {
                let geometry = match geometry {
                    TermRef::NamedNode(n) => NamedOrBlankNodeRef::from(n),
                    TermRef::BlankNode(b) => NamedOrBlankNodeRef::from(b),
                    TermRef::Literal(_) => continue,
                };
                for wkt in graph.objects_for_subject_predicate(geometry, vocab::GEO_AS_WKT) {
                    let TermRef::Literal(wkt) = wkt else { continue };
                    if let Err(error) = super::areas::Shape::parse(wkt.value()) {
                        problems.push(InputProblem {
                            message: format!("this geometry cannot be read: {error}"),
                            focus_node: Some(feature.to_string()),
                            path: Some(vocab::GEO_HAS_GEOMETRY.as_str().to_owned()),
                            value: Some(wkt.value().chars().take(200).collect()),
                        });
                    }
                }
            }
        }
    }
    problems
}

fn latest_number(reader: &impl ReadQuads, base: &BaseIri) -> Result<u64, StoreError> {
    Ok(versions(reader, base)?.last().map_or(0, |v| v.number))
}

/// Every stored version, oldest first.
pub fn versions(reader: &impl ReadQuads, base: &BaseIri) -> Result<Vec<Version>, StoreError> {
    let graph = versions_graph(base);
    let g = Some(graph.as_ref().into());
    let mut out = Vec::new();
    for quad in reader.read(None, Some(city::VERSION_NUMBER), None, g) {
        let quad = quad?;
        let (NamedOrBlankNode::NamedNode(node), Term::Literal(number)) =
            (&quad.subject, &quad.object)
        else {
            continue;
        };
        let Ok(number) = number.value().parse::<u64>() else {
            continue;
        };
        let mut version = Version {
            number,
            iri: node.as_str().to_owned(),
            created: String::new(),
            creator: String::new(),
            triples: 0,
        };
        for quad in reader.read(Some(node.as_ref().into()), None, None, g) {
            let quad = quad?;
            let Term::Literal(value) = &quad.object else {
                continue;
            };
            let p = quad.predicate.as_ref();
            if p == vocab::DCT_CREATED {
                version.created = value.value().to_owned();
            } else if p == vocab::DCT_CREATOR {
                version.creator = value.value().to_owned();
            } else if p == vocab::DCT_EXTENT {
                version.triples = value.value().parse().unwrap_or_default();
            }
        }
        out.push(version);
    }
    out.sort_by_key(|v| v.number);
    Ok(out)
}

/// The triples of a version (`None`: the current one), or `None` when there is no such version.
pub fn triples(
    reader: &impl ReadQuads,
    base: &BaseIri,
    number: Option<u64>,
) -> Result<Option<Vec<Triple>>, StoreError> {
    let known = versions(reader, base)?;
    let Some(number) = number else {
        if known.is_empty() {
            return Ok(None);
        }
        let graph = layout::profile_graph(base);
        let quads = reader.read(None, None, None, Some(graph.as_ref().into()));
        return Ok(Some(
            quads
                .map(|q| q.map(Triple::from))
                .collect::<Result<_, _>>()?,
        ));
    };
    if !known.iter().any(|v| v.number == number) {
        return Ok(None);
    }
    let node = version_node(base, number);
    let graph = versions_graph(base);
    for quad in reader.read(
        Some(node.as_ref().into()),
        Some(vocab::CONTENT),
        None,
        Some(graph.as_ref().into()),
    ) {
        if let Term::Literal(text) = quad?.object {
            let parsed = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
                .for_slice(text.value().as_bytes())
                .map(|q| q.map(Triple::from))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    StoreError::Unreadable(format!(
                        "city profile version {number} is not N-Triples: {e}"
                    ))
                })?;
            return Ok(Some(parsed));
        }
    }
    Ok(None)
}

/// What the KPIs read from the current profile.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    /// The current version's IRI (the KPIs' provenance), if there is a profile.
    pub version: Option<NamedNode>,
    pub city: Option<NamedNode>,
    /// Area IRI -> label (areas of the profile, with or without a polygon).
    pub areas: BTreeMap<NamedNode, String>,
    /// (feature, figure, year) -> value.
    pub figures: BTreeMap<(NamedNode, NamedNode, i32), f64>,
    pub buildings: Vec<Building>,
}

#[derive(Debug, Clone)]
pub struct Building {
    pub node: NamedNode,
    pub label: String,
    pub floor_area: f64,
    pub meters: Vec<NamedNode>,
}

impl Profile {
    pub fn read(reader: &impl ReadQuads, base: &BaseIri) -> Result<Self, StoreError> {
        let graph = layout::profile_graph(base);
        let g = Some(graph.as_ref().into());
        let mut profile = Self {
            version: versions(reader, base)?
                .last()
                .map(|v| NamedNode::new_unchecked(v.iri.clone())),
            ..Self::default()
        };
        let label = |node: &NamedNode| -> Result<String, StoreError> {
            for quad in reader.read(Some(node.as_ref().into()), Some(vocab::RDFS_LABEL), None, g) {
                if let Term::Literal(l) = quad?.object {
                    return Ok(l.value().to_owned());
                }
            }
            Ok(node
                .as_str()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned())
        };
        let typed =
            |class: oxigraph::model::NamedNodeRef<'_>| -> Result<Vec<NamedNode>, StoreError> {
                let mut out = Vec::new();
                for quad in reader.read(None, Some(rdf::TYPE), Some(class.into()), g) {
                    if let NamedOrBlankNode::NamedNode(n) = quad?.subject {
                        out.push(n);
                    }
                }
                Ok(out)
            };
        profile.city = typed(city::CITY)?.into_iter().next();
        for area in typed(city::AREA)? {
            let name = label(&area)?;
            profile.areas.insert(area, name);
        }
        for figure in reader.read(
            None,
            Some(rdf::TYPE),
            Some(city::REFERENCE_FIGURE.into()),
            g,
        ) {
            let subject = figure?.subject;
            let (mut of, mut kind, mut year, mut value) = (None, None, None, None);
            for quad in reader.read(Some(subject.as_ref()), None, None, g) {
                let quad = quad?;
                let p = quad.predicate.as_ref();
                match quad.object {
                    Term::NamedNode(n) if p == city::FIGURE_OF => of = Some(n),
                    Term::NamedNode(n) if p == city::FIGURE => kind = Some(n),
                    Term::Literal(l) if p == city::YEAR => year = l.value().parse::<i32>().ok(),
                    Term::Literal(l) if p == rdf::VALUE => value = super::readings::numeric(&l),
                    _ => {}
                }
            }
            if let (Some(of), Some(kind), Some(year), Some(value)) = (of, kind, year, value) {
                profile.figures.insert((of, kind, year), value);
            }
        }
        for node in typed(city::PUBLIC_BUILDING)? {
            let mut floor_area = None;
            let mut meters = Vec::new();
            for quad in reader.read(Some(node.as_ref().into()), None, None, g) {
                let quad = quad?;
                match quad.object {
                    Term::Literal(l) if quad.predicate == city::FLOOR_AREA => {
                        floor_area = super::readings::numeric(&l);
                    }
                    Term::NamedNode(n) if quad.predicate == city::METERED_BY => meters.push(n),
                    _ => {}
                }
            }
            if let Some(floor_area) = floor_area {
                meters.sort();
                profile.buildings.push(Building {
                    label: label(&node)?,
                    node,
                    floor_area,
                    meters,
                });
            }
        }
        Ok(profile)
    }

    /// A figure of the city for a year: the city's own, else the sum over its areas (when
    /// every area has it).
    pub fn city_figure(&self, figure: oxigraph::model::NamedNodeRef<'_>, year: i32) -> Option<f64> {
        if let Some(city) = &self.city
            && let Some(v) = self.figures.get(&(city.clone(), figure.into_owned(), year))
        {
            return Some(*v);
        }
        self.areas_figure(figure, year)
            .filter(|by_area| by_area.len() == self.areas.len() && !by_area.is_empty())
            .map(|by_area| by_area.values().sum())
    }

    /// A figure per area for a year, for the areas that have it.
    pub fn areas_figure(
        &self,
        figure: oxigraph::model::NamedNodeRef<'_>,
        year: i32,
    ) -> Option<BTreeMap<NamedNode, f64>> {
        let by_area: BTreeMap<NamedNode, f64> = self
            .areas
            .keys()
            .filter_map(|area| {
                self.figures
                    .get(&(area.clone(), figure.into_owned(), year))
                    .map(|v| (area.clone(), *v))
            })
            .collect();
        (!by_area.is_empty()).then_some(by_area)
    }
}
