// The whole editorial path: an editor pastes a source and makes an event by selecting its
// sentence, an admin publishes it, and a reader finds it on the timeline, its permalink
// and, highlighted, in the source. scripts/test creates the admin (E2E_ADMIN_*).
import { expect, test, type Locator } from "@playwright/test";
import { hydrated, watchConsole } from "./console";
import { ADMIN, DEMO_EDITOR, signIn } from "./sign-in";

/** Selects `text` in the source pane as a drag would (with the space after it), then
 * releases the button. */
async function selectIn(pane: Locator, text: string) {
  await pane.evaluate((el, text) => {
    const node = el.firstChild!;
    const at = node.textContent!.indexOf(text);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, Math.min(at + text.length + 1, node.textContent!.length));
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    el.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  }, text);
}

test("an editor cites a selected sentence, an admin publishes, a reader finds it", async ({
  browser,
}) => {
  // The whole editorial flow in one test (three sessions, review, history): more than
  // the default 30 s when the machine is busy.
  test.setTimeout(120_000);
  const stamp = Date.now();
  const sentence = `Ministeriet føjede ${stamp} Tech ApS til listen lørdag 🙂 med øjeblikkelig virkning.`;
  const title = `Tech ApS ${stamp} added to the list`;

  // 1. The editor adds the source.
  const editor = await browser.newPage();
  const problems = watchConsole(editor);
  await signIn(editor, DEMO_EDITOR, "/sources/new");
  await editor.getByLabel("Address (URL)").fill(`https://example.dk/tech-${stamp}`);
  await editor.getByLabel("Title").fill(`Tech ApS på listen ${stamp}`);
  await editor.getByLabel("Publisher").fill("Eksempelavisen");
  await editor.getByLabel("Publication date").fill("2024-03-02");
  await editor.getByLabel("Language (BCP 47)").fill("da");
  await editor
    .getByLabel("Article text, pasted")
    .fill(`Tech ApS på listen ${stamp}\n\nBlandt andet: 华为 og 🙂.\n\n${sentence}\n\nMere følger.`);
  await editor.getByRole("button", { name: "Add the source" }).click();
  await expect(editor).toHaveURL(/\/sources\/\d+$/);
  const sourceId = editor.url().match(/\/sources\/(\d+)$/)![1];

  // 2. The event, with the quote made by selecting the sentence in the source text.
  await editor.goto("/events/new");
  await hydrated(editor);
  await editor.getByLabel("Title", { exact: true }).fill(title);
  await editor.getByLabel(/^Date \(YYYY-MM-DD/).fill("2024-03-02");
  await editor.getByLabel("What happened").selectOption("imposed");
  // A name left typed in the box counts; the targets are picked: Huawei from the record,
  // and a new one added with Enter.
  await editor.getByRole("combobox", { name: "Imposed or changed by" }).fill("Erhvervsministeriet");
  const targets = editor.getByRole("combobox", { name: "Aimed at" });
  const chosenTargets = editor.getByRole("list", { name: "Aimed at: chosen" }).locator(".chip");
  await targets.fill("HUA");
  const offered = editor.getByRole("listbox", { name: "Aimed at: existing actors" });
  const huawei = offered.getByRole("option", { name: /^Huawei/ });
  await expect(huawei).toContainText(/\d+ events as target/);
  await huawei.click();
  await expect(chosenTargets.locator(".chip-name")).toHaveText(["Huawei"]);
  await expect(targets).toHaveValue("");
  await targets.fill(`Tech ApS ${stamp}`);
  await expect(offered.getByRole("option", { name: `Add “Tech ApS ${stamp}”` })).toBeVisible();
  await targets.press("Enter");
  await expect(chosenTargets.locator(".chip-name")).toHaveText(["Huawei", `Tech ApS ${stamp}`]);
  await expect(chosenTargets.nth(1)).toHaveClass(/new-actor/);
  await expect(chosenTargets.nth(0)).not.toHaveClass(/new-actor/);
  await editor.getByLabel("Summary", { exact: true }).fill("Listed with immediate effect.");

  // Saving without a quote is refused with a message at the quote, keeping the input.
  await editor.getByRole("button", { name: "Save as draft" }).click();
  await expect(editor.locator("#ev-quote-error")).toContainText("select the passage");
  await expect(editor.getByLabel("Title", { exact: true })).toHaveValue(title);

  await editor.locator("#ev-source[data-listening]").waitFor({ state: "attached" });
  await editor.getByLabel("Source", { exact: true }).selectOption(sourceId);
  const pane = editor.locator(".source-text");
  await expect(pane).toContainText(sentence);
  await selectIn(pane, sentence);
  await expect(editor.locator(".picked")).toHaveText(`“${sentence}”`);
  await editor.getByRole("button", { name: "Save as draft" }).click();
  await expect(editor).toHaveURL(/\/events\/\d+\/edit$/);
  const eventId = editor.url().match(/\/events\/(\d+)\/edit$/)![1];
  await hydrated(editor);
  await expect(editor.locator(".event-state strong")).toHaveText("Draft");
  await expect(editor.locator(".cited-already q")).toHaveText(sentence);
  await expect(chosenTargets.locator(".chip-name")).toHaveText(["Huawei", `Tech ApS ${stamp}`]);
  await expect(
    editor.getByRole("list", { name: "Imposed or changed by: chosen" }).locator(".chip-name"),
  ).toHaveText(["Erhvervsministeriet"]);
  // Editors do not publish.
  await expect(editor.getByRole("button", { name: "Publish" })).toHaveCount(0);

  // A second passage is cited, then taken away again; the list is read back after each save.
  const second = "Blandt andet: 华为 og 🙂.";
  await editor.locator("#ev-source[data-listening]").waitFor({ state: "attached" });
  await editor.getByLabel("Source", { exact: true }).selectOption(sourceId);
  await expect(pane).toContainText(second);
  await selectIn(pane, second);
  await expect(editor.locator(".picked")).toHaveText(`“${second}”`);
  await editor.getByRole("button", { name: "Save changes" }).click();
  const cited = editor.locator(".cited-already li");
  await expect(cited.locator("q")).toHaveText([sentence, second]);
  await cited.nth(1).getByLabel("Remove when saving").check();
  await expect(cited.nth(1)).toHaveClass(/to-remove/);
  await editor.getByRole("button", { name: "Save changes" }).click();
  await expect(editor.locator(".event-state .version")).toHaveText("3");
  await expect(cited.locator("q")).toHaveText([sentence]);

  // Two sessions on the same draft: the later save is refused and shows the other change;
  // the editor keeps their own text by saving over it on purpose.
  const other = await (await browser.newContext()).newPage();
  const otherProblems = watchConsole(other);
  await signIn(other, DEMO_EDITOR, `/events/${eventId}/edit`);
  await other.getByLabel("Legal instrument (optional)").fill("Bekendtgørelse nr. 1");
  // The act's official identifier is checked by the format of the kind chosen.
  await other.getByLabel("Official identifier of the act (optional)").selectOption("uk_si");
  await other.getByLabel("Identifier", { exact: true }).fill("2019-855");
  await other.getByRole("button", { name: "Save changes" }).click();
  await expect(other.locator("#ev-legal_act_id-error")).toContainText("write it like 2019/855");
  await expect(other.locator(".event-state .version")).toHaveText("3");
  await other.getByLabel("Identifier", { exact: true }).fill("SI 2019/855");
  await other.getByRole("button", { name: "Save changes" }).click();
  await expect(other.locator(".event-state .version")).toHaveText("4");
  await editor.getByLabel("Summary", { exact: true }).fill("Listed at once, the ministry says.");
  await editor.getByRole("button", { name: "Save changes" }).click();
  const conflict = editor.locator(".conflict");
  await expect(conflict).toContainText("Bekendtgørelse nr. 1");
  await expect(conflict).toContainText("SI 2019/855");
  await expect(editor.locator(".event-state .version")).toHaveText("3");
  await expect(editor.getByLabel("Summary", { exact: true })).toHaveValue("Listed at once, the ministry says.");
  await conflict.getByRole("button", { name: /^Keep my text/ }).click();
  await editor.getByRole("button", { name: "Save changes" }).click();
  await expect(editor.getByRole("status")).toHaveText("Saved (version 5).");
  expect(otherProblems).toEqual([]);
  expect(problems).toEqual([]);

  // A reader cannot see the draft.
  const reader = await browser.newPage();
  const readerProblems = watchConsole(reader);
  const draft = await reader.goto(`/events/${eventId}`);
  expect(draft?.status()).toBe(404);

  // 3. An admin publishes it.
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, ADMIN, `/events/${eventId}/edit`);
  await admin.getByRole("button", { name: "Publish" }).click();
  await expect(admin.locator(".event-state strong")).toHaveText("Published");
  await expect(admin.locator(".event-state .version")).toHaveText("6");

  // 4. The reader finds it on the timeline, its permalink, and the quote in the source.
  await reader.goto(`/?q=${stamp}`);
  await hydrated(reader);
  await reader.getByRole("link", { name: title }).first().click();
  await expect(reader).toHaveURL(new RegExp(`/events/${eventId}-tech-aps-${stamp}-added-to-the-list$`));
  await expect(reader.getByRole("heading", { level: 1 })).toHaveText(title);
  const citation = reader.locator("figure.citation").first();
  await expect(citation.locator("blockquote")).toHaveText(sentence);
  await citation.getByRole("link", { name: "Read it in the source text" }).click();
  await expect(reader).toHaveURL(new RegExp(`/sources/${sourceId}#c\\d+$`));
  const marks = reader.locator("mark[data-citations]");
  expect((await marks.allInnerTexts()).join("")).toBe(sentence);
  expect(readerProblems.filter((p) => !p.includes("404"))).toEqual([]);

  // 5. The editor corrects the source, which a published event cites: the change waits
  // for an admin, and readers see it once approved, the quote moved along with its text.
  await editor.goto(`/sources/${sourceId}/edit`);
  await hydrated(editor);
  const text = editor.getByLabel("Article text");
  await text.fill(`Rettet 🙂.\n\n${await text.inputValue()}`);
  await editor.getByRole("button", { name: "Save the source" }).click();
  await expect(editor.getByRole("status")).toContainText("Saved as a change for review");
  await reader.reload();
  await expect(reader.getByText("Rettet 🙂.")).toHaveCount(0);
  await admin.goto("/review");
  await hydrated(admin);
  const pending = admin.locator(".pending-change", { hasText: `Tech ApS på listen ${stamp}` });
  await expect(pending.locator(".diff .added", { hasText: "Rettet 🙂." })).toHaveCount(1);
  await pending.getByRole("button", { name: "Approve" }).click();
  await expect(admin.getByRole("status")).toContainText("0 in place, 1 moved with their text, 0 to check");
  await reader.reload();
  await expect(reader.getByText("Rettet 🙂.")).toHaveCount(1);
  expect((await reader.locator("mark[data-citations]").allInnerTexts()).join("")).toBe(sentence);

  // 6. The admin reads the event's history and restores its first version.
  const adminProblems = watchConsole(admin);
  await admin.goto(`/events/${eventId}/history`);
  await hydrated(admin);
  await expect(admin.locator(".revision")).toHaveCount(6);
  await expect(admin.locator(".revision").first()).toContainText("published");
  // The passage added and taken away shows in the history as lines.
  await expect(admin.locator(".revision", { hasText: `“${second}”` })).toHaveCount(2);
  await admin.getByRole("button", { name: "Restore version 1" }).click();
  await expect(admin.getByRole("status")).toHaveText("Restored as version 7.");
  await expect(admin.locator(".revision")).toHaveCount(7);
  await admin.goto("/admin/accounts");
  await hydrated(admin);
  await expect(admin.locator("table.accounts")).toContainText(DEMO_EDITOR.email);
  expect(adminProblems).toEqual([]);
});
