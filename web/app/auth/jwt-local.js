// Mode 2: simplejwt pair kept in localStorage, sent as "Authorization: Bearer".
// Simple and cross-origin friendly, but any script on the page can read both tokens;
// logout therefore blacklists the refresh token on the server, not just locally.

import { send } from "../http.js";
import { load, save, forget as drop } from "../storage.js";
import { localExpiry } from "./jwt-claims.js";
import { withTabLock } from "./lock.js";

const ACCESS = "ublog.jwt.access";
const REFRESH = "ublog.jwt.refresh";

let inflight = null;

function store({ access, refresh }) {
  save(ACCESS, access ?? null);
  if (refresh) save(REFRESH, refresh);
}

function forget() {
  drop(ACCESS, REFRESH);
}

function expired(token) {
  const at = localExpiry(token);
  return at !== null && Date.now() > at - 5000;
}

// One refresh at a time, in this tab and across tabs (they share localStorage).
function refresh(staleAccess) {
  inflight ??= withTabLock("ublog.jwt-local.refresh", async () => {
    if (load(ACCESS) && load(ACCESS) !== staleAccess) return true; // another tab already refreshed
    const token = load(REFRESH);
    if (!token) return false;
    try {
      store(await send("POST", "/api/token/refresh/", { json: { refresh: token } }));
      return true;
    } catch (error) {
      if (error.status === 401 || error.status === 400) forget();
      return false;
    }
  }).finally(() => (inflight = null));
  return inflight;
}

export default {
  name: "jwt-local",

  async login(email, password) {
    store(await send("POST", "/api/token/", { json: { email, password } }));
  },

  async logout() {
    const token = load(REFRESH);
    try {
      if (token) await send("POST", "/api/token/blacklist/", { json: { refresh: token } });
    } finally {
      forget();
    }
  },

  async restore() {
    return Boolean(load(REFRESH) || load(ACCESS));
  },

  async headers() {
    let access = load(ACCESS);
    if (access && expired(access) && (await refresh(access))) access = load(ACCESS);
    return access ? { Authorization: `Bearer ${access}` } : {};
  },

  async onUnauthorized() {
    return refresh(load(ACCESS));
  },

  forget,
};
