// Morphing new HTML into the page with morphdom: elements that did not change are kept,
// and the field being typed in keeps its value, focus and caret.
import morphdom from "morphdom";
import { HOOK_ATTRIBUTE, hooks } from "./hooks.js";

function isTypingIn(el) {
  return el === document.activeElement && (el.tagName === "INPUT" || el.tagName === "TEXTAREA");
}

const options = {
  childrenOnly: true,
  onBeforeElUpdated(fromEl, toEl) {
    if (fromEl.isEqualNode(toEl)) return false;
    if (isTypingIn(fromEl)) toEl.value = fromEl.value;
    return true;
  },
  onElUpdated: (el) => hooks.noteUpdated(el), // Called only for elements that changed (see above).
};

// Replace the children of `el` with `html`.
export function morph(el, html) {
  const target = el.cloneNode(false); // Same element type, so <tr> inside a <tbody> parses right.
  target.innerHTML = html;
  const before = el.hasAttribute(HOOK_ATTRIBUTE) ? el.innerHTML : null;
  morphdom(el, target, options);
  if (before !== null && el.innerHTML !== before) hooks.noteUpdated(el); // A hooked target, changed.
}

// Replace the whole page (an @action with partial=False): body and title.
export function morphPage(html) {
  const page = new DOMParser().parseFromString(html, "text/html");
  if (page.title) document.title = page.title;
  morphdom(document.body, page.body, options);
}
