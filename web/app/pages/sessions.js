// "/sessions": every active login of this account (any method), revocable one by one or all at once.

import { h, fill, heading, spinner } from "../dom.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { dateTime, timeAgo } from "../format.js";
import { setFlash } from "../store.js";
import { navigate } from "../router.js";
import { dropLocalLogin } from "../account.js";
import { confirmButton } from "../ui/confirm-button.js";
import { toast } from "../ui/toast.js";

// The API names methods with underscores (jwt_cookie, api_token, drf_token).
const METHOD_LABELS = {
  session: "Browser session",
  jwt: "JWT",
  "jwt-pair": "JWT",
  "jwt-cookie": "JWT + cookie",
  jwt_cookie: "JWT + cookie",
  refresh: "JWT refresh",
  token: "API token",
  "api-token": "API token",
  api_token: "API token",
  drf_token: "API token",
  oidc: "Single sign-on",
};

function pick(item, ...names) {
  for (const name of names) if (item[name] != null && item[name] !== "") return item[name];
  return null;
}

function browserName(agent) {
  if (!agent) return "Unknown device";
  const m = /(Edg|OPR|Firefox|Chrome|Chromium|Safari|curl|python-requests|Wget)\/[\d.]+/.exec(agent);
  const os = /(Windows|Android|iPhone|iPad|Mac OS X|Linux)/.exec(agent);
  return m ? `${m[1].replace("Edg", "Edge").replace("OPR", "Opera")}${os ? ` on ${os[1].replace("Mac OS X", "macOS")}` : ""}` : agent.slice(0, 60);
}

export default function sessionsPage() {
  const list = h("div", { class: "stack" }, spinner());

  function row(item) {
    const method = pick(item, "method", "kind", "type") ?? "login";
    const current = Boolean(pick(item, "current", "is_current"));
    const agent = pick(item, "user_agent", "userAgent");
    const lastUsed = pick(item, "last_used", "last_used_at", "last_seen");
    const revoke = confirmButton("Revoke", current ? "Revoke and log out" : "Revoke", async () => {
      try {
        await request("DELETE", `/api/auth/sessions/${encodeURIComponent(item.id)}/`);
        if (current) {
          dropLocalLogin();
          setFlash("This login was revoked.", "info");
          navigate("/login");
          return;
        }
        toast("Login revoked.", "success");
        load();
      } catch (error) {
        toast(describe(error), "error");
      }
    }, "btn btn-secondary btn-small");
    return h(
      "li",
      { class: "card item" },
      h(
        "div",
        { class: "item-main" },
        h("div", { class: "item-title" }, METHOD_LABELS[method] ?? method, current ? h("span", { class: "badge badge-ok" }, "This browser") : null),
        h("div", { class: "muted small", title: agent ?? "" }, browserName(agent), pick(item, "ip", "ip_address") ? ` · ${pick(item, "ip", "ip_address")}` : ""),
        h("div", { class: "muted small" }, `Started ${dateTime(pick(item, "created", "created_at", "created_on"))}`, lastUsed ? ` · last used ${timeAgo(lastUsed)}` : ""),
      ),
      revoke,
    );
  }

  async function load() {
    try {
      const data = await request("GET", "/api/auth/sessions/");
      const items = Array.isArray(data) ? data : data?.results ?? data?.sessions ?? [];
      fill(list, items.length ? h("ul", { class: "stack plain" }, items.map(row)) : h("p", { class: "card empty" }, "No active logins."));
    } catch (error) {
      fill(list, h("div", { class: "alert alert-error", role: "alert" }, describe(error)));
    }
  }

  const everywhere = confirmButton("Log out everywhere", "Yes, log out everywhere", async () => {
    try {
      await request("POST", "/api/auth/logout-all/", { json: {} });
    } catch (error) {
      toast(describe(error), "error");
      return;
    }
    dropLocalLogin();
    setFlash("You were logged out on every device.", "success");
    navigate("/login");
  });

  load();
  return h(
    "section",
    { class: "page" },
    heading("Sessions and devices"),
    h("p", { class: "muted" }, "Every place where your account is logged in: browser sessions, token logins and API tokens. Revoke anything you do not recognise."),
    list,
    h("div", { class: "card danger-zone stack" }, h("h2", null, "Log out everywhere"), h("p", null, "Ends every login of your account, this one included, and invalidates access tokens already issued."), h("div", null, everywhere)),
  );
}
