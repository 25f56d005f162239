//! Start-up writes: the shipped use cases (`usecases/*.ttl`, compiled in) added once each —
//! a mark in `graph/catalog-seeds` remembers it, so one a steward deleted is not added back —
//! and the catalogue and data-service descriptions, replaced on every start.

use oxigraph::model::vocab::rdf;
use oxigraph::model::{Literal, NamedNode, NamedNodeRef, Quad, QuadRef, Term};

use super::input::{InputSyntax, date_time};
use super::{Catalog, CatalogError};
use crate::core::ids::{UseCaseId, catalog_iri, service_iri, use_case_iri};
use crate::core::vocab as v;
use crate::storage::{Cause, Origin};

/// The shipped use cases: (file name, Turtle written relative to the base IRI).
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "bogota-traffic-flow.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/bogota-traffic-flow.ttl"
        )),
    ),
    (
        "cusco-highland-farm-weather.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/cusco-highland-farm-weather.ttl"
        )),
    ),
    (
        "dakar-clinic-cold-chain.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/dakar-clinic-cold-chain.ttl"
        )),
    ),
    (
        "dar-es-salaam-water-loss.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/dar-es-salaam-water-loss.ttl"
        )),
    ),
    (
        "kasese-village-solar-water.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/kasese-village-solar-water.ttl"
        )),
    ),
    (
        "kisumu-air-quality.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/kisumu-air-quality.ttl"
        )),
    ),
    (
        "lyon-public-buildings-comfort.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/lyon-public-buildings-comfort.ttl"
        )),
    ),
    (
        "marikina-flood-early-warning.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/marikina-flood-early-warning.ttl"
        )),
    ),
    (
        "mekong-shrimp-pond-monitoring.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/mekong-shrimp-pond-monitoring.ttl"
        )),
    ),
    (
        "montevideo-open-sensor-data.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/montevideo-open-sensor-data.ttl"
        )),
    ),
    (
        "porto-public-lighting-energy.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/porto-public-lighting-energy.ttl"
        )),
    ),
    (
        "pune-factory-energy-monitoring.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/pune-factory-energy-monitoring.ttl"
        )),
    ),
    (
        "quito-classroom-air.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/quito-classroom-air.ttl"
        )),
    ),
    (
        "rotterdam-noise-traffic-twin.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/rotterdam-noise-traffic-twin.ttl"
        )),
    ),
    (
        "seoul-citiverse-environment-layer.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/seoul-citiverse-environment-layer.ttl"
        )),
    ),
    (
        "sofia-citizen-science-air.ttl",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/usecases/sofia-citizen-science-air.ttl"
        )),
    ),
];

/// What seeding did, for the start-up log.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub added: Vec<String>,
    /// Seeded on an earlier start (present, or deleted since).
    pub already: Vec<String>,
}

impl Catalog {
    /// Adds each shipped use case not seeded before; the id is the file name without `.ttl`.
    /// A shipped file that does not validate is a build defect: start-up fails and says which.
    pub fn seed(&self, mapping_exists: &dyn Fn(&str) -> bool) -> Result<SeedReport, CatalogError> {
        let mut report = SeedReport::default();
        for (file, text) in SHIPPED {
            let stem = file.trim_end_matches(".ttl");
            let id = UseCaseId::parse(stem).map_err(|e| CatalogError::Shipped {
                file: (*file).to_owned(),
                message: e.to_string(),
            })?;
            let iri = use_case_iri(self.base(), &id);
            if self.seeded(&iri)? {
                report.already.push(stem.to_owned());
                continue;
            }
            let prepared = self
                .prepare(text, InputSyntax::Turtle, Some(&id), mapping_exists)
                .map_err(|e| CatalogError::Shipped {
                    file: (*file).to_owned(),
                    message: match e {
                        CatalogError::Invalid { problems } => problems
                            .iter()
                            .map(|p| {
                                format!(
                                    "{} ({} {})",
                                    p.message,
                                    p.focus_node.as_deref().unwrap_or(""),
                                    p.path.as_deref().unwrap_or("")
                                )
                            })
                            .collect::<Vec<_>>()
                            .join("; "),
                        other => other.to_string(),
                    },
                })?;
            match self.put(&prepared, true, Cause::service(Origin::UseCases)) {
                Ok(_) => report.added.push(stem.to_owned()),
                // A steward (or a harvest) made one with this id first: theirs stays.
                Err(CatalogError::Exists(_) | CatalogError::Harvested { .. }) => {
                    report.already.push(stem.to_owned());
                }
                Err(e) => return Err(e),
            }
            let seeded_at = date_time(&crate::core::clock::now());
            self.store()
                .write(Cause::service(Origin::UseCases), |transaction| {
                    transaction.insert(QuadRef::new(&iri, v::SEEDED_AT, &seeded_at, &self.seeds))
                })?;
        }
        Ok(report)
    }

    fn seeded(&self, iri: &NamedNode) -> Result<bool, CatalogError> {
        Ok(self
            .store()
            .quads(
                Some(iri.as_ref().into()),
                Some(v::SEEDED_AT),
                None,
                Some(self.seeds.as_ref().into()),
            )
            .next()
            .transpose()?
            .is_some())
    }

    /// Replaces the `dcat:Catalog` and `dcat:DataService` descriptions (written on every start,
    /// so a changed base IRI or wording takes effect). The per-dataset links are the feed's.
    pub fn describe_catalog(&self) -> Result<(), CatalogError> {
        let base = self.base();
        let graph = self.graph().clone();
        let catalog = catalog_iri(base);
        let publisher = NamedNode::new_unchecked(base.join("id/catalog/publisher"));
        let service = service_iri(base);
        let en = |s: &str| Term::from(Literal::new_language_tagged_literal_unchecked(s, "en"));
        let node = |s: String| Term::from(NamedNode::new_unchecked(s));
        let mut quads = Vec::new();
        let mut add = |s: &NamedNode, p: NamedNodeRef<'_>, o: Term| {
            quads.push(Quad::new(s.clone(), p, o, graph.clone()));
        };
        add(&catalog, rdf::TYPE, v::DCAT_CATALOG.into());
        add(&catalog, v::DCT_TITLE, en("citykg IoT use-case catalogue"));
        add(
            &catalog,
            v::DCT_DESCRIPTION,
            en(
                "IoT use cases for smart sustainable cities and communities (ITU-T Resolution 98), each tied to the vendor-format mappings, ontology modules and U4SSC KPIs that serve it, with its data served through SPARQL and the Graph Store Protocol.",
            ),
        );
        add(&catalog, v::DCT_PUBLISHER, publisher.clone().into());
        add(&catalog, v::DCAT_SERVICE, service.clone().into());
        add(&catalog, v::DCT_LANGUAGE, v::ENGLISH.into_owned().into());
        add(&catalog, v::FOAF_HOMEPAGE, node(base.join("")));
        add(&publisher, rdf::TYPE, v::FOAF_AGENT.into());
        add(
            &publisher,
            v::FOAF_NAME,
            en(&format!("citykg at {}", base.as_str())),
        );
        add(&service, rdf::TYPE, v::DCAT_DATA_SERVICE.into());
        add(&service, v::DCT_TITLE, en("citykg SPARQL 1.1 endpoint"));
        add(&service, v::DCAT_ENDPOINT_URL, node(base.join("query")));
        add(
            &service,
            v::DCAT_ENDPOINT_DESCRIPTION,
            node(base.join("query")),
        );
        self.store()
            .write(Cause::service(Origin::UseCases), |transaction| {
                for subject in [&catalog, &publisher, &service] {
                    let old: Vec<Quad> = transaction
                        .quads(
                            Some(subject.as_ref().into()),
                            None,
                            None,
                            Some(graph.as_ref().into()),
                        )
                        .collect::<Result<_, _>>()?;
                    for quad in &old {
                        transaction.remove(quad.as_ref())?;
                    }
                }
                for quad in &quads {
                    transaction.insert(quad.as_ref())?;
                }
                Ok(())
            })
    }
}
