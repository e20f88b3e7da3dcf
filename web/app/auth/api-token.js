// Mode 4: an opaque API token, as for scripts and other programs. The key stays
// valid until revoked on the Tokens page or it expires; logging out here only
// makes this browser forget it.

import { send } from "../http.js";
import { load, save } from "../storage.js";

const KEY = "ublog.apitoken";

function forget() {
  save(KEY, null);
}

export default {
  name: "api-token",

  // DRF's obtain_auth_token names the field "username"; here it is the e-mail.
  async login(email, password) {
    const data = await send("POST", "/api-token-auth/", { json: { username: email, password } });
    save(KEY, data.token);
  },

  /** Uses a key the person pasted. */
  async useKey(key) {
    save(KEY, key.trim());
  },

  async logout() {
    forget();
  },

  async restore() {
    return Boolean(load(KEY));
  },

  async headers() {
    const key = load(KEY);
    return key ? { Authorization: `Token ${key}` } : {};
  },

  // The key is revoked, expired or mistyped; nothing to refresh.
  async onUnauthorized() {
    forget();
    return false;
  },

  forget,
};
