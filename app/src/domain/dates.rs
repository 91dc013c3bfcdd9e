//! Dates as sources give them: a calendar date plus how precisely it is known.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Finest first, so `Day < Month < Year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

impl FromStr for DatePrecision {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "day" => Ok(DatePrecision::Day),
            "month" => Ok(DatePrecision::Month),
            "year" => Ok(DatePrecision::Year),
            other => Err(DateError::UnknownPrecision(other.to_owned())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("“{0}” is not a date: write it as YYYY, YYYY-MM or YYYY-MM-DD")]
    Malformed(String),
    #[error("“{0}” is not a day of the calendar")]
    NoSuchDay(String),
    #[error("“{0}” is not a date precision: use day, month or year")]
    UnknownPrecision(String),
}

/// A date known to a day, a month or a year. `date` is the first day of the period,
/// so ordering and range queries work on it directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct FuzzyDate {
    #[serde(
        serialize_with = "day::serialize",
        deserialize_with = "day::deserialize"
    )]
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl FuzzyDate {
    /// Normalises the date to the start of its period, so two spellings of
    /// "May 2019" are the same value.
    pub fn new(date: NaiveDate, precision: DatePrecision) -> Self {
        let date = match precision {
            DatePrecision::Day => date,
            DatePrecision::Month => date.with_day(1).unwrap_or(date),
            DatePrecision::Year => NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap_or(date),
        };
        FuzzyDate { date, precision }
    }

    pub fn day(date: NaiveDate) -> Self {
        FuzzyDate::new(date, DatePrecision::Day)
    }

    /// The last day the period covers: the day itself, the month's last day, 31 December.
    pub fn last_day(&self) -> NaiveDate {
        match self.precision {
            DatePrecision::Day => self.date,
            DatePrecision::Month => {
                let (y, m) = if self.date.month() == 12 {
                    (self.date.year() + 1, 1)
                } else {
                    (self.date.year(), self.date.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1)
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(self.date)
            }
            DatePrecision::Year => {
                NaiveDate::from_ymd_opt(self.date.year(), 12, 31).unwrap_or(self.date)
            }
        }
    }

    pub fn month_name(&self) -> &'static str {
        MONTHS[self.date.month0() as usize]
    }

    /// ISO 8601 at the date's precision: `2019`, `2019-05`, `2019-05-16`.
    pub fn iso(&self) -> String {
        let d = self.date;
        match self.precision {
            DatePrecision::Day => iso_day(d),
            DatePrecision::Month => format!("{:04}-{:02}", d.year(), d.month()),
            DatePrecision::Year => format!("{:04}", d.year()),
        }
    }
}

/// `2019-05-16`, as chrono's `%Y-%m-%d` writes a year of four digits. Without chrono's
/// format strings the browser's code does not carry their parser.
pub fn iso_day(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// The last day an event dated `start` (to `end`, for a range) covers: what the timeline
/// draws and what the period filters compare with.
pub fn covers_until(start: FuzzyDate, end: Option<FuzzyDate>) -> NaiveDate {
    end.unwrap_or(start).last_day().max(start.date)
}

/// Why `end` cannot close a range that begins at `start`, if it cannot: it must not be
/// over before the start begins (a range within one month may end "in" that month).
pub fn end_before_start(start: FuzzyDate, end: FuzzyDate) -> Option<String> {
    (end.last_day() < start.date).then(|| format!("the end ({end}) is before the start ({start})"))
}

/// Human form at the date's precision: "16 May 2019", "May 2019", "2019".
impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.precision {
            DatePrecision::Day => write!(
                f,
                "{} {} {}",
                self.date.day(),
                self.month_name(),
                self.date.year()
            ),
            DatePrecision::Month => write!(f, "{} {}", self.month_name(), self.date.year()),
            DatePrecision::Year => write!(f, "{}", self.date.year()),
        }
    }
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the form chooses the precision.
impl FromStr for FuzzyDate {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let num = |p: &str, len: usize| -> Result<u32, DateError> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError::Malformed(s.to_owned()));
            }
            p.parse().map_err(|_| DateError::Malformed(s.to_owned()))
        };
        let (y, m, d, precision) = match parts.as_slice() {
            [y] => (num(y, 4)?, 1, 1, DatePrecision::Year),
            [y, m] => (num(y, 4)?, num(m, 2)?, 1, DatePrecision::Month),
            [y, m, d] => (num(y, 4)?, num(m, 2)?, num(d, 2)?, DatePrecision::Day),
            _ => return Err(DateError::Malformed(s.to_owned())),
        };
        let date = NaiveDate::from_ymd_opt(y as i32, m, d)
            .ok_or_else(|| DateError::NoSuchDay(s.to_owned()))?;
        Ok(FuzzyDate { date, precision })
    }
}

/// Parses a full calendar date (`YYYY-MM-DD`), as the API's `from`/`to` take.
pub fn parse_iso_day(s: &str) -> Result<NaiveDate, DateError> {
    let d: FuzzyDate = s.parse()?;
    if d.precision != DatePrecision::Day {
        return Err(DateError::Malformed(s.to_owned()));
    }
    Ok(d.date)
}

/// How a calendar date travels: as `YYYY-MM-DD` in JSON and other formats people
/// read, as a day number in postcard, in which the timeline's windows and pages travel
/// (chrono's own serde parses every date with its general format parser: about 6 KB
/// of the readers' bundle, and most of a window's decoding).
/// For fields: `#[serde(serialize_with = "day::serialize", deserialize_with =
/// "day::deserialize")]` (schemars still sees a date).
pub mod day {
    use super::{parse_iso_day, NaiveDate};
    use chrono::Datelike;
    use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

    struct Day(NaiveDate);

    impl Serialize for Day {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            if s.is_human_readable() {
                s.collect_str(&self.0)
            } else {
                s.serialize_i32(self.0.num_days_from_ce())
            }
        }
    }

    impl<'de> Deserialize<'de> for Day {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            if d.is_human_readable() {
                d.deserialize_str(IsoDay)
            } else {
                let n = i32::deserialize(d)?;
                NaiveDate::from_num_days_from_ce_opt(n)
                    .map(Day)
                    .ok_or_else(|| de::Error::custom(format!("no such day: {n}")))
            }
        }
    }

    struct IsoDay;

    impl de::Visitor<'_> for IsoDay {
        type Value = Day;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date as YYYY-MM-DD")
        }

        fn visit_str<E: de::Error>(self, v: &str) -> Result<Day, E> {
            parse_iso_day(v).map(Day).map_err(E::custom)
        }
    }

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        Day(*d).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        Day::deserialize(d).map(|d| d.0)
    }

    /// For an `Option<NaiveDate>` (with `#[serde(default)]`: absent is none).
    pub mod option {
        use super::*;

        pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            d.map(Day).serialize(s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            Ok(Option::<Day>::deserialize(d)?.map(|d| d.0))
        }
    }

    /// For a count per day, `Vec<(NaiveDate, i64)>`.
    pub mod counts {
        use super::*;

        pub fn serialize<S: Serializer>(v: &[(NaiveDate, i64)], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(v.iter().map(|(d, n)| (Day(*d), n)))
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Vec<(NaiveDate, i64)>, D::Error> {
            let v = Vec::<(Day, i64)>::deserialize(d)?;
            Ok(v.into_iter().map(|(d, n)| (d.0, n)).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shows_each_precision_as_people_write_it() {
        assert_eq!(FuzzyDate::day(ymd(2019, 5, 16)).to_string(), "16 May 2019");
        assert_eq!(
            FuzzyDate::new(ymd(2019, 5, 16), DatePrecision::Month).to_string(),
            "May 2019"
        );
        assert_eq!(
            FuzzyDate::new(ymd(2019, 5, 16), DatePrecision::Year).to_string(),
            "2019"
        );
    }

    /// Ordinary days and the calendar's edges.
    fn sample_days() -> [NaiveDate; 6] {
        [
            ymd(2019, 5, 16),
            ymd(1, 1, 1),
            ymd(999, 12, 31),
            ymd(1970, 1, 1),
            ymd(9999, 2, 3),
            ymd(9999, 12, 31),
        ]
    }

    #[test]
    fn dates_travel_as_people_read_them_in_json_and_as_day_numbers_in_postcard() {
        for d in sample_days() {
            let date = FuzzyDate::day(d);
            let json = serde_json::to_value(date).unwrap();
            assert_eq!(json["date"], d.format("%Y-%m-%d").to_string());
            assert_eq!(serde_json::from_value::<FuzzyDate>(json).unwrap(), date);
            let bytes = postcard::to_allocvec(&date).unwrap();
            // A varint day number and the precision: no text.
            assert!(bytes.len() <= 5, "{bytes:?}");
            assert_eq!(postcard::from_bytes::<FuzzyDate>(&bytes).unwrap(), date);
        }
    }

    #[test]
    fn a_date_that_is_not_one_is_refused_with_a_reason() {
        let err = serde_json::from_str::<FuzzyDate>(r#"{"date":"2019-02-30","precision":"day"}"#)
            .unwrap_err();
        assert!(err.to_string().contains("2019-02-30"), "{err}");
        assert!(
            serde_json::from_str::<FuzzyDate>(r#"{"date":"29 June","precision":"day"}"#).is_err()
        );
        // A day number past chrono's last day.
        let bytes = postcard::to_allocvec(&(i32::MAX, DatePrecision::Day)).unwrap();
        assert!(postcard::from_bytes::<FuzzyDate>(&bytes).is_err());
    }

    #[test]
    fn iso_dates_are_written_as_chrono_writes_them() {
        for d in sample_days() {
            for (precision, format) in [
                (DatePrecision::Day, "%Y-%m-%d"),
                (DatePrecision::Month, "%Y-%m"),
                (DatePrecision::Year, "%Y"),
            ] {
                let ours = FuzzyDate::new(d, precision).iso();
                assert_eq!(ours, d.format(format).to_string(), "{d} {precision:?}");
            }
        }
    }

    #[test]
    fn parses_precision_from_the_form_of_the_date() {
        let m: FuzzyDate = "2019-05".parse().unwrap();
        assert_eq!(m, FuzzyDate::new(ymd(2019, 5, 1), DatePrecision::Month));
        assert_eq!(m.last_day(), ymd(2019, 5, 31));
        let y: FuzzyDate = "2020".parse().unwrap();
        assert_eq!(y.last_day(), ymd(2020, 12, 31));
        assert_eq!(
            "2019-06-29".parse::<FuzzyDate>().unwrap().iso(),
            "2019-06-29"
        );
    }

    #[test]
    fn refuses_dates_that_do_not_exist_or_are_malformed() {
        assert_eq!(
            "2019-02-30".parse::<FuzzyDate>(),
            Err(DateError::NoSuchDay("2019-02-30".into()))
        );
        for bad in [
            "",
            "19-05-01",
            "2019/05/01",
            "2019-5-1",
            "2019-05-01-02",
            "abcd",
        ] {
            assert!(bad.parse::<FuzzyDate>().is_err(), "{bad} parsed");
        }
        assert!(parse_iso_day("2019-05").is_err());
    }
}
