// How people, times and counts are written on screen.

import { h } from "./dom.js";

export function displayName(user) {
  if (!user) return "Someone";
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ").trim();
  return name || user.email || "Someone";
}

export function initial(user) {
  return (displayName(user).trim()[0] ?? "?").toUpperCase();
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const STEPS = [
  [60, "second"],
  [60, "minute"],
  [24, "hour"],
  [7, "day"],
  [4.345, "week"],
  [12, "month"],
  [Infinity, "year"],
];

function toDate(value) {
  if (value == null || value === "") return null;
  const date = typeof value === "number" ? new Date(value < 1e12 ? value * 1000 : value) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function dateTime(value) {
  const date = toDate(value);
  return date ? absolute.format(date) : "—";
}

export function timeAgo(value) {
  const date = toDate(value);
  if (!date) return "—";
  let amount = (date.getTime() - Date.now()) / 1000;
  for (const [size, unit] of STEPS) {
    if (Math.abs(amount) < size) return relative.format(Math.round(amount), unit);
    amount /= size;
  }
  return absolute.format(date);
}

/** A <time> element with relative text and the exact time on hover. */
export function timeElement(value) {
  const date = toDate(value);
  return h("time", { datetime: date?.toISOString(), title: date ? absolute.format(date) : null }, timeAgo(value));
}

/** Length as the server counts it: characters, not UTF-16 units. */
export function charCount(text) {
  return [...text].length;
}
