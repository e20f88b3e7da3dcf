// Deployment settings read from <meta> tags in index.html, which the server may rewrite.

function meta(name) {
  const el = document.querySelector(`meta[name="${name}"]`);
  return (el?.getAttribute("content") ?? "").trim();
}

/** API origin without a trailing slash; "" means the page's own origin. */
export const apiBase = meta("ublog-api-base").replace(/\/+$/, "");

const apiOrigin = apiBase ? new URL(apiBase, location.href).origin : location.origin;

/** True when the API lives on another origin, so cookies must be sent explicitly. */
export const crossOrigin = apiOrigin !== location.origin;

/** Mode used when the visitor has not picked one on the login page. */
export const defaultMode = meta("ublog-auth-mode") || "session";

/** Absolute URL of an API path such as "/api/profile/". */
export function apiUrl(path) {
  return apiBase + path;
}

/** Resolves a URL the API returned (absolute, or relative to the API origin). */
export function resolveApiUrl(url) {
  try {
    return new URL(url, apiOrigin + "/");
  } catch {
    return null;
  }
}
