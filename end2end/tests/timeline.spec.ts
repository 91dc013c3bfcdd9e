// The analyst's timeline: zoom and pan by mouse and keyboard, filters, shareable view,
// selecting an event.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, watchConsole } from "./console";

const DAY = 86_400_000;

async function visible(page: Page): Promise<{ start: number; end: number }> {
  const vp = page.locator(".tl-viewport");
  const start = Date.parse((await vp.getAttribute("data-start"))!);
  const end = Date.parse((await vp.getAttribute("data-end"))!);
  return { start, end };
}

async function eventId(page: Page, title: RegExp): Promise<string> {
  const res = await page.request.get(`/api/events?limit=100`);
  const events = (await res.json()).events as { id: number; title: string }[];
  return String(events.find((e) => title.test(e.title))!.id);
}

test("keyboard and buttons zoom and pan, and the URL follows", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?start=2019-01-01&end=2020-12-31");
  await hydrated(page);
  const before = await visible(page);
  expect(new Date(before.start).toISOString().slice(0, 10)).toBe("2019-01-01");

  await page.locator(".tl-viewport").focus();
  await page.keyboard.press("+");
  const zoomed = await visible(page);
  expect(zoomed.end - zoomed.start).toBeLessThan((before.end - before.start) * 0.8);

  await page.keyboard.press("ArrowRight");
  const panned = await visible(page);
  expect(panned.start).toBeGreaterThan(zoomed.start);
  // Same length, to within the day the edges round to.
  expect(Math.abs(panned.end - panned.start - (zoomed.end - zoomed.start))).toBeLessThanOrEqual(DAY);

  await page.getByRole("button", { name: "Zoom out" }).click();
  const out = await visible(page);
  expect(out.end - out.start).toBeGreaterThan(panned.end - panned.start);

  const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
  await expect(page).toHaveURL(new RegExp(`start=${iso(out.start)}&end=${iso(out.end)}`));
  const url = page.url();
  await page.reload();
  await hydrated(page);
  const restored = await visible(page);
  expect(Math.abs(restored.start - out.start)).toBeLessThanOrEqual(DAY);
  expect(Math.abs(restored.end - out.end)).toBeLessThanOrEqual(DAY);
  expect(page.url()).toBe(url);
  expect(problems).toEqual([]);
});

test("the wheel zooms at the pointer and a drag pans", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?start=2019-01-01&end=2020-12-31");
  await hydrated(page);
  const box = (await page.locator(".tl-viewport").boundingBox())!;
  const before = await visible(page);
  const x = box.x + box.width * 0.25;
  const y = box.y + box.height / 2;
  const dateAt = (v: { start: number; end: number }) => v.start + 0.25 * (v.end + DAY - v.start);

  await page.mouse.move(x, y);
  await page.mouse.wheel(0, -400);
  await expect.poll(async () => (await visible(page)).end - (await visible(page)).start).toBeLessThan(
    (before.end - before.start) * 0.8,
  );
  const zoomed = await visible(page);
  // The date under the pointer stays under the pointer (to within a few days).
  expect(Math.abs(dateAt(zoomed) - dateAt(before))).toBeLessThan(5 * DAY);

  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 200, y, { steps: 5 });
  await page.mouse.up();
  const dragged = await visible(page);
  expect(dragged.start).toBeLessThan(zoomed.start);
  expect(Math.abs(dragged.end - dragged.start - (zoomed.end - zoomed.start))).toBeLessThanOrEqual(DAY);
  expect(problems).toEqual([]);
});

test("a filter narrows the markers and the list and lives in the URL", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?start=2019-01-01&end=2023-12-31");
  await hydrated(page);
  const all = await page.locator(".tl-point, .tl-bar, .tl-cluster").count();
  expect(all).toBeGreaterThan(3);
  await expect(page.getByLabel("Kind", { exact: true })).toContainText("Eased (2)");

  await page.getByLabel("Kind", { exact: true }).selectOption("eased");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/kind=eased/);
  await expect(page).toHaveURL(/start=2019-01-01/);
  await hydrated(page);
  await expect(page.locator(".tl-point, .tl-bar")).toHaveCount(2);
  await expect(page.locator(".event-line")).toHaveCount(2);
  await expect(page.locator(".matches")).toHaveText("2 events match");

  await page.reload();
  await expect(page.locator(".tl-point, .tl-bar")).toHaveCount(2);
  await expect(page.getByLabel("Kind", { exact: true })).toHaveValue("eased");
  expect(problems).toEqual([]);
});

test("selecting an event shows its quote and permalink, by mouse and by keyboard", async ({ page }) => {
  const problems = watchConsole(page);
  const g20 = await eventId(page, /G20 in Osaka/);
  await page.goto("/?start=2019-06-20&end=2019-07-10");
  await hydrated(page);
  await page.locator(`.tl-point[data-event-id="${g20}"]`).click();
  const panel = page.locator(".tl-detail");
  await expect(panel.getByRole("heading")).toHaveText(/G20 in Osaka/);
  await expect(panel.locator("blockquote").first()).toContainText("amerikanske virksomheder igen kan sælge");
  // The selected marker is pressed, and only it, also once a zoom has drawn the marks anew.
  const pressed = page.locator('.tl-viewport button[aria-pressed="true"]');
  await expect(pressed).toHaveCount(1);
  await expect(pressed).toHaveAttribute("data-event-id", g20);
  await page.locator(".tl-viewport").focus();
  await page.keyboard.press("+");
  await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "false");
  await expect(pressed).toHaveCount(1);
  await expect(pressed).toHaveAttribute("data-event-id", g20);
  await page.keyboard.press("-");
  await expect(panel.getByRole("link", { name: "Permalink" })).toHaveAttribute(
    "href",
    new RegExp(`/events/${g20}-`),
  );
  await expect(page).toHaveURL(new RegExp(`selected=${g20}`));
  // The clarification that modifies it is linked to it on the timeline.
  await expect(page.locator(".tl-link.active")).toHaveCount(1);

  await page.getByRole("button", { name: "Close" }).click();
  await expect(panel).toHaveCount(0);
  await expect(pressed).toHaveCount(0);
  const marker = page.locator(`.tl-point[data-event-id="${g20}"]`);
  await marker.focus();
  await page.keyboard.press("Enter");
  await expect(panel.getByRole("heading")).toHaveText(/G20 in Osaka/);

  // The selection is part of the shared view: the server renders it.
  const response = await page.request.get(`/?start=2019-06-20&end=2019-07-10&selected=${g20}`);
  const html = await response.text();
  expect(html).toContain("amerikanske virksomheder igen kan sælge");
  expect(html).toMatch(new RegExp(`data-event-id="${g20}"[^>]*aria-pressed="true"`));
  expect(problems).toEqual([]);
});

test("the record of a past day is drawn, and its panel and view keep the day", async ({ page }) => {
  const problems = watchConsole(page);
  const g20 = await eventId(page, /G20 in Osaka/);
  // The demo record was loaded today: today's record is all of it.
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/?as_recorded=${today}&start=2019-06-20&end=2019-07-10`);
  await hydrated(page);
  await expect(page.locator(".as-recorded-banner")).toContainText("The record as published at the end of");
  await page.locator(`.tl-point[data-event-id="${g20}"]`).click();
  const panel = page.locator(".tl-detail");
  await expect(panel.getByRole("heading")).toHaveText(/G20 in Osaka/);
  await expect(panel.getByRole("link", { name: "Permalink" })).toHaveAttribute(
    "href",
    new RegExp(`/events/${g20}-[^?]*\\?as_recorded=${today}$`),
  );
  await page.locator(".tl-viewport").focus();
  await page.keyboard.press("-");
  await expect(page).toHaveURL(new RegExp(`as_recorded=${today}.*start=`));
  expect(problems).toEqual([]);
});

test("clusters expand when zoomed into", async ({ page }) => {
  // Twenty years: the demo's spring of 2019 is one crowded spot.
  await page.goto("/?start=2010-01-01&end=2029-12-31");
  await hydrated(page);
  const cluster = page.locator(".tl-cluster").first();
  const count = Number(await cluster.innerText());
  expect(count).toBeGreaterThan(1);
  const before = await visible(page);
  await cluster.click();
  const after = await visible(page);
  expect(after.end - after.start).toBeLessThan((before.end - before.start) / 10);
  await expect(page.locator(".tl-point").first()).toBeVisible();
});

test("the frames one step away are fetched ahead, so a zoom that needs one does not wait", async ({ page }) => {
  // 461 days: a zoom out by the keys' step (1.5) crosses a power of two, so the frame
  // the timeline needs changes. A page that has not moved yet guesses zoom in first:
  // the frame further out is among the unlikelier guesses, fetched once the view has
  // stayed put a moment.
  await page.goto("/?start=2019-01-01&end=2020-04-05");
  await hydrated(page);
  await page.waitForLoadState("networkidle");
  // From now on the server never answers a window: only what is in the browser shows.
  const asked: string[] = [];
  await page.route("**/api/load_window**", (route) => {
    asked.push(route.request().url());
  });
  const before = await visible(page);
  await page.locator(".tl-viewport").focus();
  await page.keyboard.press("-");
  await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "false");
  const after = await visible(page);
  expect(after.end - after.start).toBeGreaterThan((before.end - before.start) * 1.4);
  await expect(page.locator(".tl-point, .tl-bar, .tl-cluster").first()).toBeVisible();
  // Only the frames ahead of the new view were asked for (and never answered).
  expect(asked.length).toBeGreaterThan(0);
});

test("a zoom whose frame is already on its way waits for it instead of asking again, and the guesses go two at once", async ({ page }) => {
  // Every window takes 400 ms, as from a busy server: the zoom below comes while the
  // frame it needs, asked for ahead, is still on its way.
  const asked: string[] = [];
  let inFlight = 0;
  let mostAtOnce = 0;
  await page.route("**/api/load_window**", async (route) => {
    asked.push(route.request().url());
    mostAtOnce = Math.max(mostAtOnce, ++inFlight);
    await new Promise((r) => setTimeout(r, 400));
    inFlight--;
    await route.continue().catch(() => {});
  });
  await page.goto("/?start=2019-01-01&end=2020-04-05");
  await hydrated(page);
  // Guesses go two at once, so a window the view needs is never queued behind them
  // (a browser sends six requests to a host at once).
  await expect.poll(() => asked.length).toBe(2);
  const before = await visible(page);
  await page.locator(".tl-viewport").focus();
  // Zoomed in by the keys' step: the first guess (a step's frames are guessed zoom in
  // first, until the analyst has moved).
  await page.keyboard.press("+");
  await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "true");
  await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "false");
  const after = await visible(page);
  expect(after.end - after.start).toBeLessThan((before.end - before.start) * 0.7);
  await expect(page.locator(".tl-point, .tl-bar, .tl-cluster").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  expect(mostAtOnce).toBeLessThanOrEqual(2);
  expect(asked.length).toBeGreaterThan(2);
  expect(new Set(asked).size, `asked twice: ${asked.join("\n")}`).toBe(asked.length);
});

test("when the server cannot answer, the timeline and its panel say so in words and keep what they show", async ({ page }) => {
  const g20 = await eventId(page, /G20 in Osaka/);
  // The answers this server gives when its database is down, and for an event gone since.
  const failing = (body: object, status: number) => (route: import("@playwright/test").Route) =>
    route.fulfill({
      status,
      headers: { "content-type": "application/json", serverfnerror: new URL(route.request().url()).pathname },
      body: JSON.stringify(body),
    });
  let windowsAsked = 0;
  const unavailable = failing({ Unavailable: { request_id: "e2e-7" } }, 503);
  await page.route("**/api/load_window**", (route) => {
    windowsAsked++;
    return unavailable(route);
  });
  await page.route("**/api/load_event_card**", failing({ NotFound: "event" }, 404));
  await page.goto("/?start=2019-06-20&end=2019-07-10");
  await hydrated(page);
  const marker = page.locator(`.tl-point[data-event-id="${g20}"]`);
  await marker.click();
  await expect(page.getByRole("alert").filter({ hasText: "no such" })).toHaveText("There is no such event.");
  // Far enough out that the frame is neither the page's nor one fetched ahead.
  await page.locator(".tl-viewport").focus();
  for (let i = 0; i < 6; i++) await page.keyboard.press("-");
  await expect(page.getByRole("alert").filter({ hasText: "temporarily unavailable" })).toHaveText(
    "The record is temporarily unavailable. Try again in a few seconds. (Request e2e-7)",
  );
  await expect(page.locator(".tl-point, .tl-bar, .tl-cluster").first()).toBeVisible();
  // A server that cannot answer is not asked again and again: each move asks for its
  // frame and at most two guesses. (The alert of an earlier step stays up while the
  // last one is on its way: counted once the timeline has settled.)
  await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "false");
  const asked = windowsAsked;
  await page.waitForTimeout(1000);
  expect(windowsAsked - asked).toBe(0);
  expect(windowsAsked).toBeLessThanOrEqual(3 * 7);
});

test("the view's events download as CSV and JSON, and its feeds are offered", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?target=Huawei&kind=eased");
  await hydrated(page);
  const csvLink = page.getByRole("link", { name: "Download CSV" });
  await expect(csvLink).toHaveAttribute("href", "/exports/events.csv?kind=eased&target=Huawei");
  const [csv] = await Promise.all([page.waitForEvent("download"), csvLink.click()]);
  expect(csv.suggestedFilename()).toBe("events.csv");
  const text = await (await import("node:fs/promises")).readFile((await csv.path())!, "utf8");
  const rows = text.trim().split("\n");
  expect(rows[0]).toMatch(/^event_id,permalink,date,/);
  expect(text).toContain("90-day Temporary General License");
  expect(text).not.toContain("Huawei added to the US Entity List"); // a listing, not an easing

  const [json] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download JSON" }).click(),
  ]);
  expect(json.suggestedFilename()).toBe("events.ndjson");
  const lines = (await (await import("node:fs/promises")).readFile((await json.path())!, "utf8"))
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  expect(lines.length).toBeGreaterThan(0);
  for (const e of lines) {
    expect(e.kind).toBe("eased");
    expect(e.targets.map((t: string) => t.toLowerCase())).toContain("huawei");
  }
  // Feed readers find the view's feed from the page itself.
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute(
    "href",
    "/feeds/events.atom?kind=eased&target=Huawei",
  );
  const feed = await page.request.get("/feeds/events.atom?kind=eased&target=Huawei");
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  expect(problems).toEqual([]);
});

test("the timeline loads the readers' bundle, which keeps the page in step with the view; other pages load the whole application", async ({ page }) => {
  const problems = watchConsole(page);
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (/\.wasm(\?|$)/.test(r.url())) wasm.push(r.url());
  });
  const bytes = async (url: string) => (await (await page.request.get(url)).body()).length;
  await page.goto("/?start=2019-01-01&end=2019-12-31");
  await hydrated(page);
  // The timeline still works on the readers' bundle.
  const before = await visible(page);
  await page.locator(".tl-viewport").focus();
  await page.keyboard.press("+");
  await expect.poll(async () => (await visible(page)).end - (await visible(page)).start)
    .toBeLessThan(before.end - before.start);
  await expect.poll(() => wasm.length).toBe(1);
  const readers = wasm[0];
  // The page around the timeline is the server's, not hydrated: the bundle keeps what
  // it shows of the view in step, so the embed snippet and the filters keep the zoom.
  const first = await page.locator(".tl-viewport").getAttribute("data-start");
  const last = await page.locator(".tl-viewport").getAttribute("data-end");
  expect(first).not.toEqual("2019-01-01");
  await page.locator("details.embed-button summary").click();
  await expect(page.locator("textarea.embed-snippet")).toHaveValue(
    new RegExp(`/embed\\?start=${first}&amp;end=${last}"`),
  );
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`start=${first}&end=${last}`));
  await hydrated(page);

  // Other pages load the whole application.
  await page.getByRole("link", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(/sign in/i);
  await expect.poll(() => wasm.filter((url) => url !== readers).length).toBe(1);
  await hydrated(page);
  const whole = wasm.find((url) => url !== readers)!;
  // 0.23 of the whole application's wasm when the bundle was made (session 19).
  expect(await bytes(readers)).toBeLessThan((await bytes(whole)) * 0.4);

  await page.goBack();
  await expect(page).toHaveURL(/start=2019/);
  await expect(page.locator(".tl-viewport")).toBeVisible();
  expect(problems).toEqual([]);
});
