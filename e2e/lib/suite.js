// The test suite of one deployment: the four modes as subtests sharing one
// server, one SMTP sink and one browser; each mode signs up its own user.

import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";

import { startDeployment } from "./deployment.js";
import { MODES, OUTPUT, runModeFlow } from "./flow.js";

// Modes run side by side within a deployment; E2E_MODE_CONCURRENCY=1 runs them in turn.
const concurrency = Number(process.env.E2E_MODE_CONCURRENCY ?? 4);

/** @param {"same-origin"|"cross-origin"} name */
export function deploymentSuite(name) {
  describe(`${name} deployment`, { concurrency }, () => {
    let d;
    before(async () => {
      rmSync(join(OUTPUT, name), { recursive: true, force: true }); // no screenshot of an earlier run
      d = await startDeployment(name);
    });
    after(async () => {
      await d?.stop();
    });

    for (const mode of Object.keys(MODES)) {
      it(`${mode}: register, activate, log in, post, like, reload, second tab, log out`, async () => {
        try {
          await runModeFlow(d, mode);
        } catch (error) {
          const log = d.server.log().replace(/\x1b\[[0-9;]*m/g, "").trim().split("\n").slice(-20).join("\n  ");
          if (log) error.message += `\nlast server log lines:\n  ${log}`;
          throw error;
        }
      });
    }
  });
}
