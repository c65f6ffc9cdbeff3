//! The team lead's operations on what the field sent: [`decide`] (approve
//! or return a shift) and [`screen_scan`] (the anonymity screen over
//! stored text, and redacting what it finds).

pub mod decide;
pub mod screen_scan;
