// The reader's path: the timeline, an event's permalink, and the cited passage in its source.
import { expect, test } from "@playwright/test";
import { hydrated, watchConsole } from "./console";

test("from the timeline to an event to its quote, highlighted in the source", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 2, name: "2019" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "June 2019" })).toBeVisible();

  await page.getByRole("link", { name: /Trump says US companies may sell to Huawei again/ }).click();
  await expect(page).toHaveURL(/\/events\/\d+-trump-eases-huawei-sanctions-at-g20-osaka$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Trump says US companies may sell to Huawei again, at the G20 in Osaka",
  );
  await expect(page).toHaveTitle(/Trump says US companies may sell to Huawei again/);

  const citation = page.locator("figure.citation").nth(1);
  const quote = (await citation.locator("blockquote").innerText()).trim();
  expect(quote).toContain("Udtalelsen faldt lørdag");
  const link = citation.getByRole("link", { name: "Read it in the source text" });
  const href = await link.getAttribute("href");
  const citationId = href!.match(/#c(\d+)$/)![1];

  await link.click();
  await expect(page).toHaveURL(new RegExp(`/sources/\\d+#c${citationId}$`));
  const marks = page.locator(`mark[data-citations~="${citationId}"]`);
  await expect(marks.first()).toBeVisible();
  await expect(marks.first()).toBeInViewport();
  const highlighted = (await marks.allInnerTexts()).join("");
  expect(highlighted).toBe(quote);

  // Each highlight leads back to the event that cites it.
  await marks.first().click();
  await expect(page).toHaveURL(/\/events\/\d+-trump-eases-huawei-sanctions-at-g20-osaka$/);

  expect(problems).toEqual([]);
});

test("filters narrow the list and live in the URL", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByLabel("Search").fill("Osaka");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/[?&]q=Osaka/);
  await expect(page.locator(".event-line")).toHaveCount(1);
  await expect(page.locator(".count")).toHaveText("1 event");

  await page.reload();
  await expect(page.locator(".event-line")).toHaveCount(1);
  await expect(page.getByLabel("Search")).toHaveValue("Osaka");
  expect(problems).toEqual([]);
});

test("an unknown event is a real 404 page", async ({ page }) => {
  const response = await page.goto("/events/987654321-no-such-event");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Not found");
});

test("moving between pages in the browser loads each page's data", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  // To an event and back: the timeline page's links are plain links (its bundle draws
  // the timeline only), so the server answers with the permalink (no application code),
  // and its header link leads back.
  await page.locator(".event-line a").first().click();
  await expect(page).toHaveURL(/\/events\/\d+-/);
  await expect(page.locator("figure.citation").first()).toBeVisible();
  await page.getByRole("link", { name: "Sanctions Timeline" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(".event-line").first()).toBeVisible();
  await expect(page.locator(".matches")).toHaveText(/\d+ events match/);
  await expect(page.locator(".tl-point, .tl-cluster, .tl-bar").first()).toBeVisible();
  expect(problems).toEqual([]);
});
