//! The timeline's window, bucket and facet queries: what makes 100,000 events answerable
//! in milliseconds. A window is read as "events starting inside it" (btree on
//! `(starts_on, id)`) plus "ranges still running at its start" (GiST on the covered
//! daterange); actor names come from the event row, so no join is needed.

use super::{stored, DbError, Pool};
use crate::domain::timeline::{
    Bucket, BucketCounts, BucketUnit, Facets, RelationLink, TimelineItem, TimelineQuery,
    TimelineWindow, MAX_LANES, MAX_RUNNING_RANGES, MAX_WINDOW_EVENTS, OTHER_LANE, TOP_EVENTS,
};
use crate::domain::{EventId, EventKind, RelationKind};
use chrono::NaiveDate;
use std::collections::BTreeMap;

struct ItemRow {
    id: i64,
    slug: String,
    starts_on: NaiveDate,
    precision: String,
    ends_on: Option<NaiveDate>,
    covers_until: NaiveDate,
    title: String,
    kind: String,
    authority_names: Vec<String>,
    target_names: Vec<String>,
    prominence: i32,
}

impl ItemRow {
    fn into_item(self) -> Result<TimelineItem, DbError> {
        Ok(TimelineItem {
            id: EventId(self.id),
            slug: stored(&self.slug)?,
            start: self.starts_on,
            precision: stored(&self.precision)?,
            until: self.ends_on.map(|_| self.covers_until),
            title: self.title,
            kind: stored(&self.kind)?,
            authorities: self.authority_names,
            targets: self.target_names,
            prominence: self.prominence,
        })
    }
}

/// The events of a window, or its buckets and most prominent events when there are more
/// than the timeline draws one by one.
pub async fn window(pool: &Pool, q: &TimelineQuery) -> Result<TimelineWindow, DbError> {
    let f = &q.filter;
    let cap = MAX_WINDOW_EVENTS as i64 + 1;
    let rows = sqlx::query_as!(
        ItemRow,
        r#"(SELECT id AS "id!", slug AS "slug!", starts_on AS "starts_on!",
                   precision AS "precision!", ends_on, covers_until AS "covers_until!",
                   title AS "title!", kind AS "kind!", authority_names AS "authority_names!",
                   target_names AS "target_names!", prominence AS "prominence!"
            FROM events
            WHERE status = 'published' AND starts_on BETWEEN $1 AND $2
              AND ($3::text IS NULL OR search @@ event_search_query($3))
              AND ($4::text IS NULL OR kind = $4)
              AND ($5::text IS NULL OR $5 = ANY(authority_names))
              AND ($6::text IS NULL OR $6 = ANY(target_names))
              AND ($7::date IS NULL OR covers_until >= $7)
              AND ($8::date IS NULL OR starts_on <= $8)
            ORDER BY starts_on, id LIMIT $9)
           UNION ALL
           (SELECT id, slug, starts_on, precision, ends_on, covers_until, title, kind,
                   authority_names, target_names, prominence
            FROM events
            WHERE status = 'published' AND starts_on < $1
              AND daterange(starts_on, covers_until, '[]') @> $1::date
              AND ($3::text IS NULL OR search @@ event_search_query($3))
              AND ($4::text IS NULL OR kind = $4)
              AND ($5::text IS NULL OR $5 = ANY(authority_names))
              AND ($6::text IS NULL OR $6 = ANY(target_names))
              AND ($7::date IS NULL OR covers_until >= $7)
              AND ($8::date IS NULL OR starts_on <= $8)
            ORDER BY starts_on DESC, id LIMIT $10)"#,
        q.start,
        q.end,
        f.q,
        f.kind.map(EventKind::as_str),
        f.authority,
        f.target,
        f.from,
        f.to,
        cap,
        MAX_RUNNING_RANGES,
    )
    .fetch_all(pool)
    .await?;

    // Only events starting inside the window decide whether it is too busy to draw.
    let starting_inside = rows.iter().filter(|r| r.starts_on >= q.start).count();
    let (mut items, buckets) = if starting_inside <= MAX_WINDOW_EVENTS {
        let items = rows
            .into_iter()
            .map(ItemRow::into_item)
            .collect::<Result<Vec<_>, _>>()?;
        (items, None)
    } else {
        let unit = BucketUnit::for_span(q.span_days());
        let buckets = buckets(pool, q, unit).await?;
        (
            top_events(pool, q).await?,
            Some(BucketCounts { unit, buckets }),
        )
    };
    items.sort_by_key(|i| (i.start, i.id));
    let relations = relations_among(pool, &items).await?;
    Ok(TimelineWindow {
        start: q.start,
        end: q.end,
        today: chrono::Utc::now().date_naive(),
        lanes: q.lanes,
        items,
        buckets,
        relations,
    })
}

async fn buckets(pool: &Pool, q: &TimelineQuery, unit: BucketUnit) -> Result<Vec<Bucket>, DbError> {
    let f = &q.filter;
    // Counted per day or per month straight off the covering index, the most frequent
    // lanes kept by name; folded into weeks, quarters or years below.
    let rows = sqlx::query!(
        r#"WITH counted AS (
             SELECT CASE WHEN $1 THEN e.starts_month ELSE e.starts_on END AS b, lane,
                    count(*) AS n
             FROM events e
             CROSS JOIN LATERAL unnest(CASE $2::text
                 WHEN 'authority' THEN COALESCE(NULLIF(e.authority_names, '{}'), ARRAY['(none)'])
                 WHEN 'target' THEN COALESCE(NULLIF(e.target_names, '{}'), ARRAY['(none)'])
                 WHEN 'kind' THEN ARRAY[e.kind]
                 ELSE ARRAY[''] END) AS lane
             WHERE e.status = 'published' AND e.starts_on BETWEEN $3 AND $4
               AND ($5::text IS NULL OR e.search @@ event_search_query($5))
               AND ($6::text IS NULL OR e.kind = $6)
               AND ($7::text IS NULL OR $7 = ANY(e.authority_names))
               AND ($8::text IS NULL OR $8 = ANY(e.target_names))
               AND ($9::date IS NULL OR e.covers_until >= $9)
               AND ($10::date IS NULL OR e.starts_on <= $10)
             GROUP BY 1, 2
           ), top AS (
             SELECT lane FROM counted GROUP BY lane ORDER BY sum(n) DESC, lane LIMIT $11
           )
           SELECT b AS "bucket!",
                  CASE WHEN lane IN (SELECT lane FROM top) THEN lane ELSE $12 END AS "lane!",
                  sum(n)::bigint AS "count!"
           FROM counted GROUP BY 1, 2"#,
        unit.from_months(),
        q.lanes.as_str(),
        q.start,
        q.end,
        f.q,
        f.kind.map(EventKind::as_str),
        f.authority,
        f.target,
        f.from,
        f.to,
        MAX_LANES as i64,
        OTHER_LANE,
    )
    .fetch_all(pool)
    .await?;
    let mut folded: BTreeMap<(chrono::NaiveDate, String), i64> = BTreeMap::new();
    for r in rows {
        *folded
            .entry((unit.bucket_of(r.bucket), r.lane))
            .or_default() += r.count;
    }
    Ok(folded
        .into_iter()
        .map(|((start, lane), count)| Bucket { start, lane, count })
        .collect())
}

async fn top_events(pool: &Pool, q: &TimelineQuery) -> Result<Vec<TimelineItem>, DbError> {
    let f = &q.filter;
    let rows = sqlx::query_as!(
        ItemRow,
        r#"SELECT id, slug, starts_on, precision, ends_on, covers_until, title, kind,
                  authority_names, target_names, prominence
           FROM events
           WHERE status = 'published' AND starts_on BETWEEN $1 AND $2
             AND ($3::text IS NULL OR search @@ event_search_query($3))
             AND ($4::text IS NULL OR kind = $4)
             AND ($5::text IS NULL OR $5 = ANY(authority_names))
             AND ($6::text IS NULL OR $6 = ANY(target_names))
             AND ($7::date IS NULL OR covers_until >= $7)
             AND ($8::date IS NULL OR starts_on <= $8)
           ORDER BY prominence DESC, starts_on LIMIT $9"#,
        q.start,
        q.end,
        f.q,
        f.kind.map(EventKind::as_str),
        f.authority,
        f.target,
        f.from,
        f.to,
        TOP_EVENTS,
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(ItemRow::into_item).collect()
}

async fn relations_among(
    pool: &Pool,
    items: &[TimelineItem],
) -> Result<Vec<RelationLink>, DbError> {
    let ids: Vec<i64> = items.iter().map(|i| i.id.0).collect();
    let rows = sqlx::query!(
        r#"SELECT from_event_id, to_event_id, kind FROM event_relations
           WHERE from_event_id = ANY($1) AND to_event_id = ANY($1)"#,
        &ids
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(RelationLink {
                from: EventId(r.from_event_id),
                to: EventId(r.to_event_id),
                kind: stored::<RelationKind>(&r.kind)?,
            })
        })
        .collect()
}

/// Counts for the filter controls and the density strip.
pub async fn facets(pool: &Pool, filter: &crate::domain::EventFilter) -> Result<Facets, DbError> {
    let f = filter;
    let kind = f.kind.map(EventKind::as_str);
    // One pass over the matching events; each facet ignores its own filter, so the
    // control shows what choosing another value would give.
    let rows = sqlx::query!(
        r#"WITH base AS (
             SELECT kind, authority_names, target_names, starts_on FROM events
             WHERE status = 'published'
               AND ($1::text IS NULL OR search @@ event_search_query($1))
               AND ($5::date IS NULL OR covers_until >= $5)
               AND ($6::date IS NULL OR starts_on <= $6)
           )
           SELECT 'total' AS "facet!", '' AS "value!", NULL::date AS month, count(*) AS "n!"
             FROM base
             WHERE ($2::text IS NULL OR kind = $2)
               AND ($3::text IS NULL OR $3 = ANY(authority_names))
               AND ($4::text IS NULL OR $4 = ANY(target_names))
           UNION ALL
           SELECT 'kind', kind, NULL, count(*) FROM base
             WHERE ($3::text IS NULL OR $3 = ANY(authority_names))
               AND ($4::text IS NULL OR $4 = ANY(target_names))
             GROUP BY kind
           UNION ALL
           (SELECT 'authority', a, NULL, count(*) FROM base, unnest(authority_names) a
             WHERE ($2::text IS NULL OR kind = $2)
               AND ($4::text IS NULL OR $4 = ANY(target_names))
             GROUP BY a ORDER BY count(*) DESC, a LIMIT 30)
           UNION ALL
           (SELECT 'target', t, NULL, count(*) FROM base, unnest(target_names) t
             WHERE ($2::text IS NULL OR kind = $2)
               AND ($3::text IS NULL OR $3 = ANY(authority_names))
             GROUP BY t ORDER BY count(*) DESC, t LIMIT 30)
           UNION ALL
           SELECT 'month', '', date_trunc('month', starts_on::timestamp)::date, count(*)
             FROM base
             WHERE ($2::text IS NULL OR kind = $2)
               AND ($3::text IS NULL OR $3 = ANY(authority_names))
               AND ($4::text IS NULL OR $4 = ANY(target_names))
             GROUP BY 3"#,
        f.q,
        kind,
        f.authority,
        f.target,
        f.from,
        f.to,
    )
    .fetch_all(pool)
    .await?;
    let mut facets = Facets::default();
    for r in rows {
        match r.facet.as_str() {
            "total" => facets.total = r.n,
            "kind" => facets.kinds.push((stored(&r.value)?, r.n)),
            "authority" => facets.authorities.push((r.value, r.n)),
            "target" => facets.targets.push((r.value, r.n)),
            _ => {
                if let Some(m) = r.month {
                    facets.density.push((m, r.n));
                }
            }
        }
    }
    facets
        .kinds
        .sort_by_key(|(k, _)| EventKind::ALL.iter().position(|x| x == k));
    facets.density.sort();
    Ok(facets)
}

/// First and last start date of the events the filter selects (a year around today when
/// there are none): the frame of "the whole record".
pub async fn extent(
    pool: &Pool,
    filter: &crate::domain::EventFilter,
) -> Result<(NaiveDate, NaiveDate), DbError> {
    let f = filter;
    let row = sqlx::query!(
        r#"SELECT min(starts_on) AS first, max(starts_on) AS last FROM events
           WHERE status = 'published'
             AND ($1::text IS NULL OR search @@ event_search_query($1))
             AND ($2::text IS NULL OR kind = $2)
             AND ($3::text IS NULL OR $3 = ANY(authority_names))
             AND ($4::text IS NULL OR $4 = ANY(target_names))
             AND ($5::date IS NULL OR covers_until >= $5)
             AND ($6::date IS NULL OR starts_on <= $6)"#,
        f.q,
        f.kind.map(EventKind::as_str),
        f.authority,
        f.target,
        f.from,
        f.to,
    )
    .fetch_one(pool)
    .await?;
    let today = chrono::Utc::now().date_naive();
    Ok(match (row.first, row.last) {
        (Some(a), Some(b)) => (a, b),
        _ => (today - chrono::Duration::days(365), today),
    })
}
