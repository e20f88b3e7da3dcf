// The two ways μblog is deployed, each with its own server, SMTP sink, browser
// and hostile third origin:
//   same-origin:  ublog serves the web client and the API on one origin;
//   cross-origin: `ublog serve --frontend-bind` serves the web client from another
//                 port, and it calls the API there.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { launchBrowser } from "./browser.js";
import { ACCESS_LIFETIME_S } from "./flow.js";
import { freePort, startHostileServer, startSmtpSink, startUblog } from "./processes.js";

// Short access tokens, so that the browser's renewal before "exp" happens during the run.
const serverEnv = { UBLOG_ACCESS_TOKEN_LIFETIME: String(ACCESS_LIFETIME_S) };

/** @param {"same-origin"|"cross-origin"} name */
export async function startDeployment(name) {
  const stops = [];
  const d = { name };
  try {
    const mailFolder = mkdtempSync(join(tmpdir(), "ublog-e2e-mail-"));
    stops.push(() => rmSync(mailFolder, { recursive: true, force: true }));
    d.mailFolder = mailFolder;

    const sink = await startSmtpSink(mailFolder);
    stops.push(sink.stop);

    const hostile = await startHostileServer();
    stops.push(hostile.stop);
    d.hostileOrigin = hostile.origin;

    if (name === "same-origin") {
      const api = await startUblog({ smtpPort: sink.port, env: serverEnv });
      stops.push(api.stop);
      d.server = api;
      d.apiOrigin = d.webOrigin = api.origin;
    } else {
      // The documented one-command split deployment: ublog serves the client
      // alone on a second origin and allows that origin by CORS.
      const webPort = await freePort();
      const webOrigin = `http://127.0.0.1:${webPort}`;
      const api = await startUblog({
        smtpPort: sink.port,
        frontendUrl: () => webOrigin,
        env: serverEnv,
        args: ["--frontend-bind", `127.0.0.1:${webPort}`],
      });
      stops.push(api.stop);
      d.server = api;
      d.apiOrigin = api.origin;
      d.webOrigin = webOrigin;
    }

    d.browser = await launchBrowser();
    stops.push(() => d.browser.close());
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
  d.stop = () => stopAll(stops);
  return d;
}

async function stopAll(stops) {
  for (const stop of stops.reverse()) {
    try {
      await stop();
    } catch (error) {
      console.error("cleanup:", error);
    }
  }
}
