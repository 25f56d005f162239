//! The registry mirrored as RDF into `{base}graph/mappings`, for SPARQL: one `citykg:Mapping`
//! resource per mapping (`{base}mappings/{id}`) and one per version (`.../versions/{n}`, linked
//! with `dcterms:hasVersion`). A mapping's part is rewritten whole, in one transaction.

use crate::core::ids::{mapping_iri, mapping_version_iri};
use crate::storage::{Cause, Origin, Storage, StoreError, Tx};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};

use super::meta::{MappingMeta, VersionMeta};
use crate::core::config::BaseIri;
use crate::core::ids::MappingId;
use crate::core::vocab::registry as ck;
use crate::core::vocab::{self as v, SOURCE_SHA256};
use crate::pipeline::ingest::model::ValidationPolicy;

/// What to write: mappings whose part is replaced, and ids whose part is removed.
pub struct Mirror<'a> {
    /// Who changed the registry (`citykg` at start).
    pub agent: &'a str,
    pub graph: &'a NamedNode,
    pub base: &'a BaseIri,
    pub write: &'a [&'a MappingMeta],
    pub remove: &'a [&'a MappingId],
    /// Drop the whole graph first (at start: the files are the truth).
    pub reset: bool,
}

pub fn apply(store: &Storage, change: &Mirror<'_>) -> Result<(), StoreError> {
    let graph = GraphName::NamedNode(change.graph.clone());
    let mut quads = Vec::new();
    for meta in change.write {
        describe(change.base, meta, &graph, &mut quads);
    }
    let mappings = change
        .remove
        .iter()
        .map(|id| (*id).clone())
        .chain(change.write.iter().map(|m| m.id.clone()))
        .collect();
    let cause = Cause::new(change.agent, Origin::Registry { mappings });
    store.write(cause, |transaction| {
        write(transaction, change, &graph, &quads)
    })
}

fn write(
    transaction: &mut Tx<'_>,
    change: &Mirror<'_>,
    graph: &GraphName,
    quads: &[Quad],
) -> Result<(), StoreError> {
    if change.reset {
        transaction.clear_graph(change.graph)?;
    } else {
        for id in change
            .remove
            .iter()
            .copied()
            .chain(change.write.iter().map(|m| &m.id))
        {
            let subject = mapping_iri(change.base, id);
            let mut subjects = vec![NamedOrBlankNode::from(subject.clone())];
            for quad in transaction.quads(
                Some(subject.as_ref().into()),
                Some(v::DCT_HAS_VERSION),
                None,
                Some(graph.as_ref()),
            ) {
                if let Term::NamedNode(version) = quad?.object {
                    subjects.push(version.into());
                }
            }
            for subject in &subjects {
                let old: Vec<Quad> = transaction
                    .quads(Some(subject.as_ref()), None, None, Some(graph.as_ref()))
                    .collect::<Result<_, _>>()?;
                for quad in &old {
                    transaction.remove(quad.as_ref())?;
                }
            }
        }
    }
    for quad in quads {
        transaction.insert(quad.as_ref())?;
    }
    Ok(())
}

fn describe(base: &BaseIri, meta: &MappingMeta, graph: &GraphName, quads: &mut Vec<Quad>) {
    let subject = mapping_iri(base, &meta.id);
    let mut add = |s: &NamedNode, p: oxigraph::model::NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, graph.clone()));
    };
    let date = |text: &str| Term::from(Literal::new_typed_literal(text, xsd::DATE_TIME));
    add(&subject, rdf::TYPE, ck::MAPPING.into());
    add(
        &subject,
        v::DCT_IDENTIFIER,
        Literal::from(meta.id.as_str()).into(),
    );
    add(&subject, v::DCT_CREATED, date(&meta.created));
    add(&subject, v::DCT_MODIFIED, date(&meta.updated));
    if meta.read_only {
        add(&subject, ck::READ_ONLY, Literal::from(true).into());
    }
    if let Some(latest) = meta.latest() {
        add(
            &subject,
            ck::MAPPING_VERSION,
            Literal::from(i64::from(latest.version)).into(),
        );
        add(
            &subject,
            v::DCT_CREATOR,
            Literal::from(latest.author.as_str()).into(),
        );
        settings(&subject, latest, &mut add);
    }
    for version in &meta.versions {
        let v = mapping_version_iri(base, &meta.id, version.version);
        add(&subject, v::DCT_HAS_VERSION, v.clone().into());
        add(&v, rdf::TYPE, ck::MAPPING.into());
        add(&v, v::DCT_IS_VERSION_OF, subject.clone().into());
        add(
            &v,
            v::DCT_IDENTIFIER,
            Literal::from(meta.id.as_str()).into(),
        );
        add(
            &v,
            ck::MAPPING_VERSION,
            Literal::from(i64::from(version.version)).into(),
        );
        add(&v, v::DCT_CREATED, date(&version.created));
        add(
            &v,
            v::DCT_CREATOR,
            Literal::from(version.author.as_str()).into(),
        );
        add(
            &v,
            v::DCT_FORMAT,
            Literal::from(version.syntax.media_type()).into(),
        );
        add(
            &v,
            SOURCE_SHA256,
            Literal::from(version.sha256.as_str()).into(),
        );
        settings(&v, version, &mut add);
    }
}

fn settings(
    subject: &NamedNode,
    version: &VersionMeta,
    add: &mut impl FnMut(&NamedNode, oxigraph::model::NamedNodeRef<'_>, Term),
) {
    match version.validation {
        ValidationPolicy::Reject => add(subject, ck::VALIDATION_POLICY, ck::REJECT_INVALID.into()),
        ValidationPolicy::Warn => add(
            subject,
            ck::VALIDATION_POLICY,
            ck::ACCEPT_WITH_REPORT.into(),
        ),
        ValidationPolicy::None => {}
    }
    if let Ok(target) = NamedNode::new(version.target_graph.as_str()) {
        add(subject, ck::TARGET_GRAPH, target.into());
    }
}
