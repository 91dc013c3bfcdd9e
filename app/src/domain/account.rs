//! Editors' accounts: who may change the record, and how they prove it.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An account's address, trimmed and lowercased so one person has one account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Email(String);

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Email {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_lowercase();
        let ok = s.len() <= 254
            && !s.chars().any(char::is_whitespace)
            && matches!(s.split_once('@'), Some((local, domain))
                if !local.is_empty() && domain.contains('.') && !domain.contains('@')
                    && !domain.starts_with('.') && !domain.ends_with('.'));
        if ok {
            Ok(Email(s))
        } else {
            Err(format!("“{s}” is not an email address"))
        }
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A new password that meets the policy. Never displayed or serialised.
pub struct NewPassword(String);

impl NewPassword {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl FromStr for NewPassword {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let n = s.chars().count();
        if n < MIN_PASSWORD_CHARS {
            Err(format!(
                "a password needs at least {MIN_PASSWORD_CHARS} characters"
            ))
        } else if n > MAX_PASSWORD_CHARS {
            Err(format!(
                "a password may have at most {MAX_PASSWORD_CHARS} characters"
            ))
        } else {
            Ok(NewPassword(s.to_owned()))
        }
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// What an account may do: editors create and edit; admins also manage accounts,
/// publish, and archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!("“{other}” is not a role; use editor or admin")),
        }
    }
}

/// The signed-in person, as pages see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Editor {
    pub id: i64,
    pub email: Email,
    pub display_name: String,
    pub role: Role,
}

impl Editor {
    pub fn may(&self, needed: Role) -> bool {
        self.role >= needed
    }
}

/// The "add an account" form as typed, and its parse.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountForm {
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub password: String,
}

/// An account as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSummary {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub disabled: bool,
}

impl AccountForm {
    pub fn parse(
        &self,
    ) -> Result<(Email, String, Role, NewPassword), super::source_form::FieldErrors> {
        let mut errors = super::source_form::FieldErrors::default();
        let email = self
            .email
            .parse::<Email>()
            .map_err(|e| errors.add("email", e))
            .ok();
        let name = self.display_name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.add("display_name", "give a name of 1 to 100 characters");
        }
        let role = self
            .role
            .parse::<Role>()
            .map_err(|e| errors.add("role", e))
            .ok();
        let password = self
            .password
            .parse::<NewPassword>()
            .map_err(|e| errors.add("password", e))
            .ok();
        match (email, role, password) {
            (Some(e), Some(r), Some(p)) if errors.is_empty() => Ok((e, name, r, p)),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            "  Ren.Ke@Example.DK ".parse::<Email>().unwrap().as_str(),
            "ren.ke@example.dk"
        );
        for bad in [
            "",
            "no-at",
            "@example.org",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "a@.org",
        ] {
            assert!(bad.parse::<Email>().is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_have_a_length_policy_and_never_print() {
        assert!("short".parse::<NewPassword>().is_err());
        let p: NewPassword = "correct horse battery".parse().unwrap();
        assert_eq!(format!("{p:?}"), "NewPassword(…)");
        assert!("æ".repeat(300).parse::<NewPassword>().is_err());
    }

    #[test]
    fn admins_may_do_what_editors_may() {
        let e = Editor {
            id: 1,
            email: "a@b.org".parse().unwrap(),
            display_name: "A".into(),
            role: Role::Editor,
        };
        assert!(e.may(Role::Editor));
        assert!(!e.may(Role::Admin));
        assert!(Editor {
            role: Role::Admin,
            ..e
        }
        .may(Role::Editor));
    }
}
