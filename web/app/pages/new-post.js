// "/new": write a post, optionally with an image.

import { h, heading } from "../dom.js";
import { request } from "../api.js";
import { setFlash } from "../store.js";
import { navigate } from "../router.js";
import { alertBox, field, onSubmit, submitButton, invalid, setFieldError } from "../forms.js";
import { charCounter } from "../ui/counter.js";

const MAX = 200;

export default function newPostPage() {
  const textarea = h("textarea", { name: "body", rows: 5, placeholder: "What's on your mind?", required: true });
  const post = submitButton("Post", "Posting…");
  const counter = charCounter(textarea, MAX, (ok) => (post.disabled = !ok));

  const fileInput = h("input", { type: "file", name: "image", accept: "image/*", class: "file-input" });
  const preview = h("div", { class: "preview", hidden: true });
  let previewUrl = null;

  function clearImage() {
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    fileInput.value = "";
    preview.hidden = true;
    preview.replaceChildren();
  }

  fileInput.addEventListener("change", () => {
    const file = fileInput.files?.[0];
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = null;
    preview.replaceChildren();
    preview.hidden = true;
    if (!file) return;
    if (!file.type.startsWith("image/")) {
      clearImage();
      setFieldError(form, "image", "Choose an image file (PNG, JPEG, GIF or WebP).");
      return;
    }
    previewUrl = URL.createObjectURL(file);
    preview.append(
      h("img", { src: previewUrl, alt: "Preview of the chosen image" }),
      h("button", { type: "button", class: "btn btn-ghost btn-small", onClick: clearImage }, "Remove image"),
    );
    preview.hidden = false;
  });

  const form = h(
    "form",
    { class: "card form" },
    alertBox(),
    field({ label: "Your post", name: "body", control: textarea, hint: counter }),
    field({ label: "Image (optional)", name: "image", control: fileInput }),
    preview,
    h("div", { class: "row" }, post, h("a", { href: "/", class: "btn btn-ghost" }, "Cancel")),
  );

  onSubmit(form, async ({ body }) => {
    if (body.trim() === "") throw invalid("body", "Write something first.");
    const file = fileInput.files?.[0];
    if (file) {
      const data = new FormData();
      data.append("body", body);
      data.append("image", file);
      await request("POST", "/api/drf/fbv/posts/new/", { form: data });
    } else {
      await request("POST", "/api/drf/fbv/posts/new/", { json: { body } });
    }
    clearImage();
    setFlash("Posted.", "success");
    navigate("/");
  });

  return h("section", { class: "page" }, heading("New post"), form);
}
