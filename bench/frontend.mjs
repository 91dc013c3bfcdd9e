// Our timeline against vis-timeline, same events, same headless Chromium, same scripted
// pan/zoom sequence. Prints JSON: time to the first frame with the visible items, and
// per-input latency while panning and zooming: from the input event to the end of the
// frame that shows the new window's data (ours marks the timeline aria-busy while a
// window's data is on its way; the frame counted is the first after it arrived), median,
// p95 and worst (and p95 apart for wheel steps and drag moves, with the median time a
// wheel event waited in the browser before the page saw it); the longest gap between
// frames, the most DOM nodes seen after any step and the JS heap at the end.
import { chromium } from "playwright-core";

const [oursUrl, visUrl, runsArg, events] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const firstItemsMs = Number(process.env.BENCH_FIRST_ITEMS_MS ?? 120_000);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-precise-memory-info"],
});

const targets = [
  { name: "ours", url: oursUrl, items: ".tl-histogram, .tl-point, .tl-bar, .tl-cluster", area: ".tl-viewport", ready: "body[data-hydrated]" },
  { name: "vis-timeline", url: visUrl, items: ".vis-item", area: ".vis-center", ready: ".vis-item" },
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

  await page.evaluate(() => {
    window.__lat = [];
    window.__gaps = [];
    let last = performance.now();
    const tick = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
    window.__nodes = 0;
    const busy = () => document.querySelector("[aria-busy='true']") !== null;
    window.__wheel = []; window.__drag = []; window.__delay = [];
    const onInput = (ev) => {
      const start = ev.timeStamp;
      // How long the browser held the input before the page saw it (no page code ran yet).
      if (ev.type === "wheel") window.__delay.push(performance.now() - start);
      const settled = () => {
        if (busy()) { requestAnimationFrame(settled); return; }
        requestAnimationFrame(() => {
          const ch = new MessageChannel();
          ch.port1.onmessage = () => {
            window.__lat.push(performance.now() - start);
            (ev.type === "wheel" ? window.__wheel : window.__drag).push(performance.now() - start);
            window.__nodes = Math.max(window.__nodes, document.getElementsByTagName("*").length);
          };
          ch.port2.postMessage(0);
        });
      };
      requestAnimationFrame(settled);
    };
    window.addEventListener("wheel", onInput, { capture: true, passive: true });
    window.addEventListener("pointermove", onInput, { capture: true, passive: true });
  });
  const box = await page.locator(target.area).first().boundingBox();
  const x = box.x + box.width / 2;
  const y = box.y + Math.min(box.height / 2, 150);
  await page.mouse.move(x, y);
  // A slow contender is cut off after the budget; what it managed is still reported.
  const budgetMs = Number(process.env.BENCH_SEQUENCE_BUDGET_MS ?? 180_000);
  const began = Date.now();
  let steps = 0;
  const over = () => Date.now() - began > budgetMs;
  sequence: for (let round = 0; round < 1; round++) {
    for (let i = 0; i < 8; i++) {
      if (over()) break sequence;
      await page.mouse.wheel(0, -250); await page.waitForTimeout(30); steps++;
    }
    for (let i = 0; i < 6; i++) {
      if (over()) break sequence;
      await page.mouse.down();
      await page.mouse.move(x - 150, y, { steps: 6 });
      await page.mouse.up();
      await page.mouse.move(x, y);
      steps++;
    }
    for (let i = 0; i < 8; i++) {
      if (over()) break sequence;
      await page.mouse.wheel(0, 250); await page.waitForTimeout(30); steps++;
    }
    for (let i = 0; i < 6; i++) {
      if (over()) break sequence;
      await page.mouse.down();
      await page.mouse.move(x + 150, y, { steps: 6 });
      await page.mouse.up();
      await page.mouse.move(x, y);
      steps++;
    }
  }
  await page.waitForTimeout(500);
  const { lat, wheel, drag, delay, gaps, nodes, heap } = await page.evaluate(() => {
    window.__stop = true;
    return { lat: window.__lat, wheel: window.__wheel, drag: window.__drag,
      delay: window.__delay, gaps: window.__gaps,
      nodes: Math.max(window.__nodes, document.getElementsByTagName("*").length),
      heap: performance.memory ? performance.memory.usedJSHeapSize : NaN };
  });
  await context.close();
  return { firstFrame, interactive, latMedian: median(lat), latP95: quantile(lat, 0.95),
    latWorst: Math.max(...lat), wheelP95: quantile(wheel, 0.95), dragP95: quantile(drag, 0.95),
    wheelDelayMedian: median(delay), worstGap: Math.max(...gaps), inputs: lat.length, steps,
    sequenceMs: Date.now() - began, nodes, heapMB: heap / 1048576, errors };
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
