// A measure's dates and what was in force on a day, as a reader meets them in the demo
// record: the permalink's lifecycle strip, each step linked to the passage that states
// it, and the timeline's "In force on" filter, grouped by target and authority.
import { expect, test } from "@playwright/test";
import { hydrated, watchConsole } from "./console";

test("the permalink shows the measure's dates, the lags between them and their sources", async ({ page }) => {
  const problems = watchConsole(page);
  // On the timeline, the listing's steps are drawn through its marker and said in its label.
  await page.goto("/?start=2019-05-01&end=2019-06-30");
  await hydrated(page);
  const listing = page.locator('.tl-lanes [aria-label*="Huawei added to the US Entity List"]').first();
  await expect(listing).toHaveAttribute("aria-label", /\(announced 15 May 2019, in force 16 May 2019\)$/);
  await expect(page.locator(".tl-lifecycle .tl-step-effective").first()).toBeAttached();
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "Huawei added to the US Entity List" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huawei added to the US Entity List");

  const strip = page.getByRole("region", { name: "The measure's dates" });
  const steps = strip.getByRole("listitem");
  await expect(steps).toHaveCount(2);
  await expect(steps.nth(0)).toContainText("Announced");
  await expect(steps.nth(0)).toContainText("15 May 2019");
  await expect(steps.nth(1)).toContainText("In force");
  await expect(steps.nth(1)).toContainText("16 May 2019");
  await expect(steps.nth(1)).toContainText("in force 1 day after the announcement");

  // Each step's source is the passage that states it, on the same page.
  await steps.nth(1).getByRole("link", { name: "source" }).click();
  await expect(page).toHaveURL(/#quote-\d+$/);
  const id = new URL(page.url()).hash.slice(1);
  const passage = page.locator(`figure[id="${id}"]`);
  await expect(passage).toBeInViewport();
  await expect(passage).toContainText("The listing took effect on 16 May 2019");
  await expect(passage).toContainText("States when it came into force.");
  expect(problems).toEqual([]);
});

test("lanes by lifecycle step show each step of a measure at its own date", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?start=2019-05-01&end=2019-09-30");
  await hydrated(page);
  await page.getByLabel("Lanes").selectOption("lifecycle");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]lanes=lifecycle/);
  // One lane per step, in the order a measure goes through them.
  const effective = page.locator('.tl-lane[data-lane="effective"]');
  await expect(effective).toHaveAttribute("aria-label", "In force");
  const order = ["announced", "adopted", "published", "effective", "expires", "lifted"];
  const keys = await page.locator(".tl-lanes .tl-lane").evaluateAll((lanes) =>
    lanes.map((l) => (l as HTMLElement).dataset.lane ?? ""),
  );
  expect(keys).toEqual(expect.arrayContaining(["announced", "effective", "expires"]));
  expect(keys).toEqual([...keys].sort((a, b) => order.indexOf(a) - order.indexOf(b)));
  // The listing stands in two lanes: announced on the 15th, in force on the 16th.
  const listing = '[aria-label*="Huawei added to the US Entity List"]';
  await expect(page.locator(`.tl-lane[data-lane="announced"] ${listing}`)).toHaveAttribute(
    "aria-label",
    /^Announced 15 May 2019/,
  );
  const inForce = effective.locator(listing);
  await expect(inForce).toHaveAttribute("aria-label", /^In force 16 May 2019/);
  await expect(page.locator('.tl-lane[data-lane="expires"] [aria-label*="19 August 2019"]')).toHaveCount(1);
  // A step is the event: selecting it opens the event.
  await inForce.click();
  await expect(page.locator(".tl-detail").getByRole("heading")).toHaveText("Huawei added to the US Entity List");
  expect(problems).toEqual([]);
});

test("the timeline answers what was in force on a day, by target and authority", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("In force on").fill("2019-06-30");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]in_force=2019-06-30/);
  await expect(page.getByRole("heading", { level: 2, name: "In force on 30 June 2019" })).toBeVisible();
  // The timeline above draws only those measures.
  const lanes = page.locator(".tl-lanes");
  await expect(lanes.locator('[aria-label*="Trump says US companies may sell to Huawei again"]')).toHaveCount(1);
  await expect(lanes.locator('[aria-label*="FCC bans authorization"]')).toHaveCount(0);
  await expect(lanes.locator('[aria-label*="United Kingdom bars"]')).toHaveCount(0);

  const huawei = page.locator(".in-force-target", { has: page.getByRole("heading", { level: 3, name: "Huawei", exact: true }) });
  // Each authority's measures follow its heading.
  const commerce = huawei.locator("h4:has-text('By US Department of Commerce') + ul.measures");
  await expect(huawei.locator("h4:has-text('By President of the United States') + ul.measures")).toContainText(
    "Trump says US companies may sell to Huawei again",
  );
  await expect(commerce).toContainText("Huawei added to the US Entity List");
  await expect(commerce).toContainText("90-day Temporary General License");
  await expect(commerce).toContainText("until 19 August 2019");
  // Not yet, or never a measure in force.
  const all = page.locator(".in-force");
  await expect(all).not.toContainText("FCC bans authorization");
  await expect(all).not.toContainText("United Kingdom bars");

  // A day after the licence expired, it is gone; the listing stays, with its source.
  await page.getByLabel("In force on").fill("2019-08-18");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "In force on 18 August 2019" })).toBeVisible();
  await expect(all).toContainText("90-day Temporary General License");
  await page.getByLabel("In force on").fill("2019-08-20");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "In force on 20 August 2019" })).toBeVisible();
  await expect(all).not.toContainText("90-day Temporary General License");
  await all.getByRole("link", { name: "Huawei added to the US Entity List" }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+-huawei-added-to-the-entity-list#quote-\d+$/);
  expect(problems).toEqual([]);
});

test("a target's page shows its standing with each authority over time", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: "Huawei added to the US Entity List" }).first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huawei added to the US Entity List");
  // The permalink's actors link to their pages.
  await page.locator(".event-actors .target").getByRole("link", { name: "Huawei", exact: true }).click();
  await expect(page).toHaveURL(/\/actors\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huawei");
  await expect(page.getByRole("link", { name: "Q160120" })).toHaveAttribute("href", "https://www.wikidata.org/wiki/Q160120");

  const band = page.getByRole("img", { name: /^Huawei's standing with \d+ authorities over time/ });
  await expect(band).toBeVisible();
  const box = await band.boundingBox();
  expect(box?.height).toBeGreaterThan(40);

  // Listed on 16 May 2019, eased four days later by the Temporary General License.
  const commerce = page.locator(".standing-authority", {
    has: page.getByRole("heading", { level: 3, name: /^US Department of Commerce/ }),
  });
  const changes = commerce.getByRole("listitem");
  await expect(changes.nth(0)).toHaveAttribute("data-standing", "restricted");
  await expect(changes.nth(0)).toContainText("16 May 2019");
  await expect(changes.nth(1)).toHaveAttribute("data-standing", "eased");
  await expect(changes.nth(1)).toContainText("20 May 2019");
  await changes.nth(1).getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Temporary General License/);
  expect(problems).toEqual([]);
});

test("the record as recorded on a day: a banner, the filter form, and permalinks of that day", async ({ page }) => {
  const problems = watchConsole(page);
  // Today's record is the one being read: every event in it has not been edited since.
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/?as_recorded=${today}&kind=imposed`);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("The record as it was");
  await expect(page.locator(".as-recorded-banner")).toContainText("The record as published at the end of");
  const lines = page.locator(".timeline-list .event-line");
  await expect(lines.first()).toBeVisible();
  for (const kind of await lines.evaluateAll((ls) => ls.map((l) => l.getAttribute("data-kind")))) {
    expect(kind).toBe("imposed");
  }
  const first = lines.first().locator(".event-title");
  await expect(first).toHaveAttribute("href", new RegExp(`\\?as_recorded=${today}$`));
  const title = (await first.textContent()) ?? "";
  await first.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await expect(page.locator(".as-recorded-banner")).toContainText("has not been edited since");

  // A day before the demo record was loaded: nothing was published yet; the form moves
  // the day, and "as it is now" leaves the view.
  await page.goto(`/?as_recorded=${today}`);
  await hydrated(page);
  await page.getByLabel("As recorded on").fill("2019-06-30");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/as_recorded=2019-06-30/);
  await expect(page.locator(".count")).toHaveText("No published event matches.");
  await page.getByRole("link", { name: "See the record as it is now" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Timeline");
  expect(problems).toEqual([]);
});
