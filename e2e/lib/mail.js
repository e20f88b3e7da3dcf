// Reads what the SMTP sink stored: one .eml per message, whose first lines are
// "X-Envelope-To: <address>".

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

function decodeBody(raw) {
  const split = raw.search(/\r?\n\r?\n/);
  const headers = raw.slice(0, split);
  let body = raw.slice(split).trim();
  if (/^content-transfer-encoding:\s*quoted-printable/im.test(headers)) {
    body = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  } else if (/^content-transfer-encoding:\s*base64/im.test(headers)) {
    body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return { headers, body };
}

/** The messages sent to `address` so far. */
export function messagesTo(folder, address) {
  const found = [];
  for (const name of readdirSync(folder).filter((n) => n.endsWith(".eml")).sort()) {
    const raw = readFileSync(join(folder, name), "utf8");
    const to = [...raw.matchAll(/^X-Envelope-To: (.+?)\r?$/gm)].map((m) => m[1].trim().toLowerCase());
    if (to.includes(address.toLowerCase())) found.push(decodeBody(raw));
  }
  return found;
}

/** Waits for the verification e-mail to `address` and returns its /activate/<uid>/<token> link. */
export async function activationLink(folder, address, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const { body } of messagesTo(folder, address)) {
      const m = /(https?:\/\/\S+\/activate\/[^/\s]+\/[^/\s]+)/.exec(body);
      if (m) return m[1];
    }
    await sleep(100);
  }
  throw new Error(`no activation e-mail to ${address} within ${timeoutMs} ms`);
}
