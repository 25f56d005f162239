//! GREL functions (FnO descriptions of OpenRefine's expression language), one file per family;
//! `date_toDate` is with the other date functions in `date`.

pub(super) mod arrays;
mod escape;
pub(super) mod logic;
pub(super) mod math;
pub(super) mod strings;
