// Entry point: draw the frame, find out who is signed in, then show the page.

import { mountShell } from "./ui/shell.js";
import { spinner } from "./dom.js";
import { restore, startAccountSync } from "./account.js";
import { startRouter } from "./router.js";
import { routes } from "./routes.js";

const main = mountShell(document.getElementById("app"));
main.replaceChildren(spinner());
startAccountSync();
await restore();
startRouter(routes, main);
