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

pub mod article;
pub mod budget;
pub mod claims;
pub mod clean;
pub mod corpus;
pub mod embed;
pub mod entities;
pub mod language;
pub mod model;
pub mod pipeline;
pub mod segment;
pub mod stories;
pub mod text;
pub mod time;

pub use article::{analyze_article, Article, ANALYZER_VERSION};
pub use corpus::{Corpus, StoryAnalysis};
pub use model::*;
pub use pipeline::{analyze, analyze_batch, Analysis, Options};
