// The browser's only way to the server: the public REST API under /api/v1/.
// Session auth with Django's CSRF header; errors arrive as
// {"error": {"status", "code", "message", "fields"}} and are thrown as ApiError.

export const API_ROOT = "/api/v1/";

export class ApiError extends Error {
  constructor(status, body) {
    const error = (body && body.error) || {};
    super(error.message || `The server answered ${status}.`);
    this.status = status;
    this.code = error.code || "error";
    this.fields = error.fields || {};
    this.body = body;
  }
}

function csrfToken(doc) {
  const cookie = doc.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  const input = doc.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

/** Call the API; `path` is relative to /api/v1/ or absolute. Returns parsed JSON (null for 204). */
export async function api(path, { method = "GET", body, headers = {}, signal } = {}) {
  const url = /^(https?:)?\//.test(path) ? path : API_ROOT + path;
  const init = { method, credentials: "same-origin", signal, headers: { Accept: "application/json", ...headers } };
  if (method !== "GET" && method !== "HEAD") init.headers["X-CSRFToken"] = csrfToken(document);
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = response.status === 204 ? "" : await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { error: { status: response.status, code: "bad_response", message: `The server answered ${response.status}.` } };
    }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Every item of a list endpoint, whether it answers a plain list or pages {results, next}. */
export async function apiList(path, options = {}) {
  const items = [];
  let next = path;
  while (next) {
    const page = await api(next, options);
    if (Array.isArray(page)) return items.concat(page);
    items.push(...(page.results || []));
    next = page.next || null;
  }
  return items;
}
