// request(): what pages use to call the API. It asks the active authentication mode
// for headers and lets it recover once from a 401 (refresh, new CSRF token...),
// so no page needs to know which mode is in use.

import { send } from "./http.js";
import { ApiError } from "./errors.js";
import { activeMode } from "./auth/modes.js";
import { emitSignedOut } from "./auth/events.js";

/**
 * @param {"GET"|"POST"|"PUT"|"PATCH"|"DELETE"} method
 * @param {string} path API path, e.g. "/api/drf/fbv/posts/"
 * @param {{json?: unknown, form?: FormData, anonymous?: boolean}} options
 *   anonymous: send no credentials of the mode (public account endpoints)
 * @returns {Promise<any>} the parsed body (null for 204)
 */
export async function request(method, path, { json, form, anonymous = false } = {}) {
  const mode = activeMode();
  const attempt = async () =>
    send(method, path, { json, form, headers: anonymous ? {} : await mode.headers(method) });

  try {
    return await attempt();
  } catch (error) {
    if (anonymous || !(error instanceof ApiError)) throw error;
    if (error.status === 401) {
      if (await mode.onUnauthorized()) {
        try {
          return await attempt();
        } catch (again) {
          if (again instanceof ApiError && again.status === 401) emitSignedOut("unauthorized");
          throw again;
        }
      }
      emitSignedOut("unauthorized");
      throw error;
    }
    if (error.status === 403 && (await mode.onForbidden?.(error))) return attempt();
    throw error;
  }
}
