// Pure: which input the New article form will use, and the submit button's label for it.

export const LABELS = {
  upload: "Upload article",
  paste: "Add article",
  fetch: "Fetch article",
  none: "Add article",
};

/** "upload", "paste", "fetch" or "none", as the server decides it: a file or a text wins over a URL,
 * which is then only where the text came from. */
export function articleInput({ url = "", text = "", file = false } = {}) {
  if (file) return "upload";
  if (text.trim()) return "paste";
  if (url.trim()) return "fetch";
  return "none";
}

export function submitLabel(inputs) {
  return LABELS[articleInput(inputs)];
}
