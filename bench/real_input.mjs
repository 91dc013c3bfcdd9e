// Part 1b: the same pan/zoom sequence as frontend.mjs, for our timeline and the floor,
// sent as real input: X events from xdotool to a Chromium window on Xvfb (DISPLAY), not
// DevTools' Input.dispatchMouseEvent. DevTools' input has the renderer run a main frame
// before the browser forwards each wheel, and the wheel then waits for the next vsync
// frame, a whole frame more when the compositor already drew in the current interval
// (README, issue 11's status); a reader's wheel takes no such frame. Timed as in
// frontend.mjs: from the input event's timestamp to the end of the first frame without
// aria-busy, every wheel step and every pointer move. Prints JSON: per contender and
// run, every input's latency, every wheel's hold before dispatch, and the view after
// each wheel step (so a run that did not zoom shows it), and the share of the CPU the
// host took from this machine (steal) meanwhile (host.mjs).
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";
import { cpuShares, cpuTimes } from "./host.mjs";

const [oursUrl, floorUrl, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 3);
const display = process.env.DISPLAY;
if (!display) throw new Error("DISPLAY is not set: start Xvfb first (bench/run does)");

// The window's inside is 1280x800, as the headless runs' viewport.
const browser = await chromium.launch({
  headless: false,
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--window-position=0,0", "--window-size=1280,887"],
});
const xdotool = (...args) => execFileSync("xdotool", args.map(String));

const targets = [
  { name: "ours", url: oursUrl, area: ".tl-viewport", ready: "body[data-hydrated]" },
  { name: "floor", url: floorUrl, area: ".floor", ready: "body[data-ready]" },
];

async function measure(target) {
  const context = await browser.newContext({ viewport: null });
  const page = await context.newPage();
  await page.goto(target.url);
  await page.waitForSelector(target.ready, { state: "attached", timeout: 120_000 });
  const at = await page.evaluate((area) => {
    window.__lat = []; window.__hold = []; window.__views = [];
    const busy = () => document.querySelector("[aria-busy='true']") !== null;
    // The view a wheel step's frame shows, read in the page (no round trip mid-sequence).
    const view = () => {
      const v = document.querySelector(".tl-viewport");
      return v ? `${v.dataset.start}..${v.dataset.end}` : "";
    };
    const onInput = (ev) => {
      const start = ev.timeStamp;
      if (ev.type === "wheel") window.__hold.push(performance.now() - start);
      const afterFrame = () => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => window.__lat.push(performance.now() - start);
        ch.port2.postMessage(0);
        if (ev.type === "wheel") window.__views.push(view());
      };
      const settled = () => { if (busy()) { requestAnimationFrame(settled); return; } afterFrame(); };
      requestAnimationFrame(settled);
    };
    window.addEventListener("wheel", onInput, { capture: true, passive: true });
    window.addEventListener("pointermove", onInput, { capture: true, passive: true });
    const box = document.querySelector(area).getBoundingClientRect();
    const top = window.outerHeight - window.innerHeight;
    return {
      x: Math.round(window.screenX + box.left + box.width / 2),
      y: Math.round(window.screenY + top + box.top + Math.min(box.height / 2, 150)),
      inner: [window.innerWidth, window.innerHeight],
    };
  }, target.area);
  const { x, y } = at;
  xdotool("mousemove", x, y);
  await page.waitForTimeout(200);
  await page.evaluate(() => { window.__lat = []; window.__hold = []; window.__views = []; });
  // Button 4 is a wheel notch up (zoom in), 5 down; a drag is six moves of 25 px.
  const wheel = async (button) => {
    xdotool("click", button);
    await page.waitForTimeout(30);
  };
  // A hand's drag: one move a frame (xdotool would otherwise send all six at once).
  const drag = (dx) => {
    const moves = [];
    for (let i = 1; i <= 6; i++) moves.push("mousemove", x + Math.round((dx * i) / 6), y, "sleep", 0.017);
    xdotool("mousedown", 1, ...moves, "mouseup", 1, "mousemove", x, y);
  };
  const cpuBefore = cpuTimes();
  for (const [n, step] of [[8, () => wheel(4)], [6, () => drag(-150)], [8, () => wheel(5)],
    [6, () => drag(150)]]) {
    for (let i = 0; i < n; i++) await step();
  }
  await page.waitForTimeout(500);
  const cpu = cpuShares(cpuBefore, cpuTimes());
  const { lat, hold, views } = await page.evaluate(() =>
    ({ lat: window.__lat, hold: window.__hold, views: window.__views }));
  await context.close();
  const round = (ms) => Math.round(ms * 10) / 10;
  return { inner: at.inner, lats: lat.map(round), holds: hold.map(round), views, ...cpu };
}

const results = { ours: [], floor: [] };
for (let i = 0; i < runs; i++) {
  for (const t of targets) results[t.name].push(await measure(t));
}
await browser.close();
console.log(JSON.stringify(results));
