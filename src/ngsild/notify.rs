//! Sending notifications: every committed entity change is matched against the tenant's
//! subscriptions in the writer's thread (cheap: in memory), and what matches is queued. A few
//! sender threads POST the queue; a subscription has at most one notification in flight, a
//! failed one is retried with exponential back-off and jitter (three attempts), and a waiting
//! retry holds no thread, so one dead endpoint cannot hold up the others' notifications.
//! The status of each subscription's notifications (times sent, last success and failure) is
//! kept in memory and shown when the subscription is read.

use oxhttp::model::{HeaderName, HeaderValue, Method, Request, header};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::broker::Committed;
use super::context::{ActiveContext, CORE_CONTEXT_URL};
use super::entity::{Entity, Format, View};
use super::subscriptions::{EntityChange, Subscription, Subscriptions, Trigger, notification_id};

const SENDERS: usize = 4;
const ATTEMPTS: u32 = 3;
const TIMEOUT: Duration = Duration::from_secs(5);
/// Most notifications waiting; beyond, the oldest are dropped (and counted as failures).
const MAX_QUEUED: usize = 100_000;

/// What the spec shows of a subscription's notifications.
#[derive(Debug, Default, Clone)]
pub struct Status {
    pub times_sent: u64,
    pub times_failed: u64,
    pub last_notification: Option<String>,
    pub last_success: Option<String>,
    pub last_failure: Option<String>,
    /// When the last notification was queued (throttling).
    queued_at: Option<Instant>,
}

struct Job {
    key: (String, String),
    endpoint: String,
    tenant: String,
    body: String,
    link: Option<String>,
    json_ld: bool,
    headers: Vec<(String, String)>,
    attempt: u32,
    not_before: Instant,
}

#[derive(Default)]
struct Queue {
    jobs: VecDeque<Job>,
    in_flight: HashSet<(String, String)>,
    stopping: bool,
}

/// What the sender threads share with the notifier: they hold this, never the notifier, so
/// that dropping the notifier (the service stopping) stops them.
struct Shared {
    queue: Mutex<Queue>,
    ready: Condvar,
    status: Mutex<HashMap<(String, String), Status>>,
    client: oxhttp::Client,
}

pub struct Notifier {
    shared: Arc<Shared>,
}

impl Notifier {
    pub fn start() -> std::io::Result<Arc<Self>> {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue::default()),
            ready: Condvar::new(),
            status: Mutex::new(HashMap::new()),
            client: oxhttp::Client::new()
                .with_global_timeout(TIMEOUT)
                .with_redirection_limit(0),
        });
        for n in 0..SENDERS {
            let shared = shared.clone();
            std::thread::Builder::new()
                .name(format!("ngsi-ld-notify-{n}"))
                .spawn(move || sender(&shared))?;
        }
        Ok(Arc::new(Self { shared }))
    }

    pub fn status(&self, tenant: &str, id: &str) -> Option<Status> {
        self.shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&(tenant.to_owned(), id.to_owned()))
            .cloned()
    }

    pub fn forget(&self, tenant: &str, id: &str) {
        self.shared
            .status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&(tenant.to_owned(), id.to_owned()));
    }

    /// Matches committed changes of a tenant's entities and queues the notifications.
    pub fn changed(&self, subscriptions: &Subscriptions, tenant: &str, changes: &[Committed]) {
        let subs = subscriptions.list(tenant);
        if subs.is_empty() {
            return;
        }
        let now = super::now();
        for sub in subs {
            let mut data = Vec::new();
            let mut reason: Option<Trigger> = None;
            for (old, new) in changes {
                let change = EntityChange {
                    old: old.as_deref(),
                    new: new.as_deref(),
                };
                if let Some(trigger) = sub.reason(&change, &now) {
                    reason.get_or_insert(trigger);
                    data.push(render(&sub, old.as_deref(), new.as_deref(), &now));
                }
            }
            if let Some(reason) = reason {
                self.queue_notification(&sub, data, reason, &now);
            }
        }
    }

    fn queue_notification(&self, sub: &Subscription, data: Vec<Value>, reason: Trigger, now: &str) {
        let key = (sub.tenant.clone(), sub.id.clone());
        {
            let mut status = self
                .shared
                .status
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let entry = status.entry(key.clone()).or_default();
            if sub.throttling > 0.0
                && entry
                    .queued_at
                    .is_some_and(|t| t.elapsed().as_secs_f64() < sub.throttling)
            {
                return;
            }
            entry.queued_at = Some(Instant::now());
        }
        let link_url = context_url(sub.context.as_ref());
        let data: Vec<Value> = if sub.accept_json_ld {
            data.into_iter()
                .map(|mut item| {
                    if let Value::Object(map) = &mut item {
                        map.insert(
                            "@context".into(),
                            sub.context
                                .clone()
                                .unwrap_or_else(|| Value::String(CORE_CONTEXT_URL.to_owned())),
                        );
                    }
                    item
                })
                .collect()
        } else {
            data
        };
        let body = json!({
            "id": notification_id(),
            "type": "Notification",
            "subscriptionId": sub.id,
            "notifiedAt": now,
            "data": data,
            "triggerReason": reason.name(),
        });
        let job = Job {
            key,
            endpoint: sub.endpoint.clone(),
            tenant: sub.tenant.clone(),
            body: body.to_string(),
            link: (!sub.accept_json_ld).then_some(link_url),
            json_ld: sub.accept_json_ld,
            headers: sub.receiver_info.clone(),
            attempt: 0,
            not_before: Instant::now(),
        };
        let mut queue = self
            .shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if queue.jobs.len() >= MAX_QUEUED
            && let Some(dropped) = queue.jobs.pop_front()
        {
            tracing::warn!(subscription = %dropped.key.1, "notification queue full: the oldest notification was dropped");
        }
        queue.jobs.push_back(job);
        self.shared.ready.notify_one();
    }
}

impl Shared {
    fn record(&self, key: &(String, String), sent: bool, final_failure: bool) {
        let now = super::now();
        let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = status.entry(key.clone()).or_default();
        entry.last_notification = Some(now.clone());
        if sent {
            entry.times_sent += 1;
            entry.last_success = Some(now);
        } else {
            entry.last_failure = Some(now);
            if final_failure {
                entry.times_failed += 1;
            }
        }
    }

    fn send(&self, job: &Job) -> bool {
        let Ok(mut request) = Request::builder()
            .method(Method::POST)
            .uri(&job.endpoint)
            .header(
                header::CONTENT_TYPE,
                HeaderValue::from_static(if job.json_ld {
                    "application/ld+json"
                } else {
                    "application/json"
                }),
            )
            .body(oxhttp::model::Body::from(job.body.clone()))
        else {
            return false;
        };
        if let Some(link) = &job.link
            && let Ok(value) = HeaderValue::from_str(&format!(
                "<{link}>; rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\""
            ))
        {
            request.headers_mut().insert(header::LINK, value);
        }
        for (name, value) in &job.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                request.headers_mut().append(name, value);
            }
        }
        if !job.tenant.is_empty()
            && let Ok(value) = HeaderValue::from_str(&job.tenant)
        {
            request
                .headers_mut()
                .insert(HeaderName::from_static("ngsild-tenant"), value);
        }
        match self.client.request(request) {
            Ok(response) => response.status().is_success(),
            Err(error) => {
                tracing::debug!(%error, endpoint = %job.endpoint, "notification not delivered");
                false
            }
        }
    }
}

/// The next job whose time has come and whose subscription has none in flight.
fn next_job(notifier: &Shared) -> Option<Job> {
    let mut queue = notifier
        .queue
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    loop {
        if queue.stopping {
            return None;
        }
        let now = Instant::now();
        let position = queue
            .jobs
            .iter()
            .position(|j| j.not_before <= now && !queue.in_flight.contains(&j.key));
        if let Some(position) = position
            && let Some(job) = queue.jobs.remove(position)
        {
            queue.in_flight.insert(job.key.clone());
            return Some(job);
        }
        let wait = queue
            .jobs
            .iter()
            .map(|j| j.not_before.saturating_duration_since(now))
            .filter(|d| !d.is_zero())
            .min()
            .unwrap_or(Duration::from_secs(1));
        queue = notifier
            .ready
            .wait_timeout(queue, wait)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
}

fn sender(shared: &Shared) {
    while let Some(mut job) = next_job(shared) {
        let sent = shared.send(&job);
        let retry = !sent && job.attempt + 1 < ATTEMPTS;
        shared.record(&job.key, sent, !sent && !retry);
        let mut queue = shared.queue.lock().unwrap_or_else(PoisonError::into_inner);
        queue.in_flight.remove(&job.key);
        if retry {
            job.attempt += 1;
            // 0.5 s, 1 s, 2 s... with up to 25 % jitter.
            let base = Duration::from_millis(500 << job.attempt.min(6));
            let jitter =
                Duration::from_millis(u64::from(jitter_byte()) * base.as_millis() as u64 / 1024);
            job.not_before = Instant::now() + base + jitter;
            queue.jobs.push_back(job);
        }
        drop(queue);
        shared.ready.notify_all();
    }
}

fn jitter_byte() -> u8 {
    let mut byte = [0u8; 1];
    let _ = getrandom::fill(&mut byte);
    byte[0]
}

impl Drop for Notifier {
    fn drop(&mut self) {
        self.shared
            .queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopping = true;
        self.shared.ready.notify_all();
    }
}

/// The URL a `Link` header gives for a subscription's context: its only URL, else the core.
fn context_url(context: Option<&Value>) -> String {
    match context {
        Some(Value::String(url)) => url.clone(),
        Some(Value::Array(items)) if items.len() == 1 => items[0]
            .as_str()
            .map_or_else(|| CORE_CONTEXT_URL.to_owned(), str::to_owned),
        _ => CORE_CONTEXT_URL.to_owned(),
    }
}

/// One entity of a notification, in the subscription's format and context: deleted attributes
/// (and, for a deleted entity, all of them) with the null value, and with `showChanges` the
/// previous values beside the new ones.
fn render(sub: &Subscription, old: Option<&Entity>, new: Option<&Entity>, now: &str) -> Value {
    let context: &ActiveContext = &sub.active_context;
    let only = (!sub.attributes.is_empty()).then_some(&sub.attributes);
    let view = View {
        context,
        format: sub.format,
        sys_attrs: sub.sys_attrs,
        only,
        omit: None,
        lang: None,
    };
    let key_values = sub.format == Format::KeyValues;
    let mut out = match (old, new) {
        (_, Some(entity)) => entity.render(&view),
        (Some(entity), None) => {
            let types: Vec<Value> = entity
                .types
                .iter()
                .map(|t| Value::String(context.compact(t)))
                .collect();
            let mut out = Map::new();
            out.insert("id".into(), Value::String(entity.id.clone()));
            out.insert("type".into(), super::entity::one_or_many(types));
            out.insert("deletedAt".into(), Value::String(now.to_owned()));
            out
        }
        (None, None) => return Value::Null,
    };
    let Some(old) = old else {
        return Value::Object(out);
    };
    for (name, instances) in &old.attributes {
        if only.is_some_and(|o| !o.contains(name)) {
            continue;
        }
        let Some(before) = instances.first() else {
            continue;
        };
        let key = context.compact(name);
        let after = new.and_then(|n| n.attributes.get(name));
        match after {
            None => {
                let deleted = if key_values {
                    before.kind.null_value()
                } else {
                    let mut member = Map::new();
                    member.insert("type".into(), Value::String(before.kind.name().to_owned()));
                    member.insert(before.kind.value_key().into(), before.kind.null_value());
                    if sub.show_changes {
                        member.insert(before.kind.previous_key().into(), previous(before, &view));
                    }
                    Value::Object(member)
                };
                out.insert(key, deleted);
            }
            Some(now_instances)
                if sub.show_changes && !key_values && now_instances != instances =>
            {
                if let Some(Value::Object(member)) = out.get_mut(&key) {
                    member.insert(before.kind.previous_key().into(), previous(before, &view));
                }
            }
            Some(_) => {}
        }
    }
    Value::Object(out)
}

/// The value an instance had, as its kind shows it.
fn previous(instance: &super::entity::Attribute, view: &View<'_>) -> Value {
    match instance.render(view) {
        Value::Object(member) => member
            .get(instance.kind.value_key())
            .cloned()
            .unwrap_or(Value::Null),
        other => other,
    }
}
