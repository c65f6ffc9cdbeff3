//! The phones' sync path, in the order a phone meets it: [`token`] (device
//! bearer tokens and one-time codes), [`enrol`], [`apply`] (a pushed
//! batch), [`pull`] (a page of what changed) and [`recover`] (what a phone
//! reports after the server went back to a backup).

pub mod apply;
pub mod enrol;
pub mod pull;
pub mod recover;
pub mod token;
