// Colours a team chose (its rating scale) arrive as data attributes, not inline styles, so that
// pages keep a Content-Security-Policy without 'unsafe-inline'; set through the CSSOM, which the
// policy allows. Only #rrggbb values are applied.
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

export function applyColors(root = document) {
  for (const element of root.querySelectorAll("[data-border-color]")) {
    if (HEX_COLOR.test(element.dataset.borderColor)) element.style.borderColor = element.dataset.borderColor;
  }
  for (const element of root.querySelectorAll("[data-background-color]")) {
    if (HEX_COLOR.test(element.dataset.backgroundColor)) element.style.backgroundColor = element.dataset.backgroundColor;
  }
}

applyColors();
