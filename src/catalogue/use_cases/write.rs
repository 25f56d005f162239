//! Writes: a use case and everything under it replaced in one store transaction, with the
//! triples only the server writes (themes, distributions, catalogue record, `dct:modified`
//! when the client gave none). Harvested use cases are refused.

use crate::storage::describe::owned_quads;
use crate::storage::{Cause, StoreError, Tx};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term, TermRef,
};

use super::input::{Prepared, date_time};
use super::{Catalog, CatalogError};
use crate::core::ids::{UseCaseId, id_of, service_iri, sub_iri};
use crate::core::vocab as v;

/// What a put did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PutOutcome {
    pub id: UseCaseId,
    pub iri: NamedNode,
    pub created: bool,
}

pub(super) fn put(
    catalog: &Catalog,
    prepared: &Prepared,
    create_only: bool,
    now: &str,
    cause: Cause,
) -> Result<PutOutcome, CatalogError> {
    let graph = catalog.graph().as_ref();
    let iri = &prepared.iri;
    catalog.store().write(cause, |transaction| {
        refuse_harvested(transaction, graph, catalog, &prepared.id)?;
        let existed = exists(transaction, graph, iri)?;
        if existed && create_only {
            return Err(CatalogError::Exists(prepared.id.clone()));
        }
        let record = sub_iri(iri, "record");
        let issued = transaction
            .quads(
                Some(record.as_ref().into()),
                Some(v::DCT_ISSUED),
                None,
                Some(graph.into()),
            )
            .next()
            .transpose()?
            .map(|q| q.object);
        remove_all(transaction, graph, iri)?;
        let mut quads: Vec<Quad> = prepared
            .graph
            .iter()
            .map(|t| t.into_owned().in_graph(graph.into_owned()))
            .collect();
        server_triples(catalog, prepared, now, issued, &mut quads);
        for quad in &quads {
            transaction.insert(quad.as_ref())?;
        }
        Ok(PutOutcome {
            id: prepared.id.clone(),
            iri: iri.clone(),
            created: !existed,
        })
    })
}

pub(super) fn delete(
    catalog: &Catalog,
    id: &UseCaseId,
    iri: &NamedNode,
    cause: Cause,
) -> Result<(), CatalogError> {
    let graph = catalog.graph().as_ref();
    catalog.store().write(cause, |transaction| {
        refuse_harvested(transaction, graph, catalog, id)?;
        if !exists(transaction, graph, iri)? {
            return Err(CatalogError::NotFound(id.clone()));
        }
        remove_all(transaction, graph, iri)?;
        Ok(())
    })
}

fn exists(
    transaction: &Tx<'_>,
    graph: NamedNodeRef<'_>,
    iri: &NamedNode,
) -> Result<bool, StoreError> {
    Ok(transaction
        .quads(
            Some(iri.as_ref().into()),
            Some(rdf::TYPE),
            Some(v::USE_CASE.into()),
            Some(graph.into()),
        )
        .next()
        .transpose()?
        .is_some())
}

/// A use case with this `dct:identifier` whose record says where it was harvested from.
fn refuse_harvested(
    transaction: &Tx<'_>,
    graph: NamedNodeRef<'_>,
    catalog: &Catalog,
    id: &UseCaseId,
) -> Result<(), CatalogError> {
    let literal = Literal::new_simple_literal(id.as_str());
    let graph: GraphNameRef<'_> = graph.into();
    for quad in transaction.quads(
        None,
        Some(v::DCT_IDENTIFIER),
        Some(literal.as_ref().into()),
        Some(graph),
    ) {
        let subject = quad?.subject;
        if let NamedOrBlankNode::NamedNode(n) = &subject {
            if id_of(catalog.base(), n.as_str()).is_some() {
                continue;
            }
        }
        let subject_term = Term::from(subject);
        for record in transaction.quads(
            None,
            Some(v::FOAF_PRIMARY_TOPIC),
            Some(subject_term.as_ref()),
            Some(graph),
        ) {
            let record = record?.subject;
            if let Some(source) = transaction
                .quads(
                    Some(record.as_ref()),
                    Some(v::HARVESTED_FROM),
                    None,
                    Some(graph),
                )
                .next()
                .transpose()?
            {
                let source_catalog = match source.object {
                    Term::NamedNode(n) => n.into_string(),
                    other => other.to_string(),
                };
                return Err(CatalogError::Harvested {
                    id: id.clone(),
                    source_catalog,
                });
            }
        }
    }
    Ok(())
}

/// Removes the use case, its record and everything they own.
fn remove_all(
    transaction: &mut Tx<'_>,
    graph: NamedNodeRef<'_>,
    iri: &NamedNode,
) -> Result<(), StoreError> {
    let roots = vec![iri.clone().into(), sub_iri(iri, "record").into()];
    for quad in owned_quads(transaction, graph.into(), roots)? {
        transaction.remove(&quad)?;
    }
    Ok(())
}

fn server_triples(
    catalog: &Catalog,
    prepared: &Prepared,
    now: &str,
    issued: Option<Term>,
    quads: &mut Vec<Quad>,
) {
    let graph = catalog.graph().clone();
    let base = catalog.base();
    let iri = &prepared.iri;
    let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, graph.clone()));
    };
    let described = &prepared.graph;
    for vertical in described.objects_for_subject_predicate(iri, v::VERTICAL) {
        add(iri, v::DCAT_THEME, vertical.into_owned());
    }
    if described
        .object_for_subject_predicate(iri, v::DCT_MODIFIED)
        .is_none()
    {
        add(iri, v::DCT_MODIFIED, date_time(now).into());
    }
    let license = described
        .object_for_subject_predicate(iri, v::DCT_LICENSE)
        .map(TermRef::into_owned);
    let service = service_iri(base);
    let text = |s: &str| Term::from(Literal::new_language_tagged_literal_unchecked(s, "en"));
    let node = |s: String| Term::from(NamedNode::new_unchecked(s));
    let store_distribution = sub_iri(iri, "distribution/graph-store");
    let sparql_distribution = sub_iri(iri, "distribution/sparql");
    for (distribution, title, url) in [
        (
            &store_distribution,
            "Named graphs (Graph Store Protocol)",
            base.join("store"),
        ),
        (&sparql_distribution, "SPARQL endpoint", base.join("query")),
    ] {
        add(iri, v::DCAT_DISTRIBUTION_P, distribution.clone().into());
        add(distribution, rdf::TYPE, v::DCAT_DISTRIBUTION.into());
        add(distribution, v::DCT_TITLE, text(title));
        add(distribution, v::DCAT_ACCESS_URL, node(url));
        add(distribution, v::DCAT_ACCESS_SERVICE, service.clone().into());
        if let Some(license) = &license {
            add(distribution, v::DCT_LICENSE, license.clone());
        }
    }
    add(
        &store_distribution,
        v::DCAT_MEDIA_TYPE,
        v::TURTLE_MEDIA_TYPE.into_owned().into(),
    );
    let record = sub_iri(iri, "record");
    add(&record, rdf::TYPE, v::DCAT_CATALOG_RECORD.into());
    add(&record, v::FOAF_PRIMARY_TOPIC, iri.clone().into());
    add(
        &record,
        v::DCT_ISSUED,
        issued.unwrap_or_else(|| date_time(now).into()),
    );
    add(&record, v::DCT_MODIFIED, date_time(now).into());
}
