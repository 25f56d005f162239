//! The use-case catalogue of Resolution 98: `use_cases` (validated DCAT datasets in
//! `graph/catalog`), their `assessment` (DQV measurements computed from the data), the DCAT-AP
//! `feed` other portals harvest, the `harvest` of other catalogues, and use-case `kits`.

pub mod assessment;
pub mod feed;
pub mod harvest;
pub mod kits;
pub mod use_cases;
