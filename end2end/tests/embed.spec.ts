// Embeds: the "Embed" button's snippet, pasted into another site's page, shows the event's
// card or the timeline's view there; the site's own pages refuse to be framed.
import { expect, test, type Page } from "@playwright/test";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { hydrated, watchConsole } from "./console";

const G20 = /Trump says US companies may sell to Huawei again/;

/** Another site's page, with `html` in its body, served by a real server of its own on
 * another port of this machine (another origin; on the loopback like the app, since
 * Chromium keeps pages it did not get from the local network from framing local ones). */
async function publishElsewhere(page: Page, html: string) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html lang="en"><title>A newsroom</title><body>${html}</body></html>`);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  page.once("close", () => server.close());
  await page.goto(`http://127.0.0.1:${port}/a-newsroom-article`);
}

async function snippetOf(page: Page): Promise<string> {
  await page.locator("details.embed-button summary").click();
  const snippet = page.locator("textarea.embed-snippet");
  await expect(snippet).toBeVisible();
  return (await snippet.inputValue()).trim();
}

test("an event's Embed snippet shows its card on another site, which cannot frame the permalink", async ({
  page,
  baseURL,
}) => {
  const problems = watchConsole(page);
  await page.goto("/");
  await hydrated(page);
  await page.getByRole("link", { name: G20 }).first().click();
  await expect(page).toHaveURL(/\/events\/\d+-trump-eases-huawei-sanctions-at-g20-osaka$/);
  const permalink = page.url();
  const snippet = await snippetOf(page);
  expect(snippet).toMatch(/^<iframe src="[^"]+\/embed\/events\/\d+-trump-eases-huawei-sanctions-at-g20-osaka"/);
  expect(snippet).toContain(`src="${baseURL}/embed/events/`);

  await publishElsewhere(page, `${snippet}<iframe id="whole-page" src="${permalink}"></iframe>`);
  const card = page.frameLocator("iframe").first();
  await expect(card.getByRole("heading", { level: 1 })).toHaveText(G20);
  await expect(card.locator("blockquote").first()).toContainText(/\S/);
  await expect(card.locator(".site-header")).toHaveCount(0);
  // Its links open the site in a new tab rather than inside the frame.
  await expect(card.getByRole("link", { name: G20 })).toHaveAttribute("target", "_blank");
  // The permalink itself stays out of other sites' frames.
  await page.waitForLoadState("load");
  await expect(page.frameLocator("#whole-page").locator("article.event")).toHaveCount(0);
  expect(problems.filter((p) => !p.includes("frame"))).toEqual([]);
});

test("a timeline view's Embed snippet is the view, zoomable inside another site", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/?target=Huawei&lanes=authority");
  await hydrated(page);
  const snippet = await snippetOf(page);
  expect(snippet).toContain("/embed?target=Huawei&amp;lanes=authority");

  await publishElsewhere(page, snippet);
  const frame = page.frameLocator("iframe");
  await frame.locator("body[data-hydrated]").waitFor({ state: "attached" });
  await expect(frame.locator(".site-header")).toHaveCount(0);
  await expect(frame.locator(".tl-point, .tl-bar, .tl-cluster").first()).toBeVisible();
  await expect(frame.getByRole("link", { name: "Open this view on Sanctions Timeline" })).toHaveAttribute(
    "target",
    "_blank",
  );

  // Zooming in the frame keeps the frame's address an embed's.
  await frame.locator(".tl-viewport").focus();
  await page.keyboard.press("+");
  const embedded = page.frames().find((f) => f.url().includes("/embed"))!;
  await expect.poll(() => embedded.url()).toMatch(/\/embed\?target=Huawei&start=\d{4}-\d{2}-\d{2}&end=\d{4}-\d{2}-\d{2}&lanes=authority$/);
  expect(problems).toEqual([]);
});
