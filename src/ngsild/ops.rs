//! The NGSI-LD operations on entities (GS CIM 009 clause 5.6 and 5.6.7-5.6.10 for batches),
//! each one write of the broker: read the current entity, compute the new one, commit.

use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use super::broker::{Broker, Put};
use super::entity::{Attribute, Entity};
use super::error::{ErrorType, NgsiError};
use crate::storage::Cause;

use super::entity::NULL_URI;
use super::now;

/// The expanded name `scope` has as an attribute name (the core context maps it).
pub const SCOPE: &str = "https://uri.etsi.org/ngsi-ld/scope";

/// What an attribute operation did, for 204 (all updated) or 207.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Compact names are not known here: expanded attribute names.
    pub updated: Vec<String>,
    pub not_updated: Vec<(String, String)>,
}

fn missing(id: &str) -> NgsiError {
    NgsiError::not_found(format!("there is no entity {id}"))
}

pub fn create(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    entity: Entity,
) -> Result<(), NgsiError> {
    broker.check_id(&entity.id)?;
    broker.write(tenant, cause, |lookup| {
        if lookup(&entity.id).is_some() {
            return Err(NgsiError::already_exists(format!(
                "the entity {} already exists",
                entity.id
            )));
        }
        Ok((
            vec![Put {
                id: entity.id.clone(),
                entity: Some(entity),
            }],
            (),
        ))
    })
}

pub fn delete(broker: &Broker, tenant: &str, cause: Cause, id: &str) -> Result<(), NgsiError> {
    broker.write(tenant, cause, |lookup| {
        if lookup(id).is_none() {
            return Err(missing(id));
        }
        Ok((
            vec![Put {
                id: id.to_owned(),
                entity: None,
            }],
            (),
        ))
    })
}

/// `PUT /entities/{id}`: the entity replaced whole (its createdAt kept).
pub fn replace(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    id: &str,
    mut entity: Entity,
) -> Result<(), NgsiError> {
    if !entity.id.is_empty() && entity.id != id {
        return Err(NgsiError::bad_request(format!(
            "the body's id {} differs from the URL's {id}",
            entity.id
        )));
    }
    entity.id = id.to_owned();
    broker.write(tenant, cause, |lookup| {
        let old = lookup(id).ok_or_else(|| missing(id))?;
        if entity.types.is_empty() {
            return Err(NgsiError::bad_request("the entity has no type"));
        }
        entity.created_at = old.created_at.clone();
        Ok((
            vec![Put {
                id: id.to_owned(),
                entity: Some(entity),
            }],
            (),
        ))
    })
}

/// How attributes of a fragment combine with the entity's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Append: add attributes, replacing those that exist (unless `no_overwrite`).
    Append { no_overwrite: bool },
    /// Update: replace attributes that exist; the others are not updated.
    Update,
    /// Merge: merge-patch attributes (members kept unless given), `urn:ngsi-ld:null` deletes.
    Merge,
}

/// Applies a fragment's attributes to `entity` (in place); what was and was not updated.
pub fn apply(entity: &mut Entity, fragment: &Entity, mode: Mode, now: &str) -> Outcome {
    let mut outcome = Outcome::default();
    for t in &fragment.types {
        if !entity.types.contains(t) {
            entity.types.push(t.clone());
        }
    }
    if !fragment.scopes.is_empty() {
        match mode {
            Mode::Append { no_overwrite: true } => {
                for scope in &fragment.scopes {
                    if !entity.scopes.contains(scope) {
                        entity.scopes.push(scope.clone());
                    }
                }
                outcome.updated.push("scope".into());
            }
            Mode::Update if entity.scopes.is_empty() => outcome
                .not_updated
                .push(("scope".into(), "the entity has no scope".into())),
            _ => {
                entity.scopes = fragment.scopes.clone();
                outcome.updated.push("scope".into());
            }
        }
    }
    for (name, instances) in &fragment.attributes {
        let existing = entity.attributes.get_mut(name);
        match (mode, existing) {
            (Mode::Update, None) => outcome
                .not_updated
                .push((name.clone(), "the attribute does not exist".into())),
            (Mode::Append { .. } | Mode::Merge, None) => {
                let kept: Vec<Attribute> =
                    instances.iter().filter(|i| !is_null(i)).cloned().collect();
                if !kept.is_empty() {
                    entity.attributes.insert(name.clone(), kept);
                }
                outcome.updated.push(name.clone());
            }
            (mode, Some(old)) => {
                let mut changed = false;
                for instance in instances {
                    let slot = old.iter().position(|o| o.dataset_id == instance.dataset_id);
                    match (mode, slot) {
                        (_, Some(i)) if is_null(instance) => {
                            old.remove(i);
                            changed = true;
                        }
                        (Mode::Append { no_overwrite: true }, Some(_)) => {}
                        (Mode::Update, None) => {}
                        (Mode::Merge, Some(i)) => {
                            let merged = merge_instance(&old[i], instance, now);
                            old[i] = merged;
                            changed = true;
                        }
                        (_, Some(i)) => {
                            let mut new = instance.clone();
                            new.created_at = old[i].created_at.clone();
                            old[i] = new;
                            changed = true;
                        }
                        (_, None) if is_null(instance) => {}
                        (_, None) => {
                            old.push(instance.clone());
                            changed = true;
                        }
                    }
                }
                if changed {
                    outcome.updated.push(name.clone());
                } else {
                    let reason = match mode {
                        Mode::Append { .. } => "the attribute exists and noOverwrite was asked",
                        _ => "no instance with that datasetId exists",
                    };
                    outcome.not_updated.push((name.clone(), reason.into()));
                }
            }
        }
    }
    entity
        .attributes
        .retain(|_, instances| !instances.is_empty());
    if !outcome.updated.is_empty() {
        entity.modified_at = now.to_owned();
    }
    outcome
}

fn is_null(instance: &Attribute) -> bool {
    instance.value.as_str() == Some(NULL_URI)
}

/// Merge-patch of one instance: what the patch gives replaces, the rest stays.
fn merge_instance(old: &Attribute, patch: &Attribute, now: &str) -> Attribute {
    let mut merged = old.clone();
    merged.kind = patch.kind;
    merged.value = match (&old.value, &patch.value) {
        (Value::Object(a), Value::Object(b))
            if old.kind == patch.kind && patch.kind == super::entity::Kind::Property =>
        {
            let mut a = a.clone();
            for (k, v) in b {
                if v.as_str() == Some(NULL_URI) {
                    a.remove(k);
                } else {
                    a.insert(k.clone(), v.clone());
                }
            }
            Value::Object(a)
        }
        _ => patch.value.clone(),
    };
    if patch.observed_at.is_some() {
        merged.observed_at = patch.observed_at.clone();
    }
    if patch.unit_code.is_some() {
        merged.unit_code = patch.unit_code.clone();
    }
    if patch.object_type.is_some() {
        merged.object_type = patch.object_type.clone();
    }
    for (name, instances) in &patch.sub {
        if instances.iter().all(is_null) {
            merged.sub.remove(name);
        } else {
            merged.sub.insert(name.clone(), instances.clone());
        }
    }
    merged.modified_at = Some(now.to_owned());
    merged
}

/// Attribute operations on one entity: append, update, merge.
pub fn change_attributes(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    id: &str,
    fragment: Entity,
    mode: Mode,
) -> Result<Outcome, NgsiError> {
    if !fragment.id.is_empty() && fragment.id != id {
        return Err(NgsiError::bad_request(format!(
            "the body's id {} differs from the URL's {id}",
            fragment.id
        )));
    }
    broker.write(tenant, cause, |lookup| {
        let old = lookup(id).ok_or_else(|| missing(id))?;
        let mut entity = (*old).clone();
        let outcome = apply(&mut entity, &fragment, mode, &now());
        let puts = if outcome.updated.is_empty() && entity == *old {
            Vec::new()
        } else {
            vec![Put {
                id: id.to_owned(),
                entity: Some(entity),
            }]
        };
        Ok((puts, outcome))
    })
}

/// `PATCH /entities/{id}/attrs/{attr}` (partial update) and `PUT` (replace) of one attribute
/// that must exist.
pub fn change_attribute(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    id: &str,
    name: &str,
    instances: Vec<Attribute>,
    replace: bool,
) -> Result<(), NgsiError> {
    broker.write(tenant, cause, |lookup| {
        let old = lookup(id).ok_or_else(|| missing(id))?;
        let mut entity = (*old).clone();
        let now = now();
        let Some(existing) = entity.attributes.get_mut(name) else {
            return Err(NgsiError::not_found(format!(
                "the entity {id} has no attribute {name}"
            )));
        };
        for instance in instances {
            let slot = existing
                .iter()
                .position(|o| o.dataset_id == instance.dataset_id);
            match slot {
                Some(i) if is_null(&instance) => {
                    existing.remove(i);
                }
                Some(i) if replace => {
                    let mut new = instance;
                    new.created_at = existing[i].created_at.clone();
                    existing[i] = new;
                }
                Some(i) => existing[i] = merge_instance(&existing[i], &instance, &now),
                None => {
                    return Err(NgsiError::not_found(format!(
                        "the attribute {name} of {id} has no instance with that datasetId"
                    )));
                }
            }
        }
        entity.attributes.retain(|_, i| !i.is_empty());
        entity.modified_at = now;
        Ok((
            vec![Put {
                id: id.to_owned(),
                entity: Some(entity),
            }],
            (),
        ))
    })
}

/// `DELETE /entities/{id}/attrs/{attr}`: one instance (`datasetId`; none: the default one) or
/// all (`deleteAll`).
pub fn delete_attribute(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    id: &str,
    name: &str,
    dataset_id: Option<&str>,
    delete_all: bool,
) -> Result<(), NgsiError> {
    broker.write(tenant, cause, |lookup| {
        let old = lookup(id).ok_or_else(|| missing(id))?;
        let mut entity = (*old).clone();
        if name == SCOPE && !entity.attributes.contains_key(name) {
            if entity.scopes.is_empty() {
                return Err(NgsiError::not_found(format!(
                    "the entity {id} has no scope"
                )));
            }
            entity.scopes.clear();
            entity.modified_at = now();
            return Ok((
                vec![Put {
                    id: id.to_owned(),
                    entity: Some(entity),
                }],
                (),
            ));
        }
        let Some(instances) = entity.attributes.get_mut(name) else {
            return Err(NgsiError::not_found(format!(
                "the entity {id} has no attribute {name}"
            )));
        };
        let before = instances.len();
        if delete_all {
            instances.clear();
        } else {
            instances.retain(|i| i.dataset_id.as_deref() != dataset_id);
        }
        if instances.len() == before {
            return Err(NgsiError::not_found(format!(
                "the attribute {name} of {id} has no instance with that datasetId"
            )));
        }
        entity.attributes.retain(|_, i| !i.is_empty());
        entity.modified_at = now();
        Ok((
            vec![Put {
                id: id.to_owned(),
                entity: Some(entity),
            }],
            (),
        ))
    })
}

/// A batch operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Batch {
    Create,
    /// Upsert: create, or replace whole (`update: false`) / update attributes (`update: true`).
    Upsert {
        update: bool,
    },
    /// Update attributes of existing entities.
    Update {
        no_overwrite: bool,
    },
    Merge,
}

/// One entity's failure in a batch.
#[derive(Debug)]
pub struct Failed {
    pub id: String,
    pub error: NgsiError,
}

/// The result of a batch: ids that succeeded (and which of them were created), failures.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub success: Vec<String>,
    pub created: HashSet<String>,
    pub errors: Vec<Failed>,
}

/// Runs a batch of parsed entities (or parse failures, reported as they are) in one commit.
pub fn batch(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    op: Batch,
    items: Vec<Result<Entity, Failed>>,
) -> Result<BatchOutcome, NgsiError> {
    broker.write(tenant, cause, |lookup| {
        let mut outcome = BatchOutcome::default();
        // Later items see the earlier ones of the same batch.
        let mut pending: BTreeMap<String, Entity> = BTreeMap::new();
        let now = now();
        for item in items {
            let entity = match item {
                Ok(entity) => entity,
                Err(failed) => {
                    outcome.errors.push(failed);
                    continue;
                }
            };
            if let Err(error) = broker.check_id(&entity.id) {
                outcome.errors.push(Failed {
                    id: entity.id.clone(),
                    error,
                });
                continue;
            }
            let current: Option<Entity> = pending
                .get(&entity.id)
                .cloned()
                .or_else(|| lookup(&entity.id).map(|e: Arc<Entity>| (*e).clone()));
            let id = entity.id.clone();
            let result = match (op, current) {
                (Batch::Create, Some(_)) => Err(NgsiError::already_exists(format!(
                    "the entity {id} already exists"
                ))),
                (Batch::Create | Batch::Upsert { .. }, None) => {
                    if entity.types.is_empty() {
                        Err(NgsiError::bad_request(format!(
                            "the entity {id} has no type"
                        )))
                    } else {
                        outcome.created.insert(id.clone());
                        Ok(entity)
                    }
                }
                (Batch::Upsert { update: false }, Some(old)) => {
                    let mut new = entity;
                    new.created_at = old.created_at;
                    if new.types.is_empty() {
                        new.types = old.types;
                    }
                    Ok(new)
                }
                (Batch::Upsert { update: true }, Some(mut old)) => {
                    apply(
                        &mut old,
                        &entity,
                        Mode::Append {
                            no_overwrite: false,
                        },
                        &now,
                    );
                    Ok(old)
                }
                (Batch::Update { .. } | Batch::Merge, None) => {
                    Err(NgsiError::not_found(format!("there is no entity {id}")))
                }
                (Batch::Update { no_overwrite }, Some(mut old)) => {
                    apply(&mut old, &entity, Mode::Append { no_overwrite }, &now);
                    Ok(old)
                }
                (Batch::Merge, Some(mut old)) => {
                    apply(&mut old, &entity, Mode::Merge, &now);
                    Ok(old)
                }
            };
            match result {
                Ok(entity) => {
                    outcome.success.push(id.clone());
                    pending.insert(id, entity);
                }
                Err(error) => outcome.errors.push(Failed { id, error }),
            }
        }
        let puts = pending
            .into_iter()
            .map(|(id, entity)| Put {
                id,
                entity: Some(entity),
            })
            .collect();
        Ok((puts, outcome))
    })
}

/// `POST /entityOperations/delete`.
pub fn batch_delete(
    broker: &Broker,
    tenant: &str,
    cause: Cause,
    ids: Vec<String>,
) -> Result<BatchOutcome, NgsiError> {
    broker.write(tenant, cause, |lookup| {
        let mut outcome = BatchOutcome::default();
        let mut puts = Vec::new();
        let mut seen = HashSet::new();
        for id in ids {
            if lookup(&id).is_none() || !seen.insert(id.clone()) {
                outcome.errors.push(Failed {
                    error: NgsiError::new(
                        ErrorType::ResourceNotFound,
                        format!("there is no entity {id}"),
                    ),
                    id,
                });
                continue;
            }
            outcome.success.push(id.clone());
            puts.push(Put { id, entity: None });
        }
        Ok((puts, outcome))
    })
}
