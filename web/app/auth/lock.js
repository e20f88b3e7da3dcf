// Runs fn while holding a lock shared by every tab of this origin.
// Refresh tokens rotate with reuse detection: if two tabs sent the same refresh
// token at once, the server would see a reuse and revoke the whole login.
export function withTabLock(name, fn) {
  if (navigator.locks?.request) return navigator.locks.request(name, () => fn());
  return fn(); // older browsers: at worst a rare logout, never a wrong login
}
