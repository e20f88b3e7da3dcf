// "/posts/:id": one post; its author can edit or delete it.

import { h, fill, heading, spinner } from "../dom.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { currentUser, setFlash } from "../store.js";
import { navigate } from "../router.js";
import { alertBox, field, onSubmit, submitButton, invalid } from "../forms.js";
import { postCard } from "../ui/post-card.js";
import { charCounter } from "../ui/counter.js";
import { confirmButton } from "../ui/confirm-button.js";
import { toast } from "../ui/toast.js";

const MAX = 200;

function isAuthor(post) {
  const user = currentUser();
  return Boolean(user && post.created_by && String(post.created_by.id) === String(user.id));
}

export default function postPage({ params }) {
  const id = encodeURIComponent(params.id);
  const holder = h("div", { class: "stack" }, spinner());

  function show(post) {
    if (!isAuthor(post)) {
      fill(holder, postCard(post, { link: false }));
      return;
    }
    const actions = h(
      "div",
      { class: "row push-right" },
      h("button", { type: "button", class: "btn btn-secondary btn-small", onClick: () => edit(post) }, "Edit"),
      confirmButton("Delete", "Delete for good", () => remove(post), "btn btn-ghost btn-small danger-text"),
    );
    fill(holder, postCard(post, { link: false, actions }));
  }

  function edit(post) {
    const textarea = h("textarea", { name: "body", rows: 4, value: post.body, required: true });
    const save = submitButton("Save", "Saving…");
    const counter = charCounter(textarea, MAX, (ok) => (save.disabled = !ok));
    const form = h(
      "form",
      { class: "edit-form" },
      alertBox(),
      field({ label: "Edit post", name: "body", control: textarea, hint: counter }),
      h("div", { class: "row" }, save, h("button", { type: "button", class: "btn btn-ghost", onClick: () => show(post) }, "Cancel")),
    );
    onSubmit(form, async ({ body }) => {
      if (body.trim() === "") throw invalid("body", "A post can't be empty.");
      const updated = await request("PUT", `/api/drf/fbv/posts/${id}/update/`, { json: { body } });
      show(updated && typeof updated === "object" && "id" in updated ? updated : { ...post, body });
      toast("Post updated.", "success");
    });
    fill(holder, postCard(post, { link: false, body: form }));
    textarea.focus();
  }

  async function remove() {
    try {
      await request("DELETE", `/api/drf/fbv/posts/${id}/delete/`);
      setFlash("Post deleted.", "success");
      navigate("/", { replace: true });
    } catch (error) {
      toast(describe(error), "error");
    }
  }

  (async () => {
    try {
      show(await request("GET", `/api/drf/fbv/posts/${id}/`));
    } catch (error) {
      fill(holder, h("div", { class: "alert alert-error", role: "alert" }, error.status === 404 ? "This post does not exist or was deleted." : describe(error)));
    }
  })();

  return h("section", { class: "page" }, h("div", { class: "page-head" }, heading("Post"), h("a", { href: "/", class: "btn btn-ghost" }, "← Back to feed")), holder);
}
