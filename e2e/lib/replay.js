// Requests sent from Node, outside any browser: what a thief holding a copied
// credential could do with it.

/**
 * @param {string} apiOrigin
 * @param {string} path
 * @param {{method?: string, headers?: Record<string,string>, json?: unknown}} options
 * @returns {Promise<{status: number, body: any}>}
 */
export async function replay(apiOrigin, path, { method = "GET", headers = {}, json } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, redirect: "manual" };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  }
  const response = await fetch(apiOrigin + path, init);
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: keep the text */
  }
  return { status: response.status, body };
}

/** "name=value" for a Cookie header. */
export function cookieHeader(...cookies) {
  return cookies.map((c) => `${c.name}=${c.value}`).join("; ");
}
