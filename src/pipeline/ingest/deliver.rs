//! A payload delivered to a mapping, whatever carried it (HTTP today, a broker next): ingest it,
//! and when it cannot be stored keep it in the quarantine so that nothing is lost; replay a kept
//! payload, and let it leave the quarantine only once it is stored.

use std::sync::Arc;

use super::model::RegisteredMapping;
use super::quarantine::{Entry, Quarantine, QuarantineError, Received};
use super::run::{self, Context, IngestError, Outcome, Payload, PayloadKind};
use crate::storage::{Cause, Origin};

/// The zone a sender declares for payload times written without one: as given (kept with a
/// quarantined payload, so a replay reads the payload the same way) and parsed.
#[derive(Debug, Clone)]
pub struct DeclaredZone {
    pub text: String,
    pub offset: oxsdatatypes::TimezoneOffset,
}

#[derive(Debug, thiserror::Error)]
#[error("timezone `{0}` is not `Z`, `UTC` or an offset such as `+01:00`")]
pub struct BadZone(pub String);

impl DeclaredZone {
    pub fn parse(text: &str) -> Result<Self, BadZone> {
        let offset = crate::pipeline::mapping::functions::parse_zone(text)
            .ok_or_else(|| BadZone(text.to_owned()))?;
        Ok(Self {
            text: text.to_owned(),
            offset,
        })
    }
}

/// A payload as it arrived.
pub struct Delivery {
    pub mapping: Arc<RegisteredMapping>,
    pub body: Vec<u8>,
    pub kind: PayloadKind,
    /// The media type with its charset, as sent (kept for the replay).
    pub media_type: String,
    pub zone: Option<DeclaredZone>,
    /// Who sent it: a token's name.
    pub agent: String,
    pub idempotency_key: Option<String>,
}

/// What became of a payload that was not stored.
#[derive(Debug)]
pub enum Kept {
    /// In the quarantine, for replay.
    Kept(Entry),
    /// A replay that failed again: its entry stays as it was.
    AlreadyKept,
    /// The quarantine could not take it either (full, or its disk failed).
    Lost(QuarantineError),
}

/// A payload that was not stored, and where it is.
#[derive(Debug)]
pub struct Failure {
    pub error: IngestError,
    pub kept: Kept,
}

/// Ingests a new payload. On any failure, ours included (a storage error), the payload is kept
/// in the quarantine; only a payload that is stored is not.
pub fn receive(
    context: &Context<'_>,
    quarantine: &Quarantine,
    delivery: &Delivery,
) -> Result<Outcome, Box<Failure>> {
    let origin = Origin::Ingest {
        mapping: delivery.mapping.id.clone(),
    };
    run(context, delivery, origin).map_err(|error| {
        let kept = match quarantine.keep(
            &Received {
                mapping: delivery.mapping.id.as_str(),
                mapping_version: delivery.mapping.version,
                content_type: &delivery.media_type,
                timezone: delivery.zone.as_ref().map(|zone| zone.text.as_str()),
                error: &error.to_string(),
                agent: &delivery.agent,
            },
            &delivery.body,
        ) {
            Ok(entry) => Kept::Kept(entry),
            Err(e) => Kept::Lost(e),
        };
        Box::new(Failure { error, kept })
    })
}

/// Ingests a quarantined payload again (with the mapping's current version); the entry leaves
/// the quarantine once the payload is stored, and stays as it is when it fails again.
pub fn replay(
    context: &Context<'_>,
    quarantine: &Quarantine,
    entry_id: &str,
    delivery: &Delivery,
) -> Result<Outcome, Box<Failure>> {
    let origin = Origin::Replay {
        mapping: delivery.mapping.id.clone(),
    };
    let outcome = run(context, delivery, origin).map_err(|error| {
        Box::new(Failure {
            error,
            kept: Kept::AlreadyKept,
        })
    })?;
    if let Err(error) = quarantine.remove(entry_id) {
        // Stored, yet still listed: a later replay finds its record by the same digest.
        tracing::error!(%error, entry = entry_id, "a replayed payload stayed in the quarantine");
    }
    Ok(outcome)
}

fn run(context: &Context<'_>, delivery: &Delivery, origin: Origin) -> Result<Outcome, IngestError> {
    let charset = crate::pipeline::payload::text::charset_of(&delivery.media_type);
    let payload = Payload {
        bytes: &delivery.body,
        kind: delivery.kind,
        charset: charset.as_deref(),
        zone: delivery.zone.as_ref().map(|zone| zone.offset),
    };
    run::ingest(
        context,
        &delivery.mapping,
        &payload,
        Cause::new(delivery.agent.clone(), origin),
        delivery.idempotency_key.as_deref(),
    )
}
