// Mode 1: server-side session. The browser holds an HttpOnly "sessionid" cookie
// that scripts cannot read; every unsafe request carries the CSRF token.

import { send } from "../http.js";
import { load, save } from "../storage.js";

const HINT = "ublog.hint.session";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// Kept in memory: the API returns it in the body, which also works cross-origin
// where the csrftoken cookie belongs to the API's origin and is unreadable here.
let csrfToken = null;
let pending = null;

function fetchCsrf() {
  pending ??= send("GET", "/api/auth/csrf/")
    .then((data) => (csrfToken = data?.csrfToken ?? null))
    .finally(() => (pending = null));
  return pending;
}

async function csrf() {
  return csrfToken ?? fetchCsrf();
}

function forget() {
  csrfToken = null;
  save(HINT, null);
}

export default {
  name: "session",

  async login(email, password) {
    const token = await fetchCsrf();
    const profile = await send("POST", "/api/auth/session/login/", {
      json: { email, password },
      headers: { "X-CSRFToken": token },
    });
    save(HINT, "1");
    csrfToken = null; // Django-style servers rotate the CSRF secret at login
    await fetchCsrf();
    return profile;
  },

  async logout() {
    try {
      // A fresh token: a stale one would make the logout fail and leave the session alive.
      csrfToken = null;
      await send("POST", "/api/auth/session/logout/", { json: {}, headers: { "X-CSRFToken": await fetchCsrf() } });
    } finally {
      forget();
    }
  },

  // The cookie is invisible to scripts, so a remembered hint saves anonymous
  // visitors a request that can only fail; the profile request then decides.
  async restore() {
    return load(HINT) === "1";
  },

  async headers(method) {
    return UNSAFE.has(method) ? { "X-CSRFToken": await csrf() } : {};
  },

  // A 401 means the server no longer knows the session; retrying cannot help.
  async onUnauthorized() {
    forget();
    return false;
  },

  // A 403 for a CSRF reason means our token is stale (e.g. login in another tab).
  async onForbidden(error) {
    if (!/csrf/i.test(`${error.code ?? ""} ${error.message}`)) return false;
    csrfToken = null;
    await fetchCsrf();
    return true;
  },

  /** Takes over a session the server started elsewhere (account activation). */
  async adopt() {
    csrfToken = null;
    save(HINT, "1");
    return true;
  },

  forget,
};
