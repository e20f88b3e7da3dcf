// Mode 3: the access token lives only in this module's memory and the refresh token
// in an HttpOnly cookie. A script injected into the page could use the access token
// while the page is open, but cannot carry off anything that outlives a few minutes:
// the long-lived refresh token is never visible to JavaScript. A reload loses the
// access token on purpose; the page-load refresh gets a new one from the cookie.

import { send } from "../http.js";
import { load, save } from "../storage.js";
import { localExpiry } from "./jwt-claims.js";
import { withTabLock } from "./lock.js";
import { emitSignedOut } from "./events.js";

// The cookie endpoints act on a cookie, so they demand a header that a plain
// HTML form on another site cannot send (and that forces a CORS preflight).
const COOKIE_REQUEST = { headers: { "X-Requested-With": "XMLHttpRequest" }, credentials: "include" };
// Not a secret: only remembers that this browser signed in with this mode, so that
// an anonymous visit does not start with a refresh request that can only fail.
const HINT = "ublog.hint.jwt-cookie";
const LEAD_MS = 30_000;

let access = null;
let expiresAt = null;
let timer = null;
let inflight = null;

function setAccess(token) {
  clearTimeout(timer);
  access = token;
  expiresAt = localExpiry(token);
  save(HINT, "1");
  if (expiresAt === null) return;
  const remaining = expiresAt - Date.now();
  // Refresh shortly before expiry; with very short lifetimes, halfway through.
  const delay = Math.max(0, remaining - Math.min(LEAD_MS, remaining / 2));
  timer = setTimeout(() => backgroundRefresh(), Math.min(delay, 2 ** 31 - 1));
}

// A refused refresh ends the login; a network failure is retried (with a growing
// pause) while the current access token still works.
async function backgroundRefresh(pause = 5000) {
  if (await refresh()) return;
  if (!access) emitSignedOut("expired");
  else timer = setTimeout(() => backgroundRefresh(Math.min(pause * 2, 60_000)), pause);
}

function forget() {
  clearTimeout(timer);
  access = expiresAt = timer = null;
  save(HINT, null);
}

function nearExpiry() {
  return expiresAt !== null && Date.now() > expiresAt - 5000;
}

// Resolves true with a fresh access token, false when the cookie is missing or spent.
function refresh() {
  inflight ??= withTabLock("ublog.jwt-cookie.refresh", async () => {
    try {
      const data = await send("POST", "/api/auth/jwt/token/refresh/", { json: {}, ...COOKIE_REQUEST });
      if (!data?.access) throw new Error("refresh answer without an access token");
      setAccess(data.access);
      return true;
    } catch (error) {
      if (error.status === 401 || error.status === 403) forget();
      return false; // a network error keeps the hint so the next load tries again
    }
  }).finally(() => (inflight = null));
  return inflight;
}

// Timers are throttled in background tabs and stop while a laptop sleeps.
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible" && access && expiresAt - Date.now() < LEAD_MS) {
    clearTimeout(timer);
    backgroundRefresh();
  }
});

export default {
  name: "jwt-cookie",

  async login(email, password) {
    const data = await send("POST", "/api/auth/jwt/token/", { json: { email, password }, ...COOKIE_REQUEST });
    setAccess(data.access);
  },

  async logout() {
    const headers = { ...COOKIE_REQUEST.headers };
    if (access) headers.Authorization = `Bearer ${access}`;
    try {
      await send("POST", "/api/auth/jwt/token/logout/", { json: {}, headers, credentials: "include" });
    } finally {
      forget();
    }
  },

  async restore() {
    if (access) return true;
    return load(HINT) === "1" ? refresh() : false;
  },

  async headers() {
    if (access && nearExpiry()) await refresh();
    return access ? { Authorization: `Bearer ${access}` } : {};
  },

  async onUnauthorized() {
    return refresh();
  },

  /**
   * Takes over a login the server started elsewhere (account activation), which set
   * the refresh cookie and may have returned an access token too.
   */
  async adopt(token) {
    if (token) {
      setAccess(token);
      return true;
    }
    return refresh();
  },

  forget,
};
