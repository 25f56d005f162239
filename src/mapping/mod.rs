//! Mapping documents -> one checked model. RML-Core, legacy RML and YARRRML parse into
//! [`model::Mapping`]; see ARCHITECTURE.md for the passes.

pub mod canonical;
pub mod model;
pub mod yarrrml;
