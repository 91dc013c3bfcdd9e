//! Query strings of the links the app writes (a filter kept across pages, where signing in
//! leads back to): every key and value percent-encoded, whatever a user typed.

/// `key=value&…`, each part percent-encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> String {
    pairs
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                encode_component(k.as_ref()),
                encode_component(v.as_ref())
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `path?query`, or the path alone for an empty query.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// What a query component keeps as it is: RFC 3986's unreserved characters.
const QUERY_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes a query component.
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, QUERY_COMPONENT).to_string()
}
