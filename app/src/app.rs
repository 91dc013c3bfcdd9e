//! The HTML shell, the routes, and who is signed in (loaded once for the header and
//! every page).

use crate::domain::embed::is_embed;
use crate::server_fns::session::{whoami, SignOut, SignedIn};
use crate::server_fns::AppError;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    hooks::use_location,
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    page_headers();
    let code = page_code(&options);
    let pkg = options.site_pkg_dir.to_string();
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link id="leptos" rel="stylesheet" href=format!("/{}/{}.css", options.site_pkg_dir, built_files(&options).css) />
                <AutoReload options=options.clone() />
                {code.map(|(js, wasm)| view! { <LoadApplication pkg js wasm /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page being rendered is at a path `kind` accepts.
#[cfg(feature = "ssr")]
fn requested_page_is(kind: fn(&str) -> bool) -> bool {
    use_context::<axum::http::request::Parts>().is_some_and(|parts| kind(parts.uri.path()))
}

/// The code a page loads (its JS and wasm files' names), if any; decided by the server,
/// which alone renders the shell.
/// - Readers' pages ([`crate::pages::is_readers_page`]) load none: nothing on them needs
///   it, and a reader on a phone then downloads HTML and CSS only.
/// - The timeline pages ([`crate::pages::is_timeline_page`]) load the readers' bundle
///   when the build made one: it draws the timeline again in place from the data the
///   page carries ([`ReadersBundleDraws`]), and nothing hydrates.
/// - Every other page loads the whole application, which hydrates it.
///
/// A page that does not hydrate has no hydration data written into it.
fn page_code(options: &LeptosOptions) -> Option<(String, String)> {
    #[cfg(feature = "ssr")]
    {
        let no_hydration = || {
            if let Some(context) = Owner::current_shared_context() {
                context.set_is_hydrating(false);
            }
        };
        if requested_page_is(crate::pages::is_readers_page) {
            no_hydration();
            return None;
        }
        let files = built_files(options);
        match files.readers {
            Some(readers) if requested_page_is(crate::pages::is_timeline_page) => {
                no_hydration();
                provide_context(ReadersBundleDraws);
                Some(readers)
            }
            _ => Some((files.js, files.wasm)),
        }
    }
    #[cfg(not(feature = "ssr"))]
    {
        let _ = options;
        None
    }
}

/// Provided while the server renders a page the readers' bundle will draw: the timeline
/// then writes the data it is drawn from into the page
/// ([`crate::components::timeline::InteractiveTimeline`]).
#[derive(Clone, Copy)]
pub struct ReadersBundleDraws;

/// The page's code, asked for only once the server-rendered page has painted and the
/// browser is idle (or after two seconds): no preload competes with the page's own
/// stylesheet, and links and the filter form work before it. Leptos's `HydrationScripts`,
/// less its preload links. Both builds export their entry as `hydrate`.
#[component]
fn LoadApplication(pkg: String, js: String, wasm: String) -> impl IntoView {
    let script = format!(
        "const load = () => import('/{pkg}/{js}.js').then((app) => \
         app.default({{ module_or_path: '/{pkg}/{wasm}.wasm' }}).then(() => app.hydrate()));\
         if ('requestIdleCallback' in window) requestIdleCallback(load, {{ timeout: 2000 }}); \
         else setTimeout(load, 0);"
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
}

/// The names (without extension) of the built files a page links.
#[cfg_attr(not(feature = "ssr"), allow(dead_code))]
struct BuiltFiles {
    js: String,
    wasm: String,
    css: String,
    /// The readers' bundle's JS and wasm, when the build made it.
    readers: Option<(String, String)>,
}

/// The built files' names: with their content's hash when the build wrote one
/// (cargo-leptos `hash-files`), read once per process. Leptos's `HashedStylesheet` and
/// `HydrationScripts` read the hash file again for every page.
fn built_files(options: &LeptosOptions) -> BuiltFiles {
    static HASHES: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let name = options.output_name.to_string();
    if !options.hash_files {
        let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
            format!("{name}_bg")
        } else {
            name.clone()
        };
        return BuiltFiles {
            js: name.clone(),
            wasm,
            css: name,
            readers: None,
        };
    }
    let hashes = HASHES.get_or_init(|| {
        let exe = std::env::current_exe().ok()?;
        std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
    });
    let hashed = |kind: &str| {
        hashes
            .as_deref()
            .into_iter()
            .flat_map(str::lines)
            .filter_map(|line| line.split_once(':'))
            .find(|(file, _)| file.trim() == kind)
            .map(|(_, hash)| format!("{name}.{}", hash.trim()))
    };
    let hash_of = |kind: &str| hashed(kind).unwrap_or_else(|| name.clone());
    BuiltFiles {
        js: hash_of("js"),
        wasm: hash_of("wasm"),
        css: hash_of("css"),
        // Written by scripts/setup.sh after cargo-leptos's build.
        readers: hashed("readers_js").zip(hashed("readers_wasm")),
    }
}

/// Headers of every page. The Content-Security-Policy allows only our own files and the
/// inline scripts Leptos writes, which carry this response's nonce; no inline script
/// injected into a page can run. A page for a signed-in editor carries their form token,
/// so no cache may keep it.
#[cfg(feature = "ssr")]
fn page_headers() {
    use axum::http::{header, HeaderValue};
    let Some(res) = use_context::<leptos_axum::ResponseOptions>() else {
        return;
    };
    let nonce = leptos::nonce::use_nonce()
        .map(|n| format!(" 'nonce-{}'", &*n))
        .unwrap_or_default();
    // Only the embeds may be framed, by any site; every other page by none.
    let framed_by = if requested_page_is(is_embed) {
        "*"
    } else {
        "'none'"
    };
    let policy = format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {framed_by}"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
    if crate::server_fns::gate::session_token().is_some() {
        res.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

/// Who is signed in (none for readers), as the app loaded it once per page load.
#[derive(Clone, Copy)]
struct SignedInUser(Resource<Result<Option<SignedIn>, AppError>>);

/// Who is signed in: the one resource [`App`] provides, for the header and the pages.
/// Call it at a component's top, never inside a `Suspend`.
pub fn use_signed_in() -> Resource<Result<Option<SignedIn>, AppError>> {
    match use_context::<SignedInUser>() {
        Some(SignedInUser(me)) => me,
        // Outside the app (a component rendered on its own): its own load.
        None => Resource::new(|| (), |_| whoami()),
    }
}

/// The document's title for a page's own title. leptos_meta writes the server's `<title>`
/// as given, so there the text is escaped (a title with `</title>` in it would otherwise
/// end the element); in the browser it becomes `document.title`, plain text.
fn page_title(page: String) -> String {
    let title = if page.is_empty() {
        "Sanctions Timeline".to_string()
    } else {
        format!("{page} · Sanctions Timeline")
    };
    #[cfg(feature = "ssr")]
    let title = html_escape::encode_text(&title).into_owned();
    title
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Signing in or out reloads the page, so once per page load is enough.
    provide_context(SignedInUser(Resource::new(|| (), |_| whoami())));
    // Effects run only in the browser: this marks the moment the page became interactive
    // (browser tests wait for it).
    Effect::new(|| {
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "");
        }
    });
    view! {
        <Title formatter=page_title />
        <Router>
            <SiteHeader />
            <main>
                <PageRoutes />
            </main>
        </Router>
    }
}

/// Every page's route.
#[component]
fn PageRoutes() -> impl IntoView {
    use crate::pages::{
        AccountsPage, ActorPage, ChangesPage, EditActorPage, EditEventPage, EditSourcePage,
        EmbeddedEventPage, EmbeddedTimelinePage, EventPage, HistoryPage, NewEventPage,
        NewSourcePage, NotFound, ReviewPage, SignInPage, SourcePage, TimelinePage,
    };
    view! {
        <Routes fallback=NotFound>
            <Route path=path!("") view=TimelinePage ssr=SsrMode::Async />
            <Route path=path!("/events/new") view=NewEventPage ssr=SsrMode::Async />
            <Route path=path!("/events/:key/edit") view=EditEventPage ssr=SsrMode::Async />
            <Route path=path!("/events/:key/history") view=|| view! { <HistoryPage entity="event" /> } ssr=SsrMode::Async />
            <Route path=path!("/events/:key") view=EventPage ssr=SsrMode::Async />
            <Route path=path!("/sources/new") view=NewSourcePage ssr=SsrMode::Async />
            <Route path=path!("/sources/:id/edit") view=EditSourcePage ssr=SsrMode::Async />
            <Route path=path!("/sources/:id/history") view=|| view! { <HistoryPage entity="source" /> } ssr=SsrMode::Async />
            <Route path=path!("/sources/:id") view=SourcePage ssr=SsrMode::Async />
            <Route path=path!("/actors/:id/edit") view=EditActorPage ssr=SsrMode::Async />
            <Route path=path!("/actors/:id") view=ActorPage ssr=SsrMode::Async />
            <Route path=path!("/changes") view=ChangesPage ssr=SsrMode::Async />
            <Route path=path!("/signin") view=SignInPage />
            <Route path=path!("/admin/accounts") view=AccountsPage ssr=SsrMode::Async />
            <Route path=path!("/review") view=ReviewPage ssr=SsrMode::Async />
            <Route path=path!("/embed") view=EmbeddedTimelinePage ssr=SsrMode::Async />
            <Route path=path!("/embed/events/:key") view=EmbeddedEventPage ssr=SsrMode::Async />
        </Routes>
    }
}

/// The site's name and the account links; none in another site's frame (an embed).
#[component]
fn SiteHeader() -> impl IntoView {
    let location = use_location();
    move || {
        (!location.pathname.with(|path| is_embed(path))).then(|| {
            view! {
                <header class="site-header">
                    <A href="/" attr:class="brand">"Sanctions Timeline"</A>
                    <span class="tagline">"A dated, sourced record of trade sanctions"</span>
                    <AccountStatus />
                </header>
            }
        })
    }
}

/// "Sign in", or who is signed in and a way out.
#[component]
fn AccountStatus() -> impl IntoView {
    let me = use_signed_in();
    let sign_out = ServerAction::<SignOut>::new();
    Effect::new(move || {
        if let Some(Ok(())) = sign_out.value().get() {
            let _ = window().location().set_href("/");
        }
    });
    view! {
        <span class="account">
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match me.await {
                        Ok(Some(signed_in)) => view! {
                            <a href="/sources/new" class="add-source">"Add a source"</a>
                            " "<a href="/events/new" class="add-event">"Add an event"</a>
                            {signed_in.editor.may(crate::domain::account::Role::Admin).then(|| view! {
                                " "<a href="/admin/accounts" class="accounts-link">"Accounts"</a>
                                " "<a href="/review" class="review-link">"Review changes"</a>
                            })}
                            <span class="signed-in">"Signed in as " {signed_in.editor.display_name.clone()}
                                " (" {signed_in.editor.role.as_str()} ")"</span>
                            <ActionForm action=sign_out attr:class="signout">
                                <input type="hidden" name="csrf" value=signed_in.csrf_token.clone() />
                                <button type="submit">"Sign out"</button>
                            </ActionForm>
                            {move || sign_out.value().get().and_then(|r| r.err()).map(|e| view! {
                                <span class="error" role="alert">{e.to_string()}</span>
                            })}
                        }.into_any(),
                        _ => view! { <a href="/signin" class="signin-link">"Sign in"</a> }.into_any(),
                    }
                })}
            </Suspense>
        </span>
    }
}
