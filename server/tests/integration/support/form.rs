//! Form bodies for server functions and form posts, built from named fields and encoded as
//! a browser encodes a form (`application/x-www-form-urlencoded`), so a test changes a
//! field by its name instead of editing encoded text.

use std::fmt::Display;

/// The fields in the order a form would send them; a name may repeat.
#[derive(Clone, Debug, Default)]
pub struct Form {
    fields: Vec<(String, String)>,
}

impl Form {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field after the others (a name already there is sent twice, as two inputs
    /// of that name would be).
    pub fn field(mut self, name: &str, value: impl Display) -> Self {
        self.fields.push((name.to_owned(), value.to_string()));
        self
    }

    /// Gives the field `name` another value, in its place.
    pub fn set(mut self, name: &str, value: impl Display) -> Self {
        let at = self.position(name);
        self.fields[at].1 = value.to_string();
        self
    }

    /// Leaves the field `name` out, as a form without that input would.
    pub fn without(mut self, name: &str) -> Self {
        let at = self.position(name);
        self.fields.remove(at);
        self
    }

    /// The body, percent-encoded.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&self.fields)
            .finish()
    }

    /// Where the field is; a name the form lacks is a mistake in the test, not a case.
    fn position(&self, name: &str) -> usize {
        self.fields
            .iter()
            .position(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("the form has no field {name}: {self:?}"))
    }
}
