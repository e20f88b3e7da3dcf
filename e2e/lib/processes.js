// The processes a browser suite needs: the SMTP sink, the real ublog binary,
// and small static servers for the other origins (the cross-origin front end
// and a hostile page). Everything binds to 127.0.0.1 and is stopped by stop().

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
// Where `cargo build -p ublog` (run from the repository root) puts the binary.
const TARGET_DIR = resolve(REPO, process.env.CARGO_TARGET_DIR ?? "target");
const BINARY = process.env.UBLOG_BIN ?? join(TARGET_DIR, "debug/ublog");
const SINK = join(REPO, "tests/smtp_sink.py");

/** A port that was free a moment ago (for processes that must know it before they start). */
export function freePort() {
  return new Promise((done, fail) => {
    const server = createNetServer();
    server.unref();
    server.on("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** Resolves when `child` prints a line matching `pattern` on stdout; rejects if it exits first. */
function waitForLine(child, pattern, what, timeoutMs = 20_000) {
  return new Promise((done, fail) => {
    let seen = "";
    const timer = setTimeout(() => fail(new Error(`${what} not ready after ${timeoutMs} ms; stdout: ${seen}`)), timeoutMs);
    child.stdout.on("data", (chunk) => {
      seen += chunk;
      const m = pattern.exec(seen);
      if (m) {
        clearTimeout(timer);
        done(m);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}) before it was ready; stdout: ${seen}`));
    });
  });
}

function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once("exit", done);
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 3000).unref();
  });
}

/** The SMTP sink: one .eml per message in `folder`; ends when its stdin closes. */
export async function startSmtpSink(folder) {
  const port = await freePort();
  const child = spawn("python3", [SINK, String(port), folder], { stdio: ["pipe", "pipe", "inherit"] });
  await waitForLine(child, /ready/, "SMTP sink");
  return {
    port,
    folder,
    stop: () => {
      child.stdin.end();
      return stopChild(child);
    },
  };
}

/**
 * Starts `ublog serve` on a free port with a fresh data folder.
 * @param {{smtpPort: number, frontendUrl?: (apiOrigin: string) => string, env?: Record<string,string>, args?: string[]}} options
 */
export async function startUblog({ smtpPort, frontendUrl = (origin) => origin, env = {}, args = [] }) {
  if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run "cargo build -p ublog" first`);
  const dataDir = mkdtempSync(join(tmpdir(), "ublog-e2e-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(BINARY, ["serve", "--bind", `127.0.0.1:${port}`, "--data-dir", dataDir, ...args], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      RUST_LOG: process.env.RUST_LOG ?? "warn",
      UBLOG_EMAIL_BACKEND: "smtp",
      UBLOG_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      UBLOG_FRONTEND_URL: frontendUrl(origin),
      UBLOG_PASSWORD_HASH_MEMORY_KIB: "256",
      UBLOG_PASSWORD_HASH_ITERATIONS: "1",
      ...env,
    },
  });
  // The server's log, kept to explain a failure; printed with E2E_SERVER_LOG=1.
  const log = [];
  child.stderr.on("data", (chunk) => {
    log.push(String(chunk));
    if (process.env.E2E_SERVER_LOG) process.stderr.write(chunk);
  });
  await waitForLine(child, /μblog listening on (http:\/\/\S+)/, "ublog");
  return {
    origin,
    dataDir,
    log: () => log.join(""),
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}


function listen(server) {
  return new Promise((done) => server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${server.address().port}`)));
}

/** A third origin, in no CORS or CSRF list: serves a blank page for the hostile checks. */
export async function startHostileServer() {
  const server = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end("<!doctype html><html><head><meta charset=utf-8><title>elsewhere</title></head><body><h1>Not μblog</h1></body></html>");
  });
  const origin = await listen(server);
  return { origin, stop: () => new Promise((done) => server.close(done)) };
}
