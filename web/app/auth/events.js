// Lets a mode say "this login is gone" (e.g. a background refresh was refused)
// without the mode modules depending on the app's state.

const target = new EventTarget();

export function emitSignedOut(reason) {
  target.dispatchEvent(new CustomEvent("signed-out", { detail: { reason } }));
}

export function onSignedOut(listener) {
  target.addEventListener("signed-out", (event) => listener(event.detail.reason));
}
