// Short-lived messages at the bottom of the screen, for outcomes that have no form
// to show them in (a like that failed, a token revoked).

import { h } from "../dom.js";

let region = null;

export function toastRegion() {
  region = h("div", { class: "toasts", role: "status", "aria-live": "polite" });
  return region;
}

/** @param {"info"|"success"|"error"} kind */
export function toast(text, kind = "info") {
  if (!region) return;
  const item = h("div", { class: `toast toast-${kind}` }, text);
  region.append(item);
  setTimeout(() => item.remove(), kind === "error" ? 6000 : 3500);
}
