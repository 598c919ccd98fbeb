// DOM helpers shared by the claim panel's modules: elements, labelled fields, selects,
// safe links and forms that show API errors. Text is set with textContent, never parsed as HTML.

import { ApiError } from "./api.js";
import { errorMessages } from "./claims.js";
import { cpSlice } from "./codepoints.js";

let uid = 0;

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "className") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function field(label, control) {
  uid += 1;
  control.id = control.id || `panel-field-${uid}`;
  return el("div", { className: "field" }, el("label", { for: control.id, text: label }), control);
}

export function select(name, options, value) {
  const node = el("select", { name });
  for (const option of options) {
    const item = el("option", { value: option.value, text: option.label });
    if (String(option.value) === String(value ?? "")) item.selected = true;
    node.append(item);
  }
  return node;
}

export function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return ["http:", "https:"].includes(parsed.protocol) || parsed.origin === window.location.origin ? parsed.href : null;
  } catch {
    return null;
  }
}

/** `text` as nodes, code points `start` to `end` in a <mark> (all plain text when they are missing). */
export function marked(text, start, end) {
  if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start) return [document.createTextNode(text)];
  return [
    document.createTextNode(cpSlice(text, 0, start)),
    el("mark", { text: cpSlice(text, start, end) }),
    document.createTextNode(cpSlice(text, end)),
  ];
}

export function link(url, text) {
  const href = safeUrl(url);
  return href ? el("a", { href, rel: "noopener nofollow noreferrer", target: "_blank", text }) : el("span", { text });
}

/** A form with an error area; `submit` returns a promise, errors are shown in the form. */
export function apiForm(label, children, buttonText, submit) {
  const errors = el("div", { className: "error", role: "alert" });
  const button = el("button", { type: "submit", text: buttonText });
  const form = el("form", { className: "stack panel-form", "aria-label": label }, ...children, el("div", {}, button), errors);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    errors.replaceChildren();
    button.disabled = true;
    try {
      await submit(new FormData(form), form);
    } catch (error) {
      const messages = error instanceof ApiError ? errorMessages(error.body && error.body.error) : [String(error)];
      errors.replaceChildren(...(messages.length ? messages : [error.message]).map((m) => el("p", { text: m })));
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
