// One post as a card: author, time, text, image, and the like button.

import { h } from "../dom.js";
import { displayName, initial, timeElement } from "../format.js";
import { resolveApiUrl } from "../config.js";
import { request } from "../api.js";
import { describe } from "../errors.js";
import { currentUser } from "../store.js";
import { navigate, currentPath } from "../router.js";
import { toast } from "./toast.js";

/** The image URL if the API gave one we can show (http(s), same or API origin). */
export function imageUrl(image) {
  if (typeof image !== "string" || image.trim() === "") return null;
  const url = resolveApiUrl(image.trim());
  return url && (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
}

function likeButton(post) {
  const count = h("span", { class: "like-count" });
  const button = h("button", { type: "button", class: "like", onClick: toggle }, h("span", { class: "heart", "aria-hidden": "true" }), count);

  function show() {
    button.setAttribute("aria-pressed", String(Boolean(post.liked)));
    button.setAttribute("aria-label", `${post.liked ? "Unlike" : "Like"} (${post.like_count ?? 0} ${post.like_count === 1 ? "like" : "likes"})`);
    count.textContent = String(post.like_count ?? 0);
  }

  async function toggle() {
    if (!currentUser()) {
      navigate(`/login?next=${encodeURIComponent(currentPath())}`);
      return;
    }
    button.disabled = true;
    try {
      const updated = await request("POST", `/api/drf/fbv/posts/${post.id}/like/`);
      if (updated && typeof updated === "object" && "like_count" in updated) {
        post.liked = updated.liked;
        post.like_count = updated.like_count;
      } else {
        post.like_count = (post.like_count ?? 0) + (post.liked ? -1 : 1);
        post.liked = !post.liked;
      }
      show();
    } catch (error) {
      toast(describe(error), "error");
    } finally {
      button.disabled = false;
    }
  }

  show();
  return button;
}

/**
 * @param {object} post as the API returns it
 * @param {{link?: boolean, actions?: Node, body?: Node}} options
 *   link: the time links to the post's page; actions: extra buttons in the footer;
 *   body: replaces the text (used while editing)
 */
export function postCard(post, { link = true, actions = null, body = null } = {}) {
  const author = post.created_by ?? {};
  const when = timeElement(post.modified_on ?? post.created_on);
  const src = imageUrl(post.image);
  const text = h("p", { class: "post-body" }, post.body);

  return h(
    "article",
    { class: "card post", "data-post-id": post.id },
    h(
      "header",
      { class: "post-head" },
      h("span", { class: "avatar", "aria-hidden": "true" }, initial(author)),
      h("div", { class: "post-meta" }, h("span", { class: "author" }, displayName(author)), link ? h("a", { href: `/posts/${post.id}`, class: "muted post-time" }, when) : h("span", { class: "muted post-time" }, when)),
    ),
    body ?? text,
    src ? h("img", { class: "post-image", src, alt: "", loading: "lazy" }) : null,
    h("footer", { class: "post-foot" }, likeButton(post), actions),
  );
}
