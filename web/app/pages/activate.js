// "/activate/:uid/:token": the link in the verification e-mail. The server activates
// the account and logs the person in.

import { h, fill, heading, spinner } from "../dom.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { displayName } from "../format.js";
import { adoptServerLogin } from "../account.js";
import { currentUser } from "../store.js";

// Activation links work once; a second POST (back button, re-render) would fail
// and hide the first success, so each link's outcome is kept for this page's life.
const outcomes = new Map();

async function activate(uid, token) {
  const data = await request("POST", `/api/activate/${encodeURIComponent(uid)}/${encodeURIComponent(token)}/`, { json: {}, anonymous: true });
  if (currentUser()) return { user: currentUser() };
  // The server logs the new account in by itself: with the JWT cookie flow (an access
  // token in the answer) or with a session (the answer is the profile). Follow it,
  // whatever mode was picked on the login page.
  let user = null;
  if (data?.access) user = await adoptServerLogin("jwt-cookie", data.access);
  else if (data && typeof data === "object" && "email" in data) user = await adoptServerLogin("session");
  if (!user) user = await adoptServerLogin("jwt-cookie");
  return { user };
}

function success({ user }) {
  if (!user) {
    return [
      h("div", { class: "alert alert-success", role: "status" }, "Your account is active."),
      h("a", { href: "/login", class: "btn btn-primary" }, "Log in"),
    ];
  }
  return [
    h("div", { class: "alert alert-success", role: "status" }, `Your account is active. You are logged in as ${displayName(user)}.`),
    user.profile_setup_complete === false
      ? h("div", { class: "row" }, h("a", { href: "/profile", class: "btn btn-primary" }, "Finish your profile"), h("a", { href: "/", class: "btn btn-ghost" }, "Go to the feed"))
      : h("a", { href: "/", class: "btn btn-primary" }, "Go to the feed"),
  ];
}

function failure(error) {
  const text = error.status === 400 ? "This activation link is invalid, expired or already used." : describe(error);
  return [
    h("div", { class: "alert alert-error", role: "alert" }, text),
    h("p", null, "If your account is already active, ", h("a", { href: "/login" }, "log in"), ". Otherwise ", h("a", { href: "/register" }, "register again"), " to get a new link."),
  ];
}

export default function activatePage({ params }) {
  const key = `${params.uid}/${params.token}`;
  const box = h("div", { class: "card stack" }, spinner("Activating your account…"));
  if (!outcomes.has(key)) outcomes.set(key, activate(params.uid, params.token));
  outcomes.get(key).then(
    (result) => fill(box, success(result)),
    (error) => fill(box, failure(error)),
  );
  return h("section", { class: "page narrow" }, heading("Activate account"), box);
}
