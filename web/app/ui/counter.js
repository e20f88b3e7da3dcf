// "12 / 200" under a textarea, counting characters the way the server does.

import { h } from "../dom.js";
import { charCount } from "../format.js";

/**
 * @param {HTMLTextAreaElement} textarea
 * @param {(ok: boolean) => void} onChange told whether the length is within 1..max
 */
export function charCounter(textarea, max, onChange = () => {}) {
  const el = h("span", { class: "counter", "aria-live": "polite" });
  const update = () => {
    const n = charCount(textarea.value);
    el.textContent = `${n} / ${max}`;
    el.classList.toggle("over", n > max);
    onChange(n >= 1 && n <= max && textarea.value.trim() !== "");
  };
  textarea.addEventListener("input", update);
  update();
  return el;
}
