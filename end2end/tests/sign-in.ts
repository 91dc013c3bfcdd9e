// Signing in through the sign-in page, for every spec that needs an editor or an admin:
// the accounts the test server has, and the one way the specs fill in the form.
import { expect, type Page } from "@playwright/test";
import { hydrated } from "./console";

export interface Account {
  email: string;
  password: string;
}

/** The demo editor: scripts/test serves the demo record in demo mode. */
export const DEMO_EDITOR: Account = {
  email: "editor@sanctions-timeline.example",
  password: "demo-editor-password",
};

/** The admin scripts/test creates with `create-admin` (E2E_ADMIN_*). */
export const ADMIN: Account = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@sanctions-timeline.example",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e-admin-password",
};

/** Fills in the sign-in form of the page shown and submits it. */
export async function submitSignIn(page: Page, account: Account): Promise<void> {
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Signs in on `/signin?next=…` and waits until the app has taken over the page it lands
 * on: `next`, unless the server sends the browser elsewhere (`landsOn`). */
export async function signIn(page: Page, account: Account, next = "/", landsOn = next): Promise<void> {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  await hydrated(page);
  await submitSignIn(page, account);
  await expect(page).toHaveURL(new RegExp(`${escapeRegExp(landsOn)}$`));
  await hydrated(page);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\\/]/g, "\\$&");
}
