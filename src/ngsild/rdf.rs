//! An entity as RDF, and back. One named graph per entity holds it:
//!
//! ```text
//! GRAPH <entity graph> {
//!   <id> a <type> ; ngsi-ld:createdAt ..., ngsi-ld:modifiedAt ... ; <attribute> _:i .
//!   _:i a ngsi-ld:Property ; ngsi-ld:hasValue 21.5 ; ngsi-ld:observedAt ... ;
//!       ngsi-ld:unitCode "CEL" ; ngsi-ld:datasetId <...> ; <sub-attribute> _:j .
//! }
//! ```
//!
//! That is the JSON-LD expansion of the NGSI-LD form, with two deliberate differences that keep
//! values exact and SPARQL-friendly: times are `xsd:dateTime`, and values that JSON-LD would
//! turn into nested nodes or unordered sets (JSON objects and arrays, GeoJSON, lists) are
//! `rdf:JSON` literals. A value written `{"@type": T, "@value": v}` becomes a literal typed T.

use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{BlankNode, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use serde_json::{Map, Number, Value};
use std::collections::{BTreeMap, HashMap};

use super::context::{ActiveContext, NGSI_LD};
use super::entity::{Attribute, Entity, Kind};

const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

fn ngsi(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NGSI_LD}{local}"))
}

fn json_literal(value: &Value) -> Literal {
    Literal::new_typed_literal(value.to_string(), NamedNode::new_unchecked(RDF_JSON))
}

fn date_time(value: &str) -> Literal {
    Literal::new_typed_literal(value, xsd::DATE_TIME)
}

/// A Property's value as an RDF term.
fn value_term(value: &Value, context: &ActiveContext) -> Term {
    match value {
        Value::String(s) => Literal::new_simple_literal(s).into(),
        Value::Bool(b) => Literal::from(*b).into(),
        Value::Number(n) => match n.as_i64() {
            Some(i) => Literal::from(i).into(),
            None => Literal::new_typed_literal(n.to_string(), xsd::DOUBLE).into(),
        },
        Value::Object(object) => match (object.get("@type"), object.get("@value"), object.len()) {
            (Some(Value::String(t)), Some(Value::String(v)), 2) => {
                match NamedNode::new(context.expand(t)) {
                    Ok(datatype) => Literal::new_typed_literal(v, datatype).into(),
                    Err(_) => json_literal(value).into(),
                }
            }
            _ => json_literal(value).into(),
        },
        _ => json_literal(value).into(),
    }
}

/// Back from [`value_term`].
fn term_value(term: &Term, context: &ActiveContext) -> Value {
    let Term::Literal(literal) = term else {
        return match term {
            Term::NamedNode(n) => Value::String(n.as_str().to_owned()),
            _ => Value::Null,
        };
    };
    let text = literal.value();
    match literal.datatype().as_str() {
        RDF_JSON => serde_json::from_str(text).unwrap_or(Value::Null),
        d if d == xsd::STRING.as_str() => Value::String(text.to_owned()),
        d if d == xsd::BOOLEAN.as_str() => Value::Bool(text == "true" || text == "1"),
        d if d == xsd::INTEGER.as_str() => text
            .parse::<i64>()
            .map(Value::from)
            .unwrap_or_else(|_| Value::String(text.to_owned())),
        d if d == xsd::DOUBLE.as_str() => text
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number),
        d if d == rdf::LANG_STRING.as_str() => Value::String(text.to_owned()),
        datatype => {
            let mut object = Map::new();
            object.insert("@type".into(), Value::String(context.compact(datatype)));
            object.insert("@value".into(), Value::String(text.to_owned()));
            Value::Object(object)
        }
    }
}

/// The quads of `entity` in `graph`.
pub fn to_quads(entity: &Entity, graph: &GraphName, context: &ActiveContext) -> Vec<Quad> {
    let mut quads = Vec::new();
    let subject = NamedNode::new_unchecked(&entity.id);
    let push = |quads: &mut Vec<Quad>, s: NamedOrBlankNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s, p, o, graph.clone()));
    };
    for t in &entity.types {
        if let Ok(t) = NamedNode::new(t) {
            push(
                &mut quads,
                subject.clone().into(),
                rdf::TYPE.into(),
                t.into(),
            );
        }
    }
    for scope in &entity.scopes {
        push(
            &mut quads,
            subject.clone().into(),
            ngsi("scope"),
            Literal::new_simple_literal(scope).into(),
        );
    }
    push(
        &mut quads,
        subject.clone().into(),
        ngsi("createdAt"),
        date_time(&entity.created_at).into(),
    );
    push(
        &mut quads,
        subject.clone().into(),
        ngsi("modifiedAt"),
        date_time(&entity.modified_at).into(),
    );
    attributes_to_quads(
        &mut quads,
        &subject.into(),
        &entity.attributes,
        graph,
        context,
    );
    quads
}

fn attributes_to_quads(
    quads: &mut Vec<Quad>,
    subject: &NamedOrBlankNode,
    attributes: &BTreeMap<String, Vec<Attribute>>,
    graph: &GraphName,
    context: &ActiveContext,
) {
    for (name, instances) in attributes {
        let Ok(predicate) = NamedNode::new(name) else {
            continue;
        };
        for instance in instances {
            let node = instance_node(graph, subject, name, instance.dataset_id.as_deref());
            quads.push(Quad::new(
                subject.clone(),
                predicate.clone(),
                node.clone(),
                graph.clone(),
            ));
            instance_to_quads(quads, &node.into(), instance, graph, context);
        }
    }
}

/// The blank node of an attribute instance, the same every time the entity is written (from the
/// graph, its subject, the attribute and the datasetId), so that a write changes only the quads
/// of what changed.
fn instance_node(
    graph: &GraphName,
    subject: &NamedOrBlankNode,
    attribute: &str,
    dataset_id: Option<&str>,
) -> BlankNode {
    use sha2::Digest as _;
    let mut hasher = sha2::Sha256::new();
    for part in [
        graph.to_string().as_str(),
        subject.to_string().as_str(),
        attribute,
        dataset_id.unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let mut id = [0u8; 16];
    id.copy_from_slice(&digest[..16]);
    BlankNode::new_from_unique_id(u128::from_be_bytes(id))
}

fn instance_to_quads(
    quads: &mut Vec<Quad>,
    node: &NamedOrBlankNode,
    instance: &Attribute,
    graph: &GraphName,
    context: &ActiveContext,
) {
    let mut push = |p: NamedNode, o: Term| {
        quads.push(Quad::new(node.clone(), p, o, graph.clone()));
    };
    push(rdf::TYPE.into(), ngsi(instance.kind.name()).into());
    let iris = |value: &Value| -> Vec<Term> {
        match value {
            Value::String(s) => NamedNode::new(s).map(Term::from).into_iter().collect(),
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|s| NamedNode::new(s).ok())
                .map(Term::from)
                .collect(),
            _ => Vec::new(),
        }
    };
    match instance.kind {
        Kind::Property => push(ngsi("hasValue"), value_term(&instance.value, context)),
        Kind::Relationship => {
            for object in iris(&instance.value) {
                push(ngsi("hasObject"), object);
            }
            if let Value::Array(_) = instance.value {
                push(ngsi("hasObjects"), json_literal(&instance.value).into());
            }
        }
        Kind::GeoProperty => push(ngsi("hasValue"), json_literal(&instance.value).into()),
        Kind::LanguageProperty => {
            push(ngsi("hasLanguageMap"), json_literal(&instance.value).into())
        }
        Kind::ListProperty => push(ngsi("hasValueList"), json_literal(&instance.value).into()),
        Kind::ListRelationship => {
            push(ngsi("hasObjectList"), json_literal(&instance.value).into());
        }
        Kind::VocabProperty => {
            for vocab in iris(&instance.value) {
                push(ngsi("hasVocab"), vocab);
            }
            if let Value::Array(_) = instance.value {
                push(ngsi("hasVocabs"), json_literal(&instance.value).into());
            }
        }
        Kind::JsonProperty => push(ngsi("hasJSON"), json_literal(&instance.value).into()),
    }
    if let Some(t) = instance
        .object_type
        .as_deref()
        .and_then(|t| NamedNode::new(t).ok())
    {
        push(ngsi("hasObjectType"), t.into());
    }
    if let Some(d) = instance
        .dataset_id
        .as_deref()
        .and_then(|d| NamedNode::new(d).ok())
    {
        push(ngsi("datasetId"), d.into());
    }
    if let Some(t) = &instance.observed_at {
        push(ngsi("observedAt"), date_time(t).into());
    }
    if let Some(u) = &instance.unit_code {
        push(ngsi("unitCode"), Literal::new_simple_literal(u).into());
    }
    if let Some(t) = &instance.created_at {
        push(ngsi("createdAt"), date_time(t).into());
    }
    if let Some(t) = &instance.modified_at {
        push(ngsi("modifiedAt"), date_time(t).into());
    }
    attributes_to_quads(quads, node, &instance.sub, graph, context);
}

/// The entity `id` read back from its graph's quads; `None` when they hold no entity (no
/// `createdAt` on `id`).
pub fn from_quads(id: &str, quads: &[Quad], context: &ActiveContext) -> Option<Entity> {
    let mut by_subject: HashMap<&NamedOrBlankNode, Vec<&Quad>> = HashMap::new();
    for quad in quads {
        by_subject.entry(&quad.subject).or_default().push(quad);
    }
    let subject = NamedOrBlankNode::from(NamedNode::new(id).ok()?);
    let own = by_subject.get(&subject)?;
    let mut entity = Entity {
        id: id.to_owned(),
        types: Vec::new(),
        scopes: Vec::new(),
        attributes: BTreeMap::new(),
        created_at: String::new(),
        modified_at: String::new(),
    };
    let created = ngsi("createdAt");
    let modified = ngsi("modifiedAt");
    let scope = ngsi("scope");
    for quad in own {
        let p = &quad.predicate;
        match &quad.object {
            Term::NamedNode(t) if *p == rdf::TYPE => entity.types.push(t.as_str().to_owned()),
            Term::Literal(l) if *p == created => entity.created_at = l.value().to_owned(),
            Term::Literal(l) if *p == modified => entity.modified_at = l.value().to_owned(),
            Term::Literal(l) if *p == scope => entity.scopes.push(l.value().to_owned()),
            Term::BlankNode(b) => {
                let node = NamedOrBlankNode::from(b.clone());
                if let Some(instance) = read_instance(&node, &by_subject, context, 0) {
                    entity
                        .attributes
                        .entry(p.as_str().to_owned())
                        .or_default()
                        .push(instance);
                }
            }
            _ => {}
        }
    }
    (!entity.created_at.is_empty()).then_some(entity)
}

fn read_instance(
    node: &NamedOrBlankNode,
    by_subject: &HashMap<&NamedOrBlankNode, Vec<&Quad>>,
    context: &ActiveContext,
    depth: usize,
) -> Option<Attribute> {
    if depth > 16 {
        return None;
    }
    let quads = by_subject.get(node)?;
    let kind = quads.iter().find_map(|q| match &q.object {
        Term::NamedNode(t) if q.predicate == rdf::TYPE => Kind::ALL
            .into_iter()
            .find(|k| t.as_str().strip_prefix(NGSI_LD) == Some(k.name())),
        _ => None,
    })?;
    let mut attribute = Attribute::new(kind, Value::Null, "");
    attribute.created_at = None;
    attribute.modified_at = None;
    let mut objects = Vec::new();
    let mut lists: Option<Value> = None;
    for quad in quads {
        let core_member = quad
            .predicate
            .as_str()
            .strip_prefix(NGSI_LD)
            .filter(|local| !local.contains('/'));
        let Some(local) = core_member else {
            if let Term::BlankNode(b) = &quad.object {
                let sub = NamedOrBlankNode::from(b.clone());
                if let Some(instance) = read_instance(&sub, by_subject, context, depth + 1) {
                    attribute
                        .sub
                        .entry(quad.predicate.as_str().to_owned())
                        .or_default()
                        .push(instance);
                }
            }
            continue;
        };
        let text = match &quad.object {
            Term::Literal(l) => Some(l.value().to_owned()),
            Term::NamedNode(n) => Some(n.as_str().to_owned()),
            _ => None,
        };
        match local {
            "hasValue" => {
                attribute.value = match kind {
                    Kind::GeoProperty => term_value(&quad.object, context),
                    _ => term_value(&quad.object, context),
                }
            }
            "hasObject" | "hasVocab" => objects.extend(text.map(Value::String)),
            "hasObjects" | "hasVocabs" => lists = Some(term_value(&quad.object, context)),
            "hasLanguageMap" | "hasValueList" | "hasObjectList" | "hasJSON" => {
                attribute.value = term_value(&quad.object, context);
            }
            "hasObjectType" => attribute.object_type = text,
            "datasetId" => attribute.dataset_id = text,
            "observedAt" => attribute.observed_at = text,
            "unitCode" => attribute.unit_code = text,
            "createdAt" => attribute.created_at = text,
            "modifiedAt" => attribute.modified_at = text,
            _ => {}
        }
    }
    if matches!(kind, Kind::Relationship | Kind::VocabProperty) {
        attribute.value = match (lists, objects.len()) {
            (Some(list), _) => list,
            (None, 1) => objects.pop().unwrap_or(Value::Null),
            (None, _) => Value::Array(objects),
        };
    }
    Some(attribute)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ngsild::entity::{Shape, parse};
    use serde_json::json;

    #[test]
    fn an_entity_survives_rdf() {
        let core = ActiveContext::core();
        let body = json!({
            "id": "urn:ngsi-ld:Building:1",
            "type": ["Building", "https://example.org/Landmark"],
            "scope": "/Paris",
            "name": {"type": "Property", "value": "Eiffel", "observedAt": "2026-01-01T00:00:00Z"},
            "height": {"type": "Property", "value": 330.5, "unitCode": "MTR"},
            "floors": {"type": "Property", "value": 3},
            "open": {"type": "Property", "value": true},
            "address": {"type": "Property", "value": {"city": "Paris", "nr": [1, 2]}},
            "built": {"type": "Property", "value": {"@type": "DateTime", "@value": "1889-03-31T00:00:00Z"}},
            "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Person:1",
                      "since": {"type": "Property", "value": 1889}},
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [2.29, 48.85]}},
            "label": {"type": "LanguageProperty", "languageMap": {"fr": "Tour", "en": "Tower"}},
            "levels": {"type": "ListProperty", "valueList": [3, 1, 2]},
            "tag": {"type": "VocabProperty", "vocab": ["Landmark", "Tower"]},
            "raw": {"type": "JsonProperty", "json": {"a": [1, {"b": null}]}},
            "temperature": [
                {"type": "Property", "value": 20, "datasetId": "urn:d:1"},
                {"type": "Property", "value": 21, "datasetId": "urn:d:2"}
            ]
        });
        let entity = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z");
        let Ok(entity) = entity else {
            panic!("{entity:?}");
        };
        let graph = GraphName::from(NamedNode::new_unchecked("urn:ngsi-ld:Building:1"));
        let quads = to_quads(&entity, &graph, &core);
        let back = from_quads(&entity.id, &quads, &core);
        let Some(mut back) = back else {
            panic!("not read back");
        };
        for instances in back.attributes.values_mut() {
            instances.sort_by(|a, b| a.dataset_id.cmp(&b.dataset_id));
        }
        assert_eq!(back, entity);
    }
}
