//! Browser-only behaviour of the timeline: wheel zoom at the pointer, drag to pan, and
//! keeping the URL in step. Nothing here runs during server rendering.

use super::layout::Span;
use leptos::prelude::*;

/// A viewport's width in px, in 16 px steps (so dragging a window's edge does not lay
/// the timeline out on every event); `None` before it has a width.
#[cfg(feature = "browser")]
pub fn viewport_width(viewport: &web_sys::Element) -> Option<f64> {
    Some((viewport.client_width() as f64 / 16.0).floor() * 16.0).filter(|w| *w > 0.0)
}

/// Keeps `width` at the viewport's width ([`viewport_width`]): marks are spaced for this
/// screen.
pub fn measure_width(viewport: NodeRef<leptos::html::Div>, width: RwSignal<f64>) {
    #[cfg(feature = "browser")]
    {
        let measure = move || {
            let measured = viewport.get_untracked().and_then(|el| viewport_width(&el));
            if let Some(w) = measured.filter(|w| *w != width.get_untracked()) {
                width.set(w);
            }
        };
        Effect::new(move |_| {
            if viewport.get().is_some() {
                measure();
            }
        });
        let handle = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "browser"))]
    let _ = (viewport, width);
}

/// Zooms with the wheel (or a trackpad pinch, which arrives as a ctrl+wheel) around the
/// pointer. Registered by hand because it must be able to stop the page from scrolling,
/// which a passive listener cannot.
pub fn attach(viewport: NodeRef<leptos::html::Div>, zoom: impl Fn(f64, f64) + Copy + 'static) {
    #[cfg(feature = "browser")]
    Effect::new(move |done: Option<bool>| {
        use wasm_bindgen::closure::Closure;
        use wasm_bindgen::JsCast;
        if done == Some(true) {
            return true;
        }
        let Some(el) = viewport.get() else {
            return false;
        };
        let target = el.clone();
        let on_wheel =
            Closure::<dyn Fn(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| {
                ev.prevent_default();
                let rect = target.get_bounding_client_rect();
                let anchor =
                    ((ev.client_x() as f64 - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0);
                let delta = if ev.delta_mode() == 1 {
                    ev.delta_y() * 16.0
                } else {
                    ev.delta_y()
                };
                let factor = (delta / 300.0).clamp(-0.5, 0.5).exp();
                zoom(factor, anchor);
            });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            on_wheel.as_ref().unchecked_ref(),
            &options,
        );
        // Lives as long as the page: the timeline is its main element.
        on_wheel.forget();
        true
    });
    #[cfg(not(feature = "browser"))]
    let _ = (viewport, zoom);
}

/// Drag-to-pan and pinch-to-zoom state, for a mouse, a pen or fingers. A press that moves
/// less than a few pixels stays a click; two fingers down make a pinch, which zooms around
/// the point between them.
#[derive(Clone, Copy)]
pub struct Drag {
    origin: StoredValue<Option<(f64, Span, f64)>>,
    moved: StoredValue<bool>,
    /// The pointers down on the timeline, by id, at their last x.
    down: StoredValue<Vec<(i32, f64)>>,
    /// During a pinch: the fingers' distance at its last step.
    pinch: StoredValue<Option<f64>>,
}

const DRAG_THRESHOLD_PX: f64 = 4.0;

impl Drag {
    pub fn new() -> Self {
        Drag {
            origin: StoredValue::new(None),
            moved: StoredValue::new(false),
            down: StoredValue::new(Vec::new()),
            pinch: StoredValue::new(None),
        }
    }

    pub fn down(&self, ev: &leptos::ev::PointerEvent, shown: Memo<Span>) {
        if ev.button() != 0 {
            return;
        }
        let x = ev.client_x() as f64;
        self.down.update_value(|down| {
            down.retain(|(id, _)| *id != ev.pointer_id());
            down.push((ev.pointer_id(), x));
        });
        if let Some(distance) = self.fingers_apart() {
            // The second finger: the pan stops, the pinch begins.
            self.origin.set_value(None);
            self.moved.set_value(true);
            self.pinch.set_value(Some(distance));
            capture(ev);
            return;
        }
        let width = target(ev).map(|el| el.client_width() as f64).unwrap_or(1.0);
        self.origin
            .set_value(Some((x, shown.get_untracked(), width.max(1.0))));
        self.moved.set_value(false);
    }

    pub fn moved(
        &self,
        ev: &leptos::ev::PointerEvent,
        view: RwSignal<Option<Span>>,
        zoom: impl Fn(f64, f64),
    ) {
        let x = ev.client_x() as f64;
        self.down.update_value(|down| {
            if let Some(p) = down.iter_mut().find(|(id, _)| *id == ev.pointer_id()) {
                p.1 = x;
            }
        });
        if let (Some(before), Some(now)) = (self.pinch.get_value(), self.fingers_apart()) {
            let (left, width) = bounds(ev);
            let middle = self
                .down
                .with_value(|d| d.iter().map(|(_, x)| x).sum::<f64>() / 2.0);
            zoom(before / now, ((middle - left) / width).clamp(0.0, 1.0));
            self.pinch.set_value(Some(now));
            return;
        }
        let Some((x0, v0, width)) = self.origin.get_value() else {
            return;
        };
        let dx = x - x0;
        if !self.moved.get_value() {
            if dx.abs() < DRAG_THRESHOLD_PX {
                return;
            }
            self.moved.set_value(true);
            // Capture only once it is a drag, so plain clicks still reach the markers.
            capture(ev);
        }
        let shift = -dx / width * v0.len();
        view.set(Some(Span {
            start: v0.start + shift,
            end: v0.end + shift,
        }));
    }

    pub fn up(&self, ev: &leptos::ev::PointerEvent) {
        if let Some(el) = target(ev) {
            if el.has_pointer_capture(ev.pointer_id()) {
                let _ = el.release_pointer_capture(ev.pointer_id());
            }
        }
        self.down
            .update_value(|down| down.retain(|(id, _)| *id != ev.pointer_id()));
        if self.fingers_apart().is_none() {
            self.pinch.set_value(None);
        }
        self.origin.set_value(None);
    }

    /// True right after a drag or a pinch: the click that ends it must not select a
    /// marker.
    pub fn was_drag(&self) -> bool {
        let moved = self.moved.get_value();
        self.moved.set_value(false);
        moved
    }

    /// With exactly two pointers down: how far apart they are (at least a pixel).
    fn fingers_apart(&self) -> Option<f64> {
        self.down.with_value(|down| match down.as_slice() {
            [(_, a), (_, b)] => Some((a - b).abs().max(1.0)),
            _ => None,
        })
    }
}

/// The element that handles the event (the timeline's viewport).
fn target(ev: &leptos::ev::PointerEvent) -> Option<web_sys::Element> {
    ev.current_target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
}

fn capture(ev: &leptos::ev::PointerEvent) {
    if let Some(el) = target(ev) {
        let _ = el.set_pointer_capture(ev.pointer_id());
    }
}

/// The viewport's left edge and width on screen.
fn bounds(ev: &leptos::ev::PointerEvent) -> (f64, f64) {
    target(ev)
        .map(|el| {
            let rect = el.get_bounding_client_rect();
            (rect.left(), rect.width().max(1.0))
        })
        .unwrap_or((0.0, 1.0))
}

/// Runs an action once it has not been asked for again for a while (`restart`), or
/// not at all (`cancel`). One timer serves a whole burst: a restart moves its deadline
/// and the timer, when it fires early, waits out the rest, so a drag does not clear and
/// set a timer on every pointer move.
#[cfg(feature = "browser")]
#[derive(Clone, Copy)]
pub struct Debounce(StoredValue<Wait>);

#[cfg(feature = "browser")]
type Action = std::sync::Arc<dyn Fn() + Send + Sync>;

#[cfg(feature = "browser")]
struct Wait {
    delay_ms: f64,
    /// When the action is due (ms since the epoch); infinite when nothing is.
    due: f64,
    /// Whether a timer is set.
    armed: bool,
    action: Option<Action>,
}

/// What is done to a [`Wait`]; one function does all (each closure given to a
/// stored value is code of its own in the readers' bundle).
#[cfg(feature = "browser")]
enum Change {
    Then(Action),
    Restart,
    Cancel,
    Fire,
}

/// What to do after a [`Change`].
#[cfg(feature = "browser")]
enum Next {
    Nothing,
    WaitMs(f64),
    Run(Action),
}

#[cfg(feature = "browser")]
impl Wait {
    fn change(&mut self, change: Change) -> Next {
        let now = web_sys::js_sys::Date::now();
        match change {
            Change::Then(action) => self.action = Some(action),
            Change::Restart => {
                self.due = now + self.delay_ms;
                if !std::mem::replace(&mut self.armed, true) {
                    return Next::WaitMs(self.delay_ms);
                }
            }
            Change::Cancel => self.due = f64::INFINITY,
            Change::Fire if self.due.is_finite() && now < self.due => {
                return Next::WaitMs(self.due - now);
            }
            Change::Fire => {
                self.armed = false;
                if std::mem::replace(&mut self.due, f64::INFINITY).is_finite() {
                    if let Some(action) = &self.action {
                        return Next::Run(action.clone());
                    }
                }
            }
        }
        Next::Nothing
    }
}

#[cfg(feature = "browser")]
impl Debounce {
    /// A wait of `delay` whose action is given by [`Debounce::then`] (it may need the
    /// wait itself).
    pub fn new(delay: std::time::Duration) -> Self {
        Self(StoredValue::new(Wait {
            delay_ms: delay.as_secs_f64() * 1000.0,
            due: f64::INFINITY,
            armed: false,
            action: None,
        }))
    }

    pub fn then(self, action: impl Fn() + Send + Sync + 'static) -> Self {
        self.change(Change::Then(std::sync::Arc::new(action)));
        self
    }

    /// The action runs once this has not been called again for the delay.
    pub fn restart(self) {
        self.change(Change::Restart);
    }

    /// The action does not run until the next `restart`.
    pub fn cancel(self) {
        self.change(Change::Cancel);
    }

    fn change(self, change: Change) {
        match self.0.try_update_value(|w| w.change(change)) {
            // `as` saturates: a negative wait is none.
            Some(Next::WaitMs(ms)) => set_timeout(
                move || self.change(Change::Fire),
                std::time::Duration::from_millis(ms as u64),
            ),
            Some(Next::Run(action)) => action(),
            _ => {}
        }
    }
}

/// Writes the view's URL into the address bar a moment after it stops changing
/// (browsers throttle frequent history updates).
pub fn sync_url(href: impl Fn() -> String + Send + Sync + 'static) {
    #[cfg(feature = "browser")]
    {
        let href = std::sync::Arc::new(href);
        let write = Debounce::new(std::time::Duration::from_millis(250)).then({
            let href = href.clone();
            move || {
                if let Ok(history) = window().history() {
                    let url = untrack(|| href());
                    let _ = history.replace_state_with_url(
                        &wasm_bindgen::JsValue::NULL,
                        "",
                        Some(&url),
                    );
                }
            }
        });
        Effect::new(move |first: Option<()>| {
            href();
            if first.is_some() {
                write.restart();
            }
        });
    }
    #[cfg(not(feature = "browser"))]
    let _ = href;
}
