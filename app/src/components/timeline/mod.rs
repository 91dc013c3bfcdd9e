//! The interactive timeline: a zoomable, pannable axis with events as markers, ranges as
//! bars, clusters and buckets where they would crowd, lanes, relation links, a density
//! strip and a detail panel. Server-rendered for the URL's view, then hydrated; the view
//! lives in the URL so it can be shared.
//!
//! Only the frame (the fetched window) is laid out; panning and zooming move and stretch
//! it, so a drag frame touches two style properties, not every marker.

pub mod layout;

use crate::components::{Actors, EventMeta};
use crate::domain::filter::RawEventFilter;
use crate::domain::timeline::{
    day_number, from_day_number, Facets, Lanes, RawTimelineQuery, TimelineWindow, MAX_WINDOW_DAYS,
};
use crate::domain::url_query::{query_string, with_query};
use crate::domain::{EventId, FuzzyDate};
use crate::server_fns::record::{load_event_card, load_window, CardFace, EventCard};
use crate::server_fns::AppError;
use layout::{layout, ticks, BucketMark, Layout, Mark, Span};
use leptos::prelude::*;

const MIN_VIEW_DAYS: f64 = 3.0;

/// The view's length quantised to half-octaves: layouts (clusters) change only per step.
fn zoom_level(len: f64) -> i32 {
    (len.max(1.0).log2() * 2.0).round() as i32
}

/// How far apart, in px, marks must be to stay separate targets: 24 px (WCAG 2.5.8),
/// plus a margin for a view between two zoom levels (up to 2^¼ longer than its level).
const MARK_GAP_PX: f64 = 30.0;

/// The timeline's width before the browser has measured it: a phone's, so the page as
/// served never crowds a phone; a wider screen spreads out once the app has loaded.
const ASSUMED_WIDTH_PX: f64 = 480.0;

/// Days closer than this at a zoom level, on a timeline this wide, would crowd marks.
fn cluster_days(level: i32, width_px: f64) -> f64 {
    2f64.powf(level as f64 / 2.0) * MARK_GAP_PX / width_px.max(1.0)
}

/// The window to fetch for a view: a power-of-two grid cell around it, so small pans
/// reuse the data and only a real move or zoom asks the server again.
fn frame_for(view: Span) -> (i64, i64) {
    let half = 2f64.powf(view.len().max(1.0).log2().ceil() - 1.0).max(1.0);
    let start = (view.start / half).floor() * half - half;
    (start as i64, (start + 4.0 * half) as i64 - 1)
}

fn iso(d: chrono::NaiveDate) -> String {
    crate::domain::dates::iso_day(d)
}

fn clamp_view(start: f64, len: f64) -> Span {
    let len = len.clamp(MIN_VIEW_DAYS, MAX_WINDOW_DAYS as f64 / 2.0);
    Span {
        start,
        end: start + len,
    }
}

/// Everything the timeline's URL says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TimelineUrl {
    pub query: RawTimelineQuery,
    pub selected: Option<i64>,
    /// Drawn in another site's frame (`/embed`): the view's URL stays an embed's, and
    /// links open on this site in a new tab.
    pub embedded: bool,
}

impl TimelineUrl {
    /// The page URL for this state with another view and selection.
    pub fn href(&self, view: Option<Span>, lanes: Lanes, selected: Option<EventId>) -> String {
        let filter = RawEventFilter {
            limit: None,
            ..self.query.filter.at_cursor(None)
        };
        let mut pairs = filter.query_pairs();
        if let Some(day) = self.query.as_recorded.as_deref() {
            pairs.push(("as_recorded", day.to_owned()));
        }
        if let Some(v) = view {
            pairs.push(("start", iso(v.first_day())));
            pairs.push(("end", iso(v.last_day())));
        }
        if lanes != Lanes::None {
            pairs.push(("lanes", lanes.as_str().to_owned()));
        }
        if let Some(id) = selected {
            pairs.push(("selected", id.0.to_string()));
        }
        let page = if self.embedded { "/embed" } else { "/" };
        with_query(page, &query_string(pairs))
    }
}

impl TimelineUrl {
    pub fn lanes(&self) -> Lanes {
        self.query
            .lanes
            .as_deref()
            .and_then(|l| l.parse().ok())
            .unwrap_or_default()
    }

    /// The view the URL names; `None` (the whole record) when it names none.
    pub fn view(&self) -> Option<Span> {
        let day = |s: &Option<String>| {
            s.as_deref()
                .and_then(|s| crate::domain::dates::parse_iso_day(s.trim()).ok())
        };
        match (day(&self.query.start), day(&self.query.end)) {
            (Some(s), Some(e)) if s <= e => Some(Span::of_dates(s, e)),
            _ => None,
        }
    }
}

/// The visible range as the filter form carries it: empty for the whole record.
pub fn view_param(view: Option<Span>, first: bool) -> String {
    view.map(|v| iso(if first { v.first_day() } else { v.last_day() }))
        .unwrap_or_default()
}

/// The days of data fetched for a view (more than it shows, so small moves need no
/// request); `None`, the whole record as the server frames it.
type FetchKey = Option<(i64, i64)>;

fn window_query(url: &TimelineUrl, frame: FetchKey) -> RawTimelineQuery {
    let (start, end) = match frame {
        Some((s, e)) => (Some(iso(from_day_number(s))), Some(iso(from_day_number(e)))),
        None => (None, None),
    };
    RawTimelineQuery {
        start,
        end,
        lanes: Some(url.lanes().as_str().to_owned()),
        as_recorded: url.query.as_recorded.clone(),
        filter: url.query.filter.clone(),
    }
}

/// The frames one step away from a view: what a zoom in or out, or a pan by a view's
/// length either way, would ask for next, the likeliest first: the way the view last
/// moved (from `before`) is the way an analyst usually goes on. (Fetched ahead only in
/// the browser.)
#[cfg_attr(not(feature = "browser"), allow(dead_code))]
fn neighbouring_frames(view: Span, before: Option<Span>) -> Vec<(i64, i64)> {
    let (len, mid) = (view.len(), (view.start + view.end) / 2.0);
    let here = frame_for(view);
    // The keys' and buttons' zoom step (1.5), a wheel notch's (about 1.65) and an octave.
    let zoom_in = [(1.0 / 1.5, 0.0), (0.5, 0.0)];
    let zoom_out = [(1.5, 0.0), (2.0, 0.0)];
    let pan_back = [(1.0, -1.0)];
    let pan_on = [(1.0, 1.0)];
    let moved = before.map(|b| {
        (
            len / b.len().max(f64::MIN_POSITIVE),
            mid - (b.start + b.end) / 2.0,
        )
    });
    let order: [&[(f64, f64)]; 4] = match moved {
        Some((ratio, _)) if ratio > 1.0 + 1e-9 => [&zoom_out[..], &zoom_in, &pan_back, &pan_on],
        Some((ratio, shift)) if ratio >= 1.0 - 1e-9 && shift < 0.0 => {
            [&pan_back[..], &pan_on, &zoom_in, &zoom_out]
        }
        Some((ratio, shift)) if ratio >= 1.0 - 1e-9 && shift > 0.0 => {
            [&pan_on[..], &pan_back, &zoom_in, &zoom_out]
        }
        _ => [&zoom_in[..], &zoom_out, &pan_back, &pan_on],
    };
    let mut out = Vec::new();
    for &(factor, shift) in order.into_iter().flatten() {
        let l = (len * factor).clamp(MIN_VIEW_DAYS, MAX_WINDOW_DAYS as f64 / 2.0);
        let centre = mid + shift * len;
        let frame = frame_for(Span {
            start: centre - l / 2.0,
            end: centre + l / 2.0,
        });
        if frame != here && !out.contains(&frame) {
            out.push(frame);
        }
    }
    out
}

/// Windows already in the browser, by frame: those shown and those fetched ahead for the
/// next step, so a zoom or pan that needs a new frame usually finds it here instead of
/// waiting for the server. The oldest go first.
#[derive(Default)]
struct WindowStore {
    windows: std::collections::HashMap<(i64, i64), TimelineWindow>,
    order: std::collections::VecDeque<(i64, i64)>,
    /// Frames on their way.
    asked: std::collections::HashSet<(i64, i64)>,
    /// Whoever waits for one of them (a step whose frame was asked for ahead).
    waiting: Vec<((i64, i64), std::task::Waker)>,
    /// How many of those were asked for ahead (not yet needed by the view).
    ahead: usize,
}

/// What a view needs of the store for a frame.
enum Wanted {
    Held(TimelineWindow),
    /// Ask the server (and tell [`WindowStore::finished`] after).
    Ask,
    /// Already on its way: wait for it ([`arrival`]) instead of asking again behind it (a
    /// browser sends six requests to a host at once; a second would queue behind them).
    OnItsWay,
}

impl WindowStore {
    const KEPT: usize = 24;
    /// Frames asked for ahead at once: fewer than a browser's six connections to a host,
    /// so a frame the view needs now is never queued behind guesses, and the guesses do
    /// not all compete with the step for the machine (and the server) at once.
    const AHEAD_AT_ONCE: usize = 2;

    fn get(&self, frame: (i64, i64)) -> Option<TimelineWindow> {
        self.windows.get(&frame).cloned()
    }

    fn want(&mut self, frame: (i64, i64)) -> Wanted {
        if let Some(w) = self.get(frame) {
            Wanted::Held(w)
        } else if self.asked.insert(frame) {
            Wanted::Ask
        } else {
            Wanted::OnItsWay
        }
    }

    /// Whether a frame is still on its way; if so, `waker` is woken when it arrives or
    /// fails (once, however often its future is polled meanwhile).
    fn wait(&mut self, frame: (i64, i64), waker: &std::task::Waker) -> bool {
        let on_its_way = self.asked.contains(&frame);
        if on_its_way
            && !self
                .waiting
                .iter()
                .any(|(f, w)| *f == frame && w.will_wake(waker))
        {
            self.waiting.push((frame, waker.clone()));
        }
        on_its_way
    }

    fn keep(&mut self, frame: (i64, i64), window: TimelineWindow) {
        if self.windows.insert(frame, window).is_none() {
            self.order.push_back(frame);
        }
        while self.order.len() > Self::KEPT {
            if let Some(old) = self.order.pop_front() {
                self.windows.remove(&old);
            }
        }
    }

    /// A request for a frame ended: what came is kept, and whoever waited for the frame
    /// takes it from here (or, if nothing came, asks for it itself if it still needs it).
    fn finished(&mut self, frame: (i64, i64), window: Option<TimelineWindow>) {
        if let Some(w) = window {
            self.keep(frame, w);
        }
        self.asked.remove(&frame);
        let (woken, still): (Vec<_>, Vec<_>) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|(f, _)| *f == frame);
        self.waiting = still;
        woken.into_iter().for_each(|(_, waker)| waker.wake());
    }

    /// The next frame to ask for ahead, of `frames` (likeliest first), if fewer than
    /// [`Self::AHEAD_AT_ONCE`] are on their way: neither held nor already asked for. While
    /// the view is moving (not `still`), only of the likeliest [`Self::AHEAD_AT_ONCE`]:
    /// the rest wait until the analyst pauses ([`STILL_AFTER`]), so in a burst of steps
    /// each step's unlikelier guesses do not arrive, and get read, while the next step
    /// is drawn (session 38's trace: each arrival costs the page 1.5 to 6 ms).
    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    fn next_ahead(&mut self, frames: &[(i64, i64)], still: bool) -> Option<(i64, i64)> {
        if self.ahead >= Self::AHEAD_AT_ONCE {
            return None;
        }
        let reach = if still {
            frames.len()
        } else {
            Self::AHEAD_AT_ONCE.min(frames.len())
        };
        let frame = frames[..reach]
            .iter()
            .copied()
            .find(|f| !self.windows.contains_key(f) && !self.asked.contains(f))?;
        self.asked.insert(frame);
        self.ahead += 1;
        Some(frame)
    }

    #[cfg_attr(not(feature = "browser"), allow(dead_code))]
    fn ahead_done(&mut self, frame: (i64, i64), window: Option<TimelineWindow>) {
        self.ahead = self.ahead.saturating_sub(1);
        self.finished(frame, window);
    }
}

/// Ready once `frame` is no longer on its way (arrived or given up), or the store is gone.
fn arrival(
    frame: (i64, i64),
    store: StoredValue<WindowStore>,
) -> impl std::future::Future<Output = ()> {
    std::future::poll_fn(move |cx| {
        if store.try_update_value(|s| s.wait(frame, cx.waker())) == Some(true) {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
}

/// A request for a frame under way: the store hears how it ended when this is dropped,
/// also when the request is dropped before it ends, so nothing waits for it for ever.
struct Asking {
    frame: (i64, i64),
    store: StoredValue<WindowStore>,
    came: Option<TimelineWindow>,
}

impl Drop for Asking {
    fn drop(&mut self) {
        let (frame, came) = (self.frame, self.came.take());
        self.store.try_update_value(|s| s.finished(frame, came));
    }
}

/// The window for the frame the view needs: the page's first, from the store, from a
/// request already on its way, or from the server (`None`: the whole record as the server
/// frames it, never stored). What is at hand is taken at once (the future is ready when
/// first polled), so a step that finds its frame draws in the same frame. `needed`: the
/// frame the view needs now.
fn window_for(
    frame: FetchKey,
    at_hand: Option<TimelineWindow>,
    query: RawTimelineQuery,
    store: StoredValue<WindowStore>,
    needed: Memo<FetchKey>,
) -> impl std::future::Future<Output = Result<TimelineWindow, AppError>> + Send + 'static {
    let want = move |f| store.try_update_value(|s| s.want(f));
    let asking = move |frame| Asking {
        frame,
        store,
        came: None,
    };
    let mut wanted = match (at_hand, frame) {
        (Some(w), _) => Some(Wanted::Held(w)),
        (None, Some(f)) => want(f),
        (None, None) => None,
    };
    // Made now, not when first polled: a request dropped unpolled still gives its frame up.
    let mut asked = match (&wanted, frame) {
        (Some(Wanted::Ask), Some(f)) => Some(asking(f)),
        _ => None,
    };
    async move {
        loop {
            match (wanted, frame) {
                (Some(Wanted::Held(w)), _) => return Ok(w),
                // Waits for the request on its way. If it failed (or was dropped), the
                // frame is asked for here, unless the view has moved on: a step no
                // longer shown would only ask a failing server again, and its answer is
                // never shown (a resource shows its latest fetch), so neither is this
                // error.
                (Some(Wanted::OnItsWay), Some(f)) => {
                    arrival(f, store).await;
                    if store.try_with_value(|s| s.windows.contains_key(&f)) == Some(false)
                        && needed.try_get_untracked() != Some(frame)
                    {
                        return Err(AppError::Unavailable {
                            request_id: String::new(),
                        });
                    }
                    wanted = want(f);
                    if matches!(wanted, Some(Wanted::Ask)) {
                        asked = Some(asking(f));
                    }
                }
                _ => {
                    let fetched = load_window(query).await;
                    if let Some(mut a) = asked.take() {
                        a.came = fetched.as_ref().ok().cloned();
                    }
                    return fetched;
                }
            }
        }
    }
}

/// How long the view stays put before the analyst counts as pausing: then every frame
/// one step away is fetched ahead, not only the likeliest ([`WindowStore::next_ahead`]).
#[cfg(feature = "browser")]
const STILL_AFTER: std::time::Duration = std::time::Duration::from_millis(200);

/// The view now and the one the frames ahead were last chosen for before it: which way
/// the analyst is going.
#[cfg(feature = "browser")]
type Moves = StoredValue<(Option<Span>, Option<Span>)>;

/// What fetching ahead remembers between calls: which way the view moves, the view that
/// has stayed put for [`STILL_AFTER`] (if any), and the wait that will say so (a failed
/// guess cancels it: a server that cannot answer is asked again only when the analyst
/// moves).
#[cfg(feature = "browser")]
#[derive(Clone, Copy)]
struct Ahead {
    moves: Moves,
    still: StoredValue<Option<Span>>,
    pause: interactions::Debounce,
}

/// Asks for the frames one step away from the view, likeliest first, a few at once: as
/// each arrives the next is asked for, for wherever the view is by then (after a
/// failure, only once the view moves again).
#[cfg(feature = "browser")]
fn fetch_ahead(url: TimelineUrl, shown: Memo<Span>, ahead: Ahead, store: StoredValue<WindowStore>) {
    let Some(now) = shown.try_get_untracked() else {
        return;
    };
    let moves = ahead.moves;
    let Some((last, before)) = moves.try_get_value() else {
        return;
    };
    let still = ahead.still.try_get_value().flatten() == Some(now);
    let before = if last == Some(now) {
        before
    } else {
        moves.set_value((Some(now), last));
        last
    };
    let frames = neighbouring_frames(now, before);
    while let Some(frame) = store
        .try_update_value(|s| s.next_ahead(&frames, still))
        .flatten()
    {
        let query = window_query(&url, Some(frame));
        let url = url.clone();
        leptos::task::spawn_local(async move {
            let window = load_window(query).await.ok();
            let arrived = window.is_some();
            if !arrived {
                ahead.pause.cancel();
            }
            // After a failure the next guess waits for the next move: a server that
            // cannot answer is not asked again and again.
            if store
                .try_update_value(|s| s.ahead_done(frame, window))
                .is_some()
                && arrived
            {
                fetch_ahead(url, shown, ahead, store);
            }
        });
    }
}

/// What the first window a timeline page shows is fetched for: the URL's view.
fn first_key(url: &TimelineUrl) -> FetchKey {
    url.view().map(frame_for)
}

/// The first window a timeline page shows, as the page loads it before the timeline
/// renders (so the range, the axis and the markers are right in the HTML).
pub fn first_window_query(url: &TimelineUrl) -> RawTimelineQuery {
    window_query(url, first_key(url))
}

/// What a timeline is drawn from, as the server writes it into a page the readers'
/// bundle draws ([`crate::app::ReadersBundleDraws`]).
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineData {
    pub url: TimelineUrl,
    pub facets: Option<Facets>,
    pub first: Option<TimelineWindow>,
    /// The site's address, when the page offers the view as an embed.
    pub embed_site: Option<String>,
}

/// [`TimelineData`] as the page carries it: flat, because postcard (which the bundle
/// reads, as it reads the windows it fetches) takes no flattened fields, and the URL's
/// query flattens its filter.
#[derive(serde::Serialize, serde::Deserialize)]
struct DataOnPage {
    start: Option<String>,
    end: Option<String>,
    lanes: Option<String>,
    as_recorded: Option<String>,
    filter: RawEventFilter,
    selected: Option<i64>,
    embedded: bool,
    facets: Option<Facets>,
    first: Option<TimelineWindow>,
    embed_site: Option<String>,
}

impl From<TimelineData> for DataOnPage {
    fn from(data: TimelineData) -> Self {
        let TimelineUrl {
            query,
            selected,
            embedded,
        } = data.url;
        DataOnPage {
            start: query.start,
            end: query.end,
            lanes: query.lanes,
            as_recorded: query.as_recorded,
            filter: query.filter,
            selected,
            embedded,
            facets: data.facets,
            first: data.first,
            embed_site: data.embed_site,
        }
    }
}

impl From<DataOnPage> for TimelineData {
    fn from(page: DataOnPage) -> Self {
        TimelineData {
            url: TimelineUrl {
                query: RawTimelineQuery {
                    start: page.start,
                    end: page.end,
                    lanes: page.lanes,
                    as_recorded: page.as_recorded,
                    filter: page.filter,
                },
                selected: page.selected,
                embedded: page.embedded,
            },
            facets: page.facets,
            first: page.first,
            embed_site: page.embed_site,
        }
    }
}

/// What the page's data escapes: besides controls and every byte beyond ASCII (always),
/// what could end or disturb its `<script>` element, and `%` itself. Postcard writes text
/// as it is, so the titles and names stay readable and compress as the page's HTML does.
#[cfg(feature = "ssr")]
const DATA_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b'<')
    .add(b'>')
    .add(b'&')
    .add(b'%');

impl TimelineData {
    /// As the text of its `<script>`: postcard, percent-encoded ([`DATA_ESCAPED`]).
    #[cfg(feature = "ssr")]
    fn script_text(self) -> Option<String> {
        let bytes = postcard::to_allocvec(&DataOnPage::from(self)).ok()?;
        Some(percent_encoding::percent_encode(&bytes, DATA_ESCAPED).to_string())
    }

    /// Reads what [`Self::script_text`] wrote.
    pub fn from_script_text(text: &str) -> Option<Self> {
        let bytes: Vec<u8> = percent_encoding::percent_decode_str(text).collect();
        postcard::from_bytes::<DataOnPage>(&bytes)
            .ok()
            .map(Self::from)
    }
}

/// The class of the element that holds a timeline; the readers' bundle draws it again
/// inside, from the [`TimelineData`] in its `script.tl-data`.
pub const TIMELINE_HOLDER: &str = "tl-holder";
/// The class of the `<script>` that carries a holder's [`TimelineData`].
pub const TIMELINE_DATA: &str = "tl-data";

/// The timeline as a page shows it. Where the readers' bundle will draw it again (the
/// server says so with [`crate::app::ReadersBundleDraws`]), the data it is drawn from is
/// written beside it, so the bundle needs no request to start.
#[component]
pub fn InteractiveTimeline(
    url: TimelineUrl,
    facets: Option<Facets>,
    view: RwSignal<Option<Span>>,
    first: Option<TimelineWindow>,
    /// The site's address, on a page that offers the view as an embed.
    #[prop(optional)]
    embed_site: Option<String>,
) -> impl IntoView {
    // Only the server writes it (the context is the server's).
    #[cfg(feature = "ssr")]
    let data = use_context::<crate::app::ReadersBundleDraws>().and_then(|_| {
        TimelineData {
            url: url.clone(),
            facets: facets.clone(),
            first: first.clone(),
            embed_site,
        }
        .script_text()
    });
    #[cfg(not(feature = "ssr"))]
    let data: Option<String> = {
        let _ = embed_site;
        None
    };
    view! {
        <div class=TIMELINE_HOLDER>
            <TimelineDrawing url facets view first />
            {data.map(|text| view! { <script type="application/octet-stream" class=TIMELINE_DATA>{text}</script> })}
        </div>
    }
}

/// `view` is `None` until the analyst moves: then the server's frame (the whole record the
/// filters select) is shown. `first` is the window of [`first_window_query`], loaded by
/// the page.
#[component]
pub fn TimelineDrawing(
    url: TimelineUrl,
    facets: Option<Facets>,
    view: RwSignal<Option<Span>>,
    first: Option<TimelineWindow>,
    /// The viewport's width when it is known before drawing (the readers' bundle reads
    /// the server's drawing): laid out once for it, not first for a phone's.
    #[prop(default = None)]
    width: Option<f64>,
) -> impl IntoView {
    let lanes = url.lanes();
    let embedded = url.embedded;
    let selected = RwSignal::new(url.selected.map(EventId));
    let first_key = first_key(&url);

    let fetch_key = Memo::new(move |_| view.get().map(frame_for));
    let store = StoredValue::new(WindowStore::default());
    let (first_for_fetch, url_for_fetch) = (first.clone(), url.clone());
    let window = Resource::new(
        move || fetch_key.get(),
        move |frame| {
            let query = window_query(&url_for_fetch, frame);
            let first = first_for_fetch.clone().filter(|_| frame == first_key);
            let window = window_for(frame, first, query, store, fetch_key);
            async move { window.await.map(|w| (frame, w)) }
        },
    );

    // The window on screen, with the frame it was fetched for.
    let data = RwSignal::new(first.map(|w| (first_key, w)));
    // The frame whose window could not be fetched, if the last attempt failed.
    let failed = RwSignal::new(None::<FetchKey>);
    // The view on screen: the analyst's, or the whole record as the server framed it.
    let shown = Memo::new(move |_| {
        view.get()
            .or_else(|| data.with(|d| d.as_ref().map(|(_, w)| Span::of_dates(w.start, w.end))))
            .unwrap_or(Span {
                start: 0.0,
                end: 1.0,
            })
    });
    let level = Memo::new(move |_| zoom_level(shown.get().len()));
    let width_px = RwSignal::new(width.unwrap_or(ASSUMED_WIDTH_PX));
    // It owns the layout before it, so keeping that one costs no copy.
    let laid_out: Memo<Option<Layout>> = Memo::new_owning(move |before: Option<Option<Layout>>| {
        let wanted = fetch_key.get();
        let gap = cluster_days(level.get(), width_px.get());
        data.with(|d| match (d, before) {
            // The view has moved on to a frame that is on its way (usually from the
            // store, a moment later): laying this one out again for the new zoom would
            // only be thrown away. It stretches with the view meanwhile.
            // If it failed, this one is laid out for the zoom after all.
            (Some((key, _)), Some(Some(before)))
                if *key != wanted && failed.get() != Some(wanted) =>
            {
                (Some(before), false)
            }
            (Some((_, w)), before) => {
                let now = layout(w, gap);
                let changed = before.flatten().as_ref() != Some(&now);
                (Some(now), changed)
            }
            (None, before) => (None, before.flatten().is_some()),
        })
    });

    let zoom = move |factor: f64, anchor: f64| {
        let v = shown.get_untracked();
        let at = v.start + anchor * v.len();
        let len = (v.len() * factor).clamp(MIN_VIEW_DAYS, MAX_WINDOW_DAYS as f64 / 2.0);
        view.set(Some(clamp_view(at - anchor * len, len)));
    };
    let pan = move |fraction: f64| {
        let v = shown.get_untracked();
        view.set(Some(clamp_view(v.start + fraction * v.len(), v.len())));
    };
    let zoom_to = move |from: chrono::NaiveDate, to: chrono::NaiveDate| {
        let s = day_number(from) as f64;
        let e = day_number(to) as f64 + 1.0;
        let pad = ((e - s) * 0.15).max(1.0);
        view.set(Some(clamp_view(s - pad, e - s + 2.0 * pad)));
    };
    let fit = move || view.set(None);

    let viewport = NodeRef::<leptos::html::Div>::new();
    // While a window's data is on its way (assistive technology, and the benchmark, wait
    // for it).
    let loading = RwSignal::new(false);
    // Once a window is on screen, the frames one step away from the view are fetched
    // ahead, again whenever the view moves (a pan inside the frame changes what the next
    // zoom needs): after the step's frame is drawn (a request costs the main thread
    // about a millisecond to send, and a step must fit in one frame), once for a burst
    // of steps, the way the view last moved first; the unlikelier ones once the view
    // has stayed put a moment.
    #[cfg(feature = "browser")]
    {
        let url_for_ahead = url.clone();
        let scheduled = StoredValue::new(false);
        let ahead = Ahead {
            moves: StoredValue::new((None, None)),
            still: StoredValue::new(None),
            pause: interactions::Debounce::new(STILL_AFTER),
        };
        // Every change of the view restarts the wait, so when it ends the view has
        // stayed put.
        let url_for_pause = url_for_ahead.clone();
        ahead.pause.then(move || {
            ahead.still.set_value(shown.try_get_untracked());
            fetch_ahead(url_for_pause.clone(), shown, ahead, store);
        });
        Effect::new(move |_| {
            shown.track();
            if data.with(Option::is_none) {
                return;
            }
            ahead.pause.restart();
            if scheduled.get_value() {
                return;
            }
            scheduled.set_value(true);
            let url_for_ahead = url_for_ahead.clone();
            request_animation_frame(move || {
                set_timeout(
                    move || {
                        scheduled.set_value(false);
                        fetch_ahead(url_for_ahead, shown, ahead, store);
                    },
                    std::time::Duration::ZERO,
                )
            });
        });
    }
    interactions::attach(viewport, zoom);
    interactions::measure_width(viewport, width_px);
    let dragged = interactions::Drag::new();

    // Keep the URL in step with the view, without flooding the history.
    let url_for_sync = url.clone();
    interactions::sync_url(move || url_for_sync.href(view.get(), lanes, selected.get()));

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step = if ev.shift_key() { 0.5 } else { 0.1 };
        let handled = match ev.key().as_str() {
            "ArrowLeft" => {
                pan(-step);
                true
            }
            "ArrowRight" => {
                pan(step);
                true
            }
            "+" | "=" => {
                zoom(1.0 / 1.5, 0.5);
                true
            }
            "-" | "_" => {
                zoom(1.5, 0.5);
                true
            }
            "Home" => {
                fit();
                true
            }
            "Escape" => {
                selected.set(None);
                true
            }
            _ => false,
        };
        if handled {
            ev.prevent_default();
        }
    };

    let range_label = move || {
        let v = shown.get();
        format!(
            "{} – {}",
            FuzzyDate::day(v.first_day()),
            FuzzyDate::day(v.last_day())
        )
    };

    view! {
        <section class="tl" aria-label="Interactive timeline">
            <div class="tl-controls" role="toolbar" aria-label="Timeline controls">
                <button type="button" aria-label="Zoom out" on:click=move |_| zoom(1.5, 0.5)>"−"</button>
                <button type="button" aria-label="Zoom in" on:click=move |_| zoom(1.0 / 1.5, 0.5)>"+"</button>
                <button type="button" aria-label="Earlier" on:click=move |_| pan(-0.25)>"←"</button>
                <button type="button" aria-label="Later" on:click=move |_| pan(0.25)>"→"</button>
                <button type="button" on:click=move |_| fit()>"Whole record"</button>
                <span class="tl-range" aria-live="polite">{range_label}</span>
                <span class="tl-help">"Drag or ←/→ to move · wheel, pinch or +/− to zoom · faint or amber bands: known only to the month or year, drawn over it and counted apart · a thin line through a marker: the measure's steps, from announced to in force to expiry"</span>
            </div>
            {facets.map(|f| view! { <DensityStrip facets=f shown view /> })}
            <div
                class="tl-viewport"
                node_ref=viewport
                tabindex="0"
                role="region"
                aria-roledescription="timeline"
                aria-label=move || format!("Timeline, {}. Arrow keys move, plus and minus zoom, Home shows the whole record.", range_label())
                data-start=move || iso(shown.get().first_day())
                data-end=move || iso(shown.get().last_day())
                aria-busy=move || loading.get().to_string()
                on:keydown=on_key
                on:pointerdown=move |ev| dragged.down(&ev, shown)
                on:pointermove=move |ev| dragged.moved(&ev, view, zoom)
                on:pointerup=move |ev| dragged.up(&ev)
                on:pointercancel=move |ev| dragged.up(&ev)
            >
                // One frame for the page's life: a new window updates its marks in place
                // instead of building another frame.
                <Frame laid_out shown selected dragged zoom_to />
                <Transition
                    fallback=move || data.with_untracked(Option::is_none).then(|| view! { <p class="loading">"Loading the timeline…"</p> })
                    set_pending=loading.write_only()
                >
                    {move || Suspend::new(async move {
                        match window.await {
                            Ok(arrived) => {
                                data.set(Some(arrived));
                                ().into_any()
                            }
                            Err(e) => {
                                failed.set(Some(fetch_key.get_untracked()));
                                view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
                            }
                        }
                    })}
                </Transition>
            </div>
            <DetailPanel selected new_tab=embedded as_recorded=url.query.as_recorded.clone() />
        </section>
    }
}

/// The laid-out frame, positioned under the view.
#[component]
fn Frame(
    laid_out: Memo<Option<Layout>>,
    shown: Memo<Span>,
    selected: RwSignal<Option<EventId>>,
    dragged: interactions::Drag,
    zoom_to: impl Fn(chrono::NaiveDate, chrono::NaiveDate) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let frame = move || laid_out.with(|l| l.as_ref().map(|l| l.frame));
    let left = move || {
        let v = shown.get();
        frame()
            .map(|f| css_pct((f.start - v.start) / v.len() * 100.0))
            .unwrap_or_default()
    };
    let width = move || {
        let v = shown.get();
        frame()
            .map(|f| css_pct(f.len() / v.len() * 100.0))
            .unwrap_or_default()
    };
    let select = move |id: EventId| {
        if !dragged.was_drag() {
            selected.set(Some(id));
        }
    };
    let body = move || {
        let level_days = shown.with_untracked(|v| v.len());
        laid_out.get().map(|l| {
            let today_left = l.frame.pct(day_number(l.today) as f64 + 0.5);
            let height = l.height;
            let bucketed = l.bucketed;
            let labels = l
                .lanes
                .iter()
                .map(|lane| (lane.label.clone(), lane.top))
                .collect::<Vec<_>>();
            view! {
                <div class="tl-axis" aria-hidden="true">
                    {ticks(l.frame, level_days).into_iter().map(|t| view! {
                        <span class=if t.major { "tl-tick major" } else { "tl-tick" } style:left=css_pct(t.left)>{t.label}</span>
                    }).collect_view()}
                </div>
                {(0.0..=100.0).contains(&today_left).then(|| view! {
                    <div class="tl-today" style:left=css_pct(today_left) title="Today"><span>"Today"</span></div>
                })}
                <div class="tl-lanes" style:height=css_px(height) data-bucketed=bucketed.to_string()
                    on:click=move |ev| mark_clicked(&ev, select, zoom_to)>
                    <svg class="tl-links" aria-hidden="true">
                        {l.links.iter().map(|k| {
                            let (from, to) = (k.from, k.to);
                            view! {
                                <line
                                    x1=css_pct(k.x1) y1=fixed(k.y1, 2) x2=css_pct(k.x2) y2=fixed(k.y2, 2)
                                    class=move || if selected.get() == Some(from) || selected.get() == Some(to) { "tl-link active" } else { "tl-link" }
                                />
                            }
                        }).collect_view()}
                        {l.lifecycles.iter().map(|c| view! {
                            <g class="tl-lifecycle" data-event-id=c.id.0>
                                <line class="tl-lifecycle-line" x1=css_pct(c.from) y1=fixed(c.y, 2) x2=css_pct(c.to) y2=fixed(c.y, 2) />
                                {c.steps.iter().map(|s| view! {
                                    <rect class=format!("tl-step tl-step-{}", s.step.as_str())
                                        x=css_pct(s.left) width=css_pct(s.width.max(0.2))
                                        y=fixed(c.y - 6.0, 2) height="12" />
                                }).collect_view()}
                            </g>
                        }).collect_view()}
                    </svg>
                    {l.lanes.into_iter().map(|lane| view! {
                        <div class="tl-lane" role="group" aria-label=if lane.label.is_empty() { "Events".to_string() } else { lane.label.clone() }
                            data-lane=lane.key.clone()
                            style:top=css_px(lane.top) style:height=css_px(lane.height)>
                            <Histogram buckets=lane.buckets periods=lane.periods zoom_to />
                            <div class="tl-marks" inner_html=marks_html(&lane.marks, lane.bar_rows, selected.get_untracked()) />
                        </div>
                    }).collect_view()}
                </div>
                <div class="tl-lane-labels" aria-hidden="true">
                    {labels.into_iter().map(|(label, top)| view! {
                        <span style:top=css_px(top)>{label}</span>
                    }).collect_view()}
                </div>
            }
        })
    };
    let frame_el = NodeRef::<leptos::html::Div>::new();
    // The marks are written as HTML with the selection of the moment; a later selection
    // presses its marks in place (no mark is built anew, so a focused one keeps focus).
    #[cfg(feature = "browser")]
    Effect::new(move |_| {
        let id = selected.get();
        if let Some(frame) = frame_el.get_untracked() {
            press_marks(&frame, id);
        }
    });
    view! {
        <div class="tl-frame" node_ref=frame_el style:left=left style:width=width>{body}</div>
    }
}

/// Marks the selected event's marks pressed, and no other, in the drawn frame.
#[cfg(feature = "browser")]
fn press_marks(frame: &web_sys::Element, selected: Option<EventId>) {
    use wasm_bindgen::JsCast;
    let set = |selector: &str, pressed: &str| {
        let Ok(marks) = frame.query_selector_all(selector) else {
            return;
        };
        for i in 0..marks.length() {
            if let Some(mark) = marks
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = mark.set_attribute("aria-pressed", pressed);
            }
        }
    };
    set("button[aria-pressed=\"true\"]", "false");
    if let Some(id) = selected {
        set(&format!("button[data-event-id=\"{}\"]", id.0), "true");
    }
}

/// A lane's marks as HTML, one button each; their clicks are handled by the frame's one
/// listener ([`mark_clicked`]). Written as one string rather than built element by
/// element: a zoom step draws every mark anew, and the browser parses a lane's marks in
/// one call where building them took a call per attribute (and a string copied across
/// for each). Every piece of text in it is escaped.
fn marks_html(marks: &[Mark], bar_rows: usize, selected: Option<EventId>) -> String {
    use std::fmt::Write;
    let attr = |text: &str| html_escape::encode_double_quoted_attribute(text).into_owned();
    let pressed = |id: EventId| {
        if selected == Some(id) {
            "true"
        } else {
            "false"
        }
    };
    let mut html = String::with_capacity(marks.len() * 160);
    for mark in marks {
        // Writing to a String cannot fail.
        let _ = match mark {
            Mark::Point {
                id,
                left,
                row,
                kind,
                label,
            } => write!(
                html,
                r#"<button type="button" class="tl-point kind-{}" style="left:{};top:{}" data-event-id="{}" aria-label="{label}" title="{label}" aria-pressed="{}"></button>"#,
                kind.as_str(),
                css_pct(*left),
                css_px(bar_rows as f64 * layout::BAR_ROW + *row as f64 * layout::STACK_STEP),
                id.0,
                pressed(*id),
                label = attr(label),
            ),
            Mark::Bar {
                id,
                left,
                width,
                row,
                kind,
                label,
                imprecise,
            } => write!(
                html,
                r#"<button type="button" class="tl-bar kind-{}{}" style="left:{};--w:{};top:{}" data-event-id="{}" aria-label="{label}" title="{label}" aria-pressed="{}"></button>"#,
                kind.as_str(),
                if *imprecise { " tl-imprecise" } else { "" },
                css_pct(*left),
                css_pct(*width),
                css_px(*row as f64 * layout::BAR_ROW),
                id.0,
                pressed(*id),
                label = attr(label),
            ),
            Mark::Cluster {
                left,
                count,
                from,
                to,
                label,
            } => write!(
                html,
                r#"<button type="button" class="tl-cluster" style="left:{};top:{}" data-from="{from}" data-to="{to}" aria-label="{label}" title="{label}">{count}</button>"#,
                css_pct(*left),
                css_px(bar_rows as f64 * layout::BAR_ROW),
                label = attr(label),
            ),
        };
    }
    html
}

/// A click on the frame: on a point or bar it selects the event (unless it ended a drag),
/// on a cluster it zooms to the cluster's days. One listener for every mark, because a
/// zoom step builds the marks anew and attaching a listener to each cost as much again.
fn mark_clicked(
    ev: &leptos::ev::MouseEvent,
    select: impl Fn(EventId),
    zoom_to: impl Fn(chrono::NaiveDate, chrono::NaiveDate),
) {
    use wasm_bindgen::JsCast;
    let Some(mark) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest("button.tl-point, button.tl-bar, button.tl-cluster")
                .ok()
                .flatten()
        })
    else {
        return;
    };
    let day = |name: &str| {
        mark.get_attribute(name)
            .and_then(|d| crate::domain::dates::parse_iso_day(&d).ok())
    };
    if let Some(id) = mark
        .get_attribute("data-event-id")
        .and_then(|id| id.parse().ok())
    {
        select(EventId(id));
    } else if let (Some(from), Some(to)) = (day("data-from"), day("data-to")) {
        zoom_to(from, to);
    }
}

/// `x` to `decimals` places, as `{:.N}` writes it (but never `-0`, and a half in the
/// last place rounds away from zero). Integer arithmetic:
/// formatting the float took its exact (slow) path for every mark on every zoom step.
fn fixed(x: f64, decimals: u32) -> String {
    let mut out = String::new();
    push_fixed(&mut out, x, decimals);
    out
}

/// [`fixed`], written onto `out` (a histogram's path has thousands of numbers a step).
fn push_fixed(out: &mut String, x: f64, decimals: u32) {
    use std::fmt::Write;
    let scale = 10u64.pow(decimals);
    let n = (x * scale as f64).round();
    if !n.is_finite() {
        out.push('0');
        return;
    }
    let n = n as i64;
    if n < 0 {
        out.push('-');
    }
    let a = n.unsigned_abs();
    // Writing to a String cannot fail.
    let _ = match decimals {
        0 => write!(out, "{a}"),
        d => write!(out, "{}.{:0d$}", a / scale, a % scale, d = d as usize),
    };
}

/// `x` as a CSS percentage to four decimals.
fn css_pct(x: f64) -> String {
    fixed(x, 4) + "%"
}

/// `x` as CSS pixels to two decimals.
fn css_px(x: f64) -> String {
    fixed(x, 2) + "px"
}

/// A lane's buckets as one drawing: one path, not an element per bucket (a busy window
/// has about 1,500, and every zoom step would build them anew), and over it the events
/// known only to a longer period as translucent bands. A click zooms to the bucket (or else the
/// period) under the pointer; the zoom controls and keys do the same for everyone, so the
/// drawing is an image described by its total, its busiest bucket and its periods.
#[component]
fn Histogram(
    buckets: Vec<BucketMark>,
    periods: Vec<BucketMark>,
    zoom_to: impl Fn(chrono::NaiveDate, chrono::NaiveDate) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if buckets.is_empty() && periods.is_empty() {
        return ().into_any();
    }
    let busiest_of = |marks: &[BucketMark]| {
        marks
            .iter()
            .max_by_key(|b| (b.count, std::cmp::Reverse(b.from)))
            .map(BucketMark::label)
    };
    let in_periods: i64 = periods.iter().map(|p| p.count).sum();
    let total = buckets.iter().map(|b| b.count).sum::<i64>() + in_periods;
    let mut label = format!(
        "{total} event{} in this frame, counted in buckets",
        if total == 1 { "" } else { "s" }
    );
    if let Some(busiest) = busiest_of(&buckets) {
        label.push_str(&format!("; busiest {busiest}"));
    }
    if let Some(most) = busiest_of(&periods) {
        label.push_str(&format!(
            "; {in_periods} of them known only to their month or year, drawn over it (most: {most})"
        ));
    }
    // One string written in place: a busy frame has about 1,500 buckets a zoom step.
    let path_of = |marks: &[BucketMark]| -> String {
        let mut d = String::with_capacity(marks.len() * 28);
        for b in marks {
            let h = 8.0 + b.height * 92.0;
            d.push('M');
            push_fixed(&mut d, b.left, 3);
            d.push_str(" 100V");
            push_fixed(&mut d, 100.0 - h, 2);
            d.push('h');
            push_fixed(&mut d, b.width, 3);
            d.push_str("V100Z");
        }
        d
    };
    let (bars, bands) = (path_of(&buckets), path_of(&periods));
    let drawing = NodeRef::<leptos::svg::Svg>::new();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(el) = drawing.get() else { return };
        let rect = el.get_bounding_client_rect();
        let at = (ev.client_x() as f64 - rect.left()) / rect.width().max(1.0) * 100.0;
        let under = |b: &&BucketMark| at >= b.left && at <= b.left + b.width;
        // The shortest period first: a month inside its year.
        let period = periods.iter().filter(under).min_by_key(|p| p.to - p.from);
        if let Some(b) = buckets.iter().find(under).or(period) {
            zoom_to(b.from, b.to);
        }
    };
    view! {
        <svg class="tl-histogram" node_ref=drawing viewBox="0 0 100 100" preserveAspectRatio="none"
            role="img" aria-label=label on:click=on_click>
            <path d=bars />
            {(!bands.is_empty()).then(|| view! { <path class="tl-periods" d=bands /> })}
        </svg>
    }
    .into_any()
}

/// Events per month over the whole record, with the visible range marked; a click
/// centres the view there.
#[component]
fn DensityStrip(facets: Facets, shown: Memo<Span>, view: RwSignal<Option<Span>>) -> impl IntoView {
    let (Some(first), Some(last)) = (facets.density.first(), facets.density.last()) else {
        return ().into_any();
    };
    let record = Span::of_dates(
        first.0,
        last.0
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(last.0),
    );
    let max = facets
        .density
        .iter()
        .map(|(_, n)| *n)
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let busiest = facets
        .density
        .iter()
        .max_by_key(|(_, n)| *n)
        .map(|(m, n)| {
            format!(
                "{} {}: {n}",
                FuzzyDate::new(*m, crate::domain::DatePrecision::Month),
                ""
            )
        })
        .unwrap_or_default();
    let label = format!(
        "Events per month, {} to {}; busiest {}",
        FuzzyDate::new(first.0, crate::domain::DatePrecision::Month),
        FuzzyDate::new(last.0, crate::domain::DatePrecision::Month),
        busiest.replace(" : ", ": ")
    );
    // One path, not an element per month: a record of decades has hundreds of months,
    // and each element costs the page's HTML and every restyle.
    let bars: String = facets
        .density
        .iter()
        .map(|(m, n)| {
            let x = record.pct(day_number(*m) as f64) * 10.0;
            let h = (*n as f64 / max) * 36.0;
            format!("M{} 40V{}h3V40Z", fixed(x, 1), fixed(40.0 - h, 1))
        })
        .collect();
    let strip = NodeRef::<leptos::svg::Svg>::new();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(el) = strip.get() {
            let rect = el.get_bounding_client_rect();
            let fraction = (ev.client_x() as f64 - rect.left()) / rect.width().max(1.0);
            let center = record.start + fraction * record.len();
            let len = shown.get_untracked().len();
            view.set(Some(clamp_view(center - len / 2.0, len)));
        }
    };
    view! {
        <svg class="tl-density" node_ref=strip viewBox="0 0 1000 40" preserveAspectRatio="none"
            role="img" aria-label=label on:click=on_click>
            <path d=bars />
            <rect class="tl-density-view" y="0" height="40"
                x=move || fixed(record.pct(shown.get().start).clamp(0.0, 100.0) * 10.0, 2)
                width=move || {
                    let v = shown.get();
                    let a = record.pct(v.start).clamp(0.0, 100.0);
                    let b = record.pct(v.end).clamp(0.0, 100.0);
                    fixed(((b - a) * 10.0).max(2.0), 2)
                } />
        </svg>
    }
    .into_any()
}

/// The selected event: title, date, actors, quotes with their sources, permalink. In
/// another site's frame (`new_tab`) its links open this site in a new tab. On a past
/// day's timeline (`as_recorded`) it is the event as it then stood, and its permalink is
/// that day's.
#[component]
fn DetailPanel(
    selected: RwSignal<Option<EventId>>,
    new_tab: bool,
    as_recorded: Option<String>,
) -> impl IntoView {
    let target = new_tab.then_some("_blank");
    let day = as_recorded.clone();
    let permalink = move |path: String| match &day {
        Some(day) => with_query(&path, &query_string([("as_recorded", day.clone())])),
        None => path,
    };
    let card = Resource::new(
        move || selected.get(),
        move |id| {
            let as_recorded = as_recorded.clone();
            async move {
                match id {
                    Some(id) => load_event_card(id.0.to_string(), as_recorded)
                        .await
                        .map(Some),
                    None => Ok(None),
                }
            }
        },
    );
    let face = move |face: CardFace, then: Option<i32>| {
        let href = permalink(face.permalink);
        view! {
            <aside class="tl-detail" aria-label="Selected event" aria-live="polite">
                <button type="button" class="tl-close" aria-label="Close" on:click=move |_| selected.set(None)>"×"</button>
                <EventMeta date=face.date end=face.end kind=face.kind />
                <h2>{face.title}</h2>
                <p><Actors authorities=face.authorities targets=face.targets new_tab /></p>
                {face.quotes.into_iter().map(|q| view! {
                    <figure class="tl-quote">
                        <blockquote lang=q.language>{q.exact}</blockquote>
                        <figcaption>
                            <a href=format!("/sources/{}#c{}", q.source, q.citation) rel="external" target=target>{q.source_title}</a>
                            ", " {q.publisher}
                        </figcaption>
                    </figure>
                }).collect_view()}
                {then.map(|version| view! {
                    <p class="tl-then">{format!("As it then stood (version {version}); edited since.")}</p>
                })}
                <p><a class="tl-permalink" href=href target=target>
                    {if then.is_some() { "Permalink, with its passages as they then stood" } else { "Permalink" }}
                </a></p>
            </aside>
        }
    };
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let face = face.clone();
                Suspend::new(async move {
                match card.await {
                    Ok(Some(EventCard::Now(now))) => face(*now, None).into_any(),
                    Ok(Some(EventCard::Then { version, face: then })) => face(*then, Some(version)).into_any(),
                    Ok(Some(EventCard::NotPublished)) => view! {
                        <aside class="tl-detail" aria-live="polite"><p>"That event is not published."</p></aside>
                    }.into_any(),
                    Ok(None) => ().into_any(),
                    Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                }
            })}}
        </Suspense>
    }
}

pub(crate) mod interactions;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_written_with_their_text_escaped_and_only_the_selected_pressed() {
        use crate::domain::EventKind;
        let hostile = r#"Huawei "æøå" </button><script>alert('x')</script> & co"#;
        let day = |d: &str| crate::domain::dates::parse_iso_day(d).expect("a day");
        let marks = [
            Mark::Point {
                id: EventId(7),
                left: 12.5,
                row: 1,
                kind: EventKind::Imposed,
                label: hostile.into(),
            },
            Mark::Bar {
                id: EventId(8),
                left: 40.0,
                width: 5.25,
                row: 0,
                kind: EventKind::Eased,
                label: "Bar".into(),
                imprecise: true,
            },
            Mark::Cluster {
                left: 80.0,
                count: 12,
                from: day("2019-05-15"),
                to: day("2019-06-29"),
                label: "12 events".into(),
            },
        ];
        let html = marks_html(&marks, 1, Some(EventId(7)));
        assert!(
            !html.contains("<script>") && !html.contains("</button><script>"),
            "{html}"
        );
        assert!(
            html.contains("Huawei &quot;æøå&quot; &lt;/button&gt;"),
            "{html}"
        );
        assert_eq!(html.matches("<button ").count(), 3, "{html}");
        assert_eq!(html.matches(r#"aria-pressed="true""#).count(), 1, "{html}");
        assert!(
            html.contains(r#"data-event-id="7" aria-label="#)
                && html.contains(
                    r#"aria-pressed="true"></button><button type="button" class="tl-bar"#
                ),
            "{html}"
        );
        assert!(html.contains(r#"class="tl-bar kind-eased tl-imprecise" style="left:40.0000%;--w:5.2500%;top:0.00px""#), "{html}");
        assert!(
            html.contains(r#"style="left:12.5000%;top:48.00px""#),
            "{html}"
        );
        assert!(
            html.contains(r#"data-from="2019-05-15" data-to="2019-06-29""#)
                && html.contains(">12</button>"),
            "{html}"
        );
        assert!(!marks_html(&marks, 1, None).contains(r#"aria-pressed="true""#));
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_data_written_into_a_page_cannot_end_its_script_and_reads_back_whole() {
        use crate::domain::timeline::TimelineItem;
        use crate::domain::{DatePrecision, EventKind};
        let hostile = "</script><script>alert(1)</script><!-- æøå \r\n\0";
        let item = TimelineItem {
            id: EventId(7),
            slug: crate::domain::Slug::from_title("Huawei på listen"),
            start: chrono::NaiveDate::from_ymd_opt(2019, 5, 16).expect("a day"),
            precision: DatePrecision::Day,
            until: None,
            title: hostile.to_owned(),
            kind: EventKind::ALL[0],
            authorities: vec!["USA".into()],
            targets: vec![hostile.to_owned()],
            prominence: 3,
            lifecycle: Default::default(),
            step: None,
        };
        let day = item.start;
        let data = TimelineData {
            url: TimelineUrl {
                query: RawTimelineQuery {
                    start: Some("2019-01-01".into()),
                    filter: RawEventFilter {
                        q: Some(hostile.to_owned()),
                        ..Default::default()
                    },
                    ..Default::default()
                },
                selected: Some(7),
                embedded: true,
            },
            facets: Some(Facets {
                total: 1,
                authorities: vec![(hostile.to_owned(), 1)],
                ..Default::default()
            }),
            first: Some(TimelineWindow {
                start: day,
                end: day,
                today: day,
                lanes: Lanes::Target,
                items: vec![item],
                buckets: None,
                relations: vec![],
            }),
            embed_site: Some("https://example.org".to_owned()),
        };
        let text = data.clone().script_text().expect("serialises");
        assert!(
            text.chars().all(|c| c.is_ascii_graphic() || c == ' ')
                && !text.contains(['<', '>', '&']),
            "{text}"
        );
        assert!(
            text.contains("https://example.org"),
            "text stays readable: {text}"
        );
        assert_eq!(TimelineData::from_script_text(&text), Some(data));
        assert_eq!(
            TimelineData::from_script_text(&text[..text.len() / 2]),
            None
        );
    }

    #[test]
    fn the_frames_fetched_ahead_are_those_the_next_zoom_or_pan_asks_for() {
        let view = Span {
            start: 18_000.0,
            end: 18_100.0,
        };
        let ahead = neighbouring_frames(view, None);
        assert!(!ahead.contains(&frame_for(view)));
        // What a zoom in or out by the wheel's or keys' step, and a pan by a view's
        // length, would fetch is among them.
        let zoomed = |factor: f64| {
            let len = view.len() * factor;
            let mid = (view.start + view.end) / 2.0;
            frame_for(Span {
                start: mid - len / 2.0,
                end: mid + len / 2.0,
            })
        };
        for next in [
            zoomed(0.5),
            zoomed(1.0 / 1.5),
            zoomed(1.5),
            zoomed(2.0),
            frame_for(Span {
                start: view.start + view.len(),
                end: view.end + view.len(),
            }),
        ] {
            assert!(
                next == frame_for(view) || ahead.contains(&next),
                "{next:?} not in {ahead:?}"
            );
        }
    }

    #[test]
    fn percentages_are_written_as_float_formatting_writes_them() {
        for x in [
            0.0, 12.34567, -3.2, 99.99994, 100.0, -0.00001, 0.5, 250.125, -47.00004,
        ] {
            let ours = css_pct(x);
            let theirs = format!("{x:.4}%").replace("-0.0000%", "0.0000%");
            assert_eq!(ours, theirs, "{x}");
        }
        assert_eq!(css_pct(f64::NAN), "0%");
        for x in [0.0, 12.3456, -3.2, 40.0, 7.0051, 1_000.25, -0.001] {
            let theirs = |s: String| {
                if s.trim_start_matches(['-', '0', '.']).is_empty() {
                    s.replace('-', "")
                } else {
                    s
                }
            };
            assert_eq!(fixed(x, 2), theirs(format!("{x:.2}")), "{x}");
            assert_eq!(fixed(x, 3), theirs(format!("{x:.3}")), "{x}");
            assert_eq!(fixed(x, 0), theirs(format!("{x:.0}")), "{x}");
        }
        assert_eq!(css_px(22.0), "22.00px");
    }

    #[test]
    fn the_frames_ahead_go_the_way_the_view_last_moved_first() {
        let view = Span {
            start: 18_000.0,
            end: 18_100.0,
        };
        let moved = |factor: f64, shift: f64| {
            let (len, mid) = (
                view.len() * factor,
                (view.start + view.end) / 2.0 + shift * view.len(),
            );
            frame_for(Span {
                start: mid - len / 2.0,
                end: mid + len / 2.0,
            })
        };
        let before = |factor: f64, shift: f64| {
            let (len, mid) = (
                view.len() / factor,
                (view.start + view.end) / 2.0 - shift * view.len(),
            );
            Some(Span {
                start: mid - len / 2.0,
                end: mid + len / 2.0,
            })
        };
        // Zoomed in, out, panned later, panned earlier: that way again comes first (the
        // smaller of its steps, unless that stays in this frame).
        for (step, further, shift) in [
            (1.0 / 1.5, 0.5, 0.0),
            (1.5, 2.0, 0.0),
            (1.0, 1.0, 1.0),
            (1.0, 1.0, -1.0),
        ] {
            let ahead = neighbouring_frames(view, before(step, shift));
            let next = [moved(step, shift), moved(further, shift)]
                .into_iter()
                .find(|f| *f != frame_for(view));
            assert_eq!(ahead.first(), next.as_ref(), "{step} {shift}");
            let mut all = ahead.clone();
            all.sort();
            let mut unordered = neighbouring_frames(view, None);
            unordered.sort();
            assert_eq!(all, unordered, "the same frames, in another order");
        }
    }

    fn window(d: &str) -> TimelineWindow {
        TimelineWindow {
            start: d.parse().unwrap(),
            end: d.parse().unwrap(),
            today: d.parse().unwrap(),
            lanes: Lanes::None,
            items: Vec::new(),
            buckets: None,
            relations: Vec::new(),
        }
    }

    /// A waker that counts how often it was woken.
    fn counting_waker() -> (
        std::task::Waker,
        std::sync::Arc<std::sync::atomic::AtomicUsize>,
    ) {
        struct Count(std::sync::Arc<std::sync::atomic::AtomicUsize>);
        impl std::task::Wake for Count {
            fn wake(self: std::sync::Arc<Self>) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let count = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        (
            std::task::Waker::from(std::sync::Arc::new(Count(count.clone()))),
            count,
        )
    }

    #[test]
    fn the_window_store_keeps_the_newest_and_asks_once() {
        use std::sync::atomic::Ordering::SeqCst;
        let (waker, woken) = counting_waker();
        let mut store = WindowStore::default();
        assert!(matches!(store.want((0, 9)), Wanted::Ask));
        assert!(
            matches!(store.want((0, 9)), Wanted::OnItsWay),
            "waited for, not asked again"
        );
        assert!(store.wait((0, 9), &waker), "still on its way");
        assert!(
            store.wait((0, 9), &waker),
            "woken once however often polled"
        );
        store.finished((0, 9), Some(window("2019-06-29")));
        assert_eq!(woken.load(SeqCst), 1, "woken when it arrived");
        assert!(!store.wait((0, 9), &waker));
        assert!(matches!(store.want((0, 9)), Wanted::Held(_)));
        for i in 1..=WindowStore::KEPT as i64 {
            store.keep((i * 10, i * 10 + 9), window("2019-06-29"));
        }
        assert!(store.get((0, 9)).is_none(), "the oldest went first");
        assert!(matches!(store.want((10, 19)), Wanted::Held(_)));
        // A failed request wakes its waiters, who may ask again.
        assert!(matches!(store.want((500, 509)), Wanted::Ask));
        assert!(store.wait((500, 509), &waker));
        store.finished((500, 509), None);
        assert_eq!(woken.load(SeqCst), 2);
        assert!(matches!(store.want((500, 509)), Wanted::Ask));
    }

    #[test]
    fn frames_are_asked_for_ahead_a_few_at_once_and_never_twice() {
        let mut store = WindowStore::default();
        store.keep((0, 9), window("2019-06-29"));
        assert!(
            matches!(store.want((10, 19)), Wanted::Ask),
            "the view's own"
        );
        let frames = [(0, 9), (10, 19), (20, 29), (30, 39), (40, 49)];
        assert_eq!(
            store.next_ahead(&frames, true),
            Some((20, 29)),
            "held and asked skipped"
        );
        assert_eq!(store.next_ahead(&frames, true), Some((30, 39)));
        assert_eq!(WindowStore::AHEAD_AT_ONCE, 2);
        assert_eq!(store.next_ahead(&frames, true), None, "two on their way");
        assert!(
            matches!(store.want((30, 39)), Wanted::OnItsWay),
            "the view waits for a frame asked for ahead"
        );
        store.ahead_done((20, 29), None);
        assert_eq!(
            store.next_ahead(&frames, true),
            Some((20, 29)),
            "failed: asked again"
        );
        store.ahead_done((30, 39), Some(window("2019-06-29")));
        assert!(matches!(store.want((30, 39)), Wanted::Held(_)));
        assert_eq!(store.next_ahead(&frames, true), Some((40, 49)));
    }

    #[test]
    fn while_the_view_moves_only_its_likeliest_frames_are_asked_for_ahead() {
        let mut store = WindowStore::default();
        let frames = [(0, 9), (10, 19), (20, 29), (30, 39)];
        store.keep((0, 9), window("2019-06-29"));
        assert_eq!(store.next_ahead(&frames, false), Some((10, 19)));
        store.ahead_done((10, 19), Some(window("2019-06-29")));
        assert_eq!(
            store.next_ahead(&frames, false),
            None,
            "the likeliest two are held: the others wait for a pause"
        );
        assert_eq!(store.next_ahead(&frames, true), Some((20, 29)));
        assert_eq!(store.next_ahead(&frames, true), Some((30, 39)));
    }

    #[test]
    fn a_request_dropped_before_it_ends_gives_its_frame_up() {
        use std::sync::atomic::Ordering::SeqCst;
        let (waker, woken) = counting_waker();
        // Stored values live in an owner's arena (sandboxed per owner on the server).
        Owner::new().with(|| {
            let store = StoredValue::new(WindowStore::default());
            let needed = Memo::new(|_| Some((0, 9)));
            let asked = window_for(
                Some((0, 9)),
                None,
                RawTimelineQuery::default(),
                store,
                needed,
            );
            assert_eq!(
                store.try_update_value(|s| s.wait((0, 9), &waker)),
                Some(true)
            );
            drop(asked);
            assert_eq!(woken.load(SeqCst), 1, "the waiter is woken");
            assert!(matches!(
                store.try_update_value(|s| s.want((0, 9))),
                Some(Wanted::Ask)
            ));
            // What the page brought is taken at once, and asks nothing.
            let first = window_for(
                Some((10, 19)),
                Some(window("2019-06-29")),
                RawTimelineQuery::default(),
                store,
                needed,
            );
            drop(first);
            assert!(matches!(
                store.try_update_value(|s| s.want((10, 19))),
                Some(Wanted::Ask)
            ));
        });
    }

    #[test]
    fn a_step_whose_frame_is_on_its_way_takes_it_when_it_comes() {
        use std::future::Future;
        use std::sync::atomic::Ordering::SeqCst;
        let (waker, woken) = counting_waker();
        let mut cx = std::task::Context::from_waker(&waker);
        Owner::new().with(|| {
            let store = StoredValue::new(WindowStore::default());
            // The frame the view needs.
            let view = RwSignal::new(Some((0, 9)));
            let needed = Memo::new(move |_| view.get());
            // A step whose frame was asked for ahead.
            let waiting_step = |frame| {
                assert!(matches!(
                    store.try_update_value(|s| s.want(frame)),
                    Some(Wanted::Ask)
                ));
                window_for(
                    Some(frame),
                    None,
                    RawTimelineQuery::default(),
                    store,
                    needed,
                )
            };
            let mut step = std::pin::pin!(waiting_step((0, 9)));
            assert!(step.as_mut().poll(&mut cx).is_pending());
            assert!(step.as_mut().poll(&mut cx).is_pending());
            store.update_value(|s| s.finished((0, 9), Some(window("2019-06-29"))));
            assert_eq!(woken.load(SeqCst), 1, "woken once, however often polled");
            match step.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(Ok(w)) => assert_eq!(w.start.to_string(), "2019-06-29"),
                _ => panic!("the step takes the frame that came"),
            }
            // A guess that failed while the view moved on: the step that waited for it
            // does not ask a failing server again (its answer would never be shown).
            view.set(Some((20, 29)));
            let mut step = std::pin::pin!(waiting_step((20, 29)));
            assert!(step.as_mut().poll(&mut cx).is_pending());
            view.set(Some((40, 49)));
            store.update_value(|s| s.finished((20, 29), None));
            assert!(matches!(
                step.as_mut().poll(&mut cx),
                std::task::Poll::Ready(Err(_))
            ));
            assert!(
                matches!(
                    store.try_update_value(|s| s.want((20, 29))),
                    Some(Wanted::Ask)
                ),
                "not asked for again"
            );
        });
    }
}
