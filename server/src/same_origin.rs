//! Cross-site request forgery, first line: a state-changing request (anything but GET,
//! HEAD, OPTIONS) whose Origin (or, without one, Referer) names another site is refused
//! before it reaches a handler. The session cookie's SameSite=Lax and the per-session form
//! token are the other two lines.

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn origin_of(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

pub async fn refuse_cross_site(req: Request<Body>, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .or_else(|| req.headers().get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if let Some(claimed) = claimed {
        let same = match (origin_of(&claimed), host.as_deref()) {
            (Some(from), Some(host)) => from.eq_ignore_ascii_case(host),
            _ => false,
        };
        if !same {
            return (
                StatusCode::FORBIDDEN,
                "This request came from another site and was refused.",
            )
                .into_response();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::origin_of;

    #[test]
    fn origins_are_scheme_less_hosts() {
        assert_eq!(origin_of("http://127.0.0.1:3000"), Some("127.0.0.1:3000"));
        assert_eq!(origin_of("https://a.example/signin?x=1"), Some("a.example"));
        assert_eq!(origin_of("null"), None);
    }
}
