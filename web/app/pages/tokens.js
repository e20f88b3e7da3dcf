// "/tokens": personal API tokens for scripts and other programs.
// A new key is shown once: the server keeps only its hash.

import { h, fill, heading, spinner } from "../dom.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { dateTime, timeAgo } from "../format.js";
import { alertBox, field, onSubmit, submitButton, invalid } from "../forms.js";
import { confirmButton } from "../ui/confirm-button.js";
import { toast } from "../ui/toast.js";

const DAY = 24 * 60 * 60;
const LIFETIMES = [
  ["", "Never expires"],
  [String(DAY), "1 day"],
  [String(7 * DAY), "7 days"],
  [String(30 * DAY), "30 days"],
  [String(90 * DAY), "90 days"],
  [String(365 * DAY), "1 year"],
];

function pick(item, ...names) {
  for (const name of names) if (item[name] != null && item[name] !== "") return item[name];
  return null;
}

function select(name, options) {
  return h("select", { name }, options.map(([value, label]) => h("option", { value }, label)));
}

async function copy(text, input) {
  try {
    await navigator.clipboard.writeText(text);
    toast("Copied to the clipboard.", "success");
  } catch {
    // No clipboard access (e.g. plain http): select it so Ctrl+C works.
    input.focus();
    input.select();
    toast("Press Ctrl+C (⌘C) to copy.");
  }
}

function newKeyBox(key, name) {
  const input = h("input", { type: "text", class: "mono", readonly: true, value: key, "aria-label": "New token key" });
  return h(
    "div",
    { class: "alert alert-success stack new-key", role: "status" },
    h("strong", null, `Token “${name}” created. Copy it now: it will not be shown again.`),
    h("div", { class: "row nowrap" }, input, h("button", { type: "button", class: "btn btn-secondary", onClick: () => copy(key, input) }, "Copy")),
  );
}

export default function tokensPage() {
  const list = h("div", { class: "stack" }, spinner());
  const created = h("div");

  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    field({ label: "Name", name: "name", placeholder: "e.g. backup script", required: true, maxlength: 100 }),
    h(
      "div",
      { class: "grid-2" },
      field({ label: "Expires", name: "expires_in", control: select("expires_in", LIFETIMES) }),
      field({ label: "Access", name: "scopes", control: select("scopes", [["", "Read and write"], ["read", "Read only"]]) }),
    ),
    submitButton("Create token", "Creating…"),
  );
  onSubmit(form, async ({ name, expires_in, scopes }) => {
    if (!name.trim()) throw invalid("name", "Give the token a name you will recognise.");
    const body = { name: name.trim() };
    if (expires_in) body.expires_in = Number(expires_in);
    if (scopes) body.scopes = [scopes];
    const data = await request("POST", "/api/auth/tokens/", { json: body });
    const key = pick(data ?? {}, "key", "token");
    fill(created, key ? newKeyBox(key, body.name) : null);
    form.reset();
    load();
  });

  function row(item) {
    const expires = pick(item, "expires", "expires_at");
    const lastUsed = pick(item, "last_used", "last_used_at");
    const scopes = pick(item, "scopes");
    const prefix = pick(item, "prefix", "key_prefix");
    return h(
      "li",
      { class: "card item" },
      h(
        "div",
        { class: "item-main" },
        h("div", { class: "item-title" }, item.name || "Unnamed token", prefix ? h("code", { class: "muted small" }, `${prefix}…`) : null, Array.isArray(scopes) && scopes.length ? h("span", { class: "badge" }, scopes.join(", ")) : null),
        h("div", { class: "muted small" }, `Created ${dateTime(pick(item, "created", "created_at"))}`, ` · ${expires ? `expires ${dateTime(expires)}` : "never expires"}`, lastUsed ? ` · last used ${timeAgo(lastUsed)}` : " · never used"),
      ),
      confirmButton("Revoke", "Revoke for good", async () => {
        try {
          await request("DELETE", `/api/auth/tokens/${encodeURIComponent(item.id)}/`);
          toast("Token revoked.", "success");
          load();
        } catch (error) {
          toast(describe(error), "error");
        }
      }, "btn btn-secondary btn-small"),
    );
  }

  async function load() {
    try {
      const data = await request("GET", "/api/auth/tokens/");
      const items = Array.isArray(data) ? data : data?.results ?? data?.tokens ?? [];
      fill(list, items.length ? h("ul", { class: "stack plain" }, items.map(row)) : h("p", { class: "card empty" }, "You have no API tokens yet."));
    } catch (error) {
      fill(list, h("div", { class: "alert alert-error", role: "alert" }, describe(error)));
    }
  }

  load();
  return h(
    "section",
    { class: "page" },
    heading("API tokens"),
    h("p", { class: "muted" }, "Tokens let scripts use the API as you: send ", h("code", null, "Authorization: Token <key>"), ". Read-only tokens cannot change anything."),
    h("div", { class: "card stack" }, h("h2", null, "New token"), form, created),
    h("h2", { class: "section-title" }, "Your tokens"),
    list,
  );
}
