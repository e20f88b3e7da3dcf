// Light coordination between tabs of this site: a login or logout in one tab
// is announced so the others follow instead of acting on a dead login.

const channel = "BroadcastChannel" in window ? new BroadcastChannel("ublog.auth") : null;

/** @param {"login"|"logout"} type */
export function announce(type, mode) {
  channel?.postMessage({ type, mode });
}

export function onAnnouncement(listener) {
  channel?.addEventListener("message", (event) => listener(event.data ?? {}));
}
