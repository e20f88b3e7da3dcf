// One person's whole visit in one authentication mode: sign up, activate from
// the e-mail, log in with the chosen mode, post with an image, like, reload,
// open a second tab, log out, and check that the old credentials are dead.

import assert from "node:assert/strict";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { newContext, watchConsole } from "./browser.js";
import { runHostileChecks } from "./hostile.js";
import { activationLink } from "./mail.js";
import { gradientPng } from "./png.js";
import { REPO } from "./processes.js";
import { cookieHeader, replay } from "./replay.js";

export const OUTPUT = join(REPO, "e2e/output");
const DOCS_SCREENSHOTS = join(REPO, "docs/screenshots");
const PASSWORD = "Quiet-lantern-river-82";
/** Access-token lifetime the suites give the server (UBLOG_ACCESS_TOKEN_LIFETIME). */
export const ACCESS_LIFETIME_S = 60;

/** What each mode promises; the labels are those of the switch on the login page. */
// `login`: how the Sessions page names the login the mode makes.
export const MODES = {
  session: { label: "Session", login: "Browser session", survivesReload: true, sharedWithNewTab: true },
  "jwt-local": { label: "JWT in storage", login: "JWT", survivesReload: true, sharedWithNewTab: true },
  "jwt-cookie": { label: "JWT + cookie", login: "JWT + cookie", survivesReload: true, sharedWithNewTab: true },
  "api-token": { label: "API token", login: "API token", survivesReload: true, sharedWithNewTab: true },
};

/** Polls `check` until it returns something truthy (or stops throwing). */
async function eventually(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
      last = new Error(`still false: ${what}`);
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}: ${last?.message ?? last}`);
}

const nav = (page) => page.locator("nav.nav");

async function expectLoggedIn(page, email) {
  await nav(page).getByRole("button", { name: "Log out" }).waitFor();
  await nav(page).locator(`a.nav-user[title="${email}"]`).waitFor();
}

async function expectLoggedOut(page) {
  await nav(page).getByRole("link", { name: "Log in" }).waitFor();
  assert.equal(await nav(page).getByRole("button", { name: "Log out" }).count(), 0, "no Log out button when logged out");
}

/** The post card with `body` in the feed, its like button and its image. */
function postCard(page, body) {
  const card = page.locator("article.post", { hasText: body });
  return { card, like: card.locator("button.like"), image: card.locator("img.post-image") };
}

async function expectLiked(page, body) {
  const { like } = postCard(page, body);
  await eventually(async () => (await like.getAttribute("aria-pressed")) === "true", "the post shows as liked");
  assert.equal(await like.locator(".like-count").textContent(), "1");
}

/**
 * Runs the whole flow for `modeName`.
 * @param {object} d the deployment: {name, browser, webOrigin, apiOrigin, hostileOrigin, mailFolder}
 */
export async function runModeFlow(d, modeName) {
  const mode = MODES[modeName];
  const tag = `${d.name}-${modeName}`;
  const email = `${modeName}.${d.name}.${Date.now()}.${process.pid}@example.com`;
  const postBody = `Hello from ${modeName} (${d.name})!`; // unique: each run has a fresh database
  const outDir = join(OUTPUT, d.name);
  mkdirSync(outDir, { recursive: true });

  const context = await newContext(d.browser);
  const consoleErrors = [];
  const page = watchConsole(await context.newPage(), consoleErrors, "tab 1");
  const lastAuthorization = { value: null };
  page.on("request", (request) => {
    const value = request.headers().authorization;
    if (value && request.url().startsWith(d.apiOrigin + "/api/")) lastAuthorization.value = value;
  });

  // Toasts left from an earlier step would cover the page. (Playwright's `style`
  // option cannot hide them: the page's CSP blocks the injected <style>, rightly.)
  const shot = async (name) => {
    await page.evaluate(() => document.querySelectorAll(".toast").forEach((t) => t.remove()));
    await page.screenshot({ path: join(outDir, `${modeName}-${name}.png`), fullPage: true });
  };
  let current = "start";
  const step = async (name, fn) => {
    current = name;
    await fn();
  };

  try {
    let apiKey = null;

    await step("register through the UI", async () => {
      await page.goto(d.webOrigin + "/register");
      await page.getByLabel("E-mail").fill(email);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Repeat password").fill(PASSWORD);
      await page.getByRole("button", { name: "Create account" }).click();
      await page.getByRole("heading", { name: "Check your e-mail" }).waitFor();
    });

    await step("activate from the e-mail", async () => {
      const link = await activationLink(d.mailFolder, email);
      assert.equal(new URL(link).origin, d.webOrigin, "the e-mailed link points at the front end");
      await page.goto(link);
      await page.getByText("Your account is active. You are logged in as").waitFor();
      await expectLoggedIn(page, email);
    });

    if (modeName === "api-token") {
      await step("create an API token on the Tokens page", async () => {
        await nav(page).getByRole("link", { name: "Tokens" }).click();
        await page.getByLabel("Name").fill("e2e browser");
        await page.getByRole("button", { name: "Create token" }).click();
        const keyBox = page.getByLabel("New token key");
        await keyBox.waitFor();
        apiKey = await keyBox.inputValue();
        assert.ok(apiKey.length >= 20, "a key is shown once");
        await page.locator("li.card.item", { hasText: "e2e browser" }).waitFor();
      });
    }

    await step("log out of the activation login", async () => {
      await nav(page).getByRole("button", { name: "Log out" }).click();
      await page.getByText("You are logged out.").waitFor();
      await expectLoggedOut(page);
    });

    await step(`log in with the "${mode.label}" switch`, async () => {
      await page.goto(d.webOrigin + "/login");
      await page.locator("label.segment", { hasText: mode.label }).click();
      assert.ok(await page.locator(`input[name="mode"][value="${modeName}"]`).isChecked(), "the switch shows the mode");
      await page.locator("footer").getByText(`Login mode: ${mode.label}`, { exact: true }).waitFor();
      await shot("login");
      if (modeName === "api-token") {
        await page.getByRole("textbox", { name: "API token" }).fill(apiKey);
        await page.getByRole("button", { name: "Use this token" }).click();
      } else {
        await page.getByLabel("E-mail").fill(email);
        await page.getByLabel("Password").fill(PASSWORD);
        await page.locator("form").getByRole("button", { name: "Log in" }).click();
      }
      // A profile without a name is sent to finish it first.
      await page.waitForURL(d.webOrigin + "/profile");
      await expectLoggedIn(page, email);
      await page.locator("footer").getByText(`Signed in with ${mode.label}`).waitFor();
    });

    await step("fill in the name on the profile page", async () => {
      await page.getByLabel("First name").fill("Ada");
      await page.getByLabel("Last name").fill(modeName);
      await page.getByRole("button", { name: "Save name" }).click();
      await page.getByText("Your name was saved.").waitFor();
      await page.getByText("Complete", { exact: true }).waitFor();
      await shot("profile");
    });

    await step("post with an image", async () => {
      await nav(page).getByRole("link", { name: "New post" }).click();
      await page.getByLabel("Your post").fill(postBody);
      await page.getByLabel("Image (optional)").setInputFiles({
        name: "gradient.png",
        mimeType: "image/png",
        buffer: gradientPng(96, 64, modeName.length * 40),
      });
      await page.getByAltText("Preview of the chosen image").waitFor();
      await shot("new-post");
      await page.getByRole("button", { name: "Post", exact: true }).click();
      await page.waitForURL(d.webOrigin + "/");
      await page.getByText("Posted.").waitFor();
      const { card, image } = postCard(page, postBody);
      await card.waitFor();
      await eventually(() => image.evaluate((img) => img.complete && img.naturalWidth === 96), "the uploaded image loads");
    });

    await step("like the post", async () => {
      const { like } = postCard(page, postBody);
      assert.equal(await like.getAttribute("aria-pressed"), "false");
      await like.click();
      await expectLiked(page, postBody);
    });

    await step("page scripts cannot read the login cookies", async () => {
      const visible = await page.evaluate(() => document.cookie);
      assert.doesNotMatch(visible, /sessionid|refresh_token/, `document.cookie = ${visible}`);
      const jar = await context.cookies(); // all paths: refresh_token lives under /api/auth/jwt/token/
      const held = jar.filter((c) => ["sessionid", "refresh_token"].includes(c.name));
      if (modeName === "session") assert.deepEqual(held.map((c) => c.name), ["sessionid"]);
      if (modeName === "jwt-cookie") assert.deepEqual(held.map((c) => c.name), ["refresh_token"]);
      for (const cookie of held) {
        assert.equal(cookie.httpOnly, true, `${cookie.name} is HttpOnly`);
        if (cookie.name === "refresh_token") {
          assert.equal(cookie.sameSite, "Strict", "refresh_token is SameSite=Strict");
          assert.equal(cookie.path, "/api/auth/jwt/token/", "refresh_token is scoped to its endpoints");
        }
      }
    });

    await step("reload: still logged in", async () => {
      await page.reload();
      if (mode.survivesReload) {
        await expectLoggedIn(page, email);
        await expectLiked(page, postBody); // "liked" comes from the server: the feed request was authenticated
        await shot("feed");
      } else {
        await expectLoggedOut(page);
      }
    });

    let tab2;
    await step("a second tab is logged in too", async () => {
      tab2 = watchConsole(await context.newPage(), consoleErrors, "tab 2");
      await tab2.goto(d.webOrigin + "/");
      if (mode.sharedWithNewTab) {
        await expectLoggedIn(tab2, email);
        await expectLiked(tab2, postBody);
      } else {
        await expectLoggedOut(tab2);
      }
    });

    if (modeName === "jwt-cookie") {
      await step("both tabs renew the access token before it expires", async () => {
        // Each tab refreshes on its own timer ahead of "exp" (the suite runs with
        // short access tokens); the refresh token rotates each time, so a
        // refresh with a spent cookie would end the login of both tabs.
        const renewed = (tab) =>
          tab.waitForResponse((r) => r.url() === d.apiOrigin + "/api/auth/jwt/token/refresh/", { timeout: ACCESS_LIFETIME_S * 1000 });
        const answers = await Promise.all([renewed(page), renewed(tab2)]);
        for (const answer of answers) assert.equal(answer.status(), 200, "the background refresh succeeded");
        await tab2.reload();
        await expectLoggedIn(tab2, email);
        await expectLiked(tab2, postBody);
      });
    }

    await step("sessions and tokens pages", async () => {
      await nav(page).getByRole("link", { name: "Sessions" }).click();
      const mine = page.locator("li.card.item", { hasText: "This browser" });
      await mine.waitFor();
      assert.equal((await mine.locator(".item-title").innerText()).replace("This browser", "").trim(), mode.login);
      await shot("sessions");
      await nav(page).getByRole("link", { name: "Tokens" }).click();
      await page.locator("li.card.item, p.empty").first().waitFor();
      await shot("tokens");
    });

    if (modeName === "session" || modeName === "jwt-cookie") {
      await step("a page from a third origin can neither write nor read", async () => {
        await runHostileChecks({
          context,
          mode: modeName,
          apiOrigin: d.apiOrigin,
          hostileOrigin: d.hostileOrigin,
        });
      });
    }

    // What a thief would copy before the logout, and a check that it works now.
    let stolen;
    await step("capture the credentials before logging out", async () => {
      stolen = await captureCredentials(modeName, { page, context, apiKey, lastAuthorization });
      for (const [what, request] of Object.entries(stolen.useNow)) {
        const answer = await replay(d.apiOrigin, request.path, request);
        assert.equal(answer.status, 200, `${what} works before the logout: ${JSON.stringify(answer.body)}`);
        assert.equal(answer.body.email, email);
      }
    });

    await step("log out; the other tab follows", async () => {
      await page.goto(d.webOrigin + "/");
      await expectLoggedIn(page, email);
      if (modeName === "api-token") {
        // Logging out of this mode only makes the browser forget a key that scripts may
        // share; the revoking logout is on the Sessions page.
        await nav(page).getByRole("link", { name: "Sessions" }).click();
        const mine = page.locator("li.card.item", { hasText: "This browser" });
        await mine.getByRole("button", { name: "Revoke" }).click();
        await mine.getByRole("button", { name: "Revoke and log out" }).click();
        await page.getByText("This login was revoked.").waitFor();
      } else {
        await nav(page).getByRole("button", { name: "Log out" }).click();
        await page.getByText("You are logged out.").waitFor();
      }
      await expectLoggedOut(page);
      await expectLoggedOut(tab2);
      await page.reload();
      await expectLoggedOut(page);
      const left = await page.evaluate(() => Object.keys(localStorage).filter((k) => /jwt\.|apitoken|hint/.test(k)));
      assert.deepEqual(left, [], "no credential or login hint left in localStorage");
    });

    await step("the old credentials no longer work", async () => {
      for (const [what, request] of Object.entries({ ...stolen.useNow, ...stolen.afterwards })) {
        if (request.exp) {
          // An expired token would fail anyway and prove nothing about the logout.
          assert.ok(Date.now() / 1000 < request.exp - 1, `${what} is still unexpired when replayed`);
        }
        const answer = await replay(d.apiOrigin, request.path, request);
        assert.ok([401, 403].includes(answer.status), `${what} after logout: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    });

    if (d.name === "same-origin" && modeName === "session") {
      mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
      copyFileSync(join(outDir, `${modeName}-feed.png`), join(DOCS_SCREENSHOTS, "feed.png"));
      copyFileSync(join(outDir, `${modeName}-login.png`), join(DOCS_SCREENSHOTS, "login.png"));
    }

    await step("no console errors", async () => {
      assert.deepEqual(consoleErrors, [], "no console errors during the flow");
    });
  } catch (error) {
    await page.screenshot({ path: join(outDir, `${modeName}-FAILED.png`), fullPage: true }).catch(() => {});
    error.message = `[${tag}] step "${current}": ${error.message}`;
    if (consoleErrors.length) error.message += `\nconsole errors:\n  ${consoleErrors.join("\n  ")}`;
    throw error;
  } finally {
    await context.close();
  }
}

/** The "exp" claim of a "Bearer <jwt>" value, or undefined. */
function bearerExpiry(authorization) {
  const m = /^Bearer [^.]+\.([^.]+)\./.exec(authorization ?? "");
  if (!m) return undefined;
  const exp = JSON.parse(Buffer.from(m[1], "base64url").toString("utf8")).exp;
  assert.equal(typeof exp, "number", "the access token has an exp claim");
  return exp;
}

/**
 * The credentials of the mode as a thief would copy them. `useNow`: requests that
 * must work before the logout and fail after it; `afterwards`: requests tried only
 * after the logout (trying a refresh earlier would rotate the browser's token).
 */
async function captureCredentials(modeName, { page, context, apiKey, lastAuthorization }) {
  const profile = (headers) => ({ path: "/api/profile/", headers, exp: bearerExpiry(headers.Authorization) });
  const jar = await context.cookies();
  const cookie = (name) => {
    const found = jar.find((c) => c.name === name);
    assert.ok(found, `the browser holds ${name}`);
    return found;
  };
  switch (modeName) {
    case "session":
      return { useNow: { "the session cookie": profile({ Cookie: cookieHeader(cookie("sessionid")) }) }, afterwards: {} };
    case "jwt-local": {
      const [access, refresh] = await page.evaluate(() => [localStorage.getItem("ublog.jwt.access"), localStorage.getItem("ublog.jwt.refresh")]);
      assert.ok(access && refresh, "the pair is in localStorage");
      return {
        useNow: { "the access token": profile({ Authorization: `Bearer ${access}` }) },
        afterwards: { "the refresh token": { path: "/api/token/refresh/", method: "POST", json: { refresh } } },
      };
    }
    case "jwt-cookie": {
      assert.match(lastAuthorization.value ?? "", /^Bearer \S+$/, "the page sent a Bearer token");
      const stored = await page.evaluate(() => JSON.stringify(localStorage));
      assert.ok(!stored.includes(lastAuthorization.value.slice(7)), "the access token is not in localStorage");
      return {
        useNow: { "the in-memory access token": profile({ Authorization: lastAuthorization.value }) },
        afterwards: {
          "the refresh cookie": {
            path: "/api/auth/jwt/token/refresh/",
            method: "POST",
            json: {},
            headers: { Cookie: cookieHeader(cookie("refresh_token")), "X-Requested-With": "XMLHttpRequest" },
          },
        },
      };
    }
    case "api-token":
      return { useNow: { "the API token": profile({ Authorization: `Token ${apiKey}` }) }, afterwards: {} };
    default:
      throw new Error(`unknown mode ${modeName}`);
  }
}
