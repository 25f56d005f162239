//! The RDF dataset of a request: SPARQL 1.1 Protocol `default-graph-uri` / `named-graph-uri`
//! (and `using-graph-uri` / `using-named-graph-uri` for updates) over citykg's default, where
//! the default graph is the union of all graphs.

use super::SparqlError;
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::QueryDataset;

/// The dataset IRIs a request gave through protocol parameters, already checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProtocolDataset {
    pub default_graphs: Vec<NamedNode>,
    pub named_graphs: Vec<NamedNode>,
}

impl ProtocolDataset {
    /// Parses the values of the default-graph and named-graph parameters.
    pub fn parse(
        (default_name, defaults): (&'static str, &[String]),
        (named_name, named): (&'static str, &[String]),
    ) -> Result<Self, SparqlError> {
        Ok(Self {
            default_graphs: parse_iris(default_name, defaults)?,
            named_graphs: parse_iris(named_name, named)?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.default_graphs.is_empty() && self.named_graphs.is_empty()
    }

    /// Sets `dataset` as the protocol says: protocol parameters win over FROM / FROM NAMED;
    /// without either, the default graph is the union of all graphs.
    pub fn apply(&self, dataset: &mut QueryDataset, query_has_own_dataset: bool) {
        if !self.is_empty() {
            dataset.set_default_graph(
                self.default_graphs
                    .iter()
                    .cloned()
                    .map(GraphName::from)
                    .collect(),
            );
            dataset.set_available_named_graphs(
                self.named_graphs
                    .iter()
                    .cloned()
                    .map(NamedOrBlankNode::from)
                    .collect(),
            );
        } else if !query_has_own_dataset {
            dataset.set_default_graph_as_union();
        }
    }
}

fn parse_iris(parameter: &'static str, values: &[String]) -> Result<Vec<NamedNode>, SparqlError> {
    values
        .iter()
        .map(|value| {
            NamedNode::new(value.as_str()).map_err(|_| SparqlError::BadGraphIri {
                parameter,
                value: value.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_parameters_must_be_absolute_iris() {
        let ok = ProtocolDataset::parse(
            ("default-graph-uri", &["http://example.com/g".to_owned()]),
            ("named-graph-uri", &[]),
        )
        .unwrap();
        assert_eq!(ok.default_graphs.len(), 1);
        assert!(!ok.is_empty());
        let err = ProtocolDataset::parse(
            ("default-graph-uri", &["not an iri".to_owned()]),
            ("named-graph-uri", &[]),
        );
        assert!(matches!(
            err,
            Err(SparqlError::BadGraphIri {
                parameter: "default-graph-uri",
                ..
            })
        ));
    }

    #[test]
    fn no_parameters_means_the_union_default_graph() {
        let mut dataset = QueryDataset::new();
        ProtocolDataset::default().apply(&mut dataset, false);
        assert!(dataset.default_graph_graphs().is_none());
        let mut own = QueryDataset::new();
        ProtocolDataset::default().apply(&mut own, true);
        assert_eq!(
            own.default_graph_graphs(),
            Some(&[GraphName::DefaultGraph][..])
        );
    }
}
