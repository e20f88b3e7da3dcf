// The signed-in person's profile, and a one-shot message to show on the next page.

let user = null;
let flash = null;
const listeners = new Set();

export function currentUser() {
  return user;
}

export function setUser(profile) {
  const changed = (user?.id ?? null) !== (profile?.id ?? null);
  user = profile ?? null;
  for (const listener of listeners) listener(user, changed);
}

/** listener(user, changedWho) runs on every update of the profile. */
export function onUserChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** @param {"info"|"success"|"error"} kind */
export function setFlash(text, kind = "info") {
  flash = { text, kind };
}

export function takeFlash() {
  const f = flash;
  flash = null;
  return f;
}
