// Debian's Chromium driven by playwright-core: nothing here downloads a browser.

import { chromium } from "playwright-core";

const EXECUTABLE = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchBrowser() {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true });
}

/** A fresh profile (cookies, localStorage) for one person, with short timeouts. */
export async function newContext(browser) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: "en-GB" });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  return context;
}

/**
 * Collects what would show as an error in the console of `page`: console.error
 * lines (Chromium also logs failed loads there, e.g. a 401) and uncaught exceptions.
 */
export function watchConsole(page, errors, label) {
  page.on("console", (message) => {
    if (message.type() === "error") {
      const where = message.location()?.url ?? "";
      errors.push(`[${label}] console.error: ${message.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (error) => errors.push(`[${label}] uncaught: ${error.stack ?? error}`));
  return page;
}
