// h(): builds DOM elements. Text always goes in as text nodes, never as HTML,
// so nothing a user wrote can become markup or script.

/**
 * @param {string} tag
 * @param {Record<string, any>|null} props  class, on<event> handlers, value/checked, other attributes
 * @param {...any} children strings, nodes, arrays; null/false are skipped
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "value" || key === "checked") {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
  el.append(...flatten(children));
  return el;
}

function flatten(children) {
  return children.flat(Infinity).filter((c) => c != null && c !== false && c !== true).map((c) => (c instanceof Node ? c : String(c)));
}

/** Replaces an element's content. */
export function fill(el, ...children) {
  el.replaceChildren(...flatten(children));
  return el;
}

/** Page heading that receives focus after navigation, for screen readers and keyboards. */
export function heading(text, level = 1) {
  return h(`h${level}`, { class: "page-title", tabindex: "-1" }, text);
}

export function spinner(label = "Loading…") {
  return h("p", { class: "loading", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
}
