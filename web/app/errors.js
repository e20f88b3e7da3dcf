// Turns API error bodies into messages for people.
// The API sends {"detail", "code"} for 401/403/404/429 and {"<field>": ["msg", ...]} for 400.

const FALLBACK = {
  0: "Can't reach the server. Check your connection and try again.",
  400: "Please check what you entered.",
  401: "Please log in to continue.",
  403: "You don't have permission to do that.",
  404: "That could not be found.",
  413: "That file is too large.",
  415: "That kind of file is not supported.",
  429: "Too many attempts. Wait a moment and try again.",
};

const GENERAL_KEYS = new Set(["detail", "non_field_errors", "__all__"]);

function messages(value) {
  if (value == null) return [];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(messages);
  if (typeof value === "object") return Object.values(value).flatMap(messages);
  return [String(value)];
}

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the request never got an answer
   * @param {unknown} data parsed response body
   */
  constructor(status, data, { retryAfter = null, cause } = {}) {
    const general = [];
    const fields = {};
    if (Array.isArray(data) || typeof data === "string") {
      general.push(...messages(data));
    } else if (data && typeof data === "object") {
      for (const [key, value] of Object.entries(data)) {
        if (key === "code" && "detail" in data) continue;
        if (GENERAL_KEYS.has(key)) general.push(...messages(value));
        else if (status === 400) fields[key] = messages(value);
      }
    }
    if (status === 429 && retryAfter && /^\d+$/.test(retryAfter)) {
      general.push(`Try again in ${retryAfter} s.`);
    }
    if (general.length === 0 && Object.keys(fields).length === 0) {
      general.push(FALLBACK[status] ?? (status >= 500
        ? "The server had a problem. Try again in a moment."
        : `The request failed (${status}).`));
    }
    super(general.concat(...Object.values(fields)).join(" "), { cause });
    this.name = "ApiError";
    this.status = status;
    this.data = data;
    this.code = data && typeof data === "object" && typeof data.code === "string" ? data.code : null;
    this.general = general;
    this.fields = fields;
  }
}

/** A message for any error, ApiError or not. */
export function describe(error) {
  if (error instanceof ApiError) return error.message;
  return "Something went wrong. Reload the page and try again.";
}
