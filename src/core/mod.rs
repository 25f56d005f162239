//! The domain core, a leaf every other module may use: identifiers and the IRIs minted from
//! them, and the clock.

pub mod clock;
pub mod ids;
