// "/": the newest posts, a page at a time (DRF limit/offset pagination).

import { h, fill, heading, spinner } from "../dom.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { currentUser } from "../store.js";
import { navigate } from "../router.js";
import { resolveApiUrl } from "../config.js";
import { postCard } from "../ui/post-card.js";

const PAGE_SIZE = 10;

function intParam(query, name, fallback, min, max) {
  const n = Number.parseInt(query.get(name) ?? "", 10);
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : fallback;
}

/** Front-end path for a "next"/"previous" URL of the API. */
function pagePath(apiLink) {
  const url = apiLink ? resolveApiUrl(apiLink) : null;
  if (!url) return null;
  const params = new URLSearchParams();
  const offset = url.searchParams.get("offset");
  const limit = url.searchParams.get("limit");
  if (offset && offset !== "0") params.set("offset", offset);
  if (limit && limit !== String(PAGE_SIZE)) params.set("limit", limit);
  const qs = params.toString();
  return qs ? `/?${qs}` : "/";
}

function pager(data, offset, limit) {
  const prev = pagePath(data.previous);
  const next = pagePath(data.next);
  const pages = Math.max(1, Math.ceil((data.count ?? 0) / limit));
  const page = Math.floor(offset / limit) + 1;
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    h("button", { type: "button", class: "btn btn-secondary", disabled: !prev, onClick: () => navigate(prev) }, "← Previous"),
    h("span", { class: "muted" }, `Page ${Math.min(page, pages)} of ${pages}`),
    h("button", { type: "button", class: "btn btn-secondary", disabled: !next, onClick: () => navigate(next) }, "Next →"),
  );
}

function intro() {
  if (currentUser()) return null;
  return h(
    "section",
    { class: "card intro" },
    h("p", null, "μblog is a tiny place for short posts. Log in to post and like."),
    h("div", { class: "row" }, h("a", { href: "/login", class: "btn btn-primary" }, "Log in"), h("a", { href: "/register", class: "btn btn-secondary" }, "Create an account")),
  );
}

export default function feedPage({ query }) {
  const limit = intParam(query, "limit", PAGE_SIZE, 1, 100);
  const offset = intParam(query, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
  const list = h("div", { class: "stack", "aria-live": "polite" }, spinner("Loading posts…"));

  async function load() {
    fill(list, spinner("Loading posts…"));
    try {
      const data = await request("GET", `/api/drf/fbv/posts/?limit=${limit}&offset=${offset}`);
      const posts = data?.results ?? [];
      if (posts.length === 0) {
        fill(list, h("div", { class: "card empty" }, offset > 0 ? "No more posts here." : "No posts yet.", currentUser() ? h("a", { href: "/new" }, " Write the first one.") : null));
      } else {
        fill(list, posts.map((post) => postCard(post)));
      }
      if (data?.count > limit || offset > 0) list.append(pager(data, offset, limit));
    } catch (error) {
      fill(list, h("div", { class: "alert alert-error", role: "alert" }, describe(error), " ", h("button", { type: "button", class: "btn btn-small btn-secondary", onClick: load }, "Try again")));
    }
  }

  load();
  return h(
    "section",
    { class: "page" },
    h("div", { class: "page-head" }, heading("Feed"), currentUser() ? h("a", { href: "/new", class: "btn btn-primary" }, "New post") : null),
    intro(),
    list,
  );
}
