// Form building blocks: labelled fields with their own error line, a general
// alert box, and submit handling with a busy state and API error display.

import { h, fill } from "./dom.js";
import { ApiError, describe } from "./errors.js";

let seq = 0;

/**
 * A labelled input. `control` replaces the default <input>/<textarea>.
 * @param {{label: string, name: string, type?: string, hint?: any, control?: HTMLElement} & Record<string, any>} spec
 */
export function field({ label, name, type = "text", hint, control, ...attrs }) {
  const id = `f-${name}-${++seq}`;
  const input = control ?? (type === "textarea" ? h("textarea", { name, ...attrs }) : h("input", { name, type, ...attrs }));
  input.id = id;
  input.setAttribute("aria-describedby", `${id}-hint ${id}-error`);
  return h(
    "div",
    { class: "field", "data-field": name },
    h("label", { for: id }, label),
    input,
    hint ? h("div", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("p", { class: "field-error", id: `${id}-error`, hidden: true }),
  );
}

/** The box for errors that concern no single field. Put it at the top of the form. */
export function alertBox() {
  return h("div", { class: "alert alert-error", role: "alert", hidden: true });
}

export function showAlert(box, text, kind = "error") {
  box.className = `alert alert-${kind}`;
  box.hidden = !text;
  fill(box, text ?? "");
}

export function clearErrors(form) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.hidden = true;
    el.textContent = "";
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  const box = form.querySelector(".alert");
  if (box) showAlert(box, "");
}

/** Shows a message under a field; returns false when the form has no such field. */
export function setFieldError(form, name, text) {
  const wrap = form.querySelector(`.field[data-field="${CSS.escape(name)}"]`);
  if (!wrap) return false;
  const line = wrap.querySelector(".field-error");
  line.textContent = text;
  line.hidden = false;
  wrap.querySelector("input, textarea, select")?.setAttribute("aria-invalid", "true");
  return true;
}

/**
 * Puts an error where it belongs: field messages under their fields, the rest in the alert box.
 * @param {Record<string,string>} aliases API field name -> form field name
 */
export function showError(form, error, aliases = {}) {
  const general = error instanceof ApiError ? [...error.general] : [describe(error)];
  if (!(error instanceof ApiError)) console.error(error);
  for (const [name, msgs] of Object.entries(error instanceof ApiError ? error.fields : {})) {
    if (!setFieldError(form, aliases[name] ?? name, msgs.join(" "))) general.push(...msgs);
  }
  const box = form.querySelector(".alert");
  if (box) showAlert(box, general.join(" ") || null);
  form.querySelector("[aria-invalid='true']")?.focus();
}

/** Disables the form's buttons while a request runs; the submit button says what is happening. */
export function setBusy(form, busy) {
  form.toggleAttribute("aria-busy", busy);
  for (const button of form.querySelectorAll("button")) {
    if (busy) {
      button.dataset.wasDisabled = String(button.disabled);
      button.disabled = true;
      if (button.type === "submit" && button.dataset.busyLabel) {
        button.dataset.label = button.textContent;
        button.textContent = button.dataset.busyLabel;
      }
    } else {
      button.disabled = button.dataset.wasDisabled === "true";
      if (button.dataset.label) button.textContent = button.dataset.label;
      delete button.dataset.label;
    }
  }
}

/**
 * Wires a form: on submit, clears old errors, runs action(values) with the form busy,
 * and shows any error it throws.
 */
export function onSubmit(form, action, { aliases } = {}) {
  form.noValidate = true; // the server's messages are the ones we show, in one style
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.hasAttribute("aria-busy")) return;
    clearErrors(form);
    setBusy(form, true);
    try {
      await action(Object.fromEntries(new FormData(form)));
    } catch (error) {
      showError(form, error, aliases);
    } finally {
      setBusy(form, false);
    }
  });
  return form;
}

/** A submit button; busyLabel replaces its text while the form is busy. */
export function submitButton(label, busyLabel, cls = "btn btn-primary") {
  return h("button", { type: "submit", class: cls, "data-busy-label": busyLabel }, label);
}

/** Throws a field error from the client side, shown like the server's. */
export function invalid(name, message) {
  return new ApiError(400, { [name]: [message] });
}
