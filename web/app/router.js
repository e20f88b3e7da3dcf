// History API routing with real paths: the server answers every non-API GET with
// index.html, so /posts/7 can be opened, bookmarked and reloaded.

import { h } from "./dom.js";
import { currentUser, onUserChange, takeFlash } from "./store.js";

let routes = [];
let outlet = null;
let current = null;
const listeners = new Set();

/**
 * A route: { path: "/posts/:id", title, page(ctx) -> Element, auth?: true, stable?: true }
 *   auth: needs a signed-in user (else /login?next=...)
 *   stable: not rebuilt when the user signs in or out (pages that did a one-time action)
 */
function compile(route) {
  const names = [];
  const source = route.path.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return "([^/]+)";
  });
  return { ...route, regex: new RegExp(`^${source}$`), names };
}

function match(path) {
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    const params = {};
    try {
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    } catch {
      continue; // malformed %-escape: not this route
    }
    return { route, params };
  }
  return null;
}

function normalize(pathname) {
  return pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
}

/** Only same-site paths are followed after login, never "//evil.example". */
export function safeNext(value) {
  return typeof value === "string" && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/\\") ? value : "/";
}

export function navigate(to, { replace = false } = {}) {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  render();
}

export function currentPath() {
  return location.pathname + location.search;
}

/** listener(path) after every page change (the nav marks the current link). */
export function onRouteChange(listener) {
  listeners.add(listener);
}

function render({ keepScroll = false } = {}) {
  const url = new URL(location.href);
  const path = normalize(url.pathname);
  const found = match(path) ?? match("/__not_found__");
  const { route, params } = found;

  if (route.auth && !currentUser()) {
    navigate(`/login?next=${encodeURIComponent(path + url.search)}`, { replace: true });
    return;
  }

  current = route;
  document.title = route.title ? `${route.title} · μblog` : "μblog";
  const flash = takeFlash();
  const page = route.page({ params, query: url.searchParams, path });
  outlet.replaceChildren(
    ...(flash ? [h("div", { class: `alert alert-${flash.kind}`, role: "status" }, flash.text)] : []),
    page,
  );
  if (!keepScroll) window.scrollTo(0, 0);
  outlet.querySelector(".page-title")?.focus({ preventScroll: true });
  for (const listener of listeners) listener(path);
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest?.("a[href]");
  if (!a || (a.target && a.target !== "_self") || a.hasAttribute("download")) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || /^\/(api|media|app)\//.test(url.pathname)) return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return; // in-page anchor
  event.preventDefault();
  if (url.pathname + url.search !== currentPath()) navigate(url.pathname + url.search + url.hash);
}

/** @param {Array} table routes; one with path "/__not_found__" catches the rest */
export function startRouter(table, element) {
  routes = table.map(compile);
  outlet = element;
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", () => render());
  onUserChange((user, changedWho) => {
    if (!changedWho || !current) return;
    if ((current.auth && !user) || !current.stable) render({ keepScroll: true });
  });
  render();
}
