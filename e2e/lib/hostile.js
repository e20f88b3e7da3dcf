// A page from a third origin (another port of 127.0.0.1, in neither the CORS nor
// the CSRF list) opened in the victim's browser while the victim is logged in.
// 127.0.0.1 on any port is the same *site*, so SameSite=Lax/Strict cookies do go
// along: what must stop the attack is the server (Origin, CSRF token, custom
// header) for writes, and CORS for reads.
//
// The console of this page is not watched: Chromium logs the refused CORS
// requests there, which is the point of these checks.

import assert from "node:assert/strict";

function submitForm(page, action, fields, enctype) {
  return page.evaluate(
    ({ action, fields, enctype }) => {
      const form = document.createElement("form");
      form.method = "POST";
      form.action = action;
      form.enctype = enctype;
      for (const [name, value] of Object.entries(fields)) {
        const input = document.createElement("input");
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
    },
    { action, fields, enctype },
  );
}

/** Submits a cross-site form and returns the server's answer and the cookies that went with it. */
async function formPost(page, url, fields, enctype = "multipart/form-data") {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url() === url && r.request().method() === "POST"),
    submitForm(page, url, fields, enctype),
  ]);
  const sent = (await response.request().allHeaders()).cookie ?? "";
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  return { status: response.status(), body, sent };
}

// Every cookie of the context: context.cookies(url) would miss refresh_token,
// whose Path is /api/auth/jwt/token/.
// Other modes post to the same server meanwhile, so the feed is searched for
// the forged text rather than counted.
const FORGED = "posted by a hostile page";

async function forgedPostExists(apiOrigin) {
  const response = await fetch(apiOrigin + "/api/drf/fbv/posts/?limit=100");
  assert.equal(response.status, 200);
  return (await response.json()).results.some((post) => post.body.includes(FORGED));
}

const cookieValue = async (context, name) => (await context.cookies()).find((c) => c.name === name)?.value ?? null;

/**
 * @param {{context: import("playwright-core").BrowserContext, hostileOrigin: string,
 *   apiOrigin: string, mode: "session"|"jwt-cookie"}} options
 */
export async function runHostileChecks({ context, hostileOrigin, apiOrigin, mode }) {
  const cookieName = mode === "session" ? "sessionid" : "refresh_token";
  const cookieBefore = await cookieValue(context, cookieName);
  assert.ok(cookieBefore, `the browser holds a ${cookieName} cookie before the attack`);

  const page = await context.newPage();
  try {
    // CSRF 1: a form on the hostile page posts to the API with the user's cookies.
    await page.goto(hostileOrigin + "/");
    const create = await formPost(page, apiOrigin + "/api/drf/fbv/posts/new/", { body: FORGED });
    if (mode === "session") {
      assert.match(create.sent, /(^|; )sessionid=/, "the forged post carried the session cookie (same site)");
      assert.equal(create.status, 403, `forged post: ${JSON.stringify(create.body)}`);
      assert.match(create.body?.code ?? "", /csrf/i, `forged post refused for a CSRF reason: ${JSON.stringify(create.body)}`);
    } else {
      assert.ok([401, 403].includes(create.status), `forged post: ${create.status} ${JSON.stringify(create.body)}`);
    }
    assert.equal(await forgedPostExists(apiOrigin), false, "the forged post created nothing");

    // CSRF 2: a form posts to the refresh endpoint, which acts on the refresh cookie.
    await page.goto(hostileOrigin + "/");
    const refresh = await formPost(page, apiOrigin + "/api/auth/jwt/token/refresh/", { x: "1" }, "text/plain");
    if (mode === "jwt-cookie") {
      assert.match(refresh.sent, /(^|; )refresh_token=/, "the forged refresh carried the refresh cookie (same site)");
    }
    assert.equal(refresh.status, 403, `forged refresh: ${JSON.stringify(refresh.body)}`);
    assert.equal(refresh.body?.access, undefined, "no access token for the hostile page");

    // CSRF 3 and CORS: scripted requests with the user's cookies.
    await page.goto(hostileOrigin + "/");
    const scripted = await page.evaluate(async (api) => {
      const outcome = async (promise) => {
        try {
          const r = await promise;
          return { read: true, status: r.status, text: await r.text() };
        } catch (error) {
          return { read: false, error: String(error) };
        }
      };
      return {
        // needs a preflight (custom header): the API must not allow this origin
        refresh: await outcome(
          fetch(api + "/api/auth/jwt/token/refresh/", {
            method: "POST",
            credentials: "include",
            headers: { "X-Requested-With": "XMLHttpRequest", "Content-Type": "application/json" },
            body: "{}",
          }),
        ),
        // a simple request: sent, but its answer must stay unreadable
        profile: await outcome(fetch(api + "/api/profile/", { credentials: "include" })),
      };
    }, apiOrigin);
    assert.equal(scripted.refresh.read, false, `hostile refresh must be refused: ${JSON.stringify(scripted.refresh)}`);
    assert.equal(scripted.profile.read, false, `hostile page must not read the profile: ${JSON.stringify(scripted.profile)}`);
    if (mode === "session") {
      // The same request as the server sees it: the cookie authenticates it, so only
      // the missing CORS grant keeps the answer from the hostile page.
      const jar = await context.cookies();
      const answer = await fetch(apiOrigin + "/api/profile/", {
        headers: { Origin: hostileOrigin, Cookie: jar.map((c) => `${c.name}=${c.value}`).join("; ") },
      });
      assert.equal(answer.status, 200, "the API accepts the session cookie");
      assert.equal(answer.headers.get("access-control-allow-origin"), null, "no CORS grant for the hostile origin");
    }

    assert.equal(await cookieValue(context, cookieName), cookieBefore, `${cookieName} untouched by the hostile page`);
    assert.equal(await forgedPostExists(apiOrigin), false, "nothing was created");
  } finally {
    await page.close();
  }
}
