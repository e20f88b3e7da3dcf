// The one place that calls fetch. Knows nothing of authentication modes:
// callers pass the headers. Resolves with the parsed body, rejects with ApiError.

import { apiUrl, crossOrigin } from "./config.js";
import { ApiError } from "./errors.js";

const defaultCredentials = crossOrigin ? "include" : "same-origin";

async function parseBody(response) {
  if (response.status === 204 || response.status === 205) return null;
  const text = await response.text();
  if (!text) return null;
  if ((response.headers.get("Content-Type") ?? "").includes("json")) {
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }
  return text.length < 300 ? text : null;
}

/**
 * @param {string} method
 * @param {string} path API path, e.g. "/api/profile/"
 * @param {{json?: unknown, form?: FormData, headers?: Record<string,string>, credentials?: RequestCredentials}} options
 */
export async function send(method, path, { json, form, headers = {}, credentials } = {}) {
  const init = {
    method,
    headers: { Accept: "application/json", ...headers },
    credentials: credentials ?? defaultCredentials,
  };
  if (form) {
    init.body = form; // the browser sets the multipart boundary itself
  } else if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers["Content-Type"] = "application/json";
  }

  let response;
  try {
    response = await fetch(apiUrl(path), init);
  } catch (cause) {
    throw new ApiError(0, null, { cause });
  }
  const data = await parseBody(response);
  if (!response.ok) {
    throw new ApiError(response.status, data, { retryAfter: response.headers.get("Retry-After") });
  }
  return data;
}
