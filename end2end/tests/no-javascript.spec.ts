// A reader arriving on a shared permalink with JavaScript off still gets the whole page.
import { expect, test } from "@playwright/test";

test.use({ javaScriptEnabled: false });

test("the permalink is complete without JavaScript", async ({ page, request }) => {
  const api = await (await request.get("/api/events?q=Entity&kind=imposed&limit=1")).json();
  const event = api.events[0];
  expect(event.title).toBe("Huawei added to the US Entity List");

  // An old slug is redirected to the canonical permalink.
  const response = await page.goto(`/events/${event.id}-an-old-title`);
  expect(response?.status()).toBe(200);
  await expect(page).toHaveURL(new RegExp(`/events/${event.id}-${event.slug}$`));

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(event.title);
  await expect(page.locator("time").first()).toHaveText("16 May 2019");
  await expect(page.locator(".event-actors")).toContainText("US Department of Commerce");
  await expect(page.locator("blockquote").first()).toContainText("for seks uger siden");
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute(
    "href",
    new RegExp(`/events/${event.id}-${event.slug}$`),
  );
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /^16 May 2019: /);

  await page.getByRole("link", { name: "Read it in the source text" }).first().click();
  await expect(page.locator("mark").first()).toBeVisible();
  await expect(page.locator("body")).not.toContainText("Navnenyt");
});
