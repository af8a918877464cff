// The commands the server may run in the browser: an allow-list, one handler per
// function of hypergen/js.py (tests/unit/test_js.py keeps the two lists equal).
import { logError } from "./log.js";
import { morph, morphPage } from "./morph.js";

export const clientState = {};

function byId(id) {
  const el = document.getElementById(id);
  if (!el) logError("dom.missing-id", `no element has the id "${id}"`, { id });
  return el;
}

function setStyle(id, property, value) {
  const el = byId(id);
  if (el) el.style[property] = value;
}

function setPath(object, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  for (const key of keys) object = object[key] ??= {};
  object[last] = value;
}

export const commands = {
  "hypergen.morph": (id, html) => {
    const el = byId(id);
    if (el) morph(el, html);
  },
  "hypergen.morphPage": (html) => morphPage(html),
  "hypergen.append": (id, html) => byId(id)?.insertAdjacentHTML("beforeend", html),
  "hypergen.prepend": (id, html) => byId(id)?.insertAdjacentHTML("afterbegin", html),
  "hypergen.remove": (id) => byId(id)?.remove(),
  "hypergen.hide": (id) => setStyle(id, "display", "none"),
  "hypergen.display": (id, value = "block") => setStyle(id, "display", value),
  "hypergen.visible": (id) => setStyle(id, "visibility", "visible"),
  "hypergen.hidden": (id) => setStyle(id, "visibility", "hidden"),
  "hypergen.redirect": (url) => window.location.assign(url),
  "hypergen.reload": () => window.location.reload(),
  "hypergen.setClientState": (path, value) => setPath(clientState, path, value),
  "hypergen.addClass": (id, name) => byId(id)?.classList.add(name),
  "hypergen.removeClass": (id, name) => byId(id)?.classList.remove(name),
  "hypergen.toggleClass": (id, name) => byId(id)?.classList.toggle(name),
  "hypergen.setAttribute": (id, name, value) => byId(id)?.setAttribute(name, value),
  "hypergen.removeAttribute": (id, name) => byId(id)?.removeAttribute(name),
  "hypergen.setValue": (id, value) => {
    const el = byId(id);
    if (!el) return;
    if (el.type === "checkbox" || el.type === "radio") el.checked = Boolean(value);
    else el.value = value ?? "";
  },
  "hypergen.setText": (id, text) => {
    const el = byId(id);
    if (el) el.textContent = text;
  },
  "hypergen.focus": (id) => byId(id)?.focus(),
  "hypergen.blur": (id) => byId(id)?.blur(),
  "hypergen.scrollIntoView": (id) => byId(id)?.scrollIntoView({ block: "nearest" }),
  "hypergen.setTitle": (title) => {
    document.title = title;
  },
};

export function runCommands(list) {
  if (!Array.isArray(list)) {
    logError("command.malformed", "the server sent commands that are not a list", { list });
    return;
  }
  for (const [name, ...args] of list) {
    const handler = Object.hasOwn(commands, name) ? commands[name] : null;
    if (!handler) {
      logError("command.unknown", `"${name}" is not a client command`, { name });
      continue;
    }
    try {
      handler(...args);
    } catch (error) {
      logError("command.failed", `${name} failed: ${error}`, { name, args });
    }
  }
}
