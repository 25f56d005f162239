//! Measurements as DQV in `graph/catalog` (the shared model): `<uc/measurement/{metric}>` nodes,
//! linked from the use case with `dqv:hasQualityMeasurement`, written whole in one transaction
//! that first removes the use case's previous ones; and read back for comparison.

use crate::storage::{Cause, Origin, Storage, StoreError, Tx};
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Quad, Term,
};

use super::measure::{Assessment, Measurement, Value};
use super::rubric::{Datatype, Level, Metric};
use crate::core::config::BaseIri;
use crate::core::graphs::catalog_graph;
use crate::core::vocab as v;

/// `{uc}/measurement/{metric}`.
pub fn measurement_iri(use_case: &str, metric: Metric) -> NamedNode {
    NamedNode::new_unchecked(format!("{use_case}/measurement/{}", metric.name()))
}

fn literal(value: &Value) -> Literal {
    let datatype = match value {
        Value::Decimal(_) => xsd::DECIMAL,
        Value::Integer(_) => xsd::INTEGER,
        Value::Boolean(_) => xsd::BOOLEAN,
    };
    Literal::new_typed_literal(value.lexical(), datatype)
}

/// The quads of `assessment` in `graph`.
pub fn quads(assessment: &Assessment, graph: &NamedNode) -> Vec<Quad> {
    let graph = GraphName::NamedNode(graph.clone());
    let use_case = NamedNode::new_unchecked(assessment.use_case.as_str());
    let generated = Literal::new_typed_literal(assessment.generated.as_str(), xsd::DATE_TIME);
    let mut quads = Vec::new();
    for m in &assessment.measurements {
        let node = measurement_iri(&assessment.use_case, m.metric);
        let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s.clone(), p, o, graph.clone()));
        };
        add(
            &use_case,
            v::DQV_HAS_QUALITY_MEASUREMENT,
            node.clone().into(),
        );
        add(&node, rdf::TYPE, v::DQV_QUALITY_MEASUREMENT.into());
        add(&node, v::DQV_COMPUTED_ON, use_case.clone().into());
        add(
            &node,
            v::DQV_IS_MEASUREMENT_OF,
            NamedNode::new_unchecked(m.metric.iri()).into(),
        );
        add(&node, v::DQV_VALUE, literal(&m.value).into());
        add(
            &node,
            v::LEVEL,
            NamedNode::new_unchecked(m.level.iri()).into(),
        );
        add(&node, v::PROV_GENERATED_AT_TIME, generated.clone().into());
    }
    quads
}

/// Replaces the stored measurements of `assessment.use_case` in one transaction. When the use
/// case is gone from the catalogue by then (deleted while this was computed), its measurements
/// are only removed: an assessment never brings a deleted use case back.
pub fn replace(
    store: &Storage,
    base: &BaseIri,
    assessment: &Assessment,
) -> Result<bool, StoreError> {
    let catalog = catalog_graph(base);
    let use_case = NamedNode::new_unchecked(assessment.use_case.as_str());
    let new = quads(assessment, &catalog);
    store.write(Cause::service(Origin::Assessment), |transaction| {
        let graph = GraphNameRef::NamedNode(catalog.as_ref());
        let exists = transaction.contains(oxigraph::model::QuadRef::new(
            &use_case,
            rdf::TYPE,
            v::USE_CASE,
            graph,
        ))?;
        let old = old_quads(transaction, &use_case, graph)?;
        for quad in &old {
            transaction.remove(quad.as_ref())?;
        }
        if exists {
            for quad in &new {
                transaction.insert(quad.as_ref())?;
            }
        }
        Ok(exists)
    })
}

/// Removes every stored measurement of `use_case` (for the catalogue's delete).
pub fn remove(store: &Storage, base: &BaseIri, use_case: &NamedNode) -> Result<(), StoreError> {
    let catalog = catalog_graph(base);
    store.write(Cause::service(Origin::Assessment), |transaction| {
        let old = old_quads(
            transaction,
            use_case,
            GraphNameRef::NamedNode(catalog.as_ref()),
        )?;
        for quad in &old {
            transaction.remove(quad.as_ref())?;
        }
        Ok(())
    })
}

/// The links to the use case's measurements and the measurement nodes' triples: nodes that are
/// `dqv:computedOn` it, or that it links to.
fn old_quads(
    transaction: &Tx<'_>,
    use_case: &NamedNode,
    graph: GraphNameRef<'_>,
) -> Result<Vec<Quad>, StoreError> {
    let mut nodes: Vec<NamedOrBlankNode> = Vec::new();
    let mut quads = Vec::new();
    for quad in transaction.quads(
        Some(use_case.as_ref().into()),
        Some(v::DQV_HAS_QUALITY_MEASUREMENT),
        None,
        Some(graph),
    ) {
        let quad = quad?;
        if let Some(node) = as_subject(&quad.object) {
            nodes.push(node);
        }
        quads.push(quad);
    }
    for quad in transaction.quads(
        None,
        Some(v::DQV_COMPUTED_ON),
        Some(use_case.as_ref().into()),
        Some(graph),
    ) {
        let subject = quad?.subject;
        if !nodes.contains(&subject) {
            nodes.push(subject);
        }
    }
    for node in &nodes {
        for quad in transaction.quads(Some(node.as_ref()), None, None, Some(graph)) {
            quads.push(quad?);
        }
    }
    Ok(quads)
}

fn as_subject(term: &Term) -> Option<NamedOrBlankNode> {
    match term {
        Term::NamedNode(n) => Some(n.clone().into()),
        Term::BlankNode(b) => Some(b.clone().into()),
        _ => None,
    }
}

/// The stored assessment of `use_case`, if it has one (measurements of unknown metrics or with
/// unreadable values are skipped).
pub fn read(
    store: &Storage,
    base: &BaseIri,
    use_case: &NamedNode,
) -> Result<Option<Assessment>, StoreError> {
    let catalog = catalog_graph(base);
    let graph = Some(GraphNameRef::NamedNode(catalog.as_ref()));
    let mut measurements = Vec::new();
    let mut generated = String::new();
    for quad in store.quads(
        None,
        Some(v::DQV_COMPUTED_ON),
        Some(use_case.as_ref().into()),
        graph,
    ) {
        let node = quad?.subject;
        let (mut metric, mut value, mut level) = (None, None, None);
        for quad in store.quads(Some(node.as_ref()), None, None, graph) {
            let quad = quad?;
            let p = quad.predicate.as_ref();
            match quad.object {
                Term::NamedNode(o) if p == v::DQV_IS_MEASUREMENT_OF => {
                    metric = Metric::from_iri(o.as_str());
                }
                Term::NamedNode(o) if p == v::LEVEL => level = Level::from_iri(o.as_str()),
                Term::Literal(l) if p == v::DQV_VALUE => value = Some(l),
                Term::Literal(l)
                    if p == v::PROV_GENERATED_AT_TIME && l.value() > generated.as_str() =>
                {
                    generated = l.value().to_owned();
                }
                _ => {}
            }
        }
        let (Some(metric), Some(value), Some(level)) = (metric, value, level) else {
            continue;
        };
        let value = match metric.datatype() {
            Datatype::Decimal => value.value().parse().ok().map(Value::Decimal),
            Datatype::Integer => value.value().parse().ok().map(Value::Integer),
            Datatype::Boolean => match value.value() {
                "true" | "1" => Some(Value::Boolean(true)),
                "false" | "0" => Some(Value::Boolean(false)),
                _ => None,
            },
        };
        if let Some(value) = value {
            measurements.push(Measurement {
                metric,
                value,
                level,
                of: None,
            });
        }
    }
    if measurements.is_empty() {
        return Ok(None);
    }
    Ok(Some(Assessment::new(
        use_case.as_str().to_owned(),
        generated,
        measurements,
    )))
}
