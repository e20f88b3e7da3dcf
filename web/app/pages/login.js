// "/login": pick an authentication mode and sign in with it.

import { h, fill, heading } from "../dom.js";
import { displayName } from "../format.js";
import { currentUser, setFlash } from "../store.js";
import { navigate, safeNext } from "../router.js";
import { signIn, signInWithKey, signOut } from "../account.js";
import { MODES, activeModeName, setMode } from "../auth/modes.js";
import { alertBox, field, onSubmit, submitButton, invalid } from "../forms.js";

/** Where to go after a login; a profile without a name is sent to finish it first. */
export function afterLogin(profile, next) {
  if (profile && profile.profile_setup_complete === false) {
    setFlash("Welcome! Add your name to finish setting up your profile.", "info");
    navigate("/profile", { replace: true });
  } else {
    navigate(safeNext(next), { replace: true });
  }
}

function modeSwitch(onChange) {
  const about = h("p", { class: "hint mode-about", id: "mode-about" }, MODES[activeModeName()].about);
  const options = Object.entries(MODES).map(([name, mode]) =>
    h(
      "label",
      { class: "segment" },
      h("input", {
        type: "radio",
        name: "mode",
        value: name,
        checked: name === activeModeName(),
        "aria-describedby": "mode-about",
        onChange: () => {
          setMode(name);
          about.textContent = mode.about;
          onChange();
        },
      }),
      h("span", null, mode.label),
    ),
  );
  return h("fieldset", { class: "mode-switch" }, h("legend", null, "Authentication mode"), h("div", { class: "segments" }, options), about);
}

function passwordForm(next, { label = "Log in", busy = "Logging in…" } = {}) {
  const form = h(
    "form",
    { class: "form" },
    alertBox(),
    field({ label: "E-mail", name: "email", type: "email", autocomplete: "username", required: true }),
    field({ label: "Password", name: "password", type: "password", autocomplete: "current-password", required: true }),
    submitButton(label, busy, "btn btn-primary btn-block"),
  );
  // /api-token-auth/ names the e-mail "username"
  return onSubmit(form, async ({ email, password }) => afterLogin(await signIn(email.trim(), password), next), { aliases: { username: "email" } });
}

function tokenForms(next) {
  const key = h("textarea", { name: "key", rows: 3, class: "mono", autocomplete: "off", spellcheck: "false", placeholder: "Paste your API token key", required: true });
  const keyForm = h("form", { class: "form" }, alertBox(), field({ label: "API token", name: "key", control: key, hint: "Create tokens on the Tokens page once you are logged in." }), submitButton("Use this token", "Checking…", "btn btn-primary btn-block"));
  onSubmit(keyForm, async (values) => {
    if (!values.key.trim()) throw invalid("key", "Paste a token key.");
    let profile;
    try {
      profile = await signInWithKey(values.key);
    } catch (error) {
      if (error.status === 401) throw invalid("key", "This key is not valid: it may be mistyped, expired or revoked.");
      throw error;
    }
    afterLogin(profile, next);
  });
  const obtain = h("details", { class: "obtain" }, h("summary", null, "No token yet? Get one with your e-mail and password"), passwordForm(next, { label: "Get a token and log in", busy: "Getting a token…" }));
  return [keyForm, obtain];
}

function signedIn() {
  const user = currentUser();
  return h(
    "div",
    { class: "card stack" },
    h("p", null, "You are logged in as ", h("strong", null, displayName(user)), ` (${user.email}) with ${MODES[activeModeName()].label}.`),
    h("p", { class: "hint" }, "Log out to switch to another authentication mode."),
    h(
      "div",
      { class: "row" },
      h("a", { href: "/", class: "btn btn-primary" }, "Go to the feed"),
      h(
        "button",
        {
          type: "button",
          class: "btn btn-secondary",
          onClick: async (event) => {
            event.currentTarget.disabled = true;
            await signOut();
            navigate("/login", { replace: true });
          },
        },
        "Log out",
      ),
    ),
  );
}

export default function loginPage({ query }) {
  if (currentUser()) return h("section", { class: "page narrow" }, heading("Log in"), signedIn());

  const next = query.get("next");
  const forms = h("div", { class: "stack" });
  const showForms = () => fill(forms, activeModeName() === "api-token" ? tokenForms(next) : passwordForm(next));
  showForms();

  return h(
    "section",
    { class: "page narrow" },
    heading("Log in"),
    h("div", { class: "card stack" }, modeSwitch(showForms), forms),
    h("p", { class: "center muted links" }, h("a", { href: "/reset-password" }, "Forgot your password?"), " · ", h("a", { href: "/register" }, "Create an account")),
  );
}
