// Reads (does not verify) a JWT's payload; the server verifies, the client only
// needs "exp" to know when to refresh.

export function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), "=")), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

/**
 * When the token expires, in this browser's clock (ms). The token's "iat" is the
 * server's clock at issue, so the gap to our clock on receipt corrects for skew.
 */
export function localExpiry(token, receivedAt = Date.now()) {
  const c = claims(token);
  if (!c || typeof c.exp !== "number") return null;
  const skew = typeof c.iat === "number" ? c.iat * 1000 - receivedAt : 0;
  // A skew under a few seconds is network latency and rounding, not a wrong clock.
  return c.exp * 1000 - (Math.abs(skew) > 5000 ? skew : 0);
}
