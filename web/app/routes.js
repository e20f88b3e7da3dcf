// Which page answers which path.

import feedPage from "./pages/feed.js";
import postPage from "./pages/post.js";
import newPostPage from "./pages/new-post.js";
import loginPage from "./pages/login.js";
import registerPage from "./pages/register.js";
import activatePage from "./pages/activate.js";
import resetRequestPage from "./pages/reset-request.js";
import resetConfirmPage from "./pages/reset-confirm.js";
import profilePage from "./pages/profile.js";
import sessionsPage from "./pages/sessions.js";
import tokensPage from "./pages/tokens.js";
import notFoundPage from "./pages/not-found.js";

export const routes = [
  { path: "/", title: "Feed", page: feedPage },
  { path: "/posts/:id", title: "Post", page: postPage },
  { path: "/new", title: "New post", page: newPostPage, auth: true },
  { path: "/login", title: "Log in", page: loginPage },
  { path: "/register", title: "Sign up", page: registerPage, stable: true },
  { path: "/activate/:uid/:token", title: "Activate account", page: activatePage, stable: true },
  { path: "/reset-password", title: "Reset password", page: resetRequestPage, stable: true },
  { path: "/reset-password/:uid/:token", title: "New password", page: resetConfirmPage, stable: true },
  { path: "/profile", title: "Profile", page: profilePage, auth: true, stable: true },
  { path: "/sessions", title: "Sessions", page: sessionsPage, auth: true },
  { path: "/tokens", title: "API tokens", page: tokensPage, auth: true, stable: true },
  { path: "/__not_found__", title: "Not found", page: notFoundPage },
];
