//! SHACL Core validation (W3C Shapes Constraint Language, sections 2–4; no SHACL-SPARQL).
//!
//! A shapes graph is compiled once into [`Shapes`] ([`Shapes::parse`], [`Shapes::from_turtle`]),
//! which reports every ill-formed shape. [`validate`] then checks any data graph that implements
//! [`DataGraph`] — an in-memory [`oxigraph::model::Graph`], or a graph of an oxigraph store read
//! in place through [`StoreGraph`] — and returns a [`ValidationReport`], which can be written as
//! the standard `sh:ValidationReport` RDF or summarised as JSON.
//!
//! This module knows nothing of HTTP, the CLI or ingest; it never writes to a store.

mod data;
mod error;
mod literal;
mod model;
mod parse;
mod path;
mod pattern;
mod report;
pub mod shipped;
mod validate;
pub mod vocab;

#[cfg(test)]
mod tests;

pub use data::{DataGraph, GraphScope, StoreGraph};
pub use error::{ListProblem, PathProblem, ProblemKind, ShapeProblem, ShapesError};
pub use model::{
    Constraint, LogicalKind, NodeKind, PairKind, Qualified, RangeKind, Severity, Shape, ShapeId,
    Shapes, Target,
};
pub use path::Path;
pub use report::{ReportSummary, ValidationReport, ValidationResult};
pub use validate::{validate, validate_until};
