//! Which maps describe one entity per record: the record-key analysis behind de-duplication.

use super::CompiledMap;
use crate::pipeline::engine::terms::{CompiledExpression, CompiledTermMap, Part};

/// Record-key analysis, per iterator, on the sets of references subject maps use. A map is
/// "keyed" (one entity per record, so its triples cannot repeat across records) when its set is
/// maximal (no other map's set strictly contains it) and not empty, and either it is the only
/// maximal set or it strictly contains another map's set: an observation `{sensor}/{time}` next
/// to its sensor `{sensor}` is finer than the sensor, so the record is its key. Maps whose sets
/// are incomparable (a sensor `{id}` and its district `{district}` in one registry row) say
/// nothing about which one is per record, so all of them are remembered. The others (a sensor
/// described with each of its messages, a constant property) are remembered too. When the
/// assumption is wrong (a payload repeats a record) the repeats are caught only within the
/// recent window, see `dedup`.
pub(super) fn mark_keyed(maps: &mut [CompiledMap]) {
    let sets: Vec<Vec<usize>> = maps
        .iter()
        .map(|m| subject_references(&m.subject))
        .collect();
    let strictly_within = |small: &Vec<usize>, large: &Vec<usize>| {
        small.len() < large.len() && small.iter().all(|r| large.contains(r))
    };
    let maximal: Vec<&Vec<usize>> = sets
        .iter()
        .filter(|set| !set.is_empty() && !sets.iter().any(|other| strictly_within(set, other)))
        .collect();
    let mut distinct_maximal = maximal.clone();
    distinct_maximal.sort();
    distinct_maximal.dedup();
    for (map, set) in maps.iter_mut().zip(&sets) {
        map.keyed = maximal.contains(&set)
            && (distinct_maximal.len() == 1
                || sets.iter().any(|other| strictly_within(other, set)));
    }
}

fn subject_references(term_map: &CompiledTermMap) -> Vec<usize> {
    let mut refs = match &term_map.expression {
        CompiledExpression::Reference(i) => vec![*i],
        CompiledExpression::Template(parts) => parts
            .iter()
            .filter_map(|p| match p {
                Part::Reference(i) => Some(*i),
                Part::Text(_) => None,
            })
            .collect(),
        // Unknown shape: never treat as a key.
        CompiledExpression::Function(_)
        | CompiledExpression::Constant(_)
        | CompiledExpression::FreshBlankNode => Vec::new(),
    };
    refs.sort_unstable();
    refs.dedup();
    refs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::engine::terms::{InvalidIri, IriStyle, Kind};
    use crate::pipeline::mapping::model::MapName;

    fn keyed(subjects: &[&[usize]]) -> Vec<bool> {
        let mut maps: Vec<CompiledMap> = subjects
            .iter()
            .map(|refs| CompiledMap {
                name: MapName::Blank("m".into()),
                subject: CompiledTermMap {
                    expression: CompiledExpression::Template(
                        refs.iter().map(|r| Part::Reference(*r)).collect(),
                    ),
                    kind: Kind::Iri(IriStyle::Safe),
                    label: String::new(),
                    invalid_iri: InvalidIri::Error,
                    iri_checked: false,
                    gather: None,
                },
                classes: Vec::new(),
                subject_graphs: Vec::new(),
                predicate_objects: Vec::new(),
                base_iri: String::new(),
                keyed: false,
            })
            .collect();
        mark_keyed(&mut maps);
        maps.iter().map(|m| m.keyed).collect()
    }

    #[test]
    fn the_record_key_is_the_finest_subject() {
        // TTN: observations {device, time} x3, sensor {device}, property (constant).
        assert_eq!(
            keyed(&[&[0, 1], &[0, 1], &[0], &[]]),
            [true, true, false, false]
        );
        // NGSI-v2: each observation has its own time reference; all finer than the sensor.
        assert_eq!(
            keyed(&[&[0, 1], &[0, 2], &[0, 3], &[0], &[]]),
            [true, true, true, false, false]
        );
        // A registry row: sensor {id} and district {district} are incomparable: remember both.
        assert_eq!(keyed(&[&[0], &[0], &[1]]), [false, false, false]);
        // One map alone over a source: its subject is the record's key.
        assert_eq!(keyed(&[&[0, 1]]), [true]);
        // A constant subject is never a key.
        assert_eq!(keyed(&[&[]]), [false]);
    }
}
