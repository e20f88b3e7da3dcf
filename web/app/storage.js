// localStorage that never throws: storage can be disabled or full (private windows),
// and the app must still work for the modes that do not need it.

export function load(key) {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function save(key, value) {
  try {
    if (value == null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* storage unavailable: the value lives only as long as the page */
  }
}

export function forget(...keys) {
  for (const key of keys) save(key, null);
}
