// The frame around every page: header with navigation, main area, footer.

import { h, fill } from "../dom.js";
import { displayName } from "../format.js";
import { currentUser, onUserChange, setFlash } from "../store.js";
import { onRouteChange, navigate } from "../router.js";
import { signOut } from "../account.js";
import { MODES, activeModeName, onModeChange } from "../auth/modes.js";
import { toastRegion } from "./toast.js";

function link(href, text, extra = {}) {
  return h("a", { href, class: "nav-link", ...extra }, text);
}

async function logOut(event) {
  const button = event.currentTarget;
  button.disabled = true;
  button.textContent = "Logging out…";
  await signOut();
  setFlash("You are logged out.", "success");
  navigate("/login");
}

function navItems(user) {
  if (!user) {
    return [link("/", "Feed"), link("/login", "Log in"), link("/register", "Sign up", { class: "nav-link nav-cta" })];
  }
  return [
    link("/", "Feed"),
    link("/new", "New post"),
    link("/sessions", "Sessions"),
    link("/tokens", "Tokens"),
    link("/profile", displayName(user), { class: "nav-link nav-user", title: user.email }),
    h("button", { type: "button", class: "btn btn-ghost btn-small", onClick: logOut }, "Log out"),
  ];
}

function markCurrent(nav, path) {
  for (const a of nav.querySelectorAll("a.nav-link")) {
    const href = a.getAttribute("href");
    const here = href === "/" ? path === "/" || path.startsWith("/posts/") : path.startsWith(href);
    if (here) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** Builds the frame into `root` and returns the element pages render into. */
export function mountShell(root) {
  const nav = h("nav", { class: "nav", "aria-label": "Main" });
  const modeNote = h("span", { class: "mode-note" });
  const main = h("main", { class: "main", id: "main" });

  const update = () => {
    const user = currentUser();
    fill(nav, navItems(user));
    markCurrent(nav, location.pathname);
    const label = MODES[activeModeName()].label;
    fill(modeNote, user ? `Signed in with ${label}` : `Login mode: ${label}`);
  };
  onUserChange(update);
  onModeChange(update);
  onRouteChange((path) => {
    markCurrent(nav, path);
    update();
  });

  root.replaceChildren(
    h("a", { class: "skip-link", href: "#main" }, "Skip to content"),
    h(
      "header",
      { class: "topbar" },
      h("div", { class: "topbar-inner" }, h("a", { href: "/", class: "brand" }, h("span", { class: "brand-mark", "aria-hidden": "true" }, "μ"), "blog"), nav),
    ),
    main,
    h("footer", { class: "footer" }, h("span", null, "μblog"), modeNote),
    toastRegion(),
  );
  update();
  return main;
}
