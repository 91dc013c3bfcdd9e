// Editors sign in and out; a wrong password says so and keeps the reader signed out.
import { expect, test } from "@playwright/test";
import { hydrated, watchConsole } from "./console";

test("the demo editor signs in and out", async ({ page }) => {
  const problems = watchConsole(page);
  await page.goto("/signin");
  await hydrated(page);
  await page.getByLabel("Email").fill("editor@sanctions-timeline.example");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Wrong email or password.");

  await page.getByLabel("Password").fill("demo-editor-password");
  await page.getByRole("button", { name: "Sign in" }).click();
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
