// A reader on a phone, 360 px wide, by touch: nothing wider than the screen, a swipe pans
// the timeline and a pinch zooms it; readers' pages arrive without the application's code.
import { expect, test, type Page } from "@playwright/test";
import { hydrated, watchConsole } from "./console";

test.use({ viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });

async function shown(page: Page): Promise<{ start: number; end: number }> {
  const vp = page.locator(".tl-viewport");
  return {
    start: Date.parse((await vp.getAttribute("data-start"))!),
    end: Date.parse((await vp.getAttribute("data-end"))!),
  };
}

async function widest(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

/** Fingers on the timeline as touch pointers: each step moves every finger to its x. */
async function touch(page: Page, steps: number[][]): Promise<void> {
  await page.locator(".tl-viewport").evaluate((el, steps) => {
    const y = el.getBoundingClientRect().top + 60;
    const fire = (type: string, id: number, x: number) =>
      el.dispatchEvent(
        new PointerEvent(type, {
          pointerId: id, pointerType: "touch", isPrimary: id === 1, clientX: x, clientY: y,
          button: type === "pointermove" ? -1 : 0, buttons: type === "pointerup" ? 0 : 1,
          bubbles: true, cancelable: true,
        }),
      );
    steps[0].forEach((x, i) => fire("pointerdown", i + 1, x));
    for (const step of steps.slice(1)) step.forEach((x, i) => fire("pointermove", i + 1, x));
    steps[steps.length - 1].forEach((x, i) => fire("pointerup", i + 1, x));
  }, steps);
}

test("the timeline fits a 360 px screen, swipes pan and pinches zoom", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?start=2019-01-01&end=2020-12-31");
  await hydrated(page);
  expect(await widest(page)).toBeLessThanOrEqual(360);
  const box = (await page.locator(".tl-viewport").boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(360);

  const before = await shown(page);
  await touch(page, [[250], [220], [180], [150]]);
  const swiped = await shown(page);
  expect(swiped.start).toBeGreaterThan(before.start);
  expect(Math.abs(swiped.end - swiped.start - (before.end - before.start))).toBeLessThanOrEqual(86_400_000);

  await touch(page, [[150, 210], [130, 230], [100, 260], [60, 300]]);
  const pinched = await shown(page);
  expect(pinched.end - pinched.start).toBeLessThan((swiped.end - swiped.start) * 0.5);
  expect(await widest(page)).toBeLessThanOrEqual(360);
  expect(problems).toEqual([]);
});

test("a permalink and its source fit the screen and load no application code", async ({ page }) => {
  const problems = watchConsole(page);
  const code: string[] = [];
  page.on("request", (r) => {
    if (/\.(wasm|js)(\?|$)/.test(r.url())) code.push(r.url());
  });
  await page.goto("/");
  // `/` asks for the application once idle: let it finish before counting the next page's.
  await hydrated(page);
  const link = page.locator(".event-line a").first();
  const href = (await link.getAttribute("href"))!;
  code.length = 0;
  await page.goto(href);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await widest(page)).toBeLessThanOrEqual(360);
  await page.getByRole("link", { name: "Read it in the source text" }).first().click();
  await expect(page.locator("mark[data-citations]").first()).toBeVisible();
  expect(await widest(page)).toBeLessThanOrEqual(360);
  expect(code).toEqual([]);
  expect(problems).toEqual([]);
});

/** Marks whose 24 px targets are too small or touch another's (WCAG 2.5.8). */
async function crowdedTargets(page: Page): Promise<string[]> {
  return page.locator(".tl-viewport").evaluate((vp) => {
    const view = vp.getBoundingClientRect();
    const marks = [...vp.querySelectorAll<HTMLElement>(".tl-point, .tl-bar, .tl-cluster")]
      .map((el) => ({ name: el.getAttribute("aria-label") ?? el.className, r: el.getBoundingClientRect() }))
      .filter(({ r }) => r.right > view.left && r.left < view.right);
    const problems: string[] = [];
    marks.forEach((a, i) => {
      if (a.r.width < 23.5 || a.r.height < 23.5) problems.push(`${a.name}: ${a.r.width}x${a.r.height}`);
      for (const b of marks.slice(i + 1)) {
        const overlap = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left) > 0.5 &&
          Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top) > 0.5;
        if (overlap) problems.push(`${a.name} overlaps ${b.name}`);
      }
    });
    return problems;
  });
}

test("every mark is a target of at least 24 px that no other mark covers, at every zoom", async ({ page }) => {
  await page.goto("/?start=2019-01-01&end=2020-12-31");
  await hydrated(page);
  await expect(page.locator(".tl-point, .tl-bar, .tl-cluster").first()).toBeVisible();
  // Once the app has measured the screen, the marks are spaced for it.
  await expect.poll(() => crowdedTargets(page)).toEqual([]);
  for (const key of ["-", "-", "+", "+", "+", "+"]) {
    await page.locator(".tl-viewport").press(key);
    await expect(page.locator(".tl-viewport")).toHaveAttribute("aria-busy", "false");
    await expect.poll(() => crowdedTargets(page)).toEqual([]);
  }
});
