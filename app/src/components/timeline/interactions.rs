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

/// Writes the view's URL into the address bar a moment after it stops changing
/// (browsers throttle frequent history updates).
pub fn sync_url(href: impl Fn() -> String + Send + Sync + 'static) {
    #[cfg(feature = "browser")]
    {
        let pending: StoredValue<Option<leptos::prelude::TimeoutHandle>> = StoredValue::new(None);
        Effect::new(move |first: Option<()>| {
            let url = href();
            if first.is_none() {
                return;
            }
            if let Some(h) = pending.get_value() {
                h.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    if let Ok(history) = window().history() {
                        let _ = history.replace_state_with_url(
                            &wasm_bindgen::JsValue::NULL,
                            "",
                            Some(&url),
                        );
                    }
                },
                std::time::Duration::from_millis(250),
            )
            .ok();
            pending.set_value(handle);
        });
    }
    #[cfg(not(feature = "browser"))]
    let _ = href;
}
