//! Relative dates in a source's own words ("lørdag", "for seks uger siden", "i går",
//! "last Thursday", "90 days later"), resolved against the source's publication date, in
//! Danish and English. The editor's form proposes what a selected passage's phrase means
//! and shows the reasoning; the editor accepts or changes it, so a guess is never saved
//! unseen.

use super::dates::{DatePrecision, FuzzyDate};
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// What a relative phrase in a passage means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedDate {
    /// The phrase exactly as the passage writes it (for the form's date-phrase field).
    pub phrase: String,
    pub date: FuzzyDate,
    /// How the date follows from the phrase and the publication date, for the editor.
    pub reasoning: String,
    /// The phrase is vaguer than the date given ("six weeks ago" is about a day).
    pub approximate: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

/// Which way from the publication date a phrase points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Before,
    After,
}

/// A word of the passage: lower-cased, with where it is in the original text.
struct Word {
    lower: String,
    start: usize,
    end: usize,
    /// Joined to the word before by `.`, `,` or `-` ("1.5", "10,000", "thirty-six"): not a
    /// count of its own.
    glued: bool,
    /// Written with a capital letter ("USA Today", "Good Friday").
    capital: bool,
    /// In capitals throughout ("SØNDAG", "USA"): a headline's or an acronym's.
    shouting: bool,
    /// One space from the word before: the two may be one name ("Sunday Times").
    spaced: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let glued = out.last().is_some_and(|before: &Word| {
                    before.end + 1 == s && matches!(text.as_bytes()[before.end], b'.' | b',' | b'-')
                });
                out.push(Word {
                    lower: text[s..i].to_lowercase(),
                    start: s,
                    end: i,
                    glued,
                    capital: text[s..i].chars().next().is_some_and(char::is_uppercase),
                    shouting: text[s..i].chars().count() > 1
                        && !text[s..i].chars().any(char::is_lowercase),
                    spaced: out.last().is_some_and(|before: &Word| {
                        before.end + 1 == s && text.as_bytes()[before.end] == b' '
                    }),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

fn number(word: &str) -> Option<u32> {
    if !word.is_empty() && word.len() <= 4 && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    Some(match word {
        "en" | "et" | "én" | "ét" | "a" | "an" | "one" => 1,
        "to" | "two" => 2,
        "tre" | "three" => 3,
        "fire" | "four" => 4,
        "fem" | "five" => 5,
        "seks" | "six" => 6,
        "syv" | "seven" => 7,
        "otte" | "eight" => 8,
        "ni" | "nine" => 9,
        "ti" | "ten" => 10,
        "elleve" | "eleven" => 11,
        "tolv" | "twelve" => 12,
        "fjorten" | "fourteen" => 14,
        "femten" | "fifteen" => 15,
        "tyve" | "twenty" => 20,
        "tredive" | "thirty" => 30,
        "fyrre" | "forty" => 40,
        "halvtreds" | "fifty" => 50,
        "tres" | "sixty" => 60,
        "halvfems" | "ninety" => 90,
        "hundrede" | "hundred" => 100,
        _ => return None,
    })
}

fn unit(word: &str) -> Option<Unit> {
    Some(match word {
        "dag" | "dage" | "dagen" | "dagene" | "day" | "days" => Unit::Day,
        "uge" | "uger" | "ugen" | "ugerne" | "week" | "weeks" => Unit::Week,
        "måned" | "måneder" | "måneden" | "månederne" | "month" | "months" => Unit::Month,
        "år" | "året" | "årene" | "year" | "years" => Unit::Year,
        _ => return None,
    })
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "mandag" | "monday" => Weekday::Mon,
        "tirsdag" | "tuesday" => Weekday::Tue,
        "onsdag" | "wednesday" => Weekday::Wed,
        "torsdag" | "thursday" => Weekday::Thu,
        "fredag" | "friday" => Weekday::Fri,
        "lørdag" | "saturday" => Weekday::Sat,
        "søndag" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The Danish "i fredags": last Friday, never today.
fn past_weekday(word: &str) -> Option<Weekday> {
    word.strip_suffix('s').and_then(weekday)
}

fn day(d: NaiveDate) -> FuzzyDate {
    FuzzyDate::new(d, DatePrecision::Day)
}

fn short(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// A meaning found at one word: how many words the phrase takes, and what it says.
struct Found {
    len: usize,
    date: FuzzyDate,
    reasoning: String,
    approximate: bool,
}

fn shift(published: NaiveDate, n: u32, unit: Unit, way: Direction) -> Option<Found> {
    let date = match (unit, way) {
        (Unit::Day, Direction::Before) => published.checked_sub_days(Days::new(n.into()))?,
        (Unit::Day, Direction::After) => published.checked_add_days(Days::new(n.into()))?,
        (Unit::Week, Direction::Before) => published.checked_sub_days(Days::new(7 * n as u64))?,
        (Unit::Week, Direction::After) => published.checked_add_days(Days::new(7 * n as u64))?,
        (Unit::Month, Direction::Before) => published.checked_sub_months(Months::new(n))?,
        (Unit::Month, Direction::After) => published.checked_add_months(Months::new(n))?,
        (Unit::Year, Direction::Before) => published.checked_sub_months(Months::new(12 * n))?,
        (Unit::Year, Direction::After) => published.checked_add_months(Months::new(12 * n))?,
    };
    // Weeks are counted loosely in news ("six weeks ago" of 29 June was 15 May); months
    // and years are given to the month and the year they name.
    let (date, approximate) = match unit {
        Unit::Day => (day(date), false),
        Unit::Week => (day(date), true),
        Unit::Month => (FuzzyDate::new(date, DatePrecision::Month), false),
        Unit::Year => (FuzzyDate::new(date, DatePrecision::Year), false),
    };
    let unit_name = match (unit, n) {
        (Unit::Day, 1) => "day",
        (Unit::Day, _) => "days",
        (Unit::Week, 1) => "week",
        (Unit::Week, _) => "weeks",
        (Unit::Month, 1) => "month",
        (Unit::Month, _) => "months",
        (Unit::Year, 1) => "year",
        (Unit::Year, _) => "years",
    };
    let way_name = match way {
        Direction::Before => "before",
        Direction::After => "after",
    };
    Some(Found {
        len: 0,
        reasoning: format!(
            "{n} {unit_name} {way_name} {}{} = {date}",
            short(published),
            if approximate { ", about" } else { "" }
        ),
        date,
        approximate,
    })
}

/// The weekday `w` nearest to `published` in one direction; `inclusive` lets it be the
/// publication day itself ("lørdag" in Saturday's paper is that Saturday).
fn nearest(published: NaiveDate, w: Weekday, way: Direction, inclusive: bool) -> Option<NaiveDate> {
    let from = published.weekday().num_days_from_monday() as i64;
    let to = w.num_days_from_monday() as i64;
    let mut gap = match way {
        Direction::Before => (from - to).rem_euclid(7),
        Direction::After => (to - from).rem_euclid(7),
    };
    if gap == 0 && !inclusive {
        gap = 7;
    }
    match way {
        Direction::Before => published.checked_sub_days(Days::new(gap as u64)),
        Direction::After => published.checked_add_days(Days::new(gap as u64)),
    }
}

fn on_weekday(
    published: NaiveDate,
    w: Weekday,
    way: Direction,
    inclusive: bool,
    said: &str,
    len: usize,
) -> Option<Found> {
    let date = nearest(published, w, way, inclusive)?;
    let relation = match (way, inclusive) {
        (Direction::Before, true) => "on or before",
        (Direction::Before, false) => "before",
        (Direction::After, true) => "on or after",
        (Direction::After, false) => "after",
    };
    Some(Found {
        len,
        date: day(date),
        reasoning: format!("{said} {relation} {} = {}", short(published), short(date)),
        approximate: false,
    })
}

fn fixed(published: NaiveDate, days: i64, said: &str, len: usize) -> Option<Found> {
    let date = published.checked_add_signed(chrono::Duration::days(days))?;
    let relation = match days {
        0 => "the day of".to_owned(),
        1 => "the day after".to_owned(),
        -1 => "the day before".to_owned(),
        d if d < 0 => format!("{} days before", -d),
        d => format!("{d} days after"),
    };
    Some(Found {
        len,
        date: day(date),
        reasoning: format!("{said}: {relation} {} = {}", short(published), short(date)),
        approximate: false,
    })
}

/// "last month", "i år", ...: the period itself, at its precision.
fn period(published: NaiveDate, unit: Unit, offset: i32, said: &str, len: usize) -> Option<Found> {
    let (date, precision) = match unit {
        Unit::Month => {
            let first = published.with_day(1)?;
            let date = if offset < 0 {
                first.checked_sub_months(Months::new(offset.unsigned_abs()))?
            } else {
                first.checked_add_months(Months::new(offset as u32))?
            };
            (date, DatePrecision::Month)
        }
        Unit::Year => (
            NaiveDate::from_ymd_opt(published.year() + offset, 1, 1)?,
            DatePrecision::Year,
        ),
        Unit::Day | Unit::Week => return None,
    };
    let date = FuzzyDate::new(date, precision);
    Some(Found {
        len,
        reasoning: format!("{said}, seen from {} = {date}", short(published)),
        date,
        approximate: false,
    })
}

/// What the phrase starting at word `i` means, if it is one this knows.
fn meaning_at(w: &[&str], found: &[Word], i: usize, published: NaiveDate) -> Option<Found> {
    let at = |k: usize| w.get(i + k).copied().unwrap_or("");
    let said = |len: usize| w[i..(i + len).min(w.len())].join(" ");
    let glued = |k: usize| found.get(i + k).is_some_and(|w| w.glued);
    let counted = |k: usize| -> Option<(u32, Unit)> {
        if glued(k) || glued(k + 1) {
            return None;
        }
        Some((number(at(k))?, unit(at(k + 1))?))
    };
    // A name that holds a day's word ("USA Today", "Good Friday", "The Sunday Times"):
    // a capitalised word before it that is no preposition starting the sentence.
    let in_a_name = || {
        i > 0
            && found[i - 1].capital
            && !matches!(
                w[i - 1],
                "on" | "last"
                    | "next"
                    | "this"
                    | "since"
                    | "by"
                    | "until"
                    | "from"
                    | "på"
                    | "i"
                    | "fra"
                    | "til"
                    | "siden"
                    | "sidste"
                    | "næste"
                    | "denne"
                    | "om"
            )
    };
    let article = |k: usize| matches!(at(k), "a" | "an" | "en" | "et" | "én" | "ét");
    let with_len = |found: Option<Found>, len: usize| {
        found.map(|f| Found {
            len,
            reasoning: format!("{}: {}", said(len), f.reasoning),
            ..f
        })
    };

    // Counted spans: "for seks uger siden", "six weeks ago", "om tre dage", "in 90 days",
    // "90 days later", "seks uger efter at ...".
    if at(0) == "for" {
        if let Some((n, u)) = counted(1) {
            if at(3) == "siden" {
                return with_len(shift(published, n, u, Direction::Before), 4);
            }
        }
    }
    // "in a year" is as often "within a year" as "a year from now": only a count.
    if (at(0) == "om" || at(0) == "in") && !article(1) {
        if let Some((n, u)) = counted(1) {
            return with_len(shift(published, n, u, Direction::After), 3);
        }
    }
    if let Some((n, u)) = counted(0) {
        match (at(2), at(3)) {
            ("ago" | "siden" | "earlier" | "tidligere", _) => {
                return with_len(shift(published, n, u, Direction::Before), 3);
            }
            // "seks uger efter at han indførte ...": what follows "at" happened that long
            // before the moment reported, taken as the publication date.
            ("efter", "at") => {
                return with_len(shift(published, n, u, Direction::Before), 4);
            }
            ("later" | "senere", _) => {
                return with_len(shift(published, n, u, Direction::After), 3);
            }
            ("from", "now") => return with_len(shift(published, n, u, Direction::After), 4),
            // "six weeks after the listing", "two days before the deadline": counted from
            // another event, which the publication date does not tell.
            _ => {}
        }
    }

    // Days named by their relation to today.
    match (at(0), at(1), at(2), at(3), at(4)) {
        ("the", "day", "before", "yesterday", _) => return fixed(published, -2, &said(4), 4),
        ("the", "day", "after", "tomorrow", _) => return fixed(published, 2, &said(4), 4),
        ("i", "dag", ..) => return fixed(published, 0, &said(2), 2),
        ("i", "går", ..) => return fixed(published, -1, &said(2), 2),
        ("i", "forgårs", ..) => return fixed(published, -2, &said(2), 2),
        ("i", "morgen", ..) => return fixed(published, 1, &said(2), 2),
        ("i", "overmorgen", ..) => return fixed(published, 2, &said(2), 2),
        ("today", ..) if !in_a_name() => return fixed(published, 0, &said(1), 1),
        ("yesterday", ..) if !in_a_name() => return fixed(published, -1, &said(1), 1),
        ("tomorrow", ..) if !in_a_name() => return fixed(published, 1, &said(1), 1),
        _ => {}
    }

    // Periods: "last month", "sidste år", "i år", "i fjor", "this year", "next month".
    let unit_of = |word: &str| match word {
        "month" | "måned" => Some(Unit::Month),
        "year" | "år" => Some(Unit::Year),
        _ => None,
    };
    match (at(0), at(1)) {
        ("i", "fjor") => return period(published, Unit::Year, -1, &said(2), 2),
        ("i", "år") => return period(published, Unit::Year, 0, &said(2), 2),
        ("this" | "denne", u) => {
            if let Some(u) = unit_of(u) {
                return period(published, u, 0, &said(2), 2);
            }
        }
        // Not "de sidste år" / "over the last year" (recent years, not last year).
        ("last" | "sidste" | "forrige", u)
            if !(i > 0 && matches!(w[i - 1], "de" | "the" | "over" | "in" | "i" | "during")) =>
        {
            if let Some(u) = unit_of(u) {
                return period(published, u, -1, &said(2), 2);
            }
        }
        ("next" | "næste", u) => {
            if let Some(u) = unit_of(u) {
                return period(published, u, 1, &said(2), 2);
            }
        }
        _ => {}
    }

    // Weekdays: "i fredags", "last Friday", "sidste fredag", "next Friday", "næste fredag",
    // "på fredag" (the coming one), or a bare "lørdag" / "on Saturday" (on or before the
    // publication: news reports what has happened).
    match (at(0), at(1)) {
        ("i", d) => {
            if let Some(wd) = past_weekday(d) {
                return on_weekday(published, wd, Direction::Before, false, &said(2), 2);
            }
        }
        ("last" | "sidste" | "forrige", d) => {
            if let Some(wd) = weekday(d) {
                return on_weekday(published, wd, Direction::Before, false, &said(2), 2);
            }
        }
        ("next" | "næste" | "på", d) => {
            if let Some(wd) = weekday(d) {
                return on_weekday(published, wd, Direction::After, false, &said(2), 2);
            }
        }
        ("this" | "denne" | "coming" | "kommende", d) => {
            if let Some(wd) = weekday(d) {
                return on_weekday(published, wd, Direction::After, true, &said(2), 2);
            }
        }
        _ => {}
    }
    // Not a day in a name: "Good Friday", "Super Tuesday", "The Sunday Times".
    let named_day = found.get(i + 1).is_some_and(|next| {
        next.capital && next.spaced && found[i].capital && !(next.shouting || found[i].shouting)
    }) || (i > 0
        && matches!(
            w[i - 1],
            "good"
                | "super"
                | "black"
                | "cyber"
                | "ash"
                | "holy"
                | "easter"
                | "palm"
                | "bloody"
                | "maundy"
                | "shrove"
                | "langfredag"
                | "skærtorsdag"
        ));
    if named_day {
        return None;
    }
    weekday(at(0)).and_then(|wd| on_weekday(published, wd, Direction::Before, true, &said(1), 1))
}

/// The first relative date in `passage`, read against the publication date of its source.
/// `None` when the passage has none this knows (an absolute date needs no help).
pub fn resolve(passage: &str, published: NaiveDate) -> Option<ResolvedDate> {
    let found = words(passage);
    let lower: Vec<&str> = found.iter().map(|w| w.lower.as_str()).collect();
    (0..lower.len()).find_map(|i| {
        let m = meaning_at(&lower, &found, i, published)?;
        let last = &found[(i + m.len).min(found.len()) - 1];
        Some(ResolvedDate {
            phrase: passage[found[i].start..last.end].to_owned(),
            date: m.date,
            reasoning: m.reasoning,
            approximate: m.approximate,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// (passage, publication date, the phrase found, the date as the form takes it)
    const TABLE: &[(&str, &str, &str, &str)] = &[
        // The seed article (Computerworld, Saturday 29 June 2019).
        (
            "Udtalelsen faldt lørdag i forbindelse med Trumps deltagelse på G20-møde i Japan",
            "2019-06-29",
            "lørdag",
            "2019-06-29",
        ),
        (
            "som han indførte på amerikanske virksomheders handel med kinesiske Huawei for seks uger siden.",
            "2019-06-29",
            "for seks uger siden",
            "2019-05-18",
        ),
        (
            "Seks uger efter at han indførte massive sanktioner, lemper USA’s præsident Donald Trump på forholdene",
            "2019-06-29",
            "Seks uger efter at",
            "2019-05-18",
        ),
        // Danish.
        ("Ministeren sagde i går, at", "2019-06-29", "i går", "2019-06-28"),
        ("Det skete i forgårs.", "2019-06-29", "i forgårs", "2019-06-27"),
        ("I dag træder reglerne i kraft", "2019-06-29", "I dag", "2019-06-29"),
        ("Reglerne gælder fra i morgen", "2019-06-29", "i morgen", "2019-06-30"),
        ("og fra i overmorgen", "2019-06-29", "i overmorgen", "2019-07-01"),
        ("Listen blev udvidet i fredags", "2019-06-29", "i fredags", "2019-06-28"),
        ("Det blev besluttet i lørdags", "2019-06-29", "i lørdags", "2019-06-22"),
        ("Mødet holdes på mandag", "2019-06-29", "på mandag", "2019-07-01"),
        ("Sanktionerne blev indført sidste tirsdag", "2019-06-29", "sidste tirsdag", "2019-06-25"),
        ("EU vedtog onsdag nye sanktioner", "2019-06-29", "onsdag", "2019-06-26"),
        ("Beslutningen kom torsdag aften", "2019-07-04", "torsdag", "2019-07-04"),
        ("Rådet mødes næste fredag", "2019-06-29", "næste fredag", "2019-07-05"),
        ("The rules take effect this Friday", "2019-06-24", "this Friday", "2019-06-28"),
        ("Reglerne gælder fra denne fredag", "2019-06-28", "denne fredag", "2019-06-28"),
        ("On Saturday, Trump said", "2019-06-29", "Saturday", "2019-06-29"),
        ("for tre dage siden", "2019-06-29", "for tre dage siden", "2019-06-26"),
        ("for 10 dage siden", "2019-06-29", "for 10 dage siden", "2019-06-19"),
        ("for to måneder siden", "2019-06-29", "for to måneder siden", "2019-04"),
        ("for et år siden", "2019-06-29", "for et år siden", "2018"),
        ("Licensen udløber om 90 dage", "2019-06-29", "om 90 dage", "2019-09-27"),
        ("tre uger senere", "2019-06-29", "tre uger senere", "2019-07-20"),
        ("fem dage tidligere", "2019-06-29", "fem dage tidligere", "2019-06-24"),
        ("Loven blev vedtaget i fjor", "2019-06-29", "i fjor", "2018"),
        ("Listen er blevet udvidet to gange i år", "2019-06-29", "i år", "2019"),
        ("Sanktionerne blev forlænget sidste måned", "2019-06-29", "sidste måned", "2019-05"),
        ("næste år ventes flere", "2019-06-29", "næste år", "2020"),
        ("SØNDAG MEDDELTE KOMMISSIONEN", "2019-06-30", "SØNDAG", "2019-06-30"),
        // English.
        ("The Commerce Department said yesterday", "2019-06-29", "yesterday", "2019-06-28"),
        ("The rule takes effect today", "2019-05-16", "today", "2019-05-16"),
        ("It will be published tomorrow", "2019-05-16", "tomorrow", "2019-05-17"),
        ("the day before yesterday, Treasury", "2019-05-16", "the day before yesterday", "2019-05-14"),
        ("from the day after tomorrow", "2019-05-16", "the day after tomorrow", "2019-05-18"),
        ("The listing, announced last Thursday, bars", "2019-05-20", "last Thursday", "2019-05-16"),
        ("Trump said on Saturday that", "2019-06-29", "Saturday", "2019-06-29"),
        ("Officials met on Monday", "2019-06-29", "Monday", "2019-06-24"),
        ("The talks resume next Tuesday", "2019-06-29", "next Tuesday", "2019-07-02"),
        ("The licence expires 90 days later", "2019-05-20", "90 days later", "2019-08-18"),
        ("six weeks ago the US added Huawei", "2019-06-29", "six weeks ago", "2019-05-18"),
        ("two days ago", "2019-06-29", "two days ago", "2019-06-27"),
        ("three months ago", "2019-06-29", "three months ago", "2019-03"),
        ("a year ago", "2019-06-29", "a year ago", "2018"),
        ("in 30 days", "2019-05-20", "in 30 days", "2019-06-19"),
        ("two weeks earlier", "2019-06-29", "two weeks earlier", "2019-06-15"),
        ("ten days from now", "2019-06-29", "ten days from now", "2019-07-09"),
        ("The ban was tightened last month", "2019-06-29", "last month", "2019-05"),
        ("sanctions imposed last year", "2019-06-29", "last year", "2018"),
        ("for the rest of this year", "2019-06-29", "this year", "2019"),
        ("next month the rule", "2019-12-15", "next month", "2020-01"),
        ("yesterday", "2020-03-01", "yesterday", "2020-02-29"),
        ("one month ago", "2019-03-31", "one month ago", "2019-02"),
    ];

    #[test]
    fn a_table_of_danish_and_english_phrases_resolves_against_the_publication_date() {
        assert!(TABLE.len() >= 40);
        for (passage, published, phrase, want) in TABLE {
            let got = resolve(passage, d(published))
                .unwrap_or_else(|| panic!("nothing found in {passage:?}"));
            assert_eq!(&got.phrase, phrase, "in {passage:?}");
            assert_eq!(got.date.iso(), *want, "{passage:?}: {}", got.reasoning);
        }
    }

    #[test]
    fn the_reasoning_shows_how_the_date_follows() {
        let r = resolve("Udtalelsen faldt lørdag", d("2019-06-29")).unwrap();
        assert_eq!(r.reasoning, "lørdag on or before 29 Jun 2019 = 29 Jun 2019");
        let r = resolve("for seks uger siden", d("2019-06-29")).unwrap();
        assert!(r.approximate);
        assert_eq!(
            r.reasoning,
            "for seks uger siden: 6 weeks before 29 Jun 2019, about = 18 May 2019"
        );
    }

    #[test]
    fn passages_without_a_relative_date_propose_nothing() {
        for passage in [
            "",
            "Huawei blev føjet til Entity List den 16. maj 2019.",
            "The rule was published in the Federal Register on 21 May 2019.",
            "for mange år siden",
            "Ren Ke sagde for få dage siden til Computerworld",
            "to",
            "99999 days ago",
            "🙂 ✓ « » — ",
            // Counted from another event, which the publication date does not tell.
            "Six weeks after the US added Huawei to the list",
            "Seks uger efter indførelsen af forbuddet",
            "two days before the deadline",
            // Parts of a larger number.
            "1.5 years ago",
            "for 2,5 år siden",
            "10,000 days ago",
            "Thirty-six days later",
            // "whether", "within".
            "sales fell 30% in a year",
            // Names, and "recent years".
            "USA Today reported",
            "according to Russia Today",
            "The Sunday Times reported",
            "the Good Friday Agreement",
            "after Super Tuesday",
            "Huawei er vokset de sidste år",
            "over the last year",
        ] {
            assert_eq!(resolve(passage, d("2019-06-29")), None, "{passage:?}");
        }
    }

    #[test]
    fn the_phrase_keeps_the_passages_own_letters_and_case() {
        let r = resolve("«I GÅR» sagde han", d("2019-06-29")).unwrap();
        assert_eq!(r.phrase, "I GÅR");
        assert_eq!(r.date.iso(), "2019-06-28");
    }

    #[test]
    fn dates_at_the_calendars_edges_do_not_panic() {
        assert_eq!(resolve("in 100 years", NaiveDate::MAX), None);
        assert_eq!(resolve("yesterday", NaiveDate::MIN), None);
        assert_eq!(resolve("last Friday", NaiveDate::MIN), None);
    }
}
