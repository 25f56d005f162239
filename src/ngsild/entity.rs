//! The NGSI-LD information model held by citykg: an entity with expanded names (IRIs) for its
//! types and attributes, each attribute a list of instances (one per `datasetId`), each instance
//! of one of the eight attribute kinds with its own sub-attributes. `parse` reads the
//! normalized or concise JSON a client sends; `render` writes normalized, concise or keyValues
//! JSON compacted with the client's context.

use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};

use super::context::ActiveContext;
use super::error::NgsiError;

/// Deepest nesting of sub-attributes accepted.
const MAX_SUB_DEPTH: usize = 8;

/// The kind of an attribute instance, by its `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Property,
    Relationship,
    GeoProperty,
    LanguageProperty,
    ListProperty,
    ListRelationship,
    VocabProperty,
    JsonProperty,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Property,
        Kind::Relationship,
        Kind::GeoProperty,
        Kind::LanguageProperty,
        Kind::ListProperty,
        Kind::ListRelationship,
        Kind::VocabProperty,
        Kind::JsonProperty,
    ];

    /// The compact name (`Property`...), also the last segment of its IRI in the NGSI-LD
    /// namespace.
    pub fn name(self) -> &'static str {
        match self {
            Self::Property => "Property",
            Self::Relationship => "Relationship",
            Self::GeoProperty => "GeoProperty",
            Self::LanguageProperty => "LanguageProperty",
            Self::ListProperty => "ListProperty",
            Self::ListRelationship => "ListRelationship",
            Self::VocabProperty => "VocabProperty",
            Self::JsonProperty => "JsonProperty",
        }
    }

    /// The member that shows the value before a change (`showChanges`).
    pub fn previous_key(self) -> &'static str {
        match self {
            Self::Property | Self::GeoProperty => "previousValue",
            Self::Relationship => "previousObject",
            Self::LanguageProperty => "previousLanguageMap",
            Self::ListProperty => "previousValueList",
            Self::ListRelationship => "previousObjectList",
            Self::VocabProperty => "previousVocab",
            Self::JsonProperty => "previousJson",
        }
    }

    /// The value that says "deleted" for this kind.
    pub fn null_value(self) -> Value {
        match self {
            Self::LanguageProperty => serde_json::json!({"@none": NULL_URI}),
            _ => Value::String(NULL_URI.to_owned()),
        }
    }

    /// The member holding the instance's value.
    pub fn value_key(self) -> &'static str {
        match self {
            Self::Property | Self::GeoProperty => "value",
            Self::Relationship => "object",
            Self::LanguageProperty => "languageMap",
            Self::ListProperty => "valueList",
            Self::ListRelationship => "objectList",
            Self::VocabProperty => "vocab",
            Self::JsonProperty => "json",
        }
    }

    fn from_type(name: &str) -> Option<Self> {
        let name = name.strip_prefix(super::context::NGSI_LD).unwrap_or(name);
        Self::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// One instance of an attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub kind: Kind,
    /// The value as its kind keeps it: a Property's value as given, a Relationship's object
    /// IRI (or array of IRIs), a GeoJSON geometry, a language map, a list, expanded vocab IRIs,
    /// a JSON value.
    pub value: Value,
    pub dataset_id: Option<String>,
    pub observed_at: Option<String>,
    pub unit_code: Option<String>,
    /// A Relationship's `objectType`, expanded.
    pub object_type: Option<String>,
    pub sub: BTreeMap<String, Vec<Attribute>>,
    pub created_at: Option<String>,
    pub modified_at: Option<String>,
}

/// An entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub id: String,
    /// Expanded type IRIs, in the order given.
    pub types: Vec<String>,
    pub scopes: Vec<String>,
    /// Expanded attribute name -> instances (distinct `datasetId`s).
    pub attributes: BTreeMap<String, Vec<Attribute>>,
    pub created_at: String,
    pub modified_at: String,
}

/// Members of an attribute instance that are not sub-attributes.
const INSTANCE_MEMBERS: [&str; 16] = [
    "type",
    "value",
    "object",
    "languageMap",
    "valueList",
    "objectList",
    "vocab",
    "json",
    "observedAt",
    "unitCode",
    "datasetId",
    "objectType",
    "createdAt",
    "modifiedAt",
    "instanceId",
    "@context",
];

/// Entity members that are not attributes.
const ENTITY_MEMBERS: [&str; 8] = [
    "id",
    "@id",
    "type",
    "@type",
    "scope",
    "@context",
    "createdAt",
    "modifiedAt",
];

/// Core members that cannot name an attribute (clause 4.6.2: non-reified core terms).
const RESERVED_NAMES: [&str; 12] = [
    "datasetId",
    "instanceId",
    "observedAt",
    "unitCode",
    "previousValue",
    "previousObject",
    "previousLanguageMap",
    "previousValueList",
    "previousJson",
    "previousVocab",
    "entityIdSealed",
    "entityTypeSealed",
];

/// Attributes that must be GeoProperties (clause 4.7).
const GEO_ATTRIBUTES: [&str; 3] = ["location", "observationSpace", "operationSpace"];

/// Whether `urn:ngsi-ld:null` may stand for a value (a patch deleting it) or not (a create).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nulls {
    Refused,
    Delete,
}

/// The value that deletes what it replaces in a patch (clause 4.5.0).
pub const NULL_URI: &str = "urn:ngsi-ld:null";

/// What a fragment may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A whole entity: `id` and `type` required.
    Entity,
    /// Attributes, with `id`/`type` optional (patches, appends, upserts).
    Fragment,
}

/// Reads an entity (or a fragment of one) a client sent. `now` stamps createdAt/modifiedAt.
pub fn parse(
    body: &Value,
    context: &ActiveContext,
    shape: Shape,
    now: &str,
) -> Result<Entity, NgsiError> {
    let Value::Object(object) = body else {
        return Err(NgsiError::bad_request("an entity must be a JSON object"));
    };
    let id = match object.get("id").or_else(|| object.get("@id")) {
        Some(Value::String(id)) if id == NULL_URI => {
            return Err(NgsiError::bad_request(
                "urn:ngsi-ld:null cannot be an entity id",
            ));
        }
        Some(Value::String(id)) => {
            check_uri(id, "the entity id")?;
            id.clone()
        }
        Some(_) => return Err(NgsiError::bad_request("the entity id must be a string")),
        None if shape == Shape::Entity => {
            return Err(NgsiError::bad_request("the entity has no id"));
        }
        None => String::new(),
    };
    let types = match object.get("type").or_else(|| object.get("@type")) {
        Some(value) => parse_types(value, context)?,
        None if shape == Shape::Entity => {
            return Err(NgsiError::bad_request("the entity has no type"));
        }
        None => Vec::new(),
    };
    let scopes = match object.get("scope") {
        None => Vec::new(),
        Some(value) => parse_scopes(value)?,
    };
    let mut attributes = BTreeMap::new();
    for (name, value) in object {
        if ENTITY_MEMBERS.contains(&name.as_str()) {
            continue;
        }
        check_name(name)?;
        let expanded = context.expand(name);
        let nulls = match shape {
            Shape::Entity => Nulls::Refused,
            Shape::Fragment => Nulls::Delete,
        };
        let instances = parse_instances(name, value, context, now, nulls, 0)?;
        if GEO_ATTRIBUTES.contains(&name.as_str())
            && instances.iter().any(|i| i.kind != Kind::GeoProperty)
        {
            return Err(NgsiError::bad_request(format!(
                "{name} must be a GeoProperty"
            )));
        }
        attributes.insert(expanded, instances);
    }
    Ok(Entity {
        id,
        types,
        scopes,
        attributes,
        created_at: now.to_owned(),
        modified_at: now.to_owned(),
    })
}

/// Reads one attribute's instances (an object or an array of them) as in a request body keyed
/// by the attribute's name.
pub fn parse_instances(
    name: &str,
    value: &Value,
    context: &ActiveContext,
    now: &str,
    nulls: Nulls,
    depth: usize,
) -> Result<Vec<Attribute>, NgsiError> {
    let instances = match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => items
            .iter()
            .map(|item| parse_instance(name, item, context, now, nulls, depth))
            .collect::<Result<Vec<_>, _>>()?,
        _ => vec![parse_instance(name, value, context, now, nulls, depth)?],
    };
    let mut seen = HashSet::new();
    for instance in &instances {
        if !seen.insert(instance.dataset_id.as_deref()) {
            return Err(NgsiError::bad_request(format!(
                "{name} has two instances with the same datasetId"
            )));
        }
    }
    Ok(instances)
}

fn parse_instance(
    name: &str,
    value: &Value,
    context: &ActiveContext,
    now: &str,
    nulls: Nulls,
    depth: usize,
) -> Result<Attribute, NgsiError> {
    if depth > MAX_SUB_DEPTH {
        return Err(NgsiError::bad_request(format!(
            "sub-attributes are nested deeper than {MAX_SUB_DEPTH} levels"
        )));
    }
    let Value::Object(member) = value else {
        // Concise: a bare value is a Property.
        if value.is_null() {
            return Err(NgsiError::bad_request(format!("{name} is null")));
        }
        return Ok(Attribute::new(Kind::Property, value.clone(), now));
    };
    let kind = match member.get("type") {
        Some(Value::String(t)) => {
            let kind = Kind::from_type(t).or_else(|| {
                // A GeoJSON geometry given concisely.
                is_geometry(value).then_some(Kind::GeoProperty)
            });
            match kind {
                Some(kind) if Kind::from_type(t).is_some() => kind,
                Some(kind) => return geo_concise(kind, value, now),
                None => {
                    return Err(NgsiError::bad_request(format!(
                        "{name} has the type {t:?}, not one of the NGSI-LD attribute types"
                    )));
                }
            }
        }
        Some(_) => {
            return Err(NgsiError::bad_request(format!(
                "the type of {name} must be a string"
            )));
        }
        None => Kind::ALL
            .into_iter()
            .find(|k| *k != Kind::GeoProperty && member.contains_key(k.value_key()))
            .map(|k| {
                if k == Kind::Property && member.get("value").is_some_and(is_geometry) {
                    Kind::GeoProperty
                } else {
                    k
                }
            })
            .ok_or_else(|| {
                NgsiError::bad_request(format!(
                    "{name} has no type and none of value, object, languageMap, valueList, \
                     objectList, vocab or json"
                ))
            })?,
    };
    check_members(name, kind, member)?;
    let raw = match member.get(kind.value_key()) {
        Some(Value::Null) | None => {
            return Err(NgsiError::bad_request(format!(
                "{name} is a {} without {}",
                kind.name(),
                kind.value_key()
            )));
        }
        Some(raw) => raw,
    };
    if is_null_value(raw) {
        if nulls == Nulls::Refused {
            return Err(NgsiError::bad_request(format!(
                "{name} is null ({NULL_URI}); null deletes in a patch and cannot be created"
            )));
        }
        let mut attribute = Attribute::new(kind, Value::String(NULL_URI.to_owned()), now);
        attribute.dataset_id = member
            .get("datasetId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        return Ok(attribute);
    }
    if nulls == Nulls::Refused && kind != Kind::JsonProperty && holds_null(raw) {
        return Err(NgsiError::bad_request(format!(
            "the value of {name} holds a null, which only a JsonProperty may hold"
        )));
    }
    let value = match kind {
        Kind::Property => raw.clone(),
        Kind::Relationship => match raw {
            Value::String(object) => {
                check_uri(object, &format!("the object of {name}"))?;
                raw.clone()
            }
            Value::Array(objects) if !objects.is_empty() => {
                for object in objects {
                    match object {
                        Value::String(o) => check_uri(o, &format!("the object of {name}"))?,
                        _ => {
                            return Err(NgsiError::bad_request(format!(
                                "the objects of {name} must be URIs"
                            )));
                        }
                    }
                }
                raw.clone()
            }
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the object of {name} must be a URI"
                )));
            }
        },
        Kind::GeoProperty => {
            // A geometry may come as a string holding its GeoJSON.
            let parsed = raw
                .as_str()
                .and_then(|text| serde_json::from_str::<Value>(text).ok());
            let raw = parsed.as_ref().unwrap_or(raw);
            if !is_geometry(raw) {
                return Err(NgsiError::bad_request(format!(
                    "the value of {name} must be a GeoJSON geometry (type and coordinates)"
                )));
            }
            raw.clone()
        }
        Kind::LanguageProperty => match raw {
            Value::Object(map)
                if map.values().all(|v| {
                    v.is_string() || v.as_array().is_some_and(|a| a.iter().all(Value::is_string))
                }) =>
            {
                raw.clone()
            }
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the languageMap of {name} must map language tags to strings"
                )));
            }
        },
        Kind::ListProperty => match raw {
            Value::Array(_) => raw.clone(),
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the valueList of {name} must be an array"
                )));
            }
        },
        Kind::ListRelationship => match raw {
            Value::Array(items) => {
                let normalized: Vec<Value> = items
                    .iter()
                    .map(|item| match item {
                        Value::String(o) => serde_json::json!({"object": o}),
                        other => other.clone(),
                    })
                    .collect();
                for item in items {
                    let object = match item {
                        Value::String(o) => Some(o.as_str()),
                        Value::Object(o) => o.get("object").and_then(Value::as_str),
                        _ => None,
                    };
                    match object {
                        Some(o) => check_uri(o, &format!("an object of {name}"))?,
                        None => {
                            return Err(NgsiError::bad_request(format!(
                                "the objectList of {name} must hold URIs"
                            )));
                        }
                    }
                }
                Value::Array(normalized)
            }
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the objectList of {name} must be an array"
                )));
            }
        },
        Kind::VocabProperty => match raw {
            Value::String(v) => Value::String(context.expand_vocab_value(v)),
            Value::Array(items) if items.iter().all(Value::is_string) => Value::Array(
                items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(|v| Value::String(context.expand_vocab_value(v)))
                    .collect(),
            ),
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the vocab of {name} must be a term or an array of terms"
                )));
            }
        },
        Kind::JsonProperty => match raw {
            Value::Object(_) | Value::Array(_) => raw.clone(),
            _ => {
                return Err(NgsiError::bad_request(format!(
                    "the json of {name} must be a JSON object or array"
                )));
            }
        },
    };
    let mut attribute = Attribute::new(kind, value, now);
    attribute.dataset_id = match member.get("datasetId") {
        None => None,
        Some(Value::String(d)) if d == "@none" => None,
        Some(Value::String(d)) => {
            check_uri(d, &format!("the datasetId of {name}"))?;
            Some(d.clone())
        }
        Some(_) => {
            return Err(NgsiError::bad_request(format!(
                "the datasetId of {name} must be a URI"
            )));
        }
    };
    attribute.observed_at = match member.get("observedAt") {
        None => None,
        Some(Value::String(t)) if is_date_time(t) && t.ends_with('Z') => Some(t.clone()),
        Some(_) => {
            return Err(NgsiError::bad_request(format!(
                "the observedAt of {name} must be a UTC date-time (e.g. 2026-12-07T10:00:00Z)"
            )));
        }
    };
    attribute.unit_code = match member.get("unitCode") {
        None => None,
        Some(Value::String(u)) => Some(u.clone()),
        Some(_) => {
            return Err(NgsiError::bad_request(format!(
                "the unitCode of {name} must be a string"
            )));
        }
    };
    attribute.object_type = match member.get("objectType") {
        None => None,
        Some(Value::String(t)) => Some(context.expand(t)),
        Some(_) => {
            return Err(NgsiError::bad_request(format!(
                "the objectType of {name} must be a string"
            )));
        }
    };
    for (sub_name, sub_value) in member {
        if INSTANCE_MEMBERS.contains(&sub_name.as_str()) {
            continue;
        }
        check_name(sub_name)?;
        attribute.sub.insert(
            context.expand(sub_name),
            parse_instances(sub_name, sub_value, context, now, nulls, depth + 1)?,
        );
    }
    Ok(attribute)
}

/// A value that stands for null: `urn:ngsi-ld:null`, or a language map of it.
fn is_null_value(value: &Value) -> bool {
    match value {
        Value::String(s) => s == NULL_URI,
        Value::Object(map) => map.len() == 1 && map.get("@none").is_some_and(is_null_value),
        Value::Array(items) => items.len() == 1 && is_null_value(&items[0]),
        _ => false,
    }
}

fn holds_null(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s == NULL_URI,
        Value::Array(items) => items.iter().any(holds_null),
        Value::Object(map) => map.values().any(holds_null),
        _ => false,
    }
}

/// Members that belong to another kind (a Relationship with a value...), output-only members
/// and embedded contexts are refused.
fn check_members(name: &str, kind: Kind, member: &Map<String, Value>) -> Result<(), NgsiError> {
    for other in Kind::ALL {
        let key = other.value_key();
        if key != kind.value_key() && member.contains_key(key) {
            return Err(NgsiError::bad_request(format!(
                "{name} is a {} and cannot have {key} (that belongs to a {})",
                kind.name(),
                other.name()
            )));
        }
    }
    if member.contains_key("unitCode") && !matches!(kind, Kind::Property | Kind::ListProperty) {
        return Err(NgsiError::bad_request(format!(
            "{name} is a {} and cannot have a unitCode",
            kind.name()
        )));
    }
    if member.contains_key("@context") {
        return Err(NgsiError::bad_request(format!(
            "{name} holds an @context: a context applies to the whole body"
        )));
    }
    if let Some(Value::Object(map)) = member.get("languageMap")
        && map.keys().any(|k| k.is_empty())
    {
        return Err(NgsiError::bad_request(format!(
            "the languageMap of {name} has an empty language tag"
        )));
    }
    for (key, value) in member {
        if value.is_null() {
            return Err(NgsiError::bad_request(format!(
                "the member {key} of {name} is null"
            )));
        }
    }
    Ok(())
}

fn geo_concise(kind: Kind, value: &Value, now: &str) -> Result<Attribute, NgsiError> {
    Ok(Attribute::new(kind, value.clone(), now))
}

impl Attribute {
    pub fn new(kind: Kind, value: Value, now: &str) -> Self {
        Self {
            kind,
            value,
            dataset_id: None,
            observed_at: None,
            unit_code: None,
            object_type: None,
            sub: BTreeMap::new(),
            created_at: Some(now.to_owned()),
            modified_at: Some(now.to_owned()),
        }
    }
}

const GEOMETRY_TYPES: [&str; 6] = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
];

/// A GeoJSON geometry: a known `type` and numeric `coordinates` nested as that type needs.
pub fn is_geometry(value: &Value) -> bool {
    let Some(kind) = value.get("type").and_then(Value::as_str) else {
        return false;
    };
    let depth = match GEOMETRY_TYPES.iter().position(|t| *t == kind) {
        Some(0) => 0,
        Some(1 | 3) => 1,
        Some(2 | 4) => 2,
        Some(_) => 3,
        None => return false,
    };
    value
        .get("coordinates")
        .is_some_and(|c| coordinates_nested(c, depth))
}

fn coordinates_nested(value: &Value, depth: usize) -> bool {
    match value {
        Value::Array(items) if depth == 0 => {
            (2..=3).contains(&items.len()) && items.iter().all(Value::is_number)
        }
        Value::Array(items) => {
            !items.is_empty() && items.iter().all(|i| coordinates_nested(i, depth - 1))
        }
        _ => false,
    }
}

fn parse_types(value: &Value, context: &ActiveContext) -> Result<Vec<String>, NgsiError> {
    let names: Vec<&str> = match value {
        Value::String(t) => vec![t.as_str()],
        Value::Array(items) if !items.is_empty() => items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| NgsiError::bad_request("entity types must be strings"))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(NgsiError::bad_request(
                "the entity type must be a string or an array of strings",
            ));
        }
    };
    let mut types = Vec::with_capacity(names.len());
    for name in names {
        check_name(name)?;
        if name.starts_with(|c: char| c.is_ascii_digit()) || name.starts_with('@') {
            return Err(NgsiError::bad_request(format!(
                "the entity type {name:?} must not start with a digit or @"
            )));
        }
        let iri = context.expand(name);
        if !types.contains(&iri) {
            types.push(iri);
        }
    }
    Ok(types)
}

fn parse_scopes(value: &Value) -> Result<Vec<String>, NgsiError> {
    let items: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    items
        .into_iter()
        .map(|item| match item.as_str() {
            Some(s) if s.starts_with('/') && !s.ends_with('/') && !s.contains("//") => {
                Ok(s.to_owned())
            }
            _ => Err(NgsiError::bad_request(format!(
                "the scope {item} is not a path like /Madrid/Gardens"
            ))),
        })
        .collect()
}

/// Characters an attribute or type name may not contain (clause 4.6.2 of GS CIM 009 keeps
/// names to those valid in URIs; these break the query language or HTML).
pub fn check_name(name: &str) -> Result<(), NgsiError> {
    if RESERVED_NAMES.contains(&name) {
        return Err(NgsiError::bad_request(format!(
            "{name} is an NGSI-LD core member and cannot name an attribute"
        )));
    }
    if name.is_empty()
        || name.len() > 512
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>\"'=;()\\".contains(c))
    {
        return Err(NgsiError::bad_request(format!(
            "{name:?} is not a valid attribute or type name"
        )));
    }
    Ok(())
}

/// Code points that make two ids look alike or hide part of one: controls, spaces, bidi
/// controls, zero-width characters, fillers and blanks.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || c.is_whitespace()
        || matches!(c,
            '\u{00A0}' | '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{180E}'
            | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2069}'
            | '\u{2800}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}'
            | '\u{E0100}'..='\u{E01EF}')
}

/// An absolute URI (a scheme, then anything IRI-valid), without invisible code points.
pub fn check_uri(value: &str, what: &str) -> Result<(), NgsiError> {
    if let Some(c) = value
        .chars()
        .find(|c| is_invisible(*c) || *c == '<' || *c == '>')
    {
        return Err(NgsiError::bad_request(format!(
            "{what} ({value:?}) holds the character U+{:04X}, which ids may not contain",
            c as u32
        )));
    }
    let has_scheme = value.split_once(':').is_some_and(|(scheme, rest)| {
        !rest.is_empty()
            && scheme
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if !has_scheme || oxiri::Iri::parse(value).is_err() {
        return Err(NgsiError::bad_request(format!(
            "{what} ({value:?}) is not an absolute URI"
        )));
    }
    Ok(())
}

pub fn is_date_time(value: &str) -> bool {
    value.parse::<oxsdatatypes::DateTime>().is_ok()
}

/// How an answer represents attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Normalized,
    Concise,
    KeyValues,
}

/// What a client asked to see.
#[derive(Debug, Clone)]
pub struct View<'a> {
    pub context: &'a ActiveContext,
    pub format: Format,
    pub sys_attrs: bool,
    /// Expanded names of the attributes to keep (`attrs`/`pick`); `None`: all.
    pub only: Option<&'a HashSet<String>>,
    /// Expanded names of attributes to leave out (`omit`).
    pub omit: Option<&'a HashSet<String>>,
    /// `lang`: LanguageProperties become the string in that language.
    pub lang: Option<&'a str>,
}

impl Entity {
    /// The entity as JSON (without `@context`).
    pub fn render(&self, view: &View<'_>) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("id".into(), Value::String(self.id.clone()));
        let types: Vec<Value> = self
            .types
            .iter()
            .map(|t| Value::String(view.context.compact(t)))
            .collect();
        out.insert("type".into(), one_or_many(types));
        if !self.scopes.is_empty() {
            let scopes = self.scopes.iter().cloned().map(Value::String).collect();
            out.insert("scope".into(), one_or_many(scopes));
        }
        for (name, instances) in &self.attributes {
            if view.only.is_some_and(|only| !only.contains(name))
                || view.omit.is_some_and(|omit| omit.contains(name))
            {
                continue;
            }
            let rendered = instances.iter().map(|i| i.render(view)).collect();
            out.insert(view.context.compact(name), one_or_many(rendered));
        }
        if view.sys_attrs && view.format != Format::KeyValues {
            out.insert("createdAt".into(), Value::String(self.created_at.clone()));
            out.insert("modifiedAt".into(), Value::String(self.modified_at.clone()));
        }
        out
    }

    /// Whether the entity has every one of `types` (expanded).
    pub fn has_type(&self, iri: &str) -> bool {
        self.types.iter().any(|t| t == iri)
    }
}

impl Attribute {
    pub fn render(&self, view: &View<'_>) -> Value {
        if view.format == Format::KeyValues {
            return self.key_value(view);
        }
        let mut out = Map::new();
        let concise = view.format == Format::Concise;
        if !concise {
            out.insert("type".into(), Value::String(self.kind.name().to_owned()));
        }
        match (self.kind, view.lang) {
            (Kind::LanguageProperty, Some(lang)) => {
                if !concise {
                    out.insert("type".into(), Value::String("Property".into()));
                }
                out.insert("value".into(), language_value(&self.value, lang));
                out.insert(
                    "lang".into(),
                    Value::String(chosen_language(&self.value, lang)),
                );
            }
            _ => {
                out.insert(self.kind.value_key().into(), self.value_for(view));
            }
        }
        if let Some(t) = &self.object_type {
            out.insert("objectType".into(), Value::String(view.context.compact(t)));
        }
        if let Some(d) = &self.dataset_id {
            out.insert("datasetId".into(), Value::String(d.clone()));
        }
        if let Some(t) = &self.observed_at {
            out.insert("observedAt".into(), Value::String(t.clone()));
        }
        if let Some(u) = &self.unit_code {
            out.insert("unitCode".into(), Value::String(u.clone()));
        }
        for (name, instances) in &self.sub {
            let rendered = instances.iter().map(|i| i.render(view)).collect();
            out.insert(view.context.compact(name), one_or_many(rendered));
        }
        if view.sys_attrs {
            if let Some(t) = &self.created_at {
                out.insert("createdAt".into(), Value::String(t.clone()));
            }
            if let Some(t) = &self.modified_at {
                out.insert("modifiedAt".into(), Value::String(t.clone()));
            }
        }
        if concise && out.len() == 1 && self.kind == Kind::Property && !self.value.is_object() {
            if let Some(value) = out.remove("value") {
                return value;
            }
        }
        Value::Object(out)
    }

    fn value_for(&self, view: &View<'_>) -> Value {
        match self.kind {
            Kind::VocabProperty => match &self.value {
                Value::String(v) => Value::String(view.context.compact(v)),
                Value::Array(items) => Value::Array(
                    items
                        .iter()
                        .map(|v| match v {
                            Value::String(s) => Value::String(view.context.compact(s)),
                            other => other.clone(),
                        })
                        .collect(),
                ),
                other => other.clone(),
            },
            _ => self.value.clone(),
        }
    }

    fn key_value(&self, view: &View<'_>) -> Value {
        match (self.kind, view.lang) {
            (Kind::LanguageProperty, Some(lang)) => language_value(&self.value, lang),
            (Kind::LanguageProperty, None) => {
                let mut map = Map::new();
                map.insert("languageMap".into(), self.value.clone());
                Value::Object(map)
            }
            (Kind::JsonProperty, _) => {
                let mut map = Map::new();
                map.insert("json".into(), self.value.clone());
                Value::Object(map)
            }
            (Kind::VocabProperty, _) => {
                let mut map = Map::new();
                map.insert("vocab".into(), self.value_for(view));
                Value::Object(map)
            }
            _ => self.value.clone(),
        }
    }
}

fn chosen_language(map: &Value, lang: &str) -> String {
    let Some(map) = map.as_object() else {
        return lang.to_owned();
    };
    if map.contains_key(lang) {
        return lang.to_owned();
    }
    if lang == "*" || lang.is_empty() {
        return map.keys().next().cloned().unwrap_or_default();
    }
    // The first preference that exists, then `@none`, then any.
    for wanted in lang
        .split(',')
        .map(|l| l.split(';').next().unwrap_or("").trim())
    {
        if map.contains_key(wanted) {
            return wanted.to_owned();
        }
    }
    if map.contains_key("@none") {
        return "@none".to_owned();
    }
    map.keys().next().cloned().unwrap_or_default()
}

fn language_value(map: &Value, lang: &str) -> Value {
    let chosen = chosen_language(map, lang);
    map.get(&chosen).cloned().unwrap_or(Value::Null)
}

/// One value alone, several as an array.
pub fn one_or_many(mut values: Vec<Value>) -> Value {
    if values.len() == 1 {
        values.pop().unwrap_or(Value::Null)
    } else {
        Value::Array(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn view(context: &ActiveContext, format: Format) -> View<'_> {
        View {
            context,
            format,
            sys_attrs: false,
            only: None,
            omit: None,
            lang: None,
        }
    }

    #[test]
    fn normalized_entity_round_trips() {
        let core = ActiveContext::core();
        let body = json!({
            "id": "urn:ngsi-ld:Building:1",
            "type": "Building",
            "name": {"type": "Property", "value": "Eiffel", "observedAt": "2026-01-01T00:00:00Z"},
            "owner": {"type": "Relationship", "object": "urn:ngsi-ld:Person:1",
                      "since": {"type": "Property", "value": 1889}},
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [2.29, 48.85]}},
            "tag": {"type": "VocabProperty", "vocab": "Landmark"},
            "temperature": [
                {"type": "Property", "value": 20, "datasetId": "urn:d:1"},
                {"type": "Property", "value": 21, "datasetId": "urn:d:2"}
            ]
        });
        let entity = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z");
        let Ok(entity) = entity else {
            panic!("{entity:?}");
        };
        assert_eq!(
            entity.types,
            vec!["https://uri.etsi.org/ngsi-ld/default-context/Building".to_owned()]
        );
        assert_eq!(
            Value::Object(entity.render(&view(&core, Format::Normalized))),
            body
        );
        let key_values = entity.render(&view(&core, Format::KeyValues));
        assert_eq!(key_values["name"], json!("Eiffel"));
        assert_eq!(key_values["owner"], json!("urn:ngsi-ld:Person:1"));
    }

    #[test]
    fn concise_input_and_output() {
        let core = ActiveContext::core();
        let body = json!({"id": "urn:x:1", "type": "T", "speed": 3, "next": {"object": "urn:x:2"}});
        let entity = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z");
        let Ok(entity) = entity else {
            panic!("{entity:?}");
        };
        let speed = &entity.attributes["https://uri.etsi.org/ngsi-ld/default-context/speed"][0];
        assert_eq!(speed.kind, Kind::Property);
        let next = &entity.attributes["https://uri.etsi.org/ngsi-ld/default-context/next"][0];
        assert_eq!(next.kind, Kind::Relationship);
        assert_eq!(
            Value::Object(entity.render(&view(&core, Format::Concise))),
            body
        );
    }

    #[test]
    fn invalid_entities_are_refused_with_a_reason() {
        let core = ActiveContext::core();
        for (body, needle) in [
            (json!({"id": "no-scheme", "type": "T"}), "absolute URI"),
            (json!({"id": "urn:x:1"}), "no type"),
            (
                json!({"id": "urn:x:1", "type": "T", "a": {"type": "Property"}}),
                "without value",
            ),
            (
                json!({"id": "urn:x:1", "type": "T", "location": {"type": "Property", "value": 1}}),
                "GeoProperty",
            ),
            (
                json!({"id": "urn:x:1", "type": "T", "a(b": 1}),
                "not a valid",
            ),
            (
                json!({"id": "urn:x:1", "type": "T", "r": {"type": "Relationship", "object": "x"}}),
                "absolute URI",
            ),
        ] {
            let error = parse(&body, &core, Shape::Entity, "2026-12-07T00:00:00Z");
            assert!(
                error.as_ref().is_err_and(|e| e.detail.contains(needle)),
                "{body}: {error:?}"
            );
        }
    }
}
