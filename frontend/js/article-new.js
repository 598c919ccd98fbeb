// The New article page: the submit button says what it will do with what was given, a URL to
// fetch, pasted text or a file to upload. Without this script the button keeps a neutral label.

import { submitLabel } from "./article-inputs.js";

const form = document.getElementById("article-new-form");
if (form) {
  const button = document.getElementById("article-new-submit");
  const url = form.elements.namedItem("url");
  const source = form.elements.namedItem("source");
  const upload = form.elements.namedItem("upload");
  const update = () => {
    button.textContent = submitLabel({
      url: url ? url.value : "",
      text: source ? source.value : "",
      file: Boolean(upload && upload.files && upload.files.length),
    });
  };
  form.addEventListener("input", update);
  form.addEventListener("change", update);
  update();
}
