// "/register": create an account; it stays inactive until the e-mailed link is opened.

import { h, fill, heading } from "../dom.js";
import { request } from "../api.js";
import { alertBox, field, onSubmit, submitButton, invalid } from "../forms.js";

export default function registerPage() {
  const card = h("div", { class: "card stack" });
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    field({ label: "E-mail", name: "email", type: "email", autocomplete: "email", required: true }),
    field({ label: "Password", name: "password", type: "password", autocomplete: "new-password", required: true, hint: "Use a long password that you use nowhere else." }),
    field({ label: "Repeat password", name: "password2", type: "password", autocomplete: "new-password", required: true }),
    submitButton("Create account", "Creating account…", "btn btn-primary btn-block"),
  );

  onSubmit(form, async ({ email, password, password2 }) => {
    if (password !== password2) throw invalid("password2", "The passwords do not match.");
    await request("POST", "/api/register/", { json: { email: email.trim(), password }, anonymous: true });
    fill(
      card,
      h("h2", null, "Check your e-mail"),
      h("p", null, "We sent a link to ", h("strong", null, email.trim()), ". Open it to activate your account; then you can log in."),
      h("p", { class: "hint" }, "No e-mail after a few minutes? Look in the spam folder, or register again."),
    );
  });

  fill(card, form);
  return h(
    "section",
    { class: "page narrow" },
    heading("Create an account"),
    card,
    h("p", { class: "center muted" }, "Already have an account? ", h("a", { href: "/login" }, "Log in")),
  );
}
