// The four authentication modes and which one is active in this tab.
// Every mode has the same shape:
//   { name, login(email, password), logout(), restore(), headers(method),
//     onUnauthorized(), forget() }  plus optional onForbidden(error), useKey(key), adopt(access).

import { defaultMode } from "../config.js";
import { load, save } from "../storage.js";
import session from "./session.js";
import jwtLocal from "./jwt-local.js";
import jwtCookie from "./jwt-cookie.js";
import apiToken from "./api-token.js";

const KEY = "ublog.mode";

export const MODES = {
  session: {
    module: session,
    label: "Session",
    about: "A server-side session in an HttpOnly cookie, with a CSRF token on every change. The site and the API must be on the same site.",
  },
  "jwt-cookie": {
    module: jwtCookie,
    label: "JWT + cookie",
    about: "A short-lived access token kept in memory only, renewed from an HttpOnly refresh cookie that scripts never see.",
  },
  "jwt-local": {
    module: jwtLocal,
    label: "JWT in storage",
    about: "Access and refresh tokens in localStorage, sent as a Bearer header. Works across origins, but any script on the page can read them.",
  },
  "api-token": {
    module: apiToken,
    label: "API token",
    about: "A personal API token, as scripts use. Paste one or get one with your e-mail and password.",
  },
};

const ALIASES = { jwt: "jwt-local", cookie: "jwt-cookie", token: "api-token" };

function known(name) {
  const n = ALIASES[name] ?? name;
  return n in MODES ? n : null;
}

let active = known(load(KEY)) ?? known(defaultMode) ?? "session";
const listeners = new Set();

export function activeModeName() {
  return active;
}

export function activeMode() {
  return MODES[active].module;
}

/** Switches the mode for this tab and remembers it for the next visit. */
export function setMode(name) {
  const n = known(name);
  if (!n) throw new Error(`unknown authentication mode: ${name}`);
  active = n;
  save(KEY, n);
  for (const listener of listeners) listener(n);
  return MODES[n].module;
}

/** listener(name) after every switch (the footer names the mode). */
export function onModeChange(listener) {
  listeners.add(listener);
}
