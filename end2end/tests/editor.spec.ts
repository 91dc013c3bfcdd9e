// Editors sign in and out; a wrong password says so and keeps the reader signed out.
import { expect, test } from "@playwright/test";
import { hydrated, watchConsole } from "./console";
import { DEMO_EDITOR, signIn, submitSignIn } from "./sign-in";

test("the demo editor signs in and out", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/signin");
  await hydrated(page);
  await submitSignIn(page, { ...DEMO_EDITOR, password: "not the password" });
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");

  await submitSignIn(page, DEMO_EDITOR);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.locator(".signed-in")).toHaveText("Signed in as Demo Editor (editor)");
  const cookie = (await page.context().cookies()).find((c) => c.name === "st_session")!;
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.sameSite).toBe("Lax");

  await hydrated(page);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  expect((await page.context().cookies()).find((c) => c.name === "st_session")).toBeUndefined();
  // The failed attempt logs a 401 for the server function; nothing else may complain.
  expect(problems.filter((p) => !p.includes("401"))).toEqual([]);
});

test("an editor adds a source by pasting a scraped article", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, DEMO_EDITOR, "/sources/new");

  const url = `https://example.dk/artikel-${Date.now()}`;
  await page.getByLabel("Address (URL)").fill(url);
  await page.getByLabel("Title").fill("Huawei-forbud: en test");
  await page.getByLabel("Publisher").fill("Computerworld");
  await page.getByLabel("Publication date").fill("2019-06-29");
  await page.getByLabel("Language (BCP 47)").fill("da");
  await page.getByLabel("Article text, pasted").fill(
    "Huawei-forbud: en test\n\nArtikel top billede\n\nDet betyder, at følsomt specialudstyr fortsat ikke vil kunne købes af Huawei.\n\nLæs også:\n\nGoogle: Huawei-forbud kan blive en kæmpe sikkerheds-trussel\n\nNavnenyt fra it-Danmark",
  );
  // The automatic guess stops before "Læs også".
  await expect(page.locator(".bounds .hint")).toHaveText("Guessed: paragraphs 1–3 of 6.");
  await expect(page.getByLabel("Ends after")).toHaveValue("3");
  await page.getByRole("button", { name: "Add the source" }).click();

  await expect(page).toHaveURL(/\/sources\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Huawei-forbud: en test");
  await expect(page.locator(".source-body")).toContainText("følsomt specialudstyr");
  await expect(page.locator(".source-body")).not.toContainText("Læs også");
  await expect(page.locator(".source-body")).not.toContainText("Artikel top billede");
  expect(problems).toEqual([]);
});

test("a hostile destination after signing in goes home and runs nothing", async ({ page }) => {
  const problems = watchConsole(page);
  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs += 1;
    await d.dismiss();
  });
  await signIn(page, DEMO_EDITOR, "javascript:alert(document.domain)", "/");
  await expect(page.locator(".signed-in")).toBeVisible();
  expect(dialogs).toBe(0);
  expect(problems).toEqual([]);
});

test("a relative date in the selected passage is proposed from the source's date", async ({ page }) => {
  const problems = watchConsole(page);
  await signIn(page, DEMO_EDITOR, "/events/new");
  await hydrated(page);
  await page.locator("#ev-source[data-listening]").waitFor({ state: "attached" });
  // The seed article, Computerworld, Saturday 29 June 2019.
  const source = page.getByLabel("Source", { exact: true });
  const seed = await source
    .locator("option", { hasText: "Trump lemper på Huawei-sanktioner" })
    .getAttribute("value");
  await source.selectOption(seed!);
  const pane = page.locator(".source-text");
  const said = "Udtalelsen faldt lørdag i forbindelse med Trumps deltagelse på G20-møde i Japan";
  await expect(pane).toContainText(said);
  await page.getByLabel(/^Date \(YYYY-MM-DD/).fill("2019");

  const select = (text: string) =>
    pane.evaluate((el, text) => {
      const node = el.firstChild!;
      const at = node.textContent!.indexOf(text);
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + text.length);
      window.getSelection()!.removeAllRanges();
      window.getSelection()!.addRange(range);
      el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    }, text);

  await select(said);
  const proposal = page.locator(".date-proposal");
  await expect(proposal).toContainText("The passage dates it: 29 June 2019");
  await expect(proposal.locator(".reasoning")).toHaveText("lørdag on or before 29 Jun 2019 = 29 Jun 2019");
  // Nothing changes until the editor accepts.
  await expect(page.getByLabel(/^Date \(YYYY-MM-DD/)).toHaveValue("2019");
  await proposal.getByRole("button", { name: "Use this date" }).click();
  await expect(page.getByLabel(/^Date \(YYYY-MM-DD/)).toHaveValue("2019-06-29");
  await expect(page.getByLabel("The source's own words for the date (optional)")).toHaveValue("lørdag");

  // Six weeks back from that Saturday, given as a day but marked as approximate.
  await select("for seks uger siden");
  await expect(proposal).toContainText("18 May 2019 (about)");
  await proposal.getByRole("button", { name: "Use this date" }).click();
  await expect(page.getByLabel(/^Date \(YYYY-MM-DD/)).toHaveValue("2019-05-18");
  await expect(page.getByLabel("The source's own words for the date (optional)")).toHaveValue(
    "for seks uger siden",
  );

  // A passage with no relative date proposes nothing.
  await select("Trump lemper på Huawei-sanktioner");
  await expect(proposal).toBeEmpty();
  expect(problems).toEqual([]);
});
