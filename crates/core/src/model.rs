//! The plain data types that flow between stages and make up the public JSON report.
//!
//! Every type here is serde-serialisable and carries a JSON Schema (`parallax schema`), because
//! the JSON report is a public interface: fields may be added, never renamed. Unknown values are
//! `None` (serialised as `null`), never empty strings. Offsets are byte offsets into
//! [`Document::text`], always on `char` boundaries, with `start <= end`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Version of the JSON report layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: &str = "1";

/// Metadata known about an article. Every field is optional: a missing value is unknown.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Metadata {
    pub title: Option<String>,
    pub author: Option<String>,
    /// ISO 8601 date (`YYYY-MM-DD`), or a full timestamp when the source gives one.
    pub published: Option<String>,
    pub outlet: Option<String>,
    /// BCP 47 language tag, e.g. `en`.
    pub language: Option<String>,
    pub url: Option<String>,
}

/// Where an article's body text came from; decides which cleaning rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// Plain text or Markdown: title, byline and dateline are found in the text itself.
    Text,
    /// Main text extracted from HTML: metadata came from the page.
    Html,
    /// A JSON record: metadata came from its fields.
    Json,
}

/// One article as ingest hands it to the core: decoded, NFC-normalised text and what is already
/// known about it. Produced at the I/O edge (`parallax-ingest`), consumed by [`crate::clean`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArticleInput {
    /// Stable document id, unique in a run (file stem, `#n` suffix for JSONL records).
    pub id: String,
    /// Path or URL the article was read from (with `:line` for JSONL records).
    pub source: String,
    pub kind: InputKind,
    /// Body text; paragraphs are separated by blank lines.
    pub body: String,
    /// Metadata already known (page meta tags, JSON fields); cleaning fills only the gaps.
    pub hints: Metadata,
    /// Text already removed as boilerplate upstream (HTML navigation, footers).
    pub boilerplate: Vec<String>,
}

/// A cleaned, segmented and annotated article: the unit every later stage reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    pub id: String,
    pub source: String,
    pub title: Option<String>,
    pub author: Option<String>,
    /// ISO date `YYYY-MM-DD` (or timestamp) of publication; `null` when the article has none.
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub language: Option<String>,
    pub url: Option<String>,
    /// Strings removed from the article as boilerplate (footers, link stubs, share bars).
    pub boilerplate: Vec<String>,
    /// The cleaned body text; all offsets in this document point into it.
    pub text: String,
    pub word_count: usize,
    pub paragraphs: Vec<Paragraph>,
    /// How loaded the outlet's language is in this article; filled by the claims stage.
    pub framing: Option<Framing>,
    /// Set when this article is a (near-)copy of an earlier one.
    pub duplicate_of: Option<DuplicateLink>,
    /// Where the analysis of this article was bounded (sentences cut for length, stages left
    /// out over the time budget); empty for ordinary articles.
    #[serde(default)]
    pub limits: Limits,
}

/// Where the analysis of one article was bounded, so that any input costs time in proportion
/// to its length and one article cannot stall a batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Limits {
    /// Ids of the pieces of sentences that ran over the length cap (1,000 words or 24 KiB) and
    /// were cut for analysis at a clause mark or between words, in reading order.
    pub split_sentences: Vec<String>,
    /// Stages left out because the article ran over its time budget, in pipeline order:
    /// `entities`, `time`, `claims` (the article's own analysis) and `stories` (it is then in
    /// no story). The article's text and sentences are still in the report.
    pub not_computed: Vec<String>,
}

impl Limits {
    pub fn is_empty(&self) -> bool {
        self.split_sentences.is_empty() && self.not_computed.is_empty()
    }
}

impl Document {
    /// All sentences in reading order.
    pub fn sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.paragraphs.iter().flat_map(|p| p.sentences.iter())
    }

    pub fn sentences_mut(&mut self) -> impl Iterator<Item = &mut Sentence> {
        self.paragraphs
            .iter_mut()
            .flat_map(|p| p.sentences.iter_mut())
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub sentences: Vec<Sentence>,
}

/// What a sentence does, in the outlet's voice or someone else's.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The outlet's own factual voice.
    Reported,
    /// Someone else's claim passed on (`source` names who).
    Attributed,
    /// Hedged or conjectural (`markers` names the hedges).
    Speculation,
    /// Evaluative or normative language in the outlet's own voice.
    Opinion,
    /// A direct quote (`speaker` names who).
    Quote,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Reported => "reported",
            Status::Attributed => "attributed",
            Status::Speculation => "speculation",
            Status::Opinion => "opinion",
            Status::Quote => "quote",
        }
    }
}

/// A speaker or source as written, resolved to an entity id when one matches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Attribution {
    pub text: String,
    pub entity: Option<String>,
    /// The side the article gives this speaker where it introduces them: a party ("D-Ohio" ->
    /// `Democrat`), the body they speak for ("a spokeswoman for the mayor" -> `mayor`'s name),
    /// or the organisation in their title ("Harbor Union President Al Roe" -> `Harbor Union`).
    /// Carried to later mentions by name ("Roe said").
    #[serde(default)]
    pub affiliation: Option<String>,
}

/// A loaded (non-neutral) term found in a sentence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LoadedSpan {
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// Lexicon category: `ideological`, `emotive`, `intensifier`, `euphemism`, `judgement`, ...
    pub category: String,
    /// A more neutral wording, when the lexicon has one.
    pub alternative: Option<String>,
    /// The lexicon entry matched (lemma: "slam" for "slammed"), used to count terms.
    #[serde(default)]
    pub term: Option<String>,
    /// Inside a direct quotation: the speaker's words, not the outlet's (not counted in framing).
    #[serde(default)]
    pub in_quote: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sentence {
    /// `<doc>:<n>`, n counting sentences from 0 in reading order.
    pub id: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// Primary status; `null` until the claims stage has run.
    pub status: Option<Status>,
    /// Every status that applies (an attributed claim with a hedge has two).
    pub labels: Vec<Status>,
    /// Who the claim is attributed to.
    pub source: Option<Attribution>,
    /// Hedge / speculation markers found in the sentence.
    pub markers: Vec<String>,
    /// Speaker of a direct quote.
    pub speaker: Option<Attribution>,
    pub loaded: Vec<LoadedSpan>,
    /// Ids of the entities mentioned in this sentence.
    pub entities: Vec<String>,
}

impl Sentence {
    pub fn new(id: String, text: String, start: usize, end: usize) -> Self {
        Sentence {
            id,
            text,
            start,
            end,
            status: None,
            labels: Vec::new(),
            source: None,
            markers: Vec::new(),
            speaker: None,
            loaded: Vec::new(),
            entities: Vec::new(),
        }
    }
}

/// One counted loaded term in a framing profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TermCount {
    pub term: String,
    pub count: usize,
    pub category: String,
    pub alternative: Option<String>,
}

/// A name and how often it occurs (cited sources, quoted speakers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NameCount {
    pub name: String,
    pub count: usize,
}

/// How an article (or an outlet, summed over its articles) frames its story.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Framing {
    pub words: usize,
    pub loaded_count: usize,
    pub loaded_per_1000_words: f64,
    /// Counted loaded terms, most frequent first, ties by term.
    pub loaded_terms: Vec<TermCount>,
    /// Share of sentences per primary status (keys are status names), summing to 1.
    pub status_shares: BTreeMap<String, f64>,
    /// Who gets a voice: attributed sources.
    pub sources: Vec<NameCount>,
    pub hedges_per_1000_words: f64,
    pub quotes_by_speaker: Vec<NameCount>,
}

/// Best-guess type of a named entity.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EntityType {
    Person,
    Org,
    /// Country, city or region.
    Place,
    /// Nationalities, political or religious groups.
    Group,
    Event,
    Other,
}

/// A name as it occurs in one sentence, before resolution into entities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    pub doc: String,
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub ty: EntityType,
    pub confidence: f32,
    /// Title or role seen with the name ("Justice Minister", "General").
    pub role: Option<String>,
    /// For demonyms and similar, the canonical name this form points to ("Italian" -> "Italy").
    pub points_to: Option<String>,
}

/// Where a mention of an entity occurs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MentionRef {
    pub doc: String,
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Why two surface forms were merged into one entity, so a reader can check it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Rule name: `short_form`, `acronym`, `stated_alias`, `transliteration`, `demonym`,
    /// `name_variant`, `family`, `org_short_form`, `place_qualified`, ...
    pub rule: String,
    /// The two (or more) forms the rule linked.
    pub forms: Vec<String>,
    /// Sentence ids the evidence comes from.
    pub sentences: Vec<String>,
}

/// One real-world actor, with every spelling it goes by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub ty: EntityType,
    pub confidence: f32,
    /// The fullest form.
    pub name: String,
    /// Every surface form seen, sorted.
    pub aliases: Vec<String>,
    /// Roles and titles seen with the name.
    pub roles: Vec<String>,
    pub mentions: Vec<MentionRef>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TimeType {
    Date,
    Time,
    Duration,
    Set,
}

/// What a time value was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnchorKind {
    /// The document's own publication date.
    Document,
    /// A date inferred through another article of the same story.
    Story,
    /// The expression is absolute and needs no anchor.
    Explicit,
    /// Relative to an earlier time expression in the same document.
    PreviousExpression,
    /// No anchor could be justified; the value keeps X's.
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Anchor {
    pub kind: AnchorKind,
    /// The reference value used (e.g. `2025-02-10`), when there is one.
    pub from: Option<String>,
    /// Sentence ids the anchor was derived from.
    pub sentences: Vec<String>,
    /// One line a reader can check ("Tuesday of 003 is 000's January 21 release"); every
    /// anchor the time stage writes has one.
    pub note: Option<String>,
}

/// A TIMEX3-style time expression with its normalised value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimeExpr {
    pub doc: String,
    pub sentence: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    #[serde(rename = "type")]
    pub ty: TimeType,
    /// TIMEX3 value: `2025-01-21`, `2025-01`, `2025-W03`, `P3Y`, `PRESENT_REF`, `XXXX-01-21`.
    pub value: String,
    pub anchor: Anchor,
    /// The value as a person reads it: "Tue 21 Jan 2025", "Jan 2025", "week of Mon 9 Jun
    /// 2014", "3 years", "21 Jan (year unknown)". `null` only for a value of a form the
    /// stage does not write.
    #[serde(default)]
    pub display: Option<String>,
}

/// Link from a copy to the earliest version of the same text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DuplicateLink {
    /// The earliest version's document id.
    pub original: String,
    /// Estimated Jaccard similarity of word shingles.
    pub similarity: f64,
    /// Sentences of this copy not found in the original (what changed).
    pub changed_sentences: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    /// The same claim in several outlets.
    Agreed,
    /// Reported by one outlet only.
    OnlyIn,
    /// Outlets disagree on a detail.
    Conflict,
    /// Sentences of several outlets on the same topic that do not state the same fact (a
    /// neighbouring detail, a reaction to the same event): shown for context, never counted as
    /// agreement.
    Related,
}

/// How sure the alignment is that a claim's sentences state the same fact, in words a reader
/// can act on: `high` (cite it), `medium` (check the sentences), `low` (related only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    Date,
    Number,
    Place,
    Actor,
    Negation,
}

/// One sentence taking part in an aligned claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ClaimSentence {
    pub doc: String,
    pub sentence: String,
    pub text: String,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Conflict {
    pub kind: ConflictKind,
    /// The differing values, one per side (e.g. two dates).
    pub values: Vec<String>,
    /// The sentence each value was read from (`<doc>:<n>`), one per side, in `values` order.
    #[serde(default)]
    pub sentences: Vec<String>,
}

/// A claim lined up across the articles of a story.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Claim {
    pub id: String,
    pub kind: ClaimKind,
    /// Short description (the clearest sentence of the group).
    pub summary: String,
    /// Documents that carry the claim.
    pub documents: Vec<String>,
    /// Sentence ids per document.
    pub sentences: Vec<ClaimSentence>,
    /// For conflicts, what differs.
    pub conflict: Option<Conflict>,
    /// Alignment score of the group (0..1), for ordering and inspection.
    pub score: f64,
    /// How sure the alignment is (`null` for `only_in`); `score` is the number behind it.
    #[serde(default)]
    pub confidence: Option<Confidence>,
}

/// A dated event on a story's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimelineEvent {
    /// TIMEX3 value of the event's date.
    pub date: String,
    /// The date as a person reads it ("Tue 21 Jan 2025", "2011").
    #[serde(default)]
    pub display: Option<String>,
    pub text: String,
    pub anchor: AnchorKind,
    pub documents: Vec<String>,
    pub sentences: Vec<String>,
}

/// Articles about the same event, with their claims lined up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Story {
    pub id: String,
    /// A short label: the most distinctive terms or the first title.
    pub label: String,
    /// Document ids, in input order.
    pub documents: Vec<String>,
    pub claims: Vec<Claim>,
    pub timeline: Vec<TimelineEvent>,
    /// Ids of the story's main entities, most mentioned first.
    pub entities: Vec<String>,
    /// Id of the thread (the ongoing subject) this story belongs to; see [`Report::threads`].
    /// `null` only in reports written before threads existed.
    #[serde(default)]
    pub thread: Option<String>,
}

/// An ongoing subject followed over time (a budget fight, a war, a trial): the stories of its
/// successive events, in order of creation. Claims are lined up inside each story, never
/// across the stories of a thread.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Thread {
    /// `thread-<n>`, numbered in order of creation.
    pub id: String,
    /// The label of the thread's first story.
    pub label: String,
    /// Ids of its stories, in order of creation.
    pub stories: Vec<String>,
}

/// The whole analysis: what `parallax analyze --format json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    pub schema_version: String,
    pub documents: Vec<Document>,
    pub entities: Vec<Entity>,
    pub times: Vec<TimeExpr>,
    pub stories: Vec<Story>,
    /// Threads linking the stories of one ongoing subject (a story-only thread too).
    #[serde(default)]
    pub threads: Vec<Thread>,
    /// How claims were aligned (with sentence embeddings or on words only).
    #[serde(default)]
    pub alignment: AlignmentInfo,
}

/// How the claims of a report were aligned, said once per report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AlignmentInfo {
    /// Sentence embeddings were used beside words.
    pub embeddings: bool,
    /// The embedding model's id when they were.
    pub model: Option<String>,
    /// Why embeddings are off, when they are (`--no-embeddings`, model not installed, ...).
    pub note: Option<String>,
}
