//! A synthetic but realistic record for tests and benchmarks: N events (default 100,000)
//! over 2000–2026, denser in recent years, from a dozen authorities against a few thousand
//! targets (a few of them very often, as in life), 30 % of them ranges, some known only to
//! the month or year, each citing a sentence of a generated bulletin, some related to
//! earlier ones. Deterministic for a given seed.

use app::db::DbError;
use app::domain::dates::covers_until;
use app::domain::lifecycle::LifecycleStep;
use app::domain::timeline::day_number;
use app::domain::{CharSpan, DatePrecision, EventKind, FuzzyDate};
use chrono::{Datelike, Duration, NaiveDate};
use sqlx::PgPool;

/// splitmix64: small, fast and good enough to make test data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }

    fn weighted<'a, T>(&mut self, items: &'a [(T, u32)]) -> &'a T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut pick = (self.unit() * total as f64) as u32;
        for (item, w) in items {
            if pick < *w {
                return item;
            }
            pick -= w;
        }
        &items[items.len() - 1].0
    }
}

const AUTHORITIES: &[(&str, u32)] = &[
    ("US Department of Commerce", 25),
    ("US Treasury (OFAC)", 25),
    ("Council of the European Union", 15),
    ("UK Government", 8),
    ("Ministry of Commerce of China", 6),
    ("President of the United States", 4),
    ("Japan METI", 4),
    ("Government of Canada", 4),
    ("Australian Government", 3),
    ("Swiss SECO", 3),
    ("UN Security Council", 3),
];

const KINDS: &[(EventKind, u32)] = &[
    (EventKind::Imposed, 45),
    (EventKind::Extended, 15),
    (EventKind::Eased, 10),
    (EventKind::Lifted, 8),
    (EventKind::Threatened, 8),
    (EventKind::Retaliated, 7),
    (EventKind::Clarified, 7),
];

fn verb(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Imposed => "imposes sanctions on",
        EventKind::Eased => "eases sanctions on",
        EventKind::Lifted => "lifts sanctions on",
        EventKind::Extended => "extends measures against",
        EventKind::Threatened => "threatens sanctions on",
        EventKind::Retaliated => "retaliates against",
        EventKind::Clarified => "clarifies the measures on",
    }
}

fn target_name(i: usize) -> String {
    const A: [&str; 10] = [
        "Golden", "Northern", "Eastern", "Pacific", "Silver", "United", "Global", "Red", "Blue",
        "Great",
    ];
    const B: [&str; 10] = [
        "Star", "Dragon", "Bridge", "River", "Harbor", "Mountain", "Ocean", "Sun", "Wave", "Falcon",
    ];
    const C: [&str; 10] = [
        "Trading",
        "Shipping",
        "Electronics",
        "Energy",
        "Bank",
        "Holdings",
        "Technologies",
        "Logistics",
        "Metals",
        "Aviation",
    ];
    const D: [&str; 4] = ["LLC", "Ltd", "JSC", "Co."];
    const FAMOUS: [&str; 12] = [
        "Huawei",
        "ZTE",
        "SMIC",
        "Rosneft",
        "Gazprom",
        "Sberbank",
        "Hikvision",
        "DJI",
        "VTB",
        "Rostec",
        "Iran",
        "North Korea",
    ];
    if i < FAMOUS.len() {
        return FAMOUS[i].to_owned();
    }
    let i = i - FAMOUS.len();
    format!(
        "{} {} {} {}",
        A[i % 10],
        B[(i / 10) % 10],
        C[(i / 100) % 10],
        D[(i / 1000) % 4]
    )
}

pub const TARGETS: usize = 2000;
const SENTENCES_PER_BULLETIN: usize = 10;

struct Event {
    slug: String,
    starts_on: NaiveDate,
    precision: &'static str,
    ends_on: Option<NaiveDate>,
    covers_until: NaiveDate,
    title: String,
    summary: String,
    kind: EventKind,
    authority: &'static str,
    target: String,
    sentence: String,
    /// The measure's dated steps (announced, in force, published, expires), for one
    /// measure in four dated to the day.
    steps: Vec<(LifecycleStep, NaiveDate)>,
}

/// Steps derived from the event's index, not drawn from the generator's stream, so the
/// rest of a seed's record stays as it was before steps were generated.
fn steps_of(
    i: usize,
    kind: EventKind,
    starts_on: NaiveDate,
    precision: &str,
) -> Vec<(LifecycleStep, NaiveDate)> {
    let measure = matches!(
        kind,
        EventKind::Imposed | EventKind::Eased | EventKind::Extended | EventKind::Lifted
    );
    if !measure || precision != "day" || !i.is_multiple_of(4) {
        return Vec::new();
    }
    let mut steps = vec![
        (
            LifecycleStep::Announced,
            starts_on - Duration::days(1 + (i % 14) as i64),
        ),
        (LifecycleStep::Effective, starts_on),
        (
            LifecycleStep::Published,
            starts_on + Duration::days((i % 5) as i64),
        ),
    ];
    if matches!(kind, EventKind::Eased | EventKind::Extended) {
        steps.push((LifecycleStep::Expires, starts_on + Duration::days(90)));
    }
    steps
}

fn make_event(rng: &mut Rng, seed: u64, i: usize) -> Event {
    let first = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    let span =
        day_number(NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default()) - day_number(first);
    // sqrt skews towards recent years: the record grows over time.
    let day = first + Duration::days((rng.unit().sqrt() * span as f64) as i64);
    let kind = *rng.weighted(KINDS);
    let authority = *rng.weighted(AUTHORITIES);
    // Cubed: a few targets get most of the events.
    let target = target_name((rng.unit().powi(3) * TARGETS as f64) as usize);
    let p = rng.unit();
    let (starts_on, precision) = if p < 0.85 {
        (day, "day")
    } else if p < 0.95 {
        (day.with_day(1).unwrap_or(day), "month")
    } else {
        (
            NaiveDate::from_ymd_opt(day.year(), 1, 1).unwrap_or(day),
            "year",
        )
    };
    let period_start = FuzzyDate {
        date: starts_on,
        precision: precision.parse().unwrap_or(DatePrecision::Day),
    };
    let last_of_period = period_start.last_day();
    let ends_on =
        (rng.unit() < 0.3).then(|| last_of_period + Duration::days(30 + rng.below(1065) as i64));
    let title = format!("{authority} {} {target}", verb(kind));
    let sentence = format!(
        "On {} the {authority} {} {target} (measure {seed}-{i}).",
        starts_on.format("%-d %B %Y"),
        verb(kind)
    );
    Event {
        slug: format!("synthetic-{seed}-{i}"),
        starts_on,
        precision,
        covers_until: covers_until(period_start, ends_on.map(FuzzyDate::day)),
        ends_on,
        summary: format!("Synthetic event {i}: {title}."),
        title,
        kind,
        authority,
        steps: steps_of(i, kind, starts_on, precision),
        target,
        sentence,
    }
}

/// Writes `n` synthetic events (published) in batches; returns how many were written.
pub async fn generate(pool: &PgPool, n: usize, seed: u64) -> Result<usize, DbError> {
    let mut rng = Rng(seed);
    let mut events: Vec<Event> = (0..n).map(|i| make_event(&mut rng, seed, i)).collect();
    events.sort_by_key(|e| e.starts_on);
    // Later eased/extended/lifted events bear on the latest earlier listing of their target.
    let mut last_imposed: std::collections::HashMap<&str, &str> = Default::default();
    let (mut rel_from, mut rel_to, mut rel_kind) = (Vec::new(), Vec::new(), Vec::new());
    for e in &events {
        let kind = match e.kind {
            EventKind::Imposed => {
                last_imposed.insert(&e.target, &e.slug);
                continue;
            }
            EventKind::Extended => "extends",
            EventKind::Lifted => "reverses",
            EventKind::Eased => "modifies",
            _ => continue,
        };
        if let Some(to) = last_imposed.get(e.target.as_str()) {
            rel_from.push(e.slug.clone());
            rel_to.push((*to).to_owned());
            rel_kind.push(kind.to_owned());
        }
    }
    let mut tx = pool.begin().await?;

    let mut actor_names: Vec<String> = AUTHORITIES.iter().map(|(a, _)| a.to_string()).collect();
    actor_names.extend((0..TARGETS).map(target_name));
    sqlx::query!(
        r#"INSERT INTO actors (name) SELECT * FROM UNNEST($1::text[])
           ON CONFLICT ((lower(name))) DO NOTHING"#,
        &actor_names
    )
    .execute(&mut *tx)
    .await?;

    for (batch_no, batch) in events.chunks(5000).enumerate() {
        // One bulletin (source) per ten events; each event cites its own sentence.
        let mut urls = Vec::new();
        let mut bodies = Vec::new();
        let mut shas = Vec::new();
        let mut dates = Vec::new();
        let mut cite_url = Vec::new();
        let mut cite_start = Vec::new();
        let mut cite_end = Vec::new();
        for (k, group) in batch.chunks(SENTENCES_PER_BULLETIN).enumerate() {
            let url = format!("https://synthetic.example/{seed}/{batch_no}-{k}");
            let body = group
                .iter()
                .map(|e| e.sentence.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            for e in group {
                let span = CharSpan::find_all(&body, &e.sentence)
                    .first()
                    .copied()
                    .ok_or(DbError::Invalid {
                        field: "sentence",
                        reason: "not in its bulletin".into(),
                    })?;
                cite_url.push(url.clone());
                cite_start.push(span.start as i32);
                cite_end.push(span.end as i32);
            }
            shas.push(app::db::sources::body_sha256(&body));
            dates.push(group.iter().map(|e| e.starts_on).max().unwrap_or_default());
            urls.push(url);
            bodies.push(body);
        }
        sqlx::query!(
            r#"INSERT INTO sources (url, title, publisher, published_on, language, body, body_sha256)
               SELECT u, 'Synthetic sanctions bulletin', 'Synthetic Wire', d, 'en', b, h
               FROM UNNEST($1::text[], $2::date[], $3::text[], $4::text[]) AS x(u, d, b, h)
               ON CONFLICT (url) DO NOTHING"#,
            &urls,
            &dates,
            &bodies,
            &shas
        )
        .execute(&mut *tx)
        .await?;

        let col = |f: fn(&Event) -> String| batch.iter().map(f).collect::<Vec<String>>();
        let slugs = col(|e| e.slug.clone());
        sqlx::query!(
            r#"INSERT INTO events (slug, starts_on, precision, ends_on, end_precision,
                                   covers_until, title, summary, kind, status,
                                   authority_names, target_names)
               SELECT s, d, p, e, CASE WHEN e IS NULL THEN NULL ELSE 'day' END, c, t, m, k,
                      'published', ARRAY[a], ARRAY[g]
               FROM UNNEST($1::text[], $2::date[], $3::text[], $4::date[], $5::date[],
                           $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
                    AS x(s, d, p, e, c, t, m, k, a, g)
               ON CONFLICT (slug) DO NOTHING"#,
            &slugs,
            &batch.iter().map(|e| e.starts_on).collect::<Vec<_>>(),
            &col(|e| e.precision.to_owned()),
            &batch.iter().map(|e| e.ends_on).collect::<Vec<_>>() as &[Option<NaiveDate>],
            &batch.iter().map(|e| e.covers_until).collect::<Vec<_>>(),
            &col(|e| e.title.clone()),
            &col(|e| e.summary.clone()),
            &col(|e| e.kind.as_str().to_owned()),
            &col(|e| e.authority.to_owned()),
            &col(|e| e.target.clone()),
        )
        .execute(&mut *tx)
        .await?;

        sqlx::query!(
            r#"INSERT INTO event_actors (event_id, actor_id, role)
               SELECT e.id, a.id, r.role
               FROM events e
               CROSS JOIN LATERAL (VALUES ('authority', e.authority_names[1]),
                                          ('target', e.target_names[1])) AS r(role, name)
               JOIN actors a ON lower(a.name) = lower(r.name)
               WHERE e.slug = ANY($1)
               ON CONFLICT DO NOTHING"#,
            &slugs
        )
        .execute(&mut *tx)
        .await?;

        let (mut step_slug, mut step, mut step_on) = (Vec::new(), Vec::new(), Vec::new());
        for e in batch {
            for (s, on) in &e.steps {
                step_slug.push(e.slug.clone());
                step.push(s.as_str().to_owned());
                step_on.push(*on);
            }
        }
        sqlx::query!(
            r#"INSERT INTO event_steps (event_id, step, starts_on, precision, covers_until)
               SELECT e.id, x.step, x.on_day, 'day', x.on_day
               FROM UNNEST($1::text[], $2::text[], $3::date[]) AS x(slug, step, on_day)
               JOIN events e ON e.slug = x.slug
               ON CONFLICT DO NOTHING"#,
            &step_slug,
            &step,
            &step_on
        )
        .execute(&mut *tx)
        .await?;

        sqlx::query!(
            r#"INSERT INTO citations (event_id, source_id, exact, start_char, end_char)
               SELECT e.id, s.id, substr(s.body, x.st + 1, x.en - x.st), x.st, x.en
               FROM UNNEST($1::text[], $2::text[], $3::int[], $4::int[]) AS x(slug, url, st, en)
               JOIN events e ON e.slug = x.slug
               JOIN sources s ON s.url = x.url
               WHERE NOT EXISTS (SELECT 1 FROM citations c WHERE c.event_id = e.id)"#,
            &slugs,
            &cite_url,
            &cite_start,
            &cite_end
        )
        .execute(&mut *tx)
        .await?;
    }

    sqlx::query!(
        r#"INSERT INTO event_relations (from_event_id, to_event_id, kind)
           SELECT f.id, t.id, x.k
           FROM UNNEST($1::text[], $2::text[], $3::text[]) AS x(f, t, k)
           JOIN events f ON f.slug = x.f
           JOIN events t ON t.slug = x.t
           ON CONFLICT DO NOTHING"#,
        &rel_from,
        &rel_to,
        &rel_kind
    )
    .execute(&mut *tx)
    .await?;

    sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM (
             SELECT refresh_event_derived(array_agg(id)) FROM events WHERE slug LIKE $1) r"#,
        format!("synthetic-{seed}-%")
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    // Index-only scans (the bucket, facet and in-force counts) need the visibility map up
    // to date, and the planner statistics of every table written: with none for
    // event_actors it scans the whole table to find 200 events' actors.
    sqlx::raw_sql(
        "VACUUM ANALYZE events, event_day_counts, event_month_counts, event_period_counts, \
         event_lane_totals, event_actors, citations, event_relations, event_steps, \
         event_step_month_counts, event_word_months, event_word_prominence, \
         event_word_stem_only, event_word_step_months, event_word_weeks, sources, actors",
    )
    .execute(pool)
    .await?;
    Ok(n)
}
