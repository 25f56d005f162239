//! The model as YARRRML (block-style YAML, every scalar double-quoted), in the forms the YARRRML
//! translator (`crate::pipeline::mapping::yarrrml`) reads back into the same model: one mapping per
//! triples map, long-form sources and objects, functions with `function`/`parameters`, joins as
//! `equal` conditions. What YARRRML cannot say (gather maps, unsafe IRIs, compressed files,
//! per-map base IRIs, explicit function outputs, ...) is a `NotExpressible` error, never a
//! document that reads back as something else.

mod functions;
mod sources;
mod terms;
mod text;

use super::yaml::{Y, yaml_map};
use super::{PREFIXES, WriteError};
use crate::pipeline::mapping::model::{
    MapName, Mapping, ObjectMap, PredicateObjectMap, TriplesMap,
};

/// The mapping as YARRRML.
pub fn to_yarrrml(mapping: &Mapping) -> Result<String, WriteError> {
    let keys = mapping_keys(mapping);
    let mut writer = Yarrrml {
        used: Vec::new(),
        externals: Vec::new(),
        keys: &keys,
        names: mapping.triples_maps.iter().map(|map| &map.name).collect(),
        map: String::new(),
    };
    let mut mappings = Vec::new();
    for (triples_map, key) in mapping.triples_maps.iter().zip(&keys) {
        writer.map = triples_map.name.to_string();
        mappings.push((key.clone(), writer.triples_map(triples_map)?));
    }
    let prefixes = PREFIXES
        .iter()
        .filter(|(prefix, _)| writer.used.contains(prefix))
        .map(|(prefix, namespace)| ((*prefix).to_owned(), Y::Str((*namespace).to_owned())))
        .collect();
    let mut document = vec![("prefixes".to_owned(), Y::Map(prefixes))];
    if !writer.externals.is_empty() {
        let externals = writer
            .externals
            .iter()
            .enumerate()
            .map(|(index, value)| (text::external_name(index), Y::Str(value.clone())))
            .collect();
        document.push(("external".to_owned(), Y::Map(externals)));
    }
    document.push(("mappings".to_owned(), Y::Map(mappings)));
    let mut out = String::new();
    yaml_map(&mut out, &document, 0, false);
    Ok(out)
}

/// One unique key per triples map: its label, else the end of its name, made unique.
fn mapping_keys(mapping: &Mapping) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for map in &mapping.triples_maps {
        let base = map.label.clone().unwrap_or_else(|| {
            let name = map.name.as_str();
            let tail = name.rsplit(['/', '#']).find(|part| !part.is_empty());
            tail.unwrap_or("map").to_owned()
        });
        let mut key = base.clone();
        let mut counter = 2;
        while keys.contains(&key) {
            key = format!("{base}_{counter}");
            counter += 1;
        }
        keys.push(key);
    }
    keys
}

struct Yarrrml<'a> {
    /// Prefixes written as `prefix:local`, to declare.
    used: Vec<&'static str>,
    /// Values written as external references (`$(_citykg-N)` is `externals[N]`).
    externals: Vec<String>,
    keys: &'a [String],
    names: Vec<&'a MapName>,
    /// The triples map being written, for errors.
    map: String,
}

impl Yarrrml<'_> {
    fn unsupported(&self, what: &'static str) -> WriteError {
        WriteError::NotExpressible {
            map: self.map.clone(),
            what,
            syntax: "YARRRML",
        }
    }

    fn triples_map(&mut self, map: &TriplesMap) -> Result<Y, WriteError> {
        if map.base_iri.is_some() {
            return Err(self.unsupported("a per-triples-map base IRI"));
        }
        let mut entries = vec![(
            "sources".to_owned(),
            Y::List(vec![self.source(&map.logical_source)?]),
        )];
        if let Some(subject) = self.subject(&map.subject.term)? {
            entries.push(("s".to_owned(), subject));
        }
        if !map.subject.graphs.is_empty() {
            let graphs = self.iri_terms(&map.subject.graphs, true)?;
            entries.push(("graphs".to_owned(), Y::List(graphs)));
        }
        let mut po = Vec::new();
        for class in &map.subject.classes {
            let class = self.iri(class.as_str());
            po.push(Y::Map(vec![
                ("p".to_owned(), Y::Str("a".to_owned())),
                (
                    "o".to_owned(),
                    Y::Map(vec![
                        ("value".to_owned(), Y::Str(class)),
                        ("type".to_owned(), Y::Str("iri".to_owned())),
                    ]),
                ),
            ]));
        }
        for pom in &map.predicate_object_maps {
            po.push(self.predicate_object(pom)?);
        }
        if !po.is_empty() {
            entries.push(("po".to_owned(), Y::List(po)));
        }
        Ok(Y::Map(entries))
    }

    fn iri_terms(
        &mut self,
        terms: &[crate::pipeline::mapping::model::TermMap],
        graph: bool,
    ) -> Result<Vec<Y>, WriteError> {
        terms
            .iter()
            .map(|term| self.iri_term(term, graph))
            .collect()
    }

    fn predicate_object(&mut self, pom: &PredicateObjectMap) -> Result<Y, WriteError> {
        let predicates = self.iri_terms(&pom.predicates, false)?;
        let mut objects = Vec::new();
        for object in &pom.objects {
            objects.push(match object {
                ObjectMap::Term(term) => self.object(term)?,
                ObjectMap::Referencing(referencing) => {
                    let parent = self.parent_key(&referencing.parent)?;
                    let mut entries = vec![("mapping".to_owned(), Y::Str(parent))];
                    let mut conditions = Vec::new();
                    for join in &referencing.joins {
                        conditions.push(self.join(join)?);
                    }
                    if !conditions.is_empty() {
                        entries.push(("condition".to_owned(), Y::List(conditions)));
                    }
                    Y::Map(entries)
                }
            });
        }
        let mut entries = vec![
            ("predicates".to_owned(), Y::List(predicates)),
            ("objects".to_owned(), Y::List(objects)),
        ];
        if !pom.graphs.is_empty() {
            let graphs = self.iri_terms(&pom.graphs, true)?;
            entries.push(("graphs".to_owned(), Y::List(graphs)));
        }
        Ok(Y::Map(entries))
    }

    fn parent_key(&self, parent: &MapName) -> Result<String, WriteError> {
        self.names
            .iter()
            .position(|name| *name == parent)
            .and_then(|index| self.keys.get(index))
            .cloned()
            .ok_or_else(|| self.unsupported("a parent triples map that is not in the mapping"))
    }
}
