//! Parallax core: the data model and the pure analysis stages.
//!
//! The pipeline, one module per stage, each with one entry point over [`model`] types:
//!
//! ```text
//! ArticleInput --clean::clean--> Document (metadata, boilerplate, paragraphs, sentences)
//!   --entities::detect--> Vec<Mention>        --time::tag--> Vec<TimeExpr>
//!   --claims::annotate--> sentence status, framing
//!   --stories::group--> Grouping (stories, duplicates)
//!   --entities::resolve--> Vec<Entity>        --time::anchor_through_stories
//!   --stories::align--> claims + timeline per story
//! ```
//!
//! [`pipeline::analyze`] runs them in that order. No function in this crate performs I/O.

pub mod claims;
pub mod clean;
pub mod embed;
pub mod entities;
pub mod model;
pub mod pipeline;
pub mod segment;
pub mod stories;
pub mod text;
pub mod time;

pub use model::*;
pub use pipeline::{analyze, Options};
