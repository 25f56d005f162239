//! NGSI-LD subscriptions (GS CIM 009 clause 5.8): parsed and checked once, kept in memory per
//! tenant and in the store (`{base}graph/ngsi-ld-subscriptions`, one `rdf:JSON` document each,
//! so they survive a restart), matched against every entity change the broker commits.

use oxigraph::model::{GraphName, Literal, NamedNode, Quad};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, PoisonError, RwLock};

use super::context::ActiveContext;
use super::entity::{self, Entity};
use super::error::NgsiError;
use super::query::{self, Expr, Query};
use crate::core::config::BaseIri;
use crate::storage::{Cause, Origin, Storage, StoreError};

const DOCUMENT: &str = "https://w3id.org/citykg/ns#subscriptionDocument";
const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

/// The members a Subscription has (clause 5.2.12).
const MEMBERS: [&str; 24] = [
    "id",
    "type",
    "subscriptionName",
    "description",
    "entities",
    "watchedAttributes",
    "notificationTrigger",
    "timeInterval",
    "q",
    "geoQ",
    "csf",
    "isActive",
    "notification",
    "expiresAt",
    "throttling",
    "temporalQ",
    "scopeQ",
    "lang",
    "jsonldContext",
    "datasetId",
    "join",
    "joinLevel",
    "expandValues",
    "localOnly",
];

/// Most subscriptions per tenant.
const MAX_SUBSCRIPTIONS: usize = 10_000;

/// What changed an entity, as a subscription's `notificationTrigger` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Trigger {
    EntityCreated,
    EntityUpdated,
    EntityDeleted,
    AttributeCreated,
    AttributeUpdated,
    AttributeDeleted,
}

impl Trigger {
    const ALL: [Trigger; 6] = [
        Trigger::EntityCreated,
        Trigger::EntityUpdated,
        Trigger::EntityDeleted,
        Trigger::AttributeCreated,
        Trigger::AttributeUpdated,
        Trigger::AttributeDeleted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::EntityCreated => "entityCreated",
            Self::EntityUpdated => "entityUpdated",
            Self::EntityDeleted => "entityDeleted",
            Self::AttributeCreated => "attributeCreated",
            Self::AttributeUpdated => "attributeUpdated",
            Self::AttributeDeleted => "attributeDeleted",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One entity selector of a subscription: a type, optionally an id or an id pattern.
#[derive(Debug)]
struct Selector {
    types: Expr<String>,
    id: Option<String>,
    pattern: Option<regex::Regex>,
}

/// A subscription, as given and as parsed.
#[derive(Debug)]
pub struct Subscription {
    pub id: String,
    pub tenant: String,
    /// The document as the client sent it (without `@context`), with the defaults added.
    document: Map<String, Value>,
    /// The context it was written with, and resolved.
    pub context: Option<Value>,
    pub active_context: Arc<ActiveContext>,
    selectors: Vec<Selector>,
    /// Expanded names; empty: any attribute.
    watched: HashSet<String>,
    triggers: HashSet<Trigger>,
    q: Option<Query>,
    /// Expanded names of the attributes a notification shows; empty: all.
    pub attributes: HashSet<String>,
    pub format: entity::Format,
    pub sys_attrs: bool,
    /// `showChanges`: previous values beside the new ones.
    pub show_changes: bool,
    /// `receiverInfo`: headers sent with every notification.
    pub receiver_info: Vec<(String, String)>,
    pub endpoint: String,
    /// The endpoint's `accept`: JSON-LD puts the context in the body.
    pub accept_json_ld: bool,
    pub throttling: f64,
    pub expires_at: Option<String>,
    pub active: bool,
}

impl Subscription {
    /// Parses and checks a subscription document.
    pub fn parse(
        body: &Value,
        tenant: &str,
        context: &Arc<ActiveContext>,
        context_value: Option<Value>,
        now: &str,
    ) -> Result<Self, NgsiError> {
        let Value::Object(object) = body else {
            return Err(NgsiError::bad_request(
                "a subscription must be a JSON object",
            ));
        };
        // Only the members of a Subscription (clause 5.2.12) are kept.
        let mut document: Map<String, Value> = object
            .iter()
            .filter(|(k, _)| MEMBERS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let id = match document.get("id") {
            Some(Value::String(id)) => {
                entity::check_uri(id, "the subscription id")?;
                id.clone()
            }
            Some(_) => return Err(NgsiError::bad_request("the subscription id must be a URI")),
            None => {
                let id = format!("urn:ngsi-ld:Subscription:{}", random_id());
                document.insert("id".into(), Value::String(id.clone()));
                id
            }
        };
        if document.get("type").and_then(Value::as_str) != Some("Subscription") {
            return Err(NgsiError::bad_request(
                "a subscription's type must be Subscription",
            ));
        }
        let sub = Self::from_document(id, tenant, document, context, context_value, now)?;
        Ok(sub)
    }

    fn from_document(
        id: String,
        tenant: &str,
        mut document: Map<String, Value>,
        context: &Arc<ActiveContext>,
        context_value: Option<Value>,
        now: &str,
    ) -> Result<Self, NgsiError> {
        let mut selectors = Vec::new();
        match document.get("entities") {
            None => {}
            Some(Value::Array(items)) if !items.is_empty() => {
                for item in items {
                    let Some(t) = item.get("type").and_then(Value::as_str) else {
                        return Err(NgsiError::bad_request(
                            "every entity selector of a subscription needs a type",
                        ));
                    };
                    let id = match item.get("id") {
                        None => None,
                        Some(Value::String(id)) => {
                            entity::check_uri(id, "an entity selector's id")?;
                            Some(id.clone())
                        }
                        Some(_) => {
                            return Err(NgsiError::bad_request("a selector's id must be a URI"));
                        }
                    };
                    let pattern = match item.get("idPattern") {
                        None => None,
                        Some(Value::String(p)) => Some(
                            regex::RegexBuilder::new(p)
                                .size_limit(1 << 20)
                                .build()
                                .map_err(|e| {
                                    NgsiError::bad_request(format!("idPattern {p:?}: {e}"))
                                })?,
                        ),
                        Some(_) => {
                            return Err(NgsiError::bad_request("idPattern must be a string"));
                        }
                    };
                    selectors.push(Selector {
                        types: query::parse_types(t, context)?,
                        id,
                        pattern,
                    });
                }
            }
            Some(_) => {
                return Err(NgsiError::bad_request(
                    "entities must be a non-empty array of selectors",
                ));
            }
        }
        let names = |member: &Value, what: &str| -> Result<HashSet<String>, NgsiError> {
            match member {
                Value::Array(items) if !items.is_empty() => items
                    .iter()
                    .map(|i| {
                        let name = i.as_str().ok_or_else(|| {
                            NgsiError::bad_request(format!("{what} must list attribute names"))
                        })?;
                        entity::check_name(name)?;
                        Ok(context.expand(name))
                    })
                    .collect(),
                _ => Err(NgsiError::bad_request(format!(
                    "{what} must be a non-empty array of attribute names"
                ))),
            }
        };
        let watched = match document.get("watchedAttributes") {
            None => HashSet::new(),
            Some(v) => names(v, "watchedAttributes")?,
        };
        let q = match document.get("q") {
            None => None,
            Some(Value::String(q)) => Some(query::parse_q(q, context)?),
            Some(_) => return Err(NgsiError::bad_request("q must be a string")),
        };
        if selectors.is_empty() && watched.is_empty() {
            return Err(NgsiError::bad_request(
                "a subscription needs entities or watchedAttributes",
            ));
        }
        if document.contains_key("timeInterval") && document.contains_key("watchedAttributes") {
            return Err(NgsiError::bad_request(
                "timeInterval and watchedAttributes cannot be combined",
            ));
        }
        if let Some(csf) = document.get("csf")
            && !csf.is_string()
        {
            return Err(NgsiError::bad_request("csf must be a string"));
        }
        if let Some(Value::String(csf)) = document.get("csf") {
            query::parse_q(csf, context).map_err(|e| {
                NgsiError::bad_request(format!("csf is not a valid filter: {}", e.detail))
            })?;
        }
        if let Some(t) = document.get("timeInterval")
            && t.as_f64().is_none_or(|t| t <= 0.0)
        {
            return Err(NgsiError::bad_request(
                "timeInterval must be a positive number",
            ));
        }
        let throttling = match document.get("throttling") {
            None => 0.0,
            Some(t) => t
                .as_f64()
                .filter(|t| *t > 0.0 && t.is_finite())
                .ok_or_else(|| NgsiError::bad_request("throttling must be a positive number"))?,
        };
        if document.contains_key("timeInterval") && document.contains_key("throttling") {
            return Err(NgsiError::bad_request(
                "timeInterval and throttling cannot be combined",
            ));
        }
        let expires_at = match document.get("expiresAt") {
            None => None,
            Some(Value::String(t)) if entity::is_date_time(t) => {
                if t.as_str() <= now {
                    return Err(NgsiError::bad_request("expiresAt is in the past"));
                }
                Some(t.clone())
            }
            Some(_) => return Err(NgsiError::bad_request("expiresAt must be a date-time")),
        };
        let active = match document.get("isActive") {
            None => true,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(NgsiError::bad_request("isActive must be true or false")),
        };
        let triggers: HashSet<Trigger> = match document.get("notificationTrigger") {
            None => [Trigger::AttributeCreated, Trigger::AttributeUpdated].into(),
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|i| {
                    i.as_str().and_then(Trigger::parse).ok_or_else(|| {
                        NgsiError::bad_request(format!("{i} is not a notification trigger"))
                    })
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(NgsiError::bad_request(
                    "notificationTrigger must be a non-empty array",
                ));
            }
        };
        let Some(Value::Object(notification)) = document.get("notification") else {
            return Err(NgsiError::bad_request(
                "a subscription needs a notification",
            ));
        };
        let attributes = match notification.get("attributes") {
            None => HashSet::new(),
            Some(v) => names(v, "notification.attributes")?,
        };
        let mut pick = HashSet::new();
        let mut omit = HashSet::new();
        for (member, set) in [("pick", &mut pick), ("omit", &mut omit)] {
            if let Some(v) = notification.get(member) {
                match v {
                    Value::Array(items) if !items.is_empty() => {
                        for item in items {
                            let name = item.as_str().ok_or_else(|| {
                                NgsiError::bad_request(format!(
                                    "notification.{member} must list names"
                                ))
                            })?;
                            set.insert(name.to_owned());
                        }
                    }
                    _ => {
                        return Err(NgsiError::bad_request(format!(
                            "notification.{member} must be a non-empty array of names"
                        )));
                    }
                }
                if notification.contains_key("attributes") {
                    return Err(NgsiError::bad_request(format!(
                        "notification.{member} cannot be combined with notification.attributes"
                    )));
                }
            }
        }
        if pick.intersection(&omit).next().is_some() {
            return Err(NgsiError::bad_request(
                "the same member cannot be both picked and omitted",
            ));
        }
        let (format, sys_attrs) = match notification.get("format").and_then(Value::as_str) {
            None | Some("normalized") => (entity::Format::Normalized, false),
            Some("keyValues" | "simplified") => (entity::Format::KeyValues, false),
            Some("concise") => (entity::Format::Concise, false),
            Some(other) => {
                return Err(NgsiError::bad_request(format!(
                    "notification.format {other:?} is not normalized, concise or keyValues"
                )));
            }
        };
        let Some(Value::Object(endpoint)) = notification.get("endpoint") else {
            return Err(NgsiError::bad_request("the notification needs an endpoint"));
        };
        for member in ["receiverInfo", "notifierInfo"] {
            if let Some(pairs) = endpoint.get(member) {
                let valid = pairs.as_array().is_some_and(|pairs| {
                    pairs.iter().all(|pair| {
                        pair.as_object().is_some_and(|p| {
                            p.get("key").is_some_and(Value::is_string)
                                && p.get("value").is_some_and(Value::is_string)
                        })
                    })
                });
                if !valid {
                    return Err(NgsiError::bad_request(format!(
                        "endpoint.{member} must be an array of {{\"key\": string, \"value\": string}}"
                    )));
                }
            }
        }
        if notification.get("showChanges") == Some(&Value::Bool(true))
            && format == entity::Format::KeyValues
        {
            return Err(NgsiError::bad_request(
                "showChanges needs the normalized or concise format",
            ));
        }
        let Some(Value::String(uri)) = endpoint.get("uri") else {
            return Err(NgsiError::bad_request("the endpoint needs a uri"));
        };
        entity::check_uri(uri, "the endpoint uri")?;
        if !uri.starts_with("http://") {
            return Err(NgsiError::new(
                super::error::ErrorType::OperationNotSupported,
                format!(
                    "the endpoint {uri} is not http://: citykg sends notifications over HTTP only \
                     (put a TLS proxy in front of an https receiver; MQTT comes with streaming)"
                ),
            ));
        }
        let accept_json_ld = match endpoint.get("accept").and_then(Value::as_str) {
            None | Some("application/json") => false,
            Some("application/ld+json") => true,
            Some(other) => {
                return Err(NgsiError::bad_request(format!(
                    "endpoint.accept {other:?} is not application/json or application/ld+json"
                )));
            }
        };
        let endpoint = uri.clone();
        let receiver_info = notification
            .get("endpoint")
            .and_then(|e| e.get("receiverInfo"))
            .and_then(Value::as_array)
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|p| {
                        Some((
                            p.get("key")?.as_str()?.to_owned(),
                            p.get("value")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let sys_attrs = sys_attrs || notification.get("sysAttrs") == Some(&Value::Bool(true));
        let show_changes = notification.get("showChanges") == Some(&Value::Bool(true));
        if !document.contains_key("notificationTrigger") {
            document.insert(
                "notificationTrigger".into(),
                json!(["attributeCreated", "attributeUpdated"]),
            );
        }
        Ok(Self {
            id,
            tenant: tenant.to_owned(),
            document,
            context: context_value,
            active_context: context.clone(),
            selectors,
            watched,
            triggers,
            q,
            attributes,
            format,
            sys_attrs,
            show_changes,
            receiver_info,
            endpoint,
            accept_json_ld,
            throttling,
            expires_at,
            active,
        })
    }

    /// The status the spec shows: active, paused or expired.
    pub fn status(&self, now: &str) -> &'static str {
        if self.expires_at.as_deref().is_some_and(|t| t <= now) {
            "expired"
        } else if self.active {
            "active"
        } else {
            "paused"
        }
    }

    /// The subscription as answered (without `@context`): names compacted with `context`.
    pub fn render(&self, now: &str, context: &ActiveContext) -> Map<String, Value> {
        let mut out = self.document.clone();
        let recompact = |name: &Value| match name.as_str() {
            Some(n) if !n.contains([',', ';', '|', '(', ')']) => {
                Value::String(context.compact(&self.active_context.expand(n)))
            }
            _ => name.clone(),
        };
        if let Some(Value::Array(selectors)) = out.get_mut("entities") {
            for selector in selectors {
                if let Some(t) = selector.get_mut("type") {
                    *t = recompact(t);
                }
            }
        }
        if let Some(Value::Array(names)) = out.get_mut("watchedAttributes") {
            for name in names {
                *name = recompact(name);
            }
        }
        if let Some(Value::Object(notification)) = out.get_mut("notification")
            && let Some(Value::Array(names)) = notification.get_mut("attributes")
        {
            for name in names {
                *name = recompact(name);
            }
        }
        out.insert("status".into(), Value::String(self.status(now).to_owned()));
        out
    }

    /// The stored document, with the context it was written with.
    fn stored(&self) -> Value {
        let mut document = self.document.clone();
        if let Some(context) = &self.context {
            document.insert("@context".into(), context.clone());
        }
        Value::Object(document)
    }

    /// Applies a patch (`PATCH /subscriptions/{id}`): members replaced, `null` removes.
    pub fn patched(&self, patch: &Map<String, Value>, now: &str) -> Result<Self, NgsiError> {
        let mut document = self.document.clone();
        for (key, value) in patch {
            match key.as_str() {
                "@context" => {}
                "id" | "type" => {
                    if document.get(key) != Some(value) {
                        return Err(NgsiError::bad_request(format!(
                            "a subscription's {key} cannot change"
                        )));
                    }
                }
                _ if value.is_null() || value.as_str() == Some(entity::NULL_URI) => {
                    document.remove(key);
                }
                "notification" => {
                    let mut merged = document
                        .get("notification")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    if let Value::Object(members) = value {
                        for (k, v) in members {
                            merged.insert(k.clone(), v.clone());
                        }
                    }
                    document.insert(key.clone(), Value::Object(merged));
                }
                _ => {
                    document.insert(key.clone(), value.clone());
                }
            }
        }
        document.remove("status");
        Self::from_document(
            self.id.clone(),
            &self.tenant,
            document,
            &self.active_context,
            self.context.clone(),
            now,
        )
    }

    /// The triggers an entity change raises for this subscription, if it is to be notified.
    pub fn reason(&self, change: &EntityChange<'_>, now: &str) -> Option<Trigger> {
        if self.status(now) != "active" || self.document.contains_key("timeInterval") {
            return None;
        }
        let entity = change.new.or(change.old)?;
        if !self.selectors.is_empty()
            && !self.selectors.iter().any(|s| {
                query::has_types(&s.types, entity)
                    && s.id.as_ref().is_none_or(|id| *id == entity.id)
                    && s.pattern.as_ref().is_none_or(|p| p.is_match(&entity.id))
            })
        {
            return None;
        }
        if let (Some(q), Some(new)) = (&self.q, change.new)
            && !query::matches(q, new)
        {
            return None;
        }
        let watched = |name: &String| self.watched.is_empty() || self.watched.contains(name);
        let raised = change.triggers(&watched);
        // The most specific trigger the subscription asked for.
        raised.into_iter().find(|t| self.triggers.contains(t))
    }
}

/// One committed change of an entity.
pub struct EntityChange<'a> {
    pub old: Option<&'a Entity>,
    pub new: Option<&'a Entity>,
}

impl EntityChange<'_> {
    /// The triggers the change raises, entity-level first, for the attributes `watched` keeps.
    fn triggers(&self, watched: &impl Fn(&String) -> bool) -> Vec<Trigger> {
        let mut raised = Vec::new();
        match (self.old, self.new) {
            (None, Some(new)) => {
                raised.push(Trigger::EntityCreated);
                if new.attributes.keys().any(watched) {
                    raised.push(Trigger::AttributeCreated);
                }
            }
            (Some(old), None) => {
                raised.push(Trigger::EntityDeleted);
                if old.attributes.keys().any(watched) {
                    raised.push(Trigger::AttributeDeleted);
                }
            }
            (Some(old), Some(new)) => {
                let created = new
                    .attributes
                    .keys()
                    .any(|a| watched(a) && !old.attributes.contains_key(a));
                let deleted = old
                    .attributes
                    .keys()
                    .any(|a| watched(a) && !new.attributes.contains_key(a));
                let updated = new.attributes.iter().any(|(a, instances)| {
                    watched(a)
                        && old
                            .attributes
                            .get(a)
                            .is_some_and(|before| before != instances)
                });
                if created || deleted || updated || old.types != new.types {
                    raised.push(Trigger::EntityUpdated);
                }
                if created {
                    raised.push(Trigger::AttributeCreated);
                }
                if updated {
                    raised.push(Trigger::AttributeUpdated);
                }
                if deleted {
                    raised.push(Trigger::AttributeDeleted);
                }
            }
            (None, None) => {}
        }
        raised
    }
}

/// Every subscription, per tenant, mirrored in the store.
pub struct Subscriptions {
    storage: Storage,
    graph: NamedNode,
    by_tenant: RwLock<HashMap<String, HashMap<String, Arc<Subscription>>>>,
}

impl Subscriptions {
    /// Reads the stored subscriptions (those that no longer parse are logged and skipped).
    pub fn open(
        storage: Storage,
        base: &BaseIri,
        contexts: &super::contexts::Contexts,
    ) -> Result<Self, StoreError> {
        let graph = NamedNode::new_unchecked(base.join("graph/ngsi-ld-subscriptions"));
        let subscriptions = Self {
            storage,
            graph,
            by_tenant: RwLock::new(HashMap::new()),
        };
        let predicate = NamedNode::new_unchecked(DOCUMENT);
        let now = super::now();
        let mut loaded: HashMap<String, HashMap<String, Arc<Subscription>>> = HashMap::new();
        for quad in subscriptions.storage.quads(
            None,
            Some(predicate.as_ref()),
            None,
            Some(subscriptions.graph.as_ref().into()),
        ) {
            let quad = quad?;
            let oxigraph::model::Term::Literal(literal) = &quad.object else {
                continue;
            };
            let Ok(Value::Object(stored)) = serde_json::from_str::<Value>(literal.value()) else {
                continue;
            };
            let tenant = stored
                .get("citykg:tenant")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut document = stored.clone();
            document.remove("citykg:tenant");
            let context_value = document.remove("@context");
            let parsed = contexts
                .resolve(context_value.as_ref())
                .and_then(|context| {
                    let id = document
                        .get("id")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned();
                    // Stored ones may have expired since: parse with an old "now".
                    Subscription::from_document(id, &tenant, document, &context, context_value, "")
                });
            match parsed {
                Ok(sub) => {
                    loaded
                        .entry(tenant)
                        .or_default()
                        .insert(sub.id.clone(), Arc::new(sub));
                }
                Err(error) => tracing::warn!(%error, "a stored subscription no longer parses"),
            }
        }
        let _ = now;
        *subscriptions
            .by_tenant
            .write()
            .unwrap_or_else(PoisonError::into_inner) = loaded;
        Ok(subscriptions)
    }

    fn subject(&self, tenant: &str, id: &str) -> NamedNode {
        NamedNode::new_unchecked(format!(
            "{}/{}/{}",
            self.graph.as_str(),
            percent_encoding::utf8_percent_encode(tenant, percent_encoding::NON_ALPHANUMERIC),
            percent_encoding::utf8_percent_encode(id, percent_encoding::NON_ALPHANUMERIC)
        ))
    }

    fn persist(
        &self,
        cause: Cause,
        sub: Option<&Subscription>,
        tenant: &str,
        id: &str,
    ) -> Result<(), StoreError> {
        let subject = self.subject(tenant, id);
        let predicate = NamedNode::new_unchecked(DOCUMENT);
        let graph = GraphName::from(self.graph.clone());
        self.storage.write(cause, |tx| {
            let old: Vec<Quad> = tx
                .quads(
                    Some(subject.as_ref().into()),
                    Some(predicate.as_ref()),
                    None,
                    Some(graph.as_ref()),
                )
                .collect::<Result<_, _>>()?;
            for quad in &old {
                tx.remove(quad.as_ref())?;
            }
            if let Some(sub) = sub {
                let mut stored = sub.stored();
                if let Value::Object(map) = &mut stored {
                    map.insert("citykg:tenant".into(), Value::String(tenant.to_owned()));
                }
                let literal = Literal::new_typed_literal(
                    stored.to_string(),
                    NamedNode::new_unchecked(RDF_JSON),
                );
                tx.insert(
                    Quad::new(subject.clone(), predicate.clone(), literal, graph.clone()).as_ref(),
                )?;
            }
            Ok::<(), StoreError>(())
        })
    }

    pub fn create(&self, sub: Subscription, agent: &str) -> Result<(), NgsiError> {
        self.put(sub, agent, false)
    }

    pub fn replace(&self, sub: Subscription, agent: &str) -> Result<(), NgsiError> {
        self.put(sub, agent, true)
    }

    /// Stores a subscription that must (`replace`) or must not exist yet.
    fn put(&self, sub: Subscription, agent: &str, replace: bool) -> Result<(), NgsiError> {
        let mut all = self
            .by_tenant
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let tenant = all.entry(sub.tenant.clone()).or_default();
        match (tenant.contains_key(&sub.id), replace) {
            (true, false) => {
                return Err(NgsiError::already_exists(format!(
                    "the subscription {} already exists",
                    sub.id
                )));
            }
            (false, true) => {
                return Err(NgsiError::not_found(format!(
                    "there is no subscription {}",
                    sub.id
                )));
            }
            (false, false) if tenant.len() >= MAX_SUBSCRIPTIONS => {
                return Err(NgsiError::bad_request(format!(
                    "a tenant holds at most {MAX_SUBSCRIPTIONS} subscriptions"
                )));
            }
            _ => {}
        }
        self.persist(
            Cause::new(agent, Origin::NgsiLd),
            Some(&sub),
            &sub.tenant,
            &sub.id,
        )?;
        tenant.insert(sub.id.clone(), Arc::new(sub));
        Ok(())
    }

    pub fn delete(&self, tenant: &str, id: &str, agent: &str) -> Result<(), NgsiError> {
        let mut all = self
            .by_tenant
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        let found = all.get_mut(tenant).and_then(|t| t.remove(id));
        if found.is_none() {
            return Err(NgsiError::not_found(format!(
                "there is no subscription {id}"
            )));
        }
        self.persist(Cause::new(agent, Origin::NgsiLd), None, tenant, id)?;
        Ok(())
    }

    pub fn get(&self, tenant: &str, id: &str) -> Option<Arc<Subscription>> {
        self.by_tenant
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(tenant)
            .and_then(|t| t.get(id))
            .cloned()
    }

    /// A tenant's subscriptions, sorted by id.
    pub fn list(&self, tenant: &str) -> Vec<Arc<Subscription>> {
        let all = self
            .by_tenant
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let mut list: Vec<Arc<Subscription>> = all
            .get(tenant)
            .map(|t| t.values().cloned().collect())
            .unwrap_or_default();
        list.sort_by(|a, b| a.id.cmp(&b.id));
        list
    }
}

fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes = nanos.to_le_bytes();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh notification id.
pub fn notification_id() -> String {
    format!("urn:ngsi-ld:Notification:{}", random_id())
}
