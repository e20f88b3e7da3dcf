// Signing in and out with whichever mode is active, and keeping the profile in the store.

import { request } from "./api.js";
import { activeMode, activeModeName, setMode } from "./auth/modes.js";
import { onSignedOut } from "./auth/events.js";
import { announce, onAnnouncement } from "./auth/tabs.js";
import { currentUser, setUser } from "./store.js";
import { toast } from "./ui/toast.js";

export async function loadProfile() {
  const profile = await request("GET", "/api/profile/");
  setUser(profile);
  return profile;
}

/** On page load: is this browser still signed in with the active mode? */
export async function restore() {
  try {
    if (await activeMode().restore()) return await loadProfile();
  } catch {
    /* not signed in, or the API is unreachable: start anonymous */
  }
  setUser(null);
  return null;
}

async function finishLogin() {
  const profile = await loadProfile();
  announce("login", activeModeName());
  return profile;
}

export async function signIn(email, password) {
  await activeMode().login(email, password);
  return finishLogin();
}

/** API-token mode: sign in with a key the person pasted. */
export async function signInWithKey(key) {
  await activeMode().useKey(key);
  try {
    return await finishLogin();
  } catch (error) {
    activeMode().forget();
    throw error;
  }
}

/**
 * Takes over a login the server made by itself (account activation) in the given mode:
 * "jwt-cookie" with the access token from the response, or "session".
 * Returns the profile, or null (and the previous mode back) when that did not work.
 */
export async function adoptServerLogin(modeName, access = null) {
  const previous = activeModeName();
  const mode = setMode(modeName);
  try {
    if (mode.adopt && (await mode.adopt(access))) return await finishLogin();
  } catch {
    /* not logged in that way */
  }
  mode.forget();
  setMode(previous);
  setUser(null);
  return null;
}

export async function signOut() {
  try {
    await activeMode().logout();
  } catch {
    /* the server may already have ended this login; forget it locally either way */
  }
  setUser(null);
  announce("logout", activeModeName());
}

/** Forget this login locally when the server has already ended it (e.g. "log out everywhere"). */
export function dropLocalLogin() {
  activeMode().forget();
  setUser(null);
  announce("logout", activeModeName());
}

export function startAccountSync() {
  onSignedOut(() => {
    if (!currentUser()) return;
    setUser(null);
    toast("Your login has ended. Please log in again.");
  });
  onAnnouncement(({ type, mode }) => {
    if (mode !== activeModeName()) return;
    if (type === "logout" && currentUser()) {
      activeMode().forget();
      setUser(null);
    } else if (type === "login" && !currentUser()) {
      restore();
    }
  });
}
