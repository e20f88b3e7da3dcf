// "/reset-password/:uid/:token": the link in the reset e-mail; choose a new password.

import { h, fill, heading } from "../dom.js";
import { request } from "../api.js";
import { alertBox, field, onSubmit, submitButton, invalid } from "../forms.js";

export default function resetConfirmPage({ params }) {
  const card = h("div", { class: "card stack" });
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    field({ label: "New password", name: "new_password", type: "password", autocomplete: "new-password", required: true }),
    field({ label: "Repeat new password", name: "new_password2", type: "password", autocomplete: "new-password", required: true }),
    submitButton("Set new password", "Saving…", "btn btn-primary btn-block"),
  );
  onSubmit(form, async ({ new_password, new_password2 }) => {
    if (new_password !== new_password2) throw invalid("new_password2", "The passwords do not match.");
    await request("POST", "/api/auth/password/reset/confirm/", { json: { uid: params.uid, token: params.token, new_password }, anonymous: true });
    fill(
      card,
      h("div", { class: "alert alert-success", role: "status" }, "Your password has been changed. Every other login of your account was signed out."),
      h("a", { href: "/login", class: "btn btn-primary" }, "Log in"),
    );
  });
  fill(card, form);
  return h(
    "section",
    { class: "page narrow" },
    heading("Choose a new password"),
    card,
    h("p", { class: "center muted" }, "Link expired? ", h("a", { href: "/reset-password" }, "Request a new one")),
  );
}
