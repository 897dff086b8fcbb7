//! What the texts contain, recognised once for every consumer: numbers, romanised names,
//! word units and the word associations learned from an alignment. The signals
//! (`score/`) compare these across a bead and the glossary lists them; nothing here knows
//! about either.

pub mod associations;
pub mod corpus;
pub mod names;
pub mod numbers;
pub mod units;
