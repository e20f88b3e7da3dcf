// Any path no route knows.

import { h, heading } from "../dom.js";

export default function notFoundPage() {
  return h("section", { class: "page narrow" }, heading("Page not found"), h("div", { class: "card stack" }, h("p", null, "There is nothing at this address."), h("a", { href: "/", class: "btn btn-primary" }, "Go to the feed")));
}
