// Our timeline against vis-timeline, same events, same headless Chromium, same scripted
// pan/zoom sequence, and both against the floor (floor.html: a page that only moves a
// layer, the least a step can cost in this browser under this measure). Prints JSON:
// time to the first frame with the visible items, and per-input latency while panning
// and zooming: from the input event to the end of the frame that shows the new window's
// data (ours marks the timeline aria-busy while a window's data is on its way; the frame
// counted is the first after it arrived, its end the message posted from its
// animation-frame callback), median, p95 and worst (and p95 apart for wheel steps and
// drag moves, with the median time a wheel event waited in the browser before the page
// saw it); as checks on that measure, the p95 to the end of the frame after it (what
// this benchmark counted until session 21) and how many inputs the page went on
// changing for after the frame counted; then, in a second pass of the same sequence with
// a callback on every frame, the longest gap between frames (and the p95 latency as that
// pass saw it); the most DOM nodes seen after any step and the JS heap at the end; and
// every timed input's latency, so runs can be pooled (a run has only 16 wheel steps),
// and every wheel's hold before dispatch (one held two frames cannot make 33 ms);
// and every input's latency from the moment the page saw it (its dispatch) to the same
// frame: the page's own part, which the browser's input pipeline does not move; and
// which inputs waited for their window's data (the page was busy at their first frame);
// and which met a window's response (one ended from 20 ms before their dispatch to their
// frame: its handling, and the server's work on the same cores, fall in the step);
// and a zoom step's own main-thread cost (stepCost, below); and the share of the CPU
// the host took from this machine (steal) during the timed pass (host.mjs).
import { chromium } from "playwright-core";
import { cpuShares, cpuTimes } from "./host.mjs";

const [oursUrl, visUrl, floorUrl, runsArg, events] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const firstItemsMs = Number(process.env.BENCH_FIRST_ITEMS_MS ?? 120_000);
// A zoom in the sequence: this many wheel steps of this delta each, in and then out;
// stepCost repeats them.
const ZOOM = { steps: 8, deltaY: 250 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-precise-memory-info"],
});

const targets = [
  { name: "ours", url: oursUrl, items: ".tl-histogram, .tl-point, .tl-bar, .tl-cluster", area: ".tl-viewport", ready: "body[data-hydrated]" },
  { name: "vis-timeline", url: visUrl, items: ".vis-item", area: ".vis-center", ready: ".vis-item" },
  { name: "floor", url: floorUrl, items: ".dot", area: ".floor", ready: "body[data-ready]" },
];

function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * q))] : NaN;
}
const median = (xs) => quantile(xs, 0.5);

async function measure(target) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(target.url, { waitUntil: "commit", timeout: firstItemsMs });
  try {
    await page.waitForSelector(target.items, { timeout: firstItemsMs });
  } catch (e) {
    // A contender that shows nothing in time is reported as such, not waited for.
    await context.close();
    return { timedOut: firstItemsMs, errors: [...errors, `no items after ${firstItemsMs} ms`] };
  }
  const firstFrame = await page.evaluate(() => new Promise((r) =>
    requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now())))));
  await page.waitForSelector(target.ready, { state: "attached", timeout: 600_000 });
  const interactive = await page.evaluate(() => performance.now());

  // Two passes of the same sequence: the first times each input, the second the gaps
  // between frames. The gaps need a callback on every frame, and a page that asks for
  // every frame makes Chromium dispatch each wheel event a frame later (about 16 ms more
  // from input to frame, on a bare page as on ours), which no reader's page does.
  await page.evaluate(() => {
    window.__gaps = [];
    window.__nodes = 0;
    // When each of ours' window responses ended (windows come from /api/load_window).
    window.__responses = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (e.name.includes("/api/load_window")) window.__responses.push(e.responseEnd);
      }
    }).observe({ type: "resource" });
    const busy = () => document.querySelector("[aria-busy='true']") !== null;
    window.__reset = () => {
      window.__lat = []; window.__wheel = []; window.__drag = []; window.__delay = [];
      window.__own = []; window.__waited = []; window.__spans = [];
      window.__next = []; window.__late = 0;
    };
    window.__reset();
    // The last input: a change to the page after its frame was counted and before the
    // next input means the frame counted did not show everything the input did (counted,
    // and printed, so a measure that undercounts shows it).
    let latest = null;
    new MutationObserver(() => {
      if (latest && latest.counted && !latest.late) { latest.late = true; window.__late++; }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
    const onInput = (ev) => {
      const start = ev.timeStamp;
      const seen = performance.now();
      const input = { counted: false, late: false, waited: false };
      latest = input;
      // How long the browser held the input before the page saw it (no page code ran yet).
      if (ev.type === "wheel") window.__delay.push(performance.now() - start);
      const afterFrame = (record) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => record(performance.now() - start);
        ch.port2.postMessage(0);
      };
      // In the first frame with the data, a message posted from its animation-frame
      // callback is handled once that frame's rendering (style, layout, paint) is done.
      const settled = () => {
        if (busy()) { input.waited = true; requestAnimationFrame(settled); return; }
        afterFrame((ms) => {
          window.__lat.push(ms);
          window.__waited.push(input.waited ? 1 : 0);
          window.__own.push(performance.now() - seen);
          window.__spans.push([seen, performance.now()]);
          (ev.type === "wheel" ? window.__wheel : window.__drag).push(ms);
          window.__nodes = Math.max(window.__nodes, document.getElementsByTagName("*").length);
          input.counted = true;
        });
        // The end of the frame after it, as this benchmark counted until session 21.
        requestAnimationFrame(() => afterFrame((ms) => window.__next.push(ms)));
      };
      requestAnimationFrame(settled);
    };
    window.addEventListener("wheel", onInput, { capture: true, passive: true });
    window.addEventListener("pointermove", onInput, { capture: true, passive: true });
    // Inputs not timed (a press, a release) change the page too: what follows them is
    // theirs, not the last timed input's.
    for (const type of ["pointerdown", "pointerup", "click"]) {
      window.addEventListener(type, () => { latest = null; }, { capture: true, passive: true });
    }
  });
  const box = await page.locator(target.area).first().boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + Math.min(box.height / 2, 150);
  await page.mouse.move(x, y);
  // A slow contender is cut off after the budget; what it managed is still reported.
  const budgetMs = Number(process.env.BENCH_SEQUENCE_BUDGET_MS ?? 180_000);
  const sequence = async () => {
    const began = Date.now();
    let steps = 0;
    const over = () => Date.now() - began > budgetMs;
    const wheel = async (dy) => { await page.mouse.wheel(0, dy); await page.waitForTimeout(30); };
    const drag = async (dx) => {
      await page.mouse.down();
      await page.mouse.move(x + dx, y, { steps: 6 });
      await page.mouse.up();
      await page.mouse.move(x, y);
    };
    parts: for (const [n, step] of [[ZOOM.steps, () => wheel(-ZOOM.deltaY)], [6, () => drag(-150)],
      [ZOOM.steps, () => wheel(ZOOM.deltaY)], [6, () => drag(150)]]) {
      for (let i = 0; i < n; i++) {
        if (over()) break parts;
        await step();
        steps++;
      }
    }
    // The last inputs' frames settle before the pass is read, cut off or not.
    await page.waitForTimeout(500);
    return { steps, ms: Date.now() - began };
  };
  const cpuBefore = cpuTimes();
  const timed = await sequence();
  const cpu = cpuShares(cpuBefore, cpuTimes());
  const { lat, wheel, drag, delay, next, late, own, waited, met } = await page.evaluate(() => {
    const met = window.__spans.map(([from, to]) =>
      window.__responses.some((end) => end >= from - 20 && end <= to) ? 1 : 0);
    const out = { lat: window.__lat, wheel: window.__wheel, drag: window.__drag,
      delay: window.__delay, next: window.__next, late: window.__late, own: window.__own,
      waited: window.__waited, met };
    window.__reset();
    let last = performance.now();
    const tick = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    return out;
  });
  await sequence();
  const { ticking, gaps, nodes, heap } = await page.evaluate(() => {
    window.__stop = true;
    return { ticking: window.__lat, gaps: window.__gaps,
      nodes: Math.max(window.__nodes, document.getElementsByTagName("*").length),
      heap: performance.memory ? performance.memory.usedJSHeapSize : NaN };
  });
  const cost = await stepCost(page, target);
  await context.close();
  return { firstFrame, interactive, ...cost, latMedian: median(lat), latP95: quantile(lat, 0.95),
    latWorst: Math.max(...lat), lats: lat.map((ms) => Math.round(ms * 10) / 10),
    wheelP95: quantile(wheel, 0.95), dragP95: quantile(drag, 0.95),
    ownP95: quantile(own, 0.95), owns: own.map((ms) => Math.round(ms * 10) / 10), waited, met,
    wheelDelayMedian: median(delay), holds: delay.map((ms) => Math.round(ms * 10) / 10),
    latP95NextFrame: quantile(next, 0.95), lateInputs: late,
    latP95Ticking: quantile(ticking, 0.95),
    worstGap: Math.max(...gaps), inputs: lat.length, steps: timed.steps,
    sequenceMs: timed.ms, ...cpu, nodes, heapMB: heap / 1048576, errors };
}

// The main thread's own cost of a zoom step, apart from when the browser schedules
// frames (the latencies above swing by a few ms with the frame's phase): on the page
// loaded anew (the sequences above leave the view elsewhere), the first pass's eight
// wheel steps in and eight out as synthetic events on the timeline, once untimed (so
// every window they need is in the browser: no request is timed) and twice timed, each
// from dispatch until the handler and what it queued (microtasks) are done, then the
// style and layout it left, forced. Painting is not in it. Stops after 20 s
// (vis-timeline at 10,000 events takes seconds a step).
async function stepCost(page, target) {
  await page.goto(target.url, { timeout: firstItemsMs });
  await page.waitForSelector(target.ready, { state: "attached", timeout: firstItemsMs });
  const { js, styleLayout } = await page.evaluate(async ({ area, zoom }) => {
    const el = document.querySelector(area);
    const box = el.getBoundingClientRect();
    const hop = () => new Promise((r) => {
      const ch = new MessageChannel();
      ch.port1.onmessage = r;
      ch.port2.postMessage(0);
    });
    const settle = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 30)));
    const js = [], styleLayout = [], began = performance.now();
    for (let k = 0; k < 3 && performance.now() - began < 20_000; k++) {
      const timed = k > 0;
      const deltas = [...Array(zoom.steps).fill(-zoom.deltaY), ...Array(zoom.steps).fill(zoom.deltaY)];
      for (const dy of deltas) {
        await settle();
        const t0 = performance.now();
        el.dispatchEvent(new WheelEvent("wheel", { deltaY: dy, bubbles: true, cancelable: true,
          clientX: box.left + box.width / 2, clientY: box.top + Math.min(box.height / 2, 150) }));
        await hop();
        const t1 = performance.now();
        document.documentElement.getBoundingClientRect(); // forces style and layout
        if (timed) {
          js.push(t1 - t0);
          styleLayout.push(performance.now() - t1);
        }
      }
    }
    return { js, styleLayout };
  }, { area: target.area, zoom: ZOOM });
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  return { stepJs: mean(js), stepStyleLayout: mean(styleLayout), costSteps: js.length };
}

const results = { events: events ?? "10k" };
for (const t of targets) {
  results[t.name] = [];
  for (let i = 0; i < runs; i++) {
    const run = await measure(t);
    results[t.name].push(run);
    if (run.timedOut) break;
  }
}
await browser.close();
console.log(JSON.stringify(results));
