//! A sanction event: who imposed, eased or lifted what on whom, and when.

use super::citation::Citation;
use super::dates::FuzzyDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EventId(pub i64);

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The readable part of a permalink: lowercase ASCII words joined by hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Slug(String);

impl Slug {
    /// Makes a slug from a title, spelling out Nordic and German letters the way their
    /// readers would (æ→ae, ø→oe, å→aa, ß→ss) and dropping what has no ASCII form.
    pub fn from_title(title: &str) -> Slug {
        let mut out = String::new();
        let mut pending_dash = false;
        for c in title.chars().flat_map(|c| c.to_lowercase()) {
            let piece: &str = match c {
                'æ' | 'ä' => "ae",
                'ø' | 'ö' => "oe",
                'å' => "aa",
                'ü' => "ue",
                'ß' => "ss",
                'é' | 'è' | 'ê' | 'ë' => "e",
                'á' | 'à' | 'â' => "a",
                'í' | 'ì' | 'î' | 'ï' => "i",
                'ó' | 'ò' | 'ô' => "o",
                'ú' | 'ù' | 'û' => "u",
                'ç' => "c",
                'ñ' => "n",
                c if c.is_ascii_alphanumeric() => {
                    if pending_dash && !out.is_empty() {
                        out.push('-');
                    }
                    pending_dash = false;
                    out.push(c);
                    continue;
                }
                _ => {
                    pending_dash = true;
                    continue;
                }
            };
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push_str(piece);
        }
        // Long titles make unwieldy URLs; cut at a word boundary.
        if out.len() > 80 {
            let cut = out[..80].rfind('-').unwrap_or(80);
            out.truncate(cut);
        }
        if out.is_empty() {
            out.push_str("event");
        }
        Slug(out)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Slug {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let ok = !s.is_empty()
            && s.len() <= 100
            && s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if ok {
            Ok(Slug(s.to_owned()))
        } else {
            Err(format!(
                "“{s}” is not a slug: use lowercase letters and digits joined by single hyphens"
            ))
        }
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a permalink's path segment names: `42` or `42-huawei-added-to-entity-list`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventKey {
    pub id: EventId,
    pub slug: Option<String>,
}

impl FromStr for EventKey {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (id, slug) = match s.split_once('-') {
            Some((id, slug)) => (id, Some(slug.to_owned())),
            None => (s, None),
        };
        if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(());
        }
        let id = id.parse::<i64>().map_err(|_| ())?;
        Ok(EventKey {
            id: EventId(id),
            slug,
        })
    }
}

/// The path of an event's canonical permalink.
pub fn permalink_path(id: EventId, slug: &Slug) -> String {
    format!("/events/{}-{}", id.0, slug.as_str())
}

macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($variant:ident => $word:literal / $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and used in URLs and JSON.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// The word shown to people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("“{}” is not ", $what, "; use one of: {}"),
                        other,
                        [$($word),+].join(", ")
                    )),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use word_enum;

word_enum!(
    /// What an event did to the sanctions regime.
    EventKind, "an event kind" {
        Imposed => "imposed" / "Imposed",
        Eased => "eased" / "Eased",
        Lifted => "lifted" / "Lifted",
        Extended => "extended" / "Extended",
        Threatened => "threatened" / "Threatened",
        Retaliated => "retaliated" / "Retaliated",
        Clarified => "clarified" / "Clarified",
    }
);

word_enum!(
    /// Readers only ever see published events; an archived one's permalink says it was
    /// withdrawn.
    EventStatus, "an event status" {
        Draft => "draft" / "Draft",
        Published => "published" / "Published",
        Archived => "archived" / "Archived",
    }
);

word_enum!(
    /// The part an actor plays in an event.
    ActorRole, "an actor role" {
        Authority => "authority" / "Imposed by",
        Target => "target" / "Target",
    }
);

word_enum!(
    /// How one event bears on another (read: *this* event `modifies` *that* one).
    RelationKind, "a relation kind" {
        Modifies => "modifies" / "modifies",
        Extends => "extends" / "extends",
        Reverses => "reverses" / "reverses",
        Clarifies => "clarifies" / "clarifies",
        RespondsTo => "responds_to" / "responds to",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct ActorRef {
    pub id: i64,
    pub name: String,
}

/// An actor and how many published events name it in each role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorProfile {
    pub actor: ActorRef,
    pub as_authority: i64,
    pub as_target: i64,
    pub identifiers: super::actor_identifier::ActorIdentifiers,
}

impl ActorRef {
    /// The actor's page.
    pub fn href(&self) -> String {
        format!("/actors/{}", self.id)
    }
}

/// An existing actor offered to an editor typing a name, with how much the record uses it
/// (published events), so the right "Huawei" is the obvious pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownActor {
    pub name: String,
    pub as_authority: i32,
    pub as_target: i32,
}

impl KnownActor {
    /// "12 events as target, 1 as authority", in the order that matters for `role`.
    pub fn usage(&self, role: ActorRole) -> String {
        let (first, first_role, second, second_role) = match role {
            ActorRole::Authority => (self.as_authority, "authority", self.as_target, "target"),
            ActorRole::Target => (self.as_target, "target", self.as_authority, "authority"),
        };
        let events = |n: i32| {
            if n == 1 {
                "1 event".to_owned()
            } else {
                format!("{n} events")
            }
        };
        match (first, second) {
            (0, 0) => "no published events yet".to_owned(),
            (_, 0) => format!("{} as {first_role}", events(first)),
            (0, _) => format!("{} as {second_role}", events(second)),
            _ => format!(
                "{} as {first_role}, {second} as {second_role}",
                events(first)
            ),
        }
    }
}

/// An event as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EventSummary {
    pub id: EventId,
    pub slug: Slug,
    pub date: FuzzyDate,
    pub end: Option<FuzzyDate>,
    pub title: String,
    pub kind: EventKind,
    pub authorities: Vec<ActorRef>,
    pub targets: Vec<ActorRef>,
}

impl EventSummary {
    pub fn permalink(&self) -> String {
        permalink_path(self.id, &self.slug)
    }
}

/// Items grouped by the names of their event's actors in one role, then in the other, each
/// name in the order first met; an item is under every pair of its names.
pub type ByActors<T> = Vec<(ActorRef, Vec<(ActorRef, Vec<T>)>)>;

/// Groups `items` by their event's actors in the `first` role, then in the other role (see
/// [`ByActors`]). One pass, names found by hash.
pub fn group_by_actors<T: Clone>(
    items: &[T],
    event: impl Fn(&T) -> &EventSummary,
    first: ActorRole,
) -> ByActors<T> {
    use std::collections::HashMap;
    let mut out: ByActors<T> = Vec::new();
    let mut outer_at: HashMap<&str, usize> = HashMap::new();
    let mut inner_at: HashMap<(usize, &str), usize> = HashMap::new();
    for item in items {
        let e = event(item);
        let (outer, inner) = match first {
            ActorRole::Target => (&e.targets, &e.authorities),
            ActorRole::Authority => (&e.authorities, &e.targets),
        };
        for o in outer {
            let i = *outer_at.entry(o.name.as_str()).or_insert_with(|| {
                out.push((o.clone(), Vec::new()));
                out.len() - 1
            });
            for n in inner {
                let groups = &mut out[i].1;
                let j = *inner_at.entry((i, n.name.as_str())).or_insert_with(|| {
                    groups.push((n.clone(), Vec::new()));
                    groups.len() - 1
                });
                groups[j].1.push(item.clone());
            }
        }
    }
    out
}

/// Another event this one bears on, seen from this one: `direction` tells whether this
/// event is the subject ("this modifies that") or the object ("that modifies this").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct Relation {
    pub kind: RelationKind,
    pub outgoing: bool,
    pub event: EventSummary,
}

impl Relation {
    /// "modifies" or "modified by …", in the reader's words.
    pub fn phrase(&self) -> String {
        if self.outgoing {
            format!("This event {}", self.kind.label())
        } else {
            match self.kind {
                RelationKind::Modifies => "Modified by".into(),
                RelationKind::Extends => "Extended by".into(),
                RelationKind::Reverses => "Reversed by".into(),
                RelationKind::Clarifies => "Clarified by".into(),
                RelationKind::RespondsTo => "Answered by".into(),
            }
        }
    }
}

/// An event with everything its permalink shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(schemars::JsonSchema))]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventSummary,
    pub summary: String,
    pub date_phrase: Option<String>,
    pub legal_instrument: Option<String>,
    /// The legal act by its typed official identifier, with its page.
    #[serde(default)]
    pub legal_act: Option<super::legal_act::LegalAct>,
    /// The measure's dated steps (announced, in force, expires, ...).
    #[serde(default)]
    pub lifecycle: super::lifecycle::Lifecycle,
    pub status: EventStatus,
    pub version: i32,
    pub citations: Vec<Citation>,
    pub relations: Vec<Relation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offered_actor_says_how_it_is_used_role_asked_for_first() {
        let huawei = KnownActor {
            name: "Huawei".into(),
            as_authority: 1,
            as_target: 12,
        };
        assert_eq!(
            huawei.usage(ActorRole::Target),
            "12 events as target, 1 as authority"
        );
        assert_eq!(
            huawei.usage(ActorRole::Authority),
            "1 event as authority, 12 as target"
        );
        let unused = KnownActor {
            as_authority: 0,
            as_target: 0,
            ..huawei.clone()
        };
        assert_eq!(unused.usage(ActorRole::Target), "no published events yet");
        let only_target = KnownActor {
            as_authority: 0,
            ..huawei
        };
        assert_eq!(
            only_target.usage(ActorRole::Authority),
            "12 events as target"
        );
    }

    #[test]
    fn slugs_spell_out_danish_letters() {
        assert_eq!(
            Slug::from_title("Trump lemper på Huawei-sanktioner: Handel kan komme igang igen")
                .as_str(),
            "trump-lemper-paa-huawei-sanktioner-handel-kan-komme-igang-igen"
        );
        assert_eq!(Slug::from_title("Ærø & Øresund").as_str(), "aeroe-oeresund");
        assert_eq!(Slug::from_title("华为").as_str(), "event");
        assert!(Slug::from_title(&"word ".repeat(40)).as_str().len() <= 80);
    }

    #[test]
    fn permalink_keys_split_id_and_slug() {
        let k: EventKey = "42-huawei-on-the-list".parse().unwrap();
        assert_eq!(k.id, EventId(42));
        assert_eq!(k.slug.as_deref(), Some("huawei-on-the-list"));
        assert_eq!("7".parse::<EventKey>().unwrap().slug, None);
        assert!("x-7".parse::<EventKey>().is_err());
        assert!("".parse::<EventKey>().is_err());
        assert!("99999999999999999999999".parse::<EventKey>().is_err());
    }

    #[test]
    fn kinds_parse_from_their_stored_words_only() {
        assert_eq!("eased".parse::<EventKind>(), Ok(EventKind::Eased));
        let err = "relaxed".parse::<EventKind>().unwrap_err();
        assert!(err.contains("imposed, eased"), "{err}");
        assert!("x".parse::<Slug>().is_ok());
        assert!("Bad Slug".parse::<Slug>().is_err());
        assert!("a--b".parse::<Slug>().is_err());
    }
}
