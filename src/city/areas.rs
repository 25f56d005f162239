//! The city's areas as polygons, and which area a point lies in. Areas come from the city
//! profile (`graph/profile`): each `citykg:Area` with a `geo:hasGeometry` whose `geo:asWKT` is
//! a POLYGON or MULTIPOLYGON (longitude then latitude, the GeoSPARQL default CRS84). A sensor
//! without an explicit `geo:sfWithin` is placed in the areas that contain its WGS84 position.

use crate::core::vocab;
use crate::storage::StoreError;
use crate::storage::describe::ReadQuads;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

/// A WKT text longer than this is refused (a district outline needs far less).
const MAX_WKT_BYTES: usize = 4 << 20;
/// Rings nested deeper than a MULTIPOLYGON's three levels are not WKT we read.
const MAX_DEPTH: usize = 3;

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{0}")]
pub struct WktError(String);

/// One polygon: its outer ring, then its holes; each ring a closed list of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Polygon {
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// A POLYGON or MULTIPOLYGON.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    pub polygons: Vec<Polygon>,
}

/// Whether (x, y) is inside `ring` (even-odd rule; points on an edge may fall either way).
fn ring_contains(ring: &[(f64, f64)], x: f64, y: f64) -> bool {
    let mut inside = false;
    let mut j = ring.len().wrapping_sub(1);
    for i in 0..ring.len() {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

impl Polygon {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        let Some((outer, holes)) = self.rings.split_first() else {
            return false;
        };
        ring_contains(outer, x, y) && !holes.iter().any(|hole| ring_contains(hole, x, y))
    }
}

impl Shape {
    pub fn contains(&self, x: f64, y: f64) -> bool {
        self.polygons.iter().any(|p| p.contains(x, y))
    }

    /// (min x, min y, max x, max y) of the outer rings.
    pub fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        let mut points = self
            .polygons
            .iter()
            .filter_map(|p| p.rings.first())
            .flatten();
        let &(x, y) = points.next()?;
        Some(points.fold((x, y, x, y), |(a, b, c, d), &(x, y)| {
            (a.min(x), b.min(y), c.max(x), d.max(y))
        }))
    }

    /// Parses a WKT POLYGON or MULTIPOLYGON, optionally preceded by a CRS IRI in angle
    /// brackets (only CRS84, the default, is read: another CRS is refused).
    pub fn parse(text: &str) -> Result<Self, WktError> {
        if text.len() > MAX_WKT_BYTES {
            return Err(WktError(format!(
                "a WKT geometry of {} bytes is longer than the {MAX_WKT_BYTES} bytes read",
                text.len()
            )));
        }
        let mut rest = text.trim_start();
        if let Some(after) = rest.strip_prefix('<') {
            let (crs, after) = after
                .split_once('>')
                .ok_or_else(|| WktError("the CRS IRI is not closed with '>'".to_owned()))?;
            if !crs.ends_with("/CRS84") && !crs.ends_with("/OGC/1.3/CRS84") {
                return Err(WktError(format!(
                    "only CRS84 (longitude, latitude) is read, not <{crs}>"
                )));
            }
            rest = after.trim_start();
        }
        let keyword_end = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let keyword = rest[..keyword_end].to_ascii_uppercase();
        let body = rest[keyword_end..].trim_start();
        let body = body.strip_prefix(['Z', 'z']).map_or(body, str::trim_start);
        let tree = Nested::parse(body)?;
        let polygons = match keyword.as_str() {
            "POLYGON" => vec![polygon(&tree)?],
            "MULTIPOLYGON" => tree
                .children()?
                .iter()
                .map(polygon)
                .collect::<Result<_, _>>()?,
            other => {
                return Err(WktError(format!(
                    "an area's geometry must be a POLYGON or MULTIPOLYGON, not {}",
                    if other.is_empty() { "nothing" } else { other }
                )));
            }
        };
        Ok(Self { polygons })
    }
}

/// WKT's parenthesised lists: a list of lists, or of points.
#[derive(Debug)]
enum Nested {
    List(Vec<Nested>),
    Point(f64, f64),
}

impl Nested {
    fn parse(text: &str) -> Result<Self, WktError> {
        let mut chars = text.char_indices().peekable();
        let tree = Self::list(text, &mut chars, 0)?;
        if let Some((at, c)) = chars.find(|(_, c)| !c.is_whitespace()) {
            return Err(WktError(format!("unexpected '{c}' at character {at}")));
        }
        Ok(tree)
    }

    fn list(
        text: &str,
        chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
        depth: usize,
    ) -> Result<Self, WktError> {
        skip_space(chars);
        match chars.next() {
            Some((_, '(')) => {}
            Some((at, c)) => {
                return Err(WktError(format!(
                    "expected '(' at character {at}, found '{c}'"
                )));
            }
            None => {
                return Err(WktError(
                    "the geometry ends before its coordinates".to_owned(),
                ));
            }
        }
        if depth >= MAX_DEPTH {
            return Err(WktError(
                "parentheses nest deeper than a MULTIPOLYGON".to_owned(),
            ));
        }
        let mut items = Vec::new();
        loop {
            skip_space(chars);
            match chars.peek() {
                Some((_, '(')) => items.push(Self::list(text, chars, depth + 1)?),
                Some(_) => items.push(point(text, chars)?),
                None => return Err(WktError("a '(' is never closed".to_owned())),
            }
            skip_space(chars);
            match chars.next() {
                Some((_, ',')) => continue,
                Some((_, ')')) => return Ok(Self::List(items)),
                Some((at, c)) => {
                    return Err(WktError(format!(
                        "expected ',' or ')' at character {at}, found '{c}'"
                    )));
                }
                None => return Err(WktError("a '(' is never closed".to_owned())),
            }
        }
    }

    fn children(&self) -> Result<&[Nested], WktError> {
        match self {
            Self::List(items) => Ok(items),
            Self::Point(..) => Err(WktError("expected a list, found a point".to_owned())),
        }
    }
}

fn skip_space(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
}

/// A point: two (or three, the third ignored) numbers separated by spaces.
fn point(
    text: &str,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Result<Nested, WktError> {
    let start = chars.peek().map_or(text.len(), |(at, _)| *at);
    let mut end = start;
    while let Some((at, c)) = chars.next_if(|(_, c)| *c != ',' && *c != ')' && *c != '(') {
        end = at + c.len_utf8();
    }
    let numbers: Vec<f64> = text[start..end]
        .split_whitespace()
        .map(|n| {
            n.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| WktError(format!("'{n}' at character {start} is not a number")))
        })
        .collect::<Result<_, _>>()?;
    match numbers[..] {
        [x, y] | [x, y, _] => Ok(Nested::Point(x, y)),
        _ => Err(WktError(format!(
            "a point at character {start} needs two coordinates, found {}",
            numbers.len()
        ))),
    }
}

fn polygon(tree: &Nested) -> Result<Polygon, WktError> {
    let mut rings = Vec::new();
    for ring in tree.children()? {
        let points: Vec<(f64, f64)> = ring
            .children()?
            .iter()
            .map(|p| match p {
                Nested::Point(x, y) => Ok((*x, *y)),
                Nested::List(_) => Err(WktError("a ring holds points, not lists".to_owned())),
            })
            .collect::<Result<_, _>>()?;
        if points.len() < 4 || points.first() != points.last() {
            return Err(WktError(
                "a polygon ring needs at least four points, the last one repeating the first"
                    .to_owned(),
            ));
        }
        rings.push(points);
    }
    if rings.is_empty() {
        return Err(WktError("a polygon needs an outer ring".to_owned()));
    }
    Ok(Polygon { rings })
}

/// One area of the profile.
#[derive(Debug, Clone)]
pub struct Area {
    pub node: NamedNode,
    pub label: Option<String>,
    pub shape: Shape,
}

/// The areas with a polygon, as read from one graph.
#[derive(Debug, Clone, Default)]
pub struct AreaMap {
    areas: Vec<Area>,
}

impl AreaMap {
    /// Every `citykg:Area` of `graph` with a readable polygon (the shipped shape refuses the
    /// others at upload; here they are skipped with a warning).
    pub fn read(reader: &impl ReadQuads, graph: &NamedNode) -> Result<Self, StoreError> {
        let g = Some(graph.as_ref().into());
        let mut areas = Vec::new();
        let typed = reader.read(
            None,
            Some(oxigraph::model::vocab::rdf::TYPE),
            Some(vocab::city::AREA.into()),
            g,
        );
        for quad in typed {
            let NamedOrBlankNode::NamedNode(node) = quad?.subject else {
                continue;
            };
            let mut label = None;
            let mut shape = None;
            for quad in reader.read(Some(node.as_ref().into()), None, None, g) {
                let quad = quad?;
                if quad.predicate.as_ref() == vocab::RDFS_LABEL
                    && let Term::Literal(l) = &quad.object
                {
                    label.get_or_insert_with(|| l.value().to_owned());
                } else if quad.predicate.as_ref() == vocab::GEO_HAS_GEOMETRY && shape.is_none() {
                    shape = wkt_of(reader, &quad.object, graph)?;
                }
            }
            match shape {
                Some(Ok(shape)) => areas.push(Area { node, label, shape }),
                Some(Err(e)) => tracing::warn!(area = %node, error = %e, "area geometry skipped"),
                None => {}
            }
        }
        areas.sort_by(|a, b| a.node.as_str().cmp(b.node.as_str()));
        Ok(Self { areas })
    }

    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// Whether both maps place every point in the same areas (same areas, same polygons).
    pub fn same_places(&self, other: &AreaMap) -> bool {
        self.areas.len() == other.areas.len()
            && self
                .areas
                .iter()
                .zip(&other.areas)
                .all(|(a, b)| a.node == b.node && a.shape == b.shape)
    }

    /// The areas whose polygon holds (longitude, latitude).
    pub fn locate(&self, longitude: f64, latitude: f64) -> Vec<NamedNode> {
        self.areas
            .iter()
            .filter(|a| a.shape.contains(longitude, latitude))
            .map(|a| a.node.clone())
            .collect()
    }
}

fn wkt_of(
    reader: &impl ReadQuads,
    geometry: &Term,
    graph: &NamedNode,
) -> Result<Option<Result<Shape, WktError>>, StoreError> {
    let subject: NamedOrBlankNode = match geometry {
        Term::NamedNode(n) => n.clone().into(),
        Term::BlankNode(b) => b.clone().into(),
        Term::Literal(_) => return Ok(None),
    };
    for quad in reader.read(
        Some(subject.as_ref()),
        Some(vocab::GEO_AS_WKT),
        None,
        Some(graph.as_ref().into()),
    ) {
        if let Term::Literal(wkt) = quad?.object {
            return Ok(Some(Shape::parse(wkt.value())));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_fall_in_the_polygon_that_holds_them_and_not_in_its_holes() {
        let shape = Shape::parse(
            "<http://www.opengis.net/def/crs/OGC/1.3/CRS84> Polygon ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))",
        )
        .unwrap();
        assert!(shape.contains(1.0, 1.0));
        assert!(!shape.contains(5.0, 5.0), "in the hole");
        assert!(!shape.contains(11.0, 5.0));
        assert_eq!(shape.bounds(), Some((0.0, 0.0, 10.0, 10.0)));
        let multi = Shape::parse("MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5)))").unwrap();
        assert_eq!(multi.polygons.len(), 2);
        assert!(multi.contains(5.9, 5.5));
        assert!(!multi.contains(3.0, 3.0));
    }

    #[test]
    fn bad_wkt_says_what_is_wrong() {
        for (text, says) in [
            ("POINT(1 2)", "not POINT"),
            ("POLYGON((0 0, 1 0, 1 1))", "at least four points"),
            ("POLYGON((0 0, 1 0, 1 1, 0 0)", "never closed"),
            ("POLYGON((0 0, 1 x, 1 1, 0 0))", "'x' at character"),
            ("POLYGON(((((0 0)))))", "deeper"),
            (
                "<http://www.opengis.net/def/crs/EPSG/0/4326> POLYGON((0 0,1 0,1 1,0 0))",
                "CRS84",
            ),
        ] {
            let error = Shape::parse(text).unwrap_err().to_string();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
