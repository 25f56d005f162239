//! The NGSI-LD operations as requests and replies without HTTP types: which `@context` applies
//! (body or `Link`), parameters checked (an unknown one is an InvalidRequest), the answer in
//! the asked format with its `@context` in the body (`application/ld+json`) or a `Link` header.

use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::Arc;

use super::broker::{Broker, DEFAULT_TENANT};
use super::context::{ActiveContext, CORE_CONTEXT_URL};
use super::contexts::Contexts;
use super::entity::{self, Entity, Format, Shape, View};
use super::error::{ErrorType, NgsiError};
use super::notify::Notifier;
use super::ops::{self, Batch, BatchOutcome, Failed, Mode, Outcome};
use super::query;
use super::subscriptions::{Subscription, Subscriptions};
use crate::core::config::{AllowList, BaseIri};
use crate::storage::{Cause, Origin, Storage};

/// Most entities one query answers (`limit`), and the default.
const MAX_LIMIT: usize = 1_000;
const DEFAULT_LIMIT: usize = 20;
/// Most entities in one batch.
const MAX_BATCH: usize = 10_000;

/// The representation a client accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    Json,
    JsonLd,
    GeoJson,
}

/// A request as the API needs it.
#[derive(Debug, Default)]
pub struct Request {
    pub tenant: Option<String>,
    /// The context URL of the `Link` header.
    pub link: Option<String>,
    /// The body's media type, lowercased, without parameters.
    pub content_type: Option<String>,
    pub accept: Option<Accept>,
    pub params: Vec<(String, String)>,
    /// The body, parsed (the edge answers InvalidRequest for malformed JSON).
    pub body: Option<Value>,
    /// Who writes: the token's name or `anonymous`.
    pub agent: String,
    /// A query given as a body (`POST /entityOperations/query`): no page links.
    pub body_query: bool,
    /// `Prefer: body=json`: a GeoJSON answer keeps its context in the `Link` header.
    pub prefer_body_json: bool,
}

/// An answer: status, JSON body, headers.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub headers: Vec<(&'static str, String)>,
    /// The body's media type.
    pub content_type: &'static str,
}

impl Reply {
    fn new(status: u16, body: Option<Value>) -> Self {
        Self {
            status,
            body,
            headers: Vec::new(),
            content_type: "application/json",
        }
    }

    fn header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// The service: the broker, the context resolver, subscriptions and their notifier.
pub struct NgsiLd {
    pub broker: Arc<Broker>,
    contexts: Arc<Contexts>,
    subscriptions: Arc<Subscriptions>,
    notifier: Arc<Notifier>,
    /// The live city's sensors as read-only entities of the default tenant.
    sensors: Option<super::sensors::Sensors>,
    started: std::time::Instant,
}

impl Request {
    fn tenant(&self) -> &str {
        self.tenant.as_deref().unwrap_or(DEFAULT_TENANT)
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn cause(&self) -> Cause {
        Cause::new(self.agent.clone(), Origin::NgsiLd)
    }

    /// Refuses parameters the operation does not know.
    fn allow_params(&self, known: &[&str]) -> Result<(), NgsiError> {
        for (name, _) in &self.params {
            if !known.contains(&name.as_str()) {
                return Err(NgsiError::invalid(format!(
                    "unknown query parameter {name:?} (this operation takes: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// Splits a comma-separated parameter.
    fn list(&self, name: &str) -> Vec<String> {
        self.param(name)
            .map(|v| {
                v.split([',', '|'])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn link_header(url: &str) -> String {
    format!("<{url}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"")
}

/// `link_context`, checked: a `Link` header is for `application/json` bodies only.
fn write_context(request: &Request) -> Result<Option<Value>, NgsiError> {
    match request.content_type.as_deref() {
        Some("application/ld+json") => {
            if request.link.is_some() {
                return Err(NgsiError::bad_request(
                    "an application/ld+json body carries its @context; a Link header is not allowed with it",
                ));
            }
            Ok(None)
        }
        _ => Ok(request.link.clone().map(Value::String)),
    }
}

/// The context of one body object: its own `@context` (ld+json; required) or the Link's.
fn body_context(
    request: &Request,
    object: &Value,
    link: Option<&Value>,
) -> Result<Option<Value>, NgsiError> {
    let own = object.get("@context");
    match request.content_type.as_deref() {
        Some("application/ld+json") => match own {
            Some(context) => Ok(Some(context.clone())),
            None => Err(NgsiError::bad_request(
                "an application/ld+json body must hold an @context",
            )),
        },
        _ => {
            if own.is_some() {
                return Err(NgsiError::bad_request(
                    "an application/json body must not hold an @context: send it in a Link header \
                     or use application/ld+json",
                ));
            }
            Ok(link.cloned())
        }
    }
}

/// How a read answers: the format and what to show.
struct ReadOptions {
    format: Format,
    sys_attrs: bool,
    attrs: Option<HashSet<String>>,
    omit: Option<HashSet<String>>,
    lang: Option<String>,
}

fn read_options(request: &Request, context: &ActiveContext) -> Result<ReadOptions, NgsiError> {
    let mut format = Format::Normalized;
    let mut sys_attrs = false;
    for option in request.list("options") {
        match option.as_str() {
            "keyValues" | "simplified" => format = Format::KeyValues,
            "concise" => format = Format::Concise,
            "normalized" => format = Format::Normalized,
            "sysAttrs" => sys_attrs = true,
            "noOverwrite" | "replace" | "update" => {}
            other => {
                return Err(NgsiError::invalid(format!(
                    "unknown option {other:?} (keyValues, simplified, concise, normalized, sysAttrs)"
                )));
            }
        }
    }
    if let Some(f) = request.param("format") {
        format = match f {
            "keyValues" | "simplified" => Format::KeyValues,
            "concise" => Format::Concise,
            "normalized" => Format::Normalized,
            other => {
                return Err(NgsiError::invalid(format!(
                    "unknown format {other:?} (keyValues, simplified, concise, normalized)"
                )));
            }
        };
    }
    let names = |param: &str| -> Result<Option<HashSet<String>>, NgsiError> {
        let Some(raw) = request.param(param) else {
            return Ok(None);
        };
        let names = request.list(param);
        if names.is_empty() || raw.contains(",,") || raw.contains('{') || raw.contains('}') {
            return Err(NgsiError::bad_request(format!(
                "{param} must list attribute names separated by commas"
            )));
        }
        let mut expanded = HashSet::new();
        for name in names {
            entity::check_name(&name)?;
            expanded.insert(context.expand(&name));
        }
        Ok(Some(expanded))
    };
    let attrs = names("attrs")?;
    let pick = names("pick")?;
    let omit = names("omit")?;
    if attrs.is_some() && (pick.is_some() || omit.is_some()) {
        return Err(NgsiError::bad_request(
            "attrs cannot be combined with pick or omit",
        ));
    }
    if let (Some(p), Some(o)) = (&pick, &omit)
        && p.intersection(o).next().is_some()
    {
        return Err(NgsiError::bad_request(
            "the same member cannot be both picked and omitted",
        ));
    }
    Ok(ReadOptions {
        format,
        sys_attrs,
        attrs: attrs.or(pick),
        omit,
        lang: request.param("lang").map(str::to_owned),
    })
}

impl NgsiLd {
    /// The service over `storage`: entities and subscriptions read back, notifications on.
    pub fn open(
        storage: Storage,
        base: BaseIri,
        allow: AllowList,
        city: Option<Arc<crate::city::CityState>>,
    ) -> Result<Self, String> {
        let sensors =
            city.map(|city| super::sensors::Sensors::new(storage.clone(), base.clone(), city));
        let broker = Broker::open(storage.clone(), base.clone())?;
        let contexts = Arc::new(Contexts::new(allow, &base));
        let subscriptions =
            Arc::new(Subscriptions::open(storage, &base, &contexts).map_err(|e| e.to_string())?);
        let notifier = Notifier::start().map_err(|e| format!("notification threads: {e}"))?;
        let (subs, sender) = (subscriptions.clone(), notifier.clone());
        broker.listen(Box::new(move |tenant, changes| {
            sender.changed(&subs, tenant, changes);
        }));
        Ok(Self {
            broker,
            contexts,
            subscriptions,
            notifier,
            sensors,
            started: std::time::Instant::now(),
        })
    }

    /// `?type=` on an operation on one entity: the entity must have that type (404 else).
    fn check_type(&self, request: &Request, id: &str) -> Result<(), NgsiError> {
        let Some(selector) = request.param("type") else {
            return Ok(());
        };
        let context = self.read_context(request)?;
        let selector = query::parse_types(selector, &context)?;
        match self.broker.get(request.tenant(), id)? {
            Some(entity) if query::has_types(&selector, &entity) => Ok(()),
            _ => Err(NgsiError::not_found(format!(
                "there is no entity {id} of the type asked"
            ))),
        }
    }

    fn check_tenant(&self, request: &Request) -> Result<(), NgsiError> {
        if self.broker.has_tenant(request.tenant()) {
            Ok(())
        } else {
            Err(NgsiError::new(
                ErrorType::NonexistentTenant,
                format!("there is no tenant {:?}", request.tenant()),
            ))
        }
    }

    fn read_context(&self, request: &Request) -> Result<Arc<ActiveContext>, NgsiError> {
        match &request.link {
            Some(url) => self.contexts.resolve_url(url),
            None => Ok(ActiveContext::core()),
        }
    }

    /// The reply of a read: JSON with a Link header, or JSON-LD with `@context` in each object.
    fn answer(&self, request: &Request, status: u16, body: Value, per_item: bool) -> Reply {
        let url = request
            .link
            .clone()
            .unwrap_or_else(|| CORE_CONTEXT_URL.to_owned());
        match request.accept {
            Some(Accept::GeoJson) => {
                let mut body = body;
                let in_body = !request.prefer_body_json;
                if in_body && let Value::Object(map) = &mut body {
                    map.insert("@context".into(), Value::String(url.clone()));
                }
                let mut reply = Reply::new(status, Some(body));
                reply.content_type = "application/geo+json";
                if in_body {
                    reply
                } else {
                    reply.header("Link", link_header(&url))
                }
            }
            Some(Accept::JsonLd) => {
                let with_context = |item: Value| match item {
                    Value::Object(mut object) => {
                        object.insert("@context".into(), Value::String(url.clone()));
                        Value::Object(object)
                    }
                    other => other,
                };
                let body = match body {
                    Value::Array(items) if per_item => {
                        Value::Array(items.into_iter().map(with_context).collect())
                    }
                    other => with_context(other),
                };
                let mut reply = Reply::new(status, Some(body));
                reply.content_type = "application/ld+json";
                reply
            }
            _ => Reply::new(status, Some(body)).header("Link", link_header(&url)),
        }
    }

    fn parse_entity(
        &self,
        request: &Request,
        shape: Shape,
        now: &str,
    ) -> Result<Entity, NgsiError> {
        let body = request
            .body
            .as_ref()
            .ok_or_else(|| NgsiError::invalid("the request has no body"))?;
        if !body.is_object() {
            return Err(NgsiError::invalid("the body must be a JSON object"));
        }
        let link = write_context(request)?;
        let context = body_context(request, body, link.as_ref())?;
        let context = self.contexts.resolve(context.as_ref())?;
        entity::parse(body, &context, shape, now)
    }

    // --- entities ---

    /// `POST /entities`.
    pub fn create_entity(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&["local"])?;
        let entity = self.parse_entity(request, Shape::Entity, &super::now())?;
        let id = entity.id.clone();
        ops::create(&self.broker, request.tenant(), request.cause(), entity)?;
        Ok(Reply::new(201, None).header(
            "Location",
            format!("/ngsi-ld/v1/entities/{}", encode_segment(&id)),
        ))
    }

    /// `GET /entities/{id}`.
    pub fn retrieve_entity(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&[
            "attrs",
            "options",
            "format",
            "lang",
            "pick",
            "omit",
            "type",
            "geometryProperty",
            "datasetId",
            "local",
            "join",
            "joinLevel",
            "containedBy",
            "expandValues",
            "entityMap",
        ])?;
        entity::check_uri(id, "the entity id")?;
        let context = self.read_context(request)?;
        let options = read_options(request, &context)?;
        self.check_tenant(request)?;
        let found = match self.broker.get(request.tenant(), id)? {
            Some(found) => found,
            None => self
                .sensor(request, id)?
                .ok_or_else(|| NgsiError::not_found(format!("there is no entity {id}")))?,
        };
        if let Some(selector) = request.param("type") {
            let selector = query::parse_types(selector, &context)?;
            if !query::has_types(&selector, &found) {
                return Err(NgsiError::not_found(format!(
                    "the entity {id} is not of the type asked"
                )));
            }
        }
        if let Some(attrs) = &options.attrs
            && !attrs.iter().any(|a| found.attributes.contains_key(a))
        {
            return Err(NgsiError::not_found(format!(
                "the entity {id} has none of the attributes asked"
            )));
        }
        let view = View {
            context: &context,
            format: options.format,
            sys_attrs: options.sys_attrs,
            only: options.attrs.as_ref(),
            omit: options.omit.as_ref(),
            lang: options.lang.as_deref(),
        };
        let body = match request.accept {
            Some(Accept::GeoJson) => feature(&found, &view, &geometry_property(request, &context)),
            _ => Value::Object(found.render(&view)),
        };
        Ok(self.answer(request, 200, body, false))
    }

    /// `GET /entities`.
    pub fn query_entities(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[
            "type",
            "id",
            "idPattern",
            "attrs",
            "q",
            "georel",
            "geometry",
            "coordinates",
            "geoproperty",
            "geometryProperty",
            "scopeQ",
            "options",
            "format",
            "limit",
            "offset",
            "count",
            "lang",
            "pick",
            "omit",
            "csf",
            "datasetId",
            "local",
            "join",
            "joinLevel",
            "orderBy",
            "orderFrom",
            "collation",
            "expandValues",
            "containedBy",
            "entityMap",
        ])?;
        let context = self.read_context(request)?;
        let options = read_options(request, &context)?;
        let limit = match request.param("limit") {
            None => DEFAULT_LIMIT,
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|l| *l <= MAX_LIMIT)
                .ok_or_else(|| {
                    NgsiError::bad_request(format!(
                        "limit must be a whole number from 0 to {MAX_LIMIT}"
                    ))
                })?,
        };
        let offset = match request.param("offset") {
            None => 0,
            Some(o) => o
                .parse::<usize>()
                .map_err(|_| NgsiError::bad_request("offset must be a whole number, 0 or more"))?,
        };
        let count = match request.param("count") {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(NgsiError::bad_request(format!(
                    "count must be true or false, not {other:?}"
                )));
            }
        };
        let local = request.param("local") == Some("true");
        if request.param("type").is_none()
            && request.param("attrs").is_none()
            && request.param("q").is_none()
            && request.param("georel").is_none()
            && request.param("scopeQ").is_none()
            && !local
        {
            return Err(NgsiError::bad_request(
                "a query needs at least one of type, attrs, q, georel (or local=true)",
            ));
        }
        let selection = Selection::parse(request, &context, options.attrs.clone())?;
        self.check_tenant(request)?;
        let selected = self
            .broker
            .select(request.tenant(), |e| selection.matches(e))?;
        let mut selected = selected;
        if let Some(sensors) = &self.sensors
            && request.tenant() == DEFAULT_TENANT
            && selection.types.as_ref().is_none_or(|t| {
                let probe = |iri: &str| Entity {
                    id: String::new(),
                    types: vec![iri.to_owned()],
                    scopes: Vec::new(),
                    attributes: Default::default(),
                    created_at: String::new(),
                    modified_at: String::new(),
                };
                query::has_types(t, &probe(super::sensors::SENSOR))
                    || query::has_types(t, &probe(super::sensors::FEATURE))
            })
        {
            let own: HashSet<String> = selected.iter().map(|e| e.id.clone()).collect();
            for e in sensors.entities(None)? {
                if !own.contains(&e.id) && selection.matches(&e) {
                    selected.push(Arc::new(e));
                }
            }
            selected.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let total = selected.len();
        let view = View {
            context: &context,
            format: options.format,
            sys_attrs: options.sys_attrs,
            only: options.attrs.as_ref(),
            omit: options.omit.as_ref(),
            lang: options.lang.as_deref(),
        };
        let page = selected.iter().skip(offset).take(limit);
        let body = match request.accept {
            Some(Accept::GeoJson) => {
                let property = geometry_property(request, &context);
                json!({
                    "type": "FeatureCollection",
                    "features": page.map(|e| feature(e, &view, &property)).collect::<Vec<_>>(),
                })
            }
            _ => Value::Array(page.map(|e| Value::Object(e.render(&view))).collect()),
        };
        let mut reply = self.answer(request, 200, body, true);
        if count {
            reply = reply.header("NGSILD-Results-Count", total.to_string());
        }
        Ok(with_page_links(
            reply, request, "entities", limit, offset, total,
        ))
    }

    /// `POST /entityOperations/query`: the query of `GET /entities` given as a `Query` body;
    /// `limit`, `offset`, `count`, `options` and `format` stay URL parameters.
    pub fn post_query(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[
            "limit", "offset", "count", "options", "format", "local", "lang",
        ])?;
        let Some(Value::Object(body)) = &request.body else {
            return Err(NgsiError::invalid("the query body must be a JSON object"));
        };
        if body.get("type").and_then(Value::as_str) != Some("Query") {
            return Err(NgsiError::bad_request("the body's type must be Query"));
        }
        let mut params = request.params.clone();
        let strings = |member: &str| -> Result<Option<String>, NgsiError> {
            match body.get(member) {
                None => Ok(None),
                Some(Value::Array(items)) if !items.is_empty() => items
                    .iter()
                    .map(|i| {
                        i.as_str().map(str::to_owned).ok_or_else(|| {
                            NgsiError::bad_request(format!("{member} must list strings"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| Some(v.join(","))),
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
                Some(_) => Err(NgsiError::bad_request(format!(
                    "{member} must be a non-empty array of strings"
                ))),
            }
        };
        for member in ["attrs", "pick", "omit"] {
            if let Some(value) = strings(member)? {
                params.push((member.to_owned(), value));
            }
        }
        for member in ["q", "scopeQ", "lang", "csf"] {
            match body.get(member) {
                None => {}
                Some(Value::String(s)) => params.push((member.to_owned(), s.clone())),
                Some(_) => {
                    return Err(NgsiError::bad_request(format!("{member} must be a string")));
                }
            }
        }
        if body.contains_key("temporalQ") {
            return Err(NgsiError::bad_request(
                "temporalQ belongs to the temporal query (/temporal/entityOperations/query)",
            ));
        }
        if let Some(level) = body.get("joinLevel")
            && level.as_u64().is_none_or(|l| l == 0)
        {
            return Err(NgsiError::bad_request(
                "joinLevel must be a positive integer",
            ));
        }
        if let Some(geo) = body.get("geoQ") {
            let Value::Object(geo) = geo else {
                return Err(NgsiError::bad_request("geoQ must be an object"));
            };
            for (member, param) in [
                ("georel", "georel"),
                ("geometry", "geometry"),
                ("geoproperty", "geoproperty"),
            ] {
                if let Some(v) = geo.get(member) {
                    let v = v.as_str().ok_or_else(|| {
                        NgsiError::bad_request(format!("geoQ.{member} must be a string"))
                    })?;
                    params.push((param.to_owned(), v.to_owned()));
                }
            }
            if let Some(c) = geo.get("coordinates") {
                let text = match c {
                    Value::String(s) => s.clone(),
                    Value::Array(_) => c.to_string(),
                    _ => return Err(NgsiError::bad_request("geoQ.coordinates must be an array")),
                };
                params.push(("coordinates".to_owned(), text));
            }
        }
        if let Some(entities) = body.get("entities") {
            let Value::Array(selectors) = entities else {
                return Err(NgsiError::bad_request("entities must be an array"));
            };
            if selectors.is_empty() {
                return Err(NgsiError::bad_request("entities must not be empty"));
            }
            let (mut types, mut ids, mut patterns) = (Vec::new(), Vec::new(), Vec::new());
            for selector in selectors {
                let Some(t) = selector.get("type").and_then(Value::as_str) else {
                    return Err(NgsiError::bad_request(
                        "every entity selector needs a type (a string)",
                    ));
                };
                types.push(t.to_owned());
                match selector.get("id") {
                    None => {}
                    Some(Value::String(id)) => {
                        entity::check_uri(id, "an entity selector's id")?;
                        ids.push(id.clone());
                    }
                    Some(_) => return Err(NgsiError::bad_request("a selector's id must be a URI")),
                }
                if let Some(p) = selector.get("idPattern").and_then(Value::as_str) {
                    patterns.push(format!("(?:{p})"));
                }
            }
            params.push(("type".to_owned(), types.join(",")));
            if !ids.is_empty() {
                params.push(("id".to_owned(), ids.join(",")));
            } else if !patterns.is_empty() {
                params.push(("idPattern".to_owned(), patterns.join("|")));
            }
        }
        let query = Request {
            tenant: request.tenant.clone(),
            link: request.link.clone(),
            content_type: request.content_type.clone(),
            accept: request.accept,
            params,
            body: None,
            agent: request.agent.clone(),
            body_query: true,
            prefer_body_json: request.prefer_body_json,
        };
        self.query_entities(&query)
    }

    /// `DELETE /entities?...` (purge, clause 5.6.21): the entities a query selects are deleted,
    /// or with `drop` / `keep` only some of their attributes.
    pub fn purge(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[
            "type",
            "id",
            "idPattern",
            "q",
            "scopeQ",
            "local",
            "drop",
            "keep",
            "datasetId",
        ])?;
        let context = self.read_context(request)?;
        if request.param("type").is_none()
            && request.param("id").is_none()
            && request.param("idPattern").is_none()
            && request.param("q").is_none()
            && request.param("local") != Some("true")
        {
            return Err(NgsiError::bad_request(
                "a purge needs at least one of type, id, idPattern, q (or local=true)",
            ));
        }
        if request.param("q").is_some_and(|q| q.contains('{')) {
            return Err(NgsiError::bad_request(
                "a purge cannot query linked entities ({...} in q)",
            ));
        }
        let names = |param: &str| -> Option<HashSet<String>> {
            request.param(param).map(|_| {
                request
                    .list(param)
                    .iter()
                    .map(|n| context.expand(n))
                    .collect()
            })
        };
        let (drop, keep) = (names("drop"), names("keep"));
        if drop.is_some() && keep.is_some() {
            return Err(NgsiError::bad_request("drop and keep cannot be combined"));
        }
        let selection = Selection::parse(request, &context, None)?;
        self.check_tenant(request)?;
        let selected = self
            .broker
            .select(request.tenant(), |e| selection.matches(e))?;
        if drop.is_none() && keep.is_none() {
            let ids = selected.iter().map(|e| e.id.clone()).collect();
            ops::batch_delete(&self.broker, request.tenant(), request.cause(), ids)?;
            return Ok(Reply::new(204, None));
        }
        let now = super::now();
        let trimmed: Vec<Result<Entity, Failed>> = selected
            .iter()
            .map(|e| {
                let mut entity = (**e).clone();
                entity.attributes.retain(|name, _| {
                    drop.as_ref().is_none_or(|d| !d.contains(name))
                        && keep.as_ref().is_none_or(|k| k.contains(name))
                });
                entity.modified_at = now.clone();
                Ok(entity)
            })
            .collect();
        ops::batch(
            &self.broker,
            request.tenant(),
            request.cause(),
            Batch::Upsert { update: false },
            trimmed,
        )?;
        Ok(Reply::new(204, None))
    }

    /// A sensor of the live city, by id (default tenant only).
    fn sensor(&self, request: &Request, id: &str) -> Result<Option<Arc<Entity>>, NgsiError> {
        match &self.sensors {
            Some(sensors) if request.tenant() == DEFAULT_TENANT => {
                Ok(sensors.entities(Some(id))?.pop().map(Arc::new))
            }
            _ => Ok(None),
        }
    }

    /// `DELETE /entities/{id}`.
    pub fn delete_entity(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&["type", "local"])?;
        entity::check_uri(id, "the entity id")?;
        self.check_tenant(request)?;
        if let Some(selector) = request.param("type") {
            let context = self.read_context(request)?;
            let selector = query::parse_types(selector, &context)?;
            let found = self.broker.get(request.tenant(), id)?;
            if !found.is_some_and(|e| query::has_types(&selector, &e)) {
                return Err(NgsiError::not_found(format!(
                    "there is no entity {id} of the type asked"
                )));
            }
        }
        ops::delete(&self.broker, request.tenant(), request.cause(), id)?;
        Ok(Reply::new(204, None))
    }

    /// `PUT /entities/{id}`.
    pub fn replace_entity(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&["type", "local"])?;
        entity::check_uri(id, "the entity id")?;
        let entity = self.parse_entity(request, Shape::Fragment, &super::now())?;
        self.check_tenant(request)?;
        ops::replace(&self.broker, request.tenant(), request.cause(), id, entity)?;
        Ok(Reply::new(204, None))
    }

    /// `PATCH /entities/{id}` (merge), `POST /entities/{id}/attrs` (append), `PATCH
    /// /entities/{id}/attrs` (update).
    pub fn change_attributes(
        &self,
        request: &Request,
        id: &str,
        mode: Mode,
    ) -> Result<Reply, NgsiError> {
        request.allow_params(&["options", "type", "local", "observedAt", "lang", "format"])?;
        entity::check_uri(id, "the entity id")?;
        let no_overwrite = request.list("options").iter().any(|o| o == "noOverwrite");
        let mode = match mode {
            Mode::Append { .. } => Mode::Append { no_overwrite },
            other => other,
        };
        let fragment = self.parse_entity(request, Shape::Fragment, &super::now())?;
        if fragment.attributes.is_empty()
            && fragment.types.is_empty()
            && fragment.scopes.is_empty()
            && mode != Mode::Merge
        {
            return Err(NgsiError::bad_request("the fragment holds no attribute"));
        }
        self.check_tenant(request)?;
        self.check_type(request, id)?;
        let outcome = ops::change_attributes(
            &self.broker,
            request.tenant(),
            request.cause(),
            id,
            fragment,
            mode,
        )?;
        Ok(outcome_reply(&outcome, mode))
    }

    /// `PATCH /entities/{id}/attrs/{attr}` (partial update) and `PUT` (replace).
    pub fn change_attribute(
        &self,
        request: &Request,
        id: &str,
        name: &str,
        replace: bool,
    ) -> Result<Reply, NgsiError> {
        request.allow_params(&["options", "type", "local", "observedAt", "lang"])?;
        entity::check_uri(id, "the entity id")?;
        entity::check_name(name)?;
        if matches!(
            name,
            "id" | "type" | "scope" | "@context" | "createdAt" | "modifiedAt"
        ) {
            return Err(NgsiError::bad_request(format!(
                "{name} is not an attribute that can be changed this way"
            )));
        }
        let body = request
            .body
            .as_ref()
            .ok_or_else(|| NgsiError::invalid("the request has no body"))?;
        let Value::Object(object) = body else {
            return Err(NgsiError::invalid("the body must be a JSON object"));
        };
        if object.keys().all(|k| k == "@context") {
            return Err(NgsiError::bad_request("the attribute fragment is empty"));
        }
        let link = write_context(request)?;
        let context = body_context(request, body, link.as_ref())?;
        let context = self.contexts.resolve(context.as_ref())?;
        let mut fragment = object.clone();
        fragment.remove("@context");
        let now = super::now();
        let expanded = context.expand(name);
        self.check_tenant(request)?;
        self.check_type(request, id)?;
        let instances = if replace {
            entity::parse_instances(
                name,
                &Value::Object(fragment),
                &context,
                &now,
                entity::Nulls::Delete,
                0,
            )?
        } else {
            // A partial update gives some members of the instance: merged into it.
            let current = self
                .broker
                .get(request.tenant(), id)?
                .ok_or_else(|| NgsiError::not_found(format!("there is no entity {id}")))?;
            let dataset = fragment.get("datasetId").and_then(Value::as_str);
            let existing = current
                .attributes
                .get(&expanded)
                .and_then(|i| i.iter().find(|i| i.dataset_id.as_deref() == dataset))
                .ok_or_else(|| {
                    NgsiError::not_found(format!("the entity {id} has no attribute {name}"))
                })?;
            if let Some(Value::String(t)) = fragment.get("type")
                && t != existing.kind.name()
            {
                return Err(NgsiError::bad_request(format!(
                    "{name} is a {}, not a {t}",
                    existing.kind.name()
                )));
            }
            if !fragment.contains_key("type") {
                fragment.insert("type".into(), Value::String(existing.kind.name().into()));
            }
            if !fragment.contains_key(existing.kind.value_key()) {
                let view = View {
                    context: &context,
                    format: Format::Normalized,
                    sys_attrs: false,
                    only: None,
                    omit: None,
                    lang: None,
                };
                if let Value::Object(old) = existing.render(&view)
                    && let Some(value) = old.get(existing.kind.value_key())
                {
                    fragment.insert(existing.kind.value_key().into(), value.clone());
                }
            }
            entity::parse_instances(
                name,
                &Value::Object(fragment),
                &context,
                &now,
                entity::Nulls::Delete,
                0,
            )?
        };
        ops::change_attribute(
            &self.broker,
            request.tenant(),
            request.cause(),
            id,
            &expanded,
            instances,
            replace,
        )?;
        Ok(Reply::new(204, None))
    }

    /// `DELETE /entities/{id}/attrs/{attr}`.
    pub fn delete_attribute(
        &self,
        request: &Request,
        id: &str,
        name: &str,
    ) -> Result<Reply, NgsiError> {
        request.allow_params(&["datasetId", "deleteAll", "type", "local", "lang"])?;
        entity::check_uri(id, "the entity id")?;
        entity::check_name(name)?;
        let context = self.read_context(request)?;
        let delete_all = match request.param("deleteAll") {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(NgsiError::bad_request(format!(
                    "deleteAll must be true or false, not {other:?}"
                )));
            }
        };
        self.check_tenant(request)?;
        self.check_type(request, id)?;
        ops::delete_attribute(
            &self.broker,
            request.tenant(),
            request.cause(),
            id,
            &context.expand(name),
            request.param("datasetId"),
            delete_all,
        )?;
        Ok(Reply::new(204, None))
    }

    // --- batches ---

    /// `POST /entityOperations/{create,upsert,update,merge}`.
    pub fn batch(&self, request: &Request, op: Batch) -> Result<Reply, NgsiError> {
        request.allow_params(&["options", "local"])?;
        let options = request.list("options");
        let op = match op {
            Batch::Upsert { .. } => Batch::Upsert {
                update: options.iter().any(|o| o == "update"),
            },
            Batch::Update { .. } => Batch::Update {
                no_overwrite: options.iter().any(|o| o == "noOverwrite"),
            },
            other => other,
        };
        let items = self.batch_items(request)?;
        let now = super::now();
        let link = write_context(request)?;
        let shape = match op {
            Batch::Create | Batch::Upsert { .. } => Shape::Entity,
            _ => Shape::Fragment,
        };
        let parsed: Vec<Result<Entity, Failed>> = items
            .iter()
            .map(|item| {
                let id = item
                    .get("id")
                    .or_else(|| item.get("@id"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                let parsed = body_context(request, item, link.as_ref())
                    .and_then(|c| self.contexts.resolve(c.as_ref()))
                    .and_then(|context| entity::parse(item, &context, shape, &now))
                    .and_then(|e| {
                        if e.id.is_empty() {
                            Err(NgsiError::bad_request("the entity has no id"))
                        } else {
                            Ok(e)
                        }
                    })
                    .and_then(|e| {
                        if has_null_value(item) && op != Batch::Merge {
                            Err(NgsiError::bad_request(format!(
                                "an attribute of {} has a null value",
                                e.id
                            )))
                        } else {
                            Ok(e)
                        }
                    });
                parsed.map_err(|error| Failed { id, error })
            })
            .collect();
        if request.tenant.is_some() && op != Batch::Create && !matches!(op, Batch::Upsert { .. }) {
            self.check_tenant(request)?;
        }
        let outcome = ops::batch(&self.broker, request.tenant(), request.cause(), op, parsed)?;
        Ok(batch_reply(outcome, op))
    }

    /// `POST /entityOperations/delete`.
    pub fn batch_delete(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&["local"])?;
        let items = self.batch_items(request)?;
        let mut ids = Vec::with_capacity(items.len());
        for item in items {
            let id = item
                .as_str()
                .ok_or_else(|| NgsiError::bad_request("a batch delete lists entity ids"))?;
            entity::check_uri(id, "an entity id")?;
            ids.push(id.to_owned());
        }
        self.check_tenant(request)?;
        let outcome = ops::batch_delete(&self.broker, request.tenant(), request.cause(), ids)?;
        Ok(if outcome.errors.is_empty() {
            Reply::new(204, None)
        } else {
            Reply::new(207, Some(batch_body(&outcome)))
        })
    }

    fn batch_items<'r>(&self, request: &'r Request) -> Result<&'r Vec<Value>, NgsiError> {
        let Some(Value::Array(items)) = &request.body else {
            return Err(NgsiError::invalid("a batch operation takes a JSON array"));
        };
        if items.is_empty() {
            return Err(NgsiError::bad_request("the batch is empty"));
        }
        if items.len() > MAX_BATCH {
            return Err(NgsiError::bad_request(format!(
                "a batch holds at most {MAX_BATCH} entities"
            )));
        }
        if items.iter().any(Value::is_null) {
            return Err(NgsiError::bad_request("a batch item is null"));
        }
        Ok(items)
    }

    // --- subscriptions ---

    /// `POST /subscriptions`.
    pub fn create_subscription(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        let body = request
            .body
            .as_ref()
            .ok_or_else(|| NgsiError::invalid("the request has no body"))?;
        if !body.is_object() {
            return Err(NgsiError::invalid("a subscription must be a JSON object"));
        }
        let link = write_context(request)?;
        let context_value = body_context(request, body, link.as_ref())?;
        let context = self.contexts.resolve(context_value.as_ref())?;
        // `jsonldContext`: the context notifications are compacted with; it must resolve.
        let (context, context_value) = match body.get("jsonldContext") {
            None => (context, context_value),
            Some(Value::String(url)) => {
                entity::check_uri(url, "jsonldContext")?;
                (
                    self.contexts.resolve_url(url)?,
                    Some(Value::String(url.clone())),
                )
            }
            Some(_) => return Err(NgsiError::bad_request("jsonldContext must be a URI")),
        };
        let now = super::now();
        let sub = Subscription::parse(body, request.tenant(), &context, context_value, &now)?;
        let id = sub.id.clone();
        self.subscriptions.create(sub, &request.agent)?;
        Ok(Reply::new(201, None).header(
            "Location",
            format!("/ngsi-ld/v1/subscriptions/{}", encode_segment(&id)),
        ))
    }

    fn render_subscription(&self, sub: &Subscription, now: &str, context: &ActiveContext) -> Value {
        let mut out = sub.render(now, context);
        if let Some(status) = self.notifier.status(&sub.tenant, &sub.id)
            && status.last_notification.is_some()
            && let Some(Value::Object(notification)) = out.get_mut("notification")
        {
            notification.insert("timesSent".into(), json!(status.times_sent));
            notification.insert("timesFailed".into(), json!(status.times_failed));
            for (key, value) in [
                ("lastNotification", &status.last_notification),
                ("lastSuccess", &status.last_success),
                ("lastFailure", &status.last_failure),
            ] {
                if let Some(value) = value {
                    notification.insert(key.into(), json!(value));
                }
            }
            let failed = status.last_failure.is_some()
                && status.last_failure.as_deref() >= status.last_success.as_deref();
            notification.insert("status".into(), json!(if failed { "failed" } else { "ok" }));
        }
        Value::Object(out)
    }

    /// `GET /subscriptions/{id}`.
    pub fn retrieve_subscription(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        entity::check_uri(id, "the subscription id")?;
        self.check_tenant(request)?;
        let sub = self
            .subscriptions
            .get(request.tenant(), id)
            .ok_or_else(|| NgsiError::not_found(format!("there is no subscription {id}")))?;
        let context = self.read_context(request)?;
        let body = self.render_subscription(&sub, &super::now(), &context);
        Ok(self.answer(request, 200, body, false))
    }

    /// `GET /subscriptions`.
    pub fn list_subscriptions(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&["limit", "offset", "count"])?;
        let limit = match request.param("limit") {
            None => DEFAULT_LIMIT,
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|l| *l <= MAX_LIMIT)
                .ok_or_else(|| NgsiError::bad_request("limit must be a whole number up to 1000"))?,
        };
        let offset = match request.param("offset") {
            None => 0,
            Some(o) => o
                .parse::<usize>()
                .map_err(|_| NgsiError::bad_request("offset must be a whole number"))?,
        };
        self.check_tenant(request)?;
        let context = self.read_context(request)?;
        let now = super::now();
        let all = self.subscriptions.list(request.tenant());
        let page: Vec<Value> = all
            .iter()
            .skip(offset)
            .take(limit)
            .map(|s| self.render_subscription(s, &now, &context))
            .collect();
        let mut reply = self.answer(request, 200, Value::Array(page), true);
        if request.param("count") == Some("true") {
            reply = reply.header("NGSILD-Results-Count", all.len().to_string());
        }
        Ok(with_page_links(
            reply,
            request,
            "subscriptions",
            limit,
            offset,
            all.len(),
        ))
    }

    /// `PATCH /subscriptions/{id}`.
    pub fn update_subscription(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        entity::check_uri(id, "the subscription id")?;
        let Some(Value::Object(patch)) = &request.body else {
            return Err(NgsiError::invalid("the patch must be a JSON object"));
        };
        let link = write_context(request)?;
        body_context(request, &Value::Object(patch.clone()), link.as_ref())?;
        self.check_tenant(request)?;
        let sub = self
            .subscriptions
            .get(request.tenant(), id)
            .ok_or_else(|| NgsiError::not_found(format!("there is no subscription {id}")))?;
        let patched = sub.patched(patch, &super::now())?;
        self.subscriptions.replace(patched, &request.agent)?;
        Ok(Reply::new(204, None))
    }

    /// `DELETE /subscriptions/{id}`.
    pub fn delete_subscription(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        entity::check_uri(id, "the subscription id")?;
        self.check_tenant(request)?;
        self.subscriptions
            .delete(request.tenant(), id, &request.agent)?;
        self.notifier.forget(request.tenant(), id);
        Ok(Reply::new(204, None))
    }

    // --- /jsonldContexts ---

    /// `POST /jsonldContexts`.
    pub fn add_context(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        let body = request
            .body
            .as_ref()
            .ok_or_else(|| NgsiError::invalid("the request has no body"))?;
        let id = self.contexts.add(body)?;
        Ok(Reply::new(201, None).header("Location", format!("/ngsi-ld/v1/jsonldContexts/{id}")))
    }

    /// `GET /jsonldContexts`.
    pub fn list_contexts(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&["details", "kind"])?;
        let details = flag(request, "details")?;
        let kind = match request.param("kind") {
            None => None,
            Some("Hosted") => Some(super::contexts::Kind::Hosted),
            Some("Cached") => Some(super::contexts::Kind::Cached),
            Some("ImplicitlyCreated") => return Ok(Reply::new(200, Some(json!([])))),
            Some(other) => {
                return Err(NgsiError::bad_request(format!(
                    "kind {other:?} is not Hosted, Cached or ImplicitlyCreated"
                )));
            }
        };
        let held = self.contexts.list(kind);
        let body: Vec<Value> = held
            .iter()
            .map(|h| if details { h.details() } else { json!(h.url) })
            .collect();
        Ok(Reply::new(200, Some(Value::Array(body))))
    }

    /// `GET /jsonldContexts/{id}`.
    pub fn serve_context(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&["details"])?;
        let details = flag(request, "details")?;
        let held = self
            .contexts
            .get(id)
            .ok_or_else(|| NgsiError::not_found(format!("there is no context {id}")))?;
        let body = if details {
            held.details()
        } else {
            (*held.body).clone()
        };
        Ok(Reply::new(200, Some(body)))
    }

    /// `DELETE /jsonldContexts/{id}`.
    pub fn delete_context(&self, request: &Request, id: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&["reload"])?;
        let reload = flag(request, "reload")?;
        self.contexts.delete(id, reload)?;
        Ok(Reply::new(204, None))
    }

    /// `GET /info/sourceIdentity` (clause 5.15.2): who this broker is, per tenant.
    pub fn source_identity(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&[])?;
        let tenant = request.tenant();
        let alias = if tenant == DEFAULT_TENANT {
            "citykg".to_owned()
        } else {
            format!("citykg:{tenant}")
        };
        let seconds = self.started.elapsed().as_secs();
        let body = json!({
            "id": format!("urn:ngsi-ld:ContextSourceIdentity:{}", list_id(std::slice::from_ref(&alias))),
            "type": "ContextSourceIdentity",
            "contextSourceAlias": alias,
            "contextSourceUptime": format!("PT{seconds}S"),
            "contextSourceTimeAt": super::now(),
        });
        Ok(self.answer(request, 200, body, false))
    }

    // --- discovery ---

    /// `GET /types`: the entity types (`details=true`: with their attributes).
    pub fn types(&self, request: &Request) -> Result<Reply, NgsiError> {
        request.allow_params(&["details", "local"])?;
        let context = self.read_context(request)?;
        self.check_tenant(request)?;
        let entities = self.broker.select(request.tenant(), |_| true)?;
        let mut types: Vec<String> = entities
            .iter()
            .flat_map(|e| e.types.iter().cloned())
            .collect::<HashSet<_>>()
            .into_iter()
            .map(|t| context.compact(&t))
            .collect();
        types.sort();
        let body = if request.param("details") == Some("true") {
            Value::Array(
                types
                    .iter()
                    .map(|t| {
                        let iri = context.expand(t);
                        let mut attributes: Vec<String> = entities
                            .iter()
                            .filter(|e| e.has_type(&iri))
                            .flat_map(|e| e.attributes.keys().map(|a| context.compact(a)))
                            .collect::<HashSet<_>>()
                            .into_iter()
                            .collect();
                        attributes.sort();
                        json!({"id": iri, "type": "EntityType", "typeName": t, "attributeNames": attributes})
                    })
                    .collect(),
            )
        } else {
            json!({
                "id": format!("urn:ngsi-ld:EntityTypeList:{}", list_id(&types)),
                "type": "EntityTypeList",
                "typeList": types,
            })
        };
        Ok(self.answer(request, 200, body, false))
    }

    /// `GET /types/{type}`.
    pub fn type_info(&self, request: &Request, name: &str) -> Result<Reply, NgsiError> {
        request.allow_params(&["local"])?;
        let context = self.read_context(request)?;
        self.check_tenant(request)?;
        let iri = context.expand(name);
        let entities = self.broker.select(request.tenant(), |e| e.has_type(&iri))?;
        if entities.is_empty() {
            return Err(NgsiError::not_found(format!(
                "no entity has the type {name}"
            )));
        }
        let mut details: std::collections::BTreeMap<String, HashSet<&'static str>> =
            std::collections::BTreeMap::new();
        for e in &entities {
            for (a, instances) in &e.attributes {
                let kinds = details.entry(a.clone()).or_default();
                kinds.extend(instances.iter().map(|i| i.kind.name()));
            }
        }
        let attributes: Vec<Value> = details
            .iter()
            .map(|(a, kinds)| {
                let mut kinds: Vec<&str> = kinds.iter().copied().collect();
                kinds.sort_unstable();
                json!({"id": a, "type": "Attribute", "attributeName": context.compact(a), "attributeTypes": kinds})
            })
            .collect();
        let body = json!({
            "id": iri,
            "type": "EntityTypeInfo",
            "typeName": context.compact(&iri),
            "entityCount": entities.len(),
            "attributeDetails": attributes,
        });
        Ok(self.answer(request, 200, body, false))
    }

    /// `GET /attributes` (`details=true`: with their types) and `GET /attributes/{attr}`.
    pub fn attributes(&self, request: &Request, name: Option<&str>) -> Result<Reply, NgsiError> {
        request.allow_params(&["details", "local"])?;
        let context = self.read_context(request)?;
        self.check_tenant(request)?;
        let entities = self.broker.select(request.tenant(), |_| true)?;
        let mut found: std::collections::BTreeMap<
            String,
            (usize, HashSet<&'static str>, HashSet<String>),
        > = std::collections::BTreeMap::new();
        for e in &entities {
            for (a, instances) in &e.attributes {
                let entry = found.entry(a.clone()).or_default();
                entry.0 += instances.len();
                entry.1.extend(instances.iter().map(|i| i.kind.name()));
                entry.2.extend(e.types.iter().map(|t| context.compact(t)));
            }
        }
        let describe =
            |iri: &str, (count, kinds, types): &(usize, HashSet<&'static str>, HashSet<String>)| {
                let mut kinds: Vec<&str> = kinds.iter().copied().collect();
                kinds.sort_unstable();
                let mut types: Vec<&String> = types.iter().collect();
                types.sort();
                json!({
                    "id": iri, "type": "Attribute", "attributeName": context.compact(iri),
                    "attributeCount": count, "attributeTypes": kinds, "typeNames": types,
                })
            };
        let body = match name {
            Some(name) => {
                let iri = context.expand(name);
                let info = found.get(&iri).ok_or_else(|| {
                    NgsiError::not_found(format!("no entity has the attribute {name}"))
                })?;
                describe(&iri, info)
            }
            None if request.param("details") == Some("true") => Value::Array(
                found
                    .iter()
                    .map(|(iri, info)| describe(iri, info))
                    .collect(),
            ),
            None => {
                let names: Vec<String> = found.keys().map(|a| context.compact(a)).collect();
                json!({
                    "id": format!("urn:ngsi-ld:AttributeList:{}", list_id(&names)),
                    "type": "AttributeList",
                    "attributeList": names,
                })
            }
        };
        Ok(self.answer(request, 200, body, false))
    }
}

/// `Link` headers to the next and previous pages (clause 6.3.13): the same parameters, sorted,
/// with the other page's `offset`.
fn with_page_links(
    mut reply: Reply,
    request: &Request,
    path: &str,
    limit: usize,
    offset: usize,
    total: usize,
) -> Reply {
    if limit == 0 || request.body_query {
        return reply;
    }
    let link = |offset: usize, rel: &str| {
        let mut params: Vec<(&str, String)> = request
            .params
            .iter()
            .filter(|(k, _)| k != "offset")
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        params.push(("offset", offset.to_string()));
        if !params.iter().any(|(k, _)| *k == "limit") {
            params.push(("limit", limit.to_string()));
        }
        params.sort();
        let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!(
            "</ngsi-ld/v1/{path}?{}>; rel=\"{rel}\"; type=\"application/json\"",
            query.join("&")
        )
    };
    if offset > 0 {
        reply = reply.header("Link", link(offset.saturating_sub(limit), "prev"));
    }
    if offset + limit < total {
        reply = reply.header("Link", link(offset + limit, "next"));
    }
    reply
}

/// What a query or a purge selects (clauses 4.17-4.19): type, ids, id pattern, `q`, scopes, a
/// geo-query and the attributes an entity must have, parsed once and tested per entity.
struct Selection {
    types: Option<query::Expr<String>>,
    ids: Option<HashSet<String>>,
    pattern: Option<regex::Regex>,
    q: Option<query::Query>,
    scopes: Option<query::Expr<String>>,
    geo: Option<super::geo::GeoQuery>,
    attrs: Option<HashSet<String>>,
}

impl Selection {
    fn parse(
        request: &Request,
        context: &ActiveContext,
        attrs: Option<HashSet<String>>,
    ) -> Result<Self, NgsiError> {
        let types = match request.param("type") {
            Some("*") | None => None,
            Some(t) => Some(query::parse_types(t, context)?),
        };
        let ids = match request.param("id") {
            None => None,
            Some(_) => {
                let ids = request.list("id");
                for id in &ids {
                    entity::check_uri(id, "an id of the id parameter")?;
                }
                Some(ids.into_iter().collect())
            }
        };
        let pattern = match request.param("idPattern") {
            None => None,
            Some(p) => Some(
                regex::RegexBuilder::new(p)
                    .size_limit(1 << 20)
                    .build()
                    .map_err(|e| {
                        NgsiError::bad_request(format!("idPattern is not a valid pattern: {e}"))
                    })?,
            ),
        };
        let q = match request.param("q") {
            None => None,
            Some(q) => Some(query::parse_q(q, context)?),
        };
        let scopes = match request.param("scopeQ") {
            None => None,
            Some(s) => Some(query::parse_scopes(s)?),
        };
        let geo = match request.param("georel") {
            None => None,
            Some(georel) => Some(super::geo::GeoQuery::parse(
                georel,
                request.param("geometry"),
                request.param("coordinates"),
                context.expand(request.param("geoproperty").unwrap_or("location")),
            )?),
        };
        Ok(Self {
            types,
            ids,
            pattern,
            q,
            scopes,
            geo,
            attrs,
        })
    }

    fn matches(&self, e: &Entity) -> bool {
        self.types.as_ref().is_none_or(|t| query::has_types(t, e))
            && self.ids.as_ref().is_none_or(|ids| ids.contains(&e.id))
            && self.pattern.as_ref().is_none_or(|p| p.is_match(&e.id))
            && self.q.as_ref().is_none_or(|q| query::matches(q, e))
            && self.geo.as_ref().is_none_or(|g| g.matches(e))
            && self.scopes.as_ref().is_none_or(|s| query::has_scopes(s, e))
            && self
                .attrs
                .as_ref()
                .is_none_or(|a| a.iter().any(|name| e.attributes.contains_key(name)))
    }
}

/// The GeoProperty a GeoJSON answer shows (`geometryProperty`, default `location`), expanded.
fn geometry_property(request: &Request, context: &ActiveContext) -> String {
    context.expand(request.param("geometryProperty").unwrap_or("location"))
}

/// An entity as a GeoJSON Feature: its geometry, and its members as properties.
fn feature(entity: &Entity, view: &View<'_>, property: &str) -> Value {
    let geometry = entity
        .attributes
        .get(property)
        .and_then(|i| i.first())
        .map_or(Value::Null, |i| i.value.clone());
    let mut properties = entity.render(view);
    properties.remove("id");
    json!({"id": entity.id, "type": "Feature", "geometry": geometry, "properties": properties})
}

/// A `true`/`false` parameter (absent: false).
fn flag(request: &Request, name: &str) -> Result<bool, NgsiError> {
    match request.param(name) {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(other) => Err(NgsiError::bad_request(format!(
            "{name} must be true or false, not {other:?}"
        ))),
    }
}

/// A stable id for a list answer (a digest of its members).
fn list_id(members: &[String]) -> String {
    let digest = crate::core::digest::hex_sha256(members.join("\n").as_bytes());
    digest.chars().take(16).collect()
}

fn has_null_value(item: &Value) -> bool {
    item.as_object().is_some_and(|object| {
        object.values().any(|attribute| {
            attribute
                .as_object()
                .is_some_and(|a| a.get("value").is_some_and(Value::is_null))
        })
    })
}

fn outcome_reply(outcome: &Outcome, mode: Mode) -> Reply {
    if outcome.not_updated.is_empty() || mode == Mode::Merge {
        return Reply::new(204, None);
    }
    let not_updated: Vec<Value> = outcome
        .not_updated
        .iter()
        .map(|(name, reason)| json!({"attributeName": name, "reason": reason}))
        .collect();
    Reply::new(
        207,
        Some(json!({"updated": outcome.updated, "notUpdated": not_updated})),
    )
}

fn batch_body(outcome: &BatchOutcome) -> Value {
    let errors: Vec<Value> = outcome
        .errors
        .iter()
        .map(|f| json!({"entityId": f.id, "error": f.error.body()}))
        .collect();
    json!({"success": outcome.success, "errors": errors})
}

fn batch_reply(outcome: BatchOutcome, op: Batch) -> Reply {
    if !outcome.errors.is_empty() {
        return Reply::new(207, Some(batch_body(&outcome)));
    }
    match op {
        Batch::Create => Reply::new(201, Some(json!(outcome.success))),
        Batch::Upsert { .. } if !outcome.created.is_empty() => {
            let created: Vec<&String> = outcome
                .success
                .iter()
                .filter(|id| outcome.created.contains(*id))
                .collect();
            Reply::new(201, Some(json!(created)))
        }
        _ => Reply::new(204, None),
    }
}

/// An id in a URL path.
pub fn encode_segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'%')
        .add(b'/')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}');
    percent_encoding::utf8_percent_encode(id, SEGMENT).to_string()
}
