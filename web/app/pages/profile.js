// "/profile": the account's e-mail, name and password.

import { h, heading } from "../dom.js";
import { request } from "../api.js";
import { currentUser, setUser } from "../store.js";
import { loadProfile } from "../account.js";
import { alertBox, field, onSubmit, submitButton, invalid, showAlert } from "../forms.js";
import { toast } from "../ui/toast.js";

function nameForm(user, onSaved) {
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    h(
      "div",
      { class: "grid-2" },
      field({ label: "First name", name: "first_name", value: user.first_name ?? "", autocomplete: "given-name" }),
      field({ label: "Last name", name: "last_name", value: user.last_name ?? "", autocomplete: "family-name" }),
    ),
    submitButton("Save name", "Saving…"),
  );
  return onSubmit(form, async ({ first_name, last_name }) => {
    const saved = await request("PATCH", "/api/update-user/", { json: { first_name: first_name.trim(), last_name: last_name.trim() } });
    // Prefer the answer to the change itself; read the profile again only if it is not one.
    if (saved && typeof saved === "object" && "profile_setup_complete" in saved) {
      setUser({ ...currentUser(), ...saved });
      onSaved(currentUser());
    } else {
      onSaved(await loadProfile());
    }
    toast("Your name was saved.", "success");
  });
}

function passwordForm(user) {
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    // Lets password managers tie the new password to this account.
    h("input", { type: "email", name: "username", value: user.email, autocomplete: "username", hidden: true, readonly: true }),
    field({ label: "Current password", name: "old_password", type: "password", autocomplete: "current-password", required: true }),
    field({ label: "New password", name: "new_password", type: "password", autocomplete: "new-password", required: true }),
    field({ label: "Repeat new password", name: "new_password2", type: "password", autocomplete: "new-password", required: true }),
    submitButton("Change password", "Changing…"),
  );
  return onSubmit(form, async ({ old_password, new_password, new_password2 }) => {
    if (new_password !== new_password2) throw invalid("new_password2", "The passwords do not match.");
    await request("POST", "/api/auth/password/change/", { json: { old_password, new_password } });
    form.reset();
    showAlert(form.querySelector(".alert"), "Password changed. Your other logins were signed out.", "success");
  });
}

function facts(user) {
  const incomplete = user.profile_setup_complete === false;
  return h(
    "dl",
    { class: "facts" },
    h("dt", null, "E-mail"),
    h("dd", null, user.email),
    h("dt", null, "Profile"),
    h("dd", null, incomplete ? h("span", { class: "badge badge-warn" }, "Add your name to finish") : h("span", { class: "badge badge-ok" }, "Complete")),
  );
}

export default function profilePage() {
  const user = currentUser();
  const account = h("div", { class: "card stack" }, h("h2", null, "Account"), facts(user));
  const refresh = (profile) => account.replaceChildren(h("h2", null, "Account"), facts(profile));
  return h(
    "section",
    { class: "page narrow" },
    heading("Profile"),
    account,
    h("div", { class: "card stack" }, h("h2", null, "Name"), nameForm(user, refresh)),
    h("div", { class: "card stack" }, h("h2", null, "Password"), passwordForm(user)),
  );
}
