//! The product's words as types. They compile for both server and browser; building one
//! from outside input is the validation, and its error says what to fix.

pub mod account;
pub mod actor_identifier;
pub mod annotation;
pub mod as_recorded;
pub mod changes;
pub mod citation;
pub mod dates;
pub mod embed;
pub mod event;
pub mod event_form;
pub mod export;
pub mod filter;
pub mod in_force;
pub mod legal_act;
pub mod lifecycle;
pub mod local_path;
pub mod relative_date;
pub mod revision;
pub mod source;
pub mod source_form;
pub mod source_text;
pub mod structured_data;
pub mod target_status;
pub mod text_fragment;
pub mod text_span;
pub mod timeline;
pub mod url_query;

pub use citation::{Citation, CitationId, Quote};
pub use dates::{DatePrecision, FuzzyDate};
pub use event::{
    ActorProfile, ActorRef, ActorRole, EventDetail, EventId, EventKey, EventKind, EventStatus,
    EventSummary, KnownActor, Relation, RelationKind, Slug,
};
pub use filter::{EventFilter, EventPage, FilterError};
pub use source::{LanguageTag, SourceDetail, SourceId, SourceRef};
pub use text_span::CharSpan;
