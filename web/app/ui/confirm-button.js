// A button that asks "Sure?" in place before acting: no blocking confirm() dialog,
// and a second deliberate click for anything that cannot be undone.

import { h } from "../dom.js";

/**
 * @param {string} label
 * @param {string} confirmLabel text of the second, confirming click
 * @param {() => Promise<void>} action
 */
export function confirmButton(label, confirmLabel, action, cls = "btn btn-danger") {
  const wrap = h("span", { class: "confirm" });
  const first = h("button", { type: "button", class: cls, onClick: () => ask(true) }, label);
  const yes = h("button", { type: "button", class: "btn btn-danger", onClick: run }, confirmLabel);
  const no = h("button", { type: "button", class: "btn btn-ghost", onClick: () => ask(false) }, "Cancel");

  function ask(asking) {
    wrap.replaceChildren(...(asking ? [yes, no] : [first]));
    (asking ? yes : first).focus();
  }

  async function run() {
    yes.disabled = no.disabled = true;
    const label = yes.textContent;
    yes.textContent = "Working…";
    try {
      await action();
    } finally {
      yes.disabled = no.disabled = false;
      yes.textContent = label;
      if (wrap.isConnected) ask(false);
    }
  }

  wrap.append(first);
  return wrap;
}
