// "/reset-password": ask for a password reset link by e-mail.

import { h, fill, heading } from "../dom.js";
import { request } from "../api.js";
import { alertBox, field, onSubmit, submitButton } from "../forms.js";

export default function resetRequestPage() {
  const card = h("div", { class: "card stack" });
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    h("p", null, "Enter the e-mail address of your account and we will send you a link to choose a new password."),
    field({ label: "E-mail", name: "email", type: "email", autocomplete: "email", required: true }),
    submitButton("Send reset link", "Sending…", "btn btn-primary btn-block"),
  );
  onSubmit(form, async ({ email }) => {
    await request("POST", "/api/auth/password/reset/", { json: { email: email.trim() }, anonymous: true });
    // The API answers the same whether or not the address exists, and so do we.
    fill(card, h("h2", null, "Check your e-mail"), h("p", null, "If an account uses ", h("strong", null, email.trim()), ", a link to reset its password is on its way."));
  });
  fill(card, form);
  return h("section", { class: "page narrow" }, heading("Reset password"), card, h("p", { class: "center muted" }, h("a", { href: "/login" }, "Back to log in")));
}
