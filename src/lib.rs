//! phpmailfix: find and fix PHP code whose mail leaves without an envelope
//! sender. See `DESIGN.md` in the shared folder for the pipeline:
//! walk → prefilter → parse → analyze → findings → report.

pub mod analyze;
pub mod apply;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diff;
pub mod finding;
pub mod fix;
pub mod library;
pub mod model;
pub mod php_value;
pub mod prefilter;
pub mod report;
pub mod rewrite;
pub mod rules;
pub mod scan;
pub mod sender;
pub mod source;
pub mod suppress;
pub mod trace;
pub mod walk;
pub mod wordpress;
