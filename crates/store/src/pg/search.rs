//! Full-text search on PostgreSQL: a `tsvector` per title, sentence and entity name with a
//! GIN index. Words are folded in Rust (lower case, diacritics removed) on both sides and
//! indexed with the `simple` configuration (no stemming, no stop words), so a query finds
//! what it finds on SQLite's FTS5 (`unicode61 remove_diacritics 2`).
//!
//! What a user types never reaches a query parser: [`crate::search::query_terms`] cuts it
//! into terms and each is passed as a parameter to `phraseto_tsquery`, all required. The
//! same function leaves out unquoted stop words, so both backends drop the same words and
//! find the same rows (a test in `search.rs` checks that on both). The index itself keeps
//! every word, so a quoted phrase with common words still matches exactly.

use super::PgStore;
use crate::articles::outlet_key;
use crate::search::{query_terms, Hit, HitKind, SearchQuery, MATCH_END, MATCH_START, RANK_WINDOW};
use crate::Result;
use parallax_core::article::Article;
use postgres::types::ToSql;
use postgres::GenericClient;

use crate::search::fold;

/// Search rows of an article: its title (part 0) and each sentence n (part n + 1), in one
/// statement.
pub(crate) fn insert_article_rows(db: &mut impl GenericClient, a: &Article) -> Result<()> {
    let mut parts: Vec<i32> = Vec::new();
    let mut texts: Vec<&str> = Vec::new();
    if let Some(t) = a.document.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(0);
        texts.push(t);
    }
    for (n, s) in a.document.sentences().enumerate() {
        parts.push(n as i32 + 1);
        texts.push(&s.text);
    }
    if parts.is_empty() {
        return Ok(());
    }
    let folded: Vec<String> = texts.iter().map(|t| fold(t)).collect();
    db.execute(
        "INSERT INTO search (article_id, part, text, terms)
         SELECT $1, p, t, to_tsvector('simple', f)
         FROM unnest($2::INTEGER[], $3::TEXT[], $4::TEXT[]) AS u(p, t, f)",
        &[&a.id, &parts, &texts, &folded],
    )?;
    Ok(())
}

/// The search row of one entity (its name and aliases).
pub(crate) fn insert_entity_row(
    db: &mut impl GenericClient,
    entity_seq: i64,
    names: &str,
) -> Result<()> {
    db.execute(
        "INSERT INTO search (entity_seq, text, terms) VALUES ($1, $2, to_tsvector('simple', $3))",
        &[&entity_seq, &names, &fold(names)],
    )?;
    Ok(())
}

impl PgStore {
    pub(crate) fn pg_search(&self, q: &SearchQuery) -> Result<Vec<Hit>> {
        let terms: Vec<String> = query_terms(&q.text)?.iter().map(|t| fold(t)).collect();
        let limit = if q.limit == 0 { 20 } else { q.limit.min(500) } as i64;
        let offset = q.offset as i64;
        let mut args: Vec<Box<dyn ToSql + Sync>> = Vec::new();
        let mut query = Vec::new();
        for t in terms {
            args.push(Box::new(t));
            query.push(format!("phraseto_tsquery('simple', ${})", args.len()));
        }
        let filtered = q.outlet.is_some() || q.since.is_some() || q.until.is_some();
        let mut filters = String::new();
        if let Some(o) = &q.outlet {
            args.push(Box::new(outlet_key(o)));
            filters.push_str(&format!(" AND a.outlet_key = ${}", args.len()));
        }
        if let Some(d) = &q.since {
            args.push(Box::new(d.clone()));
            filters.push_str(&format!(
                " AND a.published COLLATE \"C\" >= ${}",
                args.len()
            ));
        }
        if let Some(d) = &q.until {
            args.push(Box::new(format!("{d}\u{10FFFF}")));
            filters.push_str(&format!(
                " AND a.published COLLATE \"C\" <= ${}",
                args.len()
            ));
        }
        args.push(Box::new(format!(
            "StartSel={MATCH_START}, StopSel={MATCH_END}, MaxWords=24, MinWords=8, \
             MaxFragments=1, FragmentDelimiter=…"
        )));
        let opts = args.len();
        let join = if filtered {
            " JOIN articles a ON a.id = s.article_id"
        } else {
            ""
        };
        // As on SQLite: rank only the newest RANK_WINDOW matching article rows and entity
        // rows (ranking costs time in proportion to the rows ranked; a common word matches
        // much of a big collection). A filtered search looks at articles only.
        let entities = if filtered {
            String::new()
        } else {
            format!(
                " UNION ALL (SELECT s.id, s.article_id, s.part, s.entity_seq, s.text, s.terms
                   FROM search s CROSS JOIN q
                   WHERE s.terms @@ q.q AND s.entity_seq IS NOT NULL
                   ORDER BY s.id DESC LIMIT {RANK_WINDOW})"
            )
        };
        let sql = format!(
            "WITH q AS (SELECT {query} AS q),
             cand AS (
                 (SELECT s.id, s.article_id, s.part, s.entity_seq, s.text, s.terms
                  FROM search s{join} CROSS JOIN q
                  WHERE s.terms @@ q.q AND s.article_id IS NOT NULL{filters}
                  ORDER BY s.id DESC LIMIT {RANK_WINDOW}){entities}),
             hits AS (
                 SELECT c.id, c.article_id, c.part, c.entity_seq, c.text,
                        ts_rank(c.terms, q.q) AS rank
                 FROM cand c CROSS JOIN q
                 ORDER BY rank DESC, c.id DESC LIMIT {limit} OFFSET {offset})
             SELECT h.part, ts_headline('simple', h.text, q.q, ${opts}),
                    a.id, a.story_id, a.title, a.outlet, a.published, e.id, e.story_id
             FROM hits h CROSS JOIN q
             LEFT JOIN articles a ON a.id = h.article_id
             LEFT JOIN entities e ON e.seq = h.entity_seq
             WHERE a.id IS NOT NULL OR e.id IS NOT NULL
             ORDER BY h.rank DESC, h.id DESC",
            query = query.join(" && "),
        );
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|b| b.as_ref()).collect();
        let rows = self.db()?.query(&sql, &params)?;
        Ok(rows
            .iter()
            .map(|r| {
                let snippet: String = r.get(1);
                let entity: Option<String> = r.get(7);
                if let Some(entity) = entity {
                    return Hit {
                        kind: HitKind::Entity,
                        article: None,
                        story: r.get(8),
                        sentence: None,
                        entity: Some(entity),
                        title: None,
                        outlet: None,
                        published: None,
                        snippet,
                    };
                }
                let part: i32 = r.get::<_, Option<i32>>(0).unwrap_or(0);
                let id: String = r.get(2);
                Hit {
                    kind: if part == 0 {
                        HitKind::Title
                    } else {
                        HitKind::Sentence
                    },
                    sentence: (part > 0).then(|| format!("{id}:{}", part - 1)),
                    article: Some(id),
                    story: r.get(3),
                    entity: None,
                    title: r.get(4),
                    outlet: r.get(5),
                    published: r.get(6),
                    snippet,
                }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_drops_case_and_diacritics() {
        assert_eq!(fold("Café Zürich ÉLAN"), "cafe zurich elan");
        assert_eq!(fold(""), "");
    }
}
