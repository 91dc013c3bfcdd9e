//! Demo data: the Computerworld article the product started from, short notes of our own
//! on the well-known events around it, and the events they support. Loading is
//! idempotent: sources are keyed by URL, events by slug, citations by position.

use app::db::{self, sources::NewSource, DbError};
use app::domain::event_form::EventDraft;
use app::domain::legal_act::LegalActKind;
use app::domain::lifecycle::{Lifecycle, LifecycleStep, Milestone};
use app::domain::source_text::extract_article;
use app::domain::{
    EventId, EventKind, EventStatus, FuzzyDate, LanguageTag, RelationKind, Slug, SourceId,
};
use chrono::NaiveDate;
use sqlx::PgPool;
use std::collections::HashMap;

/// The seed article as it was scraped, boilerplate and all.
pub const COMPUTERWORLD_RAW: &str =
    include_str!("../demo/computerworld-2019-06-29-huawei-eased.txt");

/// The scrape carries no address; this points at the publisher and names the seed file.
pub const COMPUTERWORLD_URL: &str =
    "https://www.computerworld.dk/?seed=computerworld-2019-06-29-huawei-eased";

const NOTES: &str = "https://sanctions-timeline.example/notes/";

struct DemoSource {
    key: &'static str,
    url: String,
    title: &'static str,
    publisher: &'static str,
    published_on: (i32, u32, u32),
    language: &'static str,
    body: String,
}

struct DemoEvent {
    slug: &'static str,
    date: &'static str,
    end: Option<&'static str>,
    date_phrase: Option<&'static str>,
    kind: EventKind,
    title: &'static str,
    summary: &'static str,
    legal_instrument: Option<&'static str>,
    /// The act's official identifier, where public sources confirm it.
    legal_act: Option<(LegalActKind, &'static str)>,
    authorities: &'static [&'static str],
    targets: &'static [&'static str],
    /// (source key, exact quote): each quote occurs once in its source's stored body.
    quotes: &'static [(&'static str, &'static str)],
    /// Lifecycle steps the sources state: (step, date, source key, the exact passage that
    /// states it).
    steps: &'static [(LifecycleStep, &'static str, &'static str, &'static str)],
}

fn note(
    key: &'static str,
    title: &'static str,
    published_on: (i32, u32, u32),
    language: &'static str,
    body: &str,
) -> DemoSource {
    DemoSource {
        key,
        url: format!("{NOTES}{key}"),
        title,
        publisher: "Sanctions Timeline demo notes",
        published_on,
        language,
        body: body.to_owned(),
    }
}

fn sources() -> Vec<DemoSource> {
    vec![
        DemoSource {
            key: "computerworld",
            url: COMPUTERWORLD_URL.into(),
            title: "Trump lemper på Huawei-sanktioner: Handel kan komme igang igen",
            publisher: "Computerworld",
            published_on: (2019, 6, 29),
            language: "da",
            body: extract_article(COMPUTERWORLD_RAW),
        },
        note(
            "2019-05-us-moves-against-huawei",
            "May 2019: the United States moves against Huawei",
            (2019, 5, 21),
            "en",
            "On 15 May 2019 President Trump signed Executive Order 13873, “Securing the Information and Communications Technology and Services Supply Chain”, declaring a national emergency over equipment from foreign adversaries.\n\n\
             The same day the Department of Commerce announced that it would add Huawei Technologies and 68 of its affiliates to the Entity List. The listing took effect on 16 May 2019, so that exporting US-origin items to Huawei now requires a licence.\n\n\
             On 20 May 2019 the Bureau of Industry and Security issued a Temporary General License for Huawei, valid for 90 days until 19 August 2019, so that existing networks and handsets could be maintained.",
        ),
        note(
            "2019-05-31-unreliable-entity-list",
            "商务部宣布建立不可靠实体清单制度",
            (2019, 5, 31),
            "zh-Hans",
            "2019年5月31日，中国商务部宣布，中国将建立“不可靠实体清单”制度。\n\n\
             对不遵守市场规则、背离契约精神、出于非商业目的对中国企业实施封锁或断供、严重损害中国企业正当权益的外国企业、组织或个人，将列入不可靠实体清单。",
        ),
        note(
            "2019-08-19-licence-extended",
            "August 2019: the licence is extended and more affiliates are listed",
            (2019, 8, 19),
            "en",
            "On 19 August 2019 the Department of Commerce extended the Temporary General License for Huawei by a further 90 days.\n\n\
             At the same time it added 46 more Huawei affiliates to the Entity List, bringing the number of listed Huawei entities to more than 100.",
        ),
        note(
            "2020-05-15-foreign-direct-product-rule",
            "May 2020: the foreign direct product rule is aimed at Huawei",
            (2020, 5, 15),
            "en",
            "On 15 May 2020 the Bureau of Industry and Security amended the foreign direct product rule to target Huawei’s ability to use US software and technology to design and manufacture its semiconductors abroad.",
        ),
        note(
            "2020-07-uk-5g",
            "July 2020: the United Kingdom bars Huawei from its 5G networks",
            (2020, 7, 31),
            "en",
            "In July 2020 the UK government ordered that no new Huawei 5G equipment may be bought after the end of 2020, and that all Huawei equipment must be removed from the country’s 5G networks by 2027.",
        ),
        note(
            "2020-08-17-rule-expanded",
            "August 2020: the rule is widened and 38 affiliates are listed",
            (2020, 8, 17),
            "en",
            "On 17 August 2020 the Department of Commerce further restricted Huawei’s access to US technology, extending the foreign direct product rule to chips made with US tools even where Huawei does not design them, and added 38 Huawei affiliates in 21 countries to the Entity List.",
        ),
        note(
            "2022-11-25-fcc-equipment-ban",
            "November 2022: the FCC bans new Huawei and ZTE equipment",
            (2022, 11, 25),
            "en",
            "On 25 November 2022 the Federal Communications Commission adopted rules that prohibit the authorization of new telecommunications equipment from Huawei and ZTE, finding that it poses an unacceptable risk to US national security.",
        ),
    ]
}

const COMMERCE: &str = "US Department of Commerce";
const PRESIDENT: &str = "President of the United States";

const EVENTS: &[DemoEvent] = &[
    DemoEvent {
        slug: "us-executive-order-13873-on-ict-supply-chain",
        date: "2019-05-15",
        end: None,
        date_phrase: None,
        kind: EventKind::Imposed,
        title: "Executive Order 13873 declares an emergency over foreign ICT equipment",
        summary: "The US President declares a national emergency over information and communications technology from foreign adversaries, the basis for later measures against Huawei.",
        // FR Doc. 2019-10538 (84 FR 22689, 17 May 2019): govinfo files the order as
        // FR-2019-05-17/html/2019-10538.htm, and independent public references agree.
        legal_instrument: Some("Executive Order 13873; FR Doc. 2019-10538 (84 FR 22689, 17 May 2019)"),
        legal_act: Some((LegalActKind::FederalRegister, "2019-10538")),
        authorities: &[PRESIDENT],
        targets: &["ICT suppliers of foreign adversaries"],
        quotes: &[("2019-05-us-moves-against-huawei", "On 15 May 2019 President Trump signed Executive Order 13873, “Securing the Information and Communications Technology and Services Supply Chain”, declaring a national emergency over equipment from foreign adversaries.")],
        steps: &[
            (LifecycleStep::Adopted, "2019-05-15", "2019-05-us-moves-against-huawei", "On 15 May 2019 President Trump signed Executive Order 13873"),
        ],
    },
    DemoEvent {
        slug: "huawei-added-to-the-entity-list",
        date: "2019-05-16",
        end: None,
        date_phrase: Some("for seks uger siden"),
        kind: EventKind::Imposed,
        title: "Huawei added to the US Entity List",
        summary: "Huawei and 68 affiliates are put on the Entity List: US companies need a licence to sell them US-origin technology.",
        legal_instrument: Some("Entity List, 15 CFR Part 744, Supplement No. 4; the listing: FR Doc. 2019-10616 (84 FR 22961, 21 May 2019)"),
        legal_act: Some((LegalActKind::FederalRegister, "2019-10616")),
        authorities: &[COMMERCE],
        targets: &["Huawei"],
        quotes: &[
            ("computerworld", "Amerikansk præsident Donald Trump lemper igen på de skrappe sanktioner, som han indførte på amerikanske virksomheders handel med kinesiske Huawei for seks uger siden."),
            ("computerworld", "Det skete, da han dengang tilføjede Huawei på den såkaldte ‘entity list,’"),
            ("2019-05-us-moves-against-huawei", "The listing took effect on 16 May 2019, so that exporting US-origin items to Huawei now requires a licence."),
        ],
        steps: &[
            (LifecycleStep::Announced, "2019-05-15", "2019-05-us-moves-against-huawei", "The same day the Department of Commerce announced that it would add Huawei Technologies and 68 of its affiliates to the Entity List."),
            (LifecycleStep::Effective, "2019-05-16", "2019-05-us-moves-against-huawei", "The listing took effect on 16 May 2019, so that exporting US-origin items to Huawei now requires a licence."),
        ],
    },
    DemoEvent {
        slug: "temporary-general-license-for-huawei",
        date: "2019-05-20",
        end: Some("2019-08-19"),
        date_phrase: None,
        kind: EventKind::Eased,
        title: "90-day Temporary General License lets Huawei’s existing networks be maintained",
        summary: "A temporary licence lets US firms keep supporting existing Huawei networks and handsets for 90 days.",
        // Its citation, 84 FR 23468 (22 May 2019), is confirmed by the later extensions
        // that cite it; its document number could not be, so no typed identifier.
        legal_instrument: Some("Temporary General License, 15 CFR Part 744 (84 FR 23468, 22 May 2019)"),
        legal_act: None,
        authorities: &[COMMERCE],
        targets: &["Huawei"],
        quotes: &[("2019-05-us-moves-against-huawei", "On 20 May 2019 the Bureau of Industry and Security issued a Temporary General License for Huawei, valid for 90 days until 19 August 2019, so that existing networks and handsets could be maintained.")],
        steps: &[
            (LifecycleStep::Effective, "2019-05-20", "2019-05-us-moves-against-huawei", "On 20 May 2019 the Bureau of Industry and Security issued a Temporary General License for Huawei"),
            (LifecycleStep::Expires, "2019-08-19", "2019-05-us-moves-against-huawei", "valid for 90 days until 19 August 2019"),
        ],
    },
    DemoEvent {
        slug: "china-announces-unreliable-entity-list",
        date: "2019-05-31",
        end: None,
        date_phrase: None,
        kind: EventKind::Retaliated,
        title: "China announces an “Unreliable Entity List”",
        summary: "China’s Ministry of Commerce announces a list of foreign firms that cut off supplies to Chinese companies, widely read as an answer to the Huawei listing.",
        legal_instrument: None,
        legal_act: None,
        authorities: &["Ministry of Commerce of China"],
        targets: &["Foreign firms that cut off Chinese companies"],
        quotes: &[("2019-05-31-unreliable-entity-list", "2019年5月31日，中国商务部宣布，中国将建立“不可靠实体清单”制度。")],
        steps: &[],
    },
    DemoEvent {
        slug: "trump-eases-huawei-sanctions-at-g20-osaka",
        date: "2019-06-29",
        end: None,
        date_phrase: Some("lørdag"),
        kind: EventKind::Eased,
        title: "Trump says US companies may sell to Huawei again, at the G20 in Osaka",
        summary: "After meeting Xi Jinping at the G20, Trump says American companies may again sell equipment to Huawei as long as it raises no great national security problem.",
        legal_instrument: None,
        legal_act: None,
        authorities: &[PRESIDENT],
        targets: &["Huawei"],
        quotes: &[
            ("computerworld", "Nu meddeler han, at amerikanske virksomheder igen kan sælge deres udstyr til Huawei, så længe salget ikke fører til ‘store, nationale problemer,’ som han siger."),
            ("computerworld", "Udtalelsen faldt lørdag i forbindelse med Trumps deltagelse på G20-møde i Japan, hvor han blandt andet mødtes med den kinesiske præsident Xi Jinping."),
        ],
        steps: &[],
    },
    DemoEvent {
        slug: "white-house-limits-easing-to-widely-available-products",
        date: "2019-06-29",
        end: None,
        date_phrase: None,
        kind: EventKind::Clarified,
        title: "White House: only widely available products may be sold to Huawei",
        summary: "A White House adviser tells Reuters the easing covers only products that are widely available worldwide; sensitive US equipment stays off limits.",
        legal_instrument: None,
        legal_act: None,
        authorities: &["The White House"],
        targets: &["Huawei"],
        quotes: &[
            ("computerworld", "Til Reuters påpeger en rådgiver i Det Hvide Hus imidlertid, at Huawei alene får mulighed for at købe amerikanske produkter, der ‘bredt tilgængelige’ verden over."),
            ("computerworld", "Det betyder, at følsomt specialudstyr af amerikansk oprindelse fortsat ikke vil kunne købes af Huawei."),
        ],
        steps: &[],
    },
    DemoEvent {
        slug: "huawei-licence-extended-and-46-affiliates-listed",
        date: "2019-08-19",
        end: None,
        date_phrase: None,
        kind: EventKind::Extended,
        title: "Huawei’s temporary licence extended; 46 more affiliates listed",
        summary: "The temporary licence is extended by 90 days while 46 more Huawei affiliates join the Entity List.",
        legal_instrument: Some("Temporary General License: Extension of Validity, FR Doc. 2019-17920 (84 FR 43487, 21 August 2019); the 46 affiliates: FR Doc. 2019-17921 (84 FR 43493, 21 August 2019)"),
        legal_act: Some((LegalActKind::FederalRegister, "2019-17920")),
        authorities: &[COMMERCE],
        targets: &["Huawei"],
        quotes: &[
            ("2019-08-19-licence-extended", "On 19 August 2019 the Department of Commerce extended the Temporary General License for Huawei by a further 90 days."),
            ("2019-08-19-licence-extended", "At the same time it added 46 more Huawei affiliates to the Entity List, bringing the number of listed Huawei entities to more than 100."),
        ],
        steps: &[],
    },
    DemoEvent {
        slug: "foreign-direct-product-rule-aimed-at-huawei-chips",
        date: "2020-05-15",
        end: None,
        date_phrase: None,
        kind: EventKind::Imposed,
        title: "Foreign direct product rule aimed at Huawei’s chip design",
        summary: "Chips that Huawei designs with US software or technology may no longer be made for it abroad without a licence.",
        legal_instrument: Some("Foreign direct product rule, 15 CFR 736.2(b)(3); FR Doc. 2020-10856 (85 FR 29849, 19 May 2020)"),
        legal_act: Some((LegalActKind::FederalRegister, "2020-10856")),
        authorities: &[COMMERCE],
        targets: &["Huawei"],
        quotes: &[("2020-05-15-foreign-direct-product-rule", "On 15 May 2020 the Bureau of Industry and Security amended the foreign direct product rule to target Huawei’s ability to use US software and technology to design and manufacture its semiconductors abroad.")],
        steps: &[],
    },
    DemoEvent {
        slug: "uk-bars-huawei-from-5g-networks",
        date: "2020-07",
        end: None,
        date_phrase: None,
        kind: EventKind::Imposed,
        title: "United Kingdom bars new Huawei 5G equipment and orders removal by 2027",
        summary: "No new Huawei 5G kit may be bought after 2020, and existing kit must leave UK 5G networks by 2027.",
        legal_instrument: None,
        legal_act: None,
        authorities: &["UK Government"],
        targets: &["Huawei"],
        quotes: &[("2020-07-uk-5g", "In July 2020 the UK government ordered that no new Huawei 5G equipment may be bought after the end of 2020, and that all Huawei equipment must be removed from the country’s 5G networks by 2027.")],
        steps: &[
            (LifecycleStep::Announced, "2020-07", "2020-07-uk-5g", "In July 2020 the UK government ordered that no new Huawei 5G equipment may be bought after the end of 2020"),
        ],
    },
    DemoEvent {
        slug: "direct-product-rule-widened-38-affiliates-listed",
        date: "2020-08-17",
        end: None,
        date_phrase: None,
        kind: EventKind::Imposed,
        title: "Rule widened to all chips made with US tools; 38 affiliates listed",
        summary: "The foreign direct product rule now reaches chips made with US tools even when Huawei did not design them; 38 more affiliates are listed.",
        legal_instrument: Some("Foreign direct product rule, 15 CFR 736.2(b)(3); FR Doc. 2020-18213 (85 FR 51596, 20 August 2020)"),
        legal_act: Some((LegalActKind::FederalRegister, "2020-18213")),
        authorities: &[COMMERCE],
        targets: &["Huawei"],
        quotes: &[("2020-08-17-rule-expanded", "On 17 August 2020 the Department of Commerce further restricted Huawei’s access to US technology, extending the foreign direct product rule to chips made with US tools even where Huawei does not design them, and added 38 Huawei affiliates in 21 countries to the Entity List.")],
        steps: &[],
    },
    DemoEvent {
        slug: "fcc-bans-new-huawei-and-zte-equipment",
        date: "2022-11-25",
        end: None,
        date_phrase: None,
        kind: EventKind::Imposed,
        title: "FCC bans authorization of new Huawei and ZTE equipment",
        summary: "New telecommunications equipment from Huawei and ZTE can no longer be authorized for the US market.",
        legal_instrument: None,
        legal_act: None,
        authorities: &["Federal Communications Commission"],
        targets: &["Huawei", "ZTE"],
        quotes: &[("2022-11-25-fcc-equipment-ban", "On 25 November 2022 the Federal Communications Commission adopted rules that prohibit the authorization of new telecommunications equipment from Huawei and ZTE, finding that it poses an unacceptable risk to US national security.")],
        steps: &[
            (LifecycleStep::Adopted, "2022-11-25", "2022-11-25-fcc-equipment-ban", "On 25 November 2022 the Federal Communications Commission adopted rules"),
        ],
    },
];

/// (from slug, relation, to slug)
const RELATIONS: &[(&str, RelationKind, &str)] = &[
    (
        "temporary-general-license-for-huawei",
        RelationKind::Modifies,
        "huawei-added-to-the-entity-list",
    ),
    (
        "china-announces-unreliable-entity-list",
        RelationKind::RespondsTo,
        "huawei-added-to-the-entity-list",
    ),
    (
        "trump-eases-huawei-sanctions-at-g20-osaka",
        RelationKind::Modifies,
        "huawei-added-to-the-entity-list",
    ),
    (
        "white-house-limits-easing-to-widely-available-products",
        RelationKind::Clarifies,
        "trump-eases-huawei-sanctions-at-g20-osaka",
    ),
    (
        "huawei-licence-extended-and-46-affiliates-listed",
        RelationKind::Extends,
        "temporary-general-license-for-huawei",
    ),
    (
        "direct-product-rule-widened-38-affiliates-listed",
        RelationKind::Extends,
        "foreign-direct-product-rule-aimed-at-huawei-chips",
    ),
];

/// (actor, Wikidata item) where public sources agree on the item; others are left out
/// rather than guessed. Huawei Technologies: Q160120, as Wikidata's item and several
/// independent datasets that map companies to items give it.
const WIKIDATA_ITEMS: &[(&str, &str)] = &[("Huawei", "Q160120")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loaded {
    pub sources: usize,
    pub events: usize,
    pub citations: usize,
}

fn invalid(field: &'static str, reason: String) -> DbError {
    DbError::Invalid { field, reason }
}

/// Loads (or refreshes) the demo record in one transaction.
pub async fn load(pool: &PgPool) -> Result<Loaded, DbError> {
    let mut tx = pool.begin().await?;
    let mut source_ids: HashMap<&str, SourceId> = HashMap::new();
    let all_sources = sources();
    for s in &all_sources {
        let (y, m, d) = s.published_on;
        let new = NewSource {
            url: s.url.clone(),
            // No archived copy of these articles could be confirmed here: none is guessed.
            archive_url: None,
            title: s.title.into(),
            publisher: s.publisher.into(),
            authors: Vec::new(),
            published_on: NaiveDate::from_ymd_opt(y, m, d)
                .ok_or_else(|| invalid("published_on", format!("{y}-{m}-{d}")))?,
            language: s
                .language
                .parse::<LanguageTag>()
                .map_err(|e| invalid("language", e))?,
            body: s.body.clone(),
        };
        source_ids.insert(s.key, db::sources::upsert_by_url(&mut tx, &new).await?);
    }

    let mut event_ids: HashMap<&str, EventId> = HashMap::new();
    // A passage may be cited for the event and again for the step it states: count it once.
    let mut cited = std::collections::HashSet::new();
    for e in EVENTS {
        let parse_date = |s: &str| {
            s.parse::<FuzzyDate>()
                .map_err(|err| invalid("date", err.to_string()))
        };
        let slug = e.slug.parse::<Slug>().map_err(|err| invalid("slug", err))?;
        let draft = EventDraft {
            title: e.title.into(),
            summary: e.summary.into(),
            kind: e.kind,
            date: parse_date(e.date)?,
            end: e.end.map(parse_date).transpose()?,
            date_phrase: e.date_phrase.map(str::to_owned),
            authorities: e.authorities.iter().map(|s| s.to_string()).collect(),
            targets: e.targets.iter().map(|s| s.to_string()).collect(),
            legal_instrument: e.legal_instrument.map(str::to_owned),
            legal_act: e
                .legal_act
                .map(|(kind, id)| kind.parse(id).map_err(|err| invalid("legal_act", err)))
                .transpose()?,
            lifecycle: Lifecycle::from(
                e.steps
                    .iter()
                    .map(|(step, date, ..)| {
                        Ok(Milestone {
                            step: *step,
                            date: parse_date(date)?,
                        })
                    })
                    .collect::<Result<Vec<_>, DbError>>()?,
            ),
            quote: None,
            relation: None,
            removals: Default::default(),
        };
        let id = db::events::upsert_by_slug(&mut tx, &slug, EventStatus::Published, &draft).await?;
        for (source, exact) in e.quotes {
            let source = *source_ids
                .get(source)
                .ok_or_else(|| invalid("source", (*source).to_owned()))?;
            cited.insert(db::citations::cite(&mut tx, id, source, exact, None, None).await?);
        }
        for (step, _, source, exact) in e.steps {
            let source = *source_ids
                .get(source)
                .ok_or_else(|| invalid("source", (*source).to_owned()))?;
            cited.insert(db::citations::cite(&mut tx, id, source, exact, None, Some(*step)).await?);
        }
        event_ids.insert(e.slug, id);
    }
    for (from, kind, to) in RELATIONS {
        let (Some(&from), Some(&to)) = (event_ids.get(from), event_ids.get(to)) else {
            return Err(invalid("relation", format!("{from} → {to}")));
        };
        db::events::relate(&mut tx, from, *kind, to).await?;
    }
    for (name, qid) in WIKIDATA_ITEMS {
        // An editor's own choice is kept, and so is an item they gave another actor.
        sqlx::query!(
            "UPDATE actors SET wikidata_qid = $2 WHERE lower(name) = lower($1)
               AND wikidata_qid IS NULL
               AND NOT EXISTS (SELECT 1 FROM actors WHERE wikidata_qid = $2)",
            name,
            qid
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Loaded {
        sources: all_sources.len(),
        events: EVENTS.len(),
        citations: cited.len(),
    })
}

/// Loads the demo record only into an empty database (what `run` does at start-up).
pub async fn load_if_empty(pool: &PgPool) -> Result<Option<Loaded>, DbError> {
    let events = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM events"#)
        .fetch_one(pool)
        .await?;
    if events > 0 {
        return Ok(None);
    }
    load(pool).await.map(Some)
}

/// What the server does with the demo at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartUp {
    /// Load the demo record into an empty database (off with `SANCTIONS_NO_DEMO`).
    pub record: bool,
    /// Demo mode (`SANCTIONS_DEMO=1`, which `scripts/run` sets for its embedded
    /// database): also the demo editor, whose password the README publishes. Never
    /// otherwise.
    pub editor: bool,
}

impl StartUp {
    pub fn from_env() -> StartUp {
        StartUp {
            record: std::env::var_os("SANCTIONS_NO_DEMO").is_none(),
            editor: std::env::var("SANCTIONS_DEMO").is_ok_and(|v| v == "1"),
        }
    }

    /// Returns what was loaded, if anything.
    pub async fn prepare(self, pool: &PgPool) -> Result<Option<Loaded>, DbError> {
        let loaded = if self.record {
            load_if_empty(pool).await?
        } else {
            None
        };
        if self.editor {
            ensure_demo_editor(pool).await?;
        }
        Ok(loaded)
    }
}

/// The demo editor that demo mode creates (the README states it).
pub const DEMO_EDITOR_EMAIL: &str = "editor@sanctions-timeline.example";
pub const DEMO_EDITOR_PASSWORD: &str = "demo-editor-password";

/// Creates the demo editor account unless it exists.
pub async fn ensure_demo_editor(pool: &PgPool) -> Result<(), DbError> {
    use app::domain::account::{Email, NewPassword, Role};
    let email: Email = DEMO_EDITOR_EMAIL.parse().map_err(|e| invalid("email", e))?;
    let password: NewPassword = DEMO_EDITOR_PASSWORD
        .parse()
        .map_err(|e| invalid("password", e))?;
    let mut conn = pool.acquire().await?;
    match app::db::accounts::create(&mut conn, &email, "Demo Editor", &password, Role::Editor).await
    {
        Ok(_) | Err(DbError::Invalid { field: "email", .. }) => Ok(()),
        Err(e) => Err(e),
    }
}
