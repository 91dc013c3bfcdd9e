//! The gate of every editors' page: the page for a signed-in user with the role, else
//! why not — the sign-in prompt for nobody signed in, a plain refusal for the wrong role,
//! and any other error (the database down, ...) as itself, each with its status.

use super::{answer_with, ErrorNotice};
use crate::domain::account::Role;
use crate::domain::url_query::query_string;
use crate::server_fns::session::SignedIn;
use crate::server_fns::AppError;
use leptos::prelude::*;

/// Who may see a page, and what everyone else is told.
pub struct EditorsOnly {
    role: Role,
    /// "Only editors change sources.": said before the sign-in link, and to a signed-in
    /// user without the role.
    only: &'static str,
    /// Where signing in leads back to.
    next: String,
}

impl EditorsOnly {
    pub fn editors(only: &'static str, next: impl Into<String>) -> Self {
        EditorsOnly {
            role: Role::Editor,
            only,
            next: next.into(),
        }
    }

    pub fn admins(only: &'static str, next: impl Into<String>) -> Self {
        EditorsOnly {
            role: Role::Admin,
            only,
            next: next.into(),
        }
    }

    /// What the page shows once `me` (the app's [`crate::app::use_signed_in`]) and the
    /// page's own data have loaded: `page` for a user with the role, or why not. `page`
    /// passes on the errors of its data with `?`.
    ///
    /// Call it inside the page's `Suspend`, with the resources the page made at its top.
    pub fn show(
        self,
        me: Result<Option<SignedIn>, AppError>,
        page: impl FnOnce(SignedIn) -> Result<AnyView, AppError>,
    ) -> AnyView {
        let allowed = me.and_then(|me| me.ok_or_else(AppError::sign_in_first));
        let allowed = allowed.and_then(|me| {
            if me.editor.may(self.role) {
                Ok(me)
            } else {
                Err(AppError::Forbidden(self.only.into()))
            }
        });
        match allowed.and_then(page) {
            Ok(view) => view,
            Err(e @ AppError::Unauthorised(_)) => {
                answer_with(&e);
                // `next` holds route parameters as typed into the address bar.
                let signin = format!("/signin?{}", query_string([("next", &self.next)]));
                view! { <p>{self.only}" "<a href=signin>"Sign in"</a>" first."</p> }.into_any()
            }
            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
        }
    }
}
