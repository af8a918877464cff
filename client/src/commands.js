// The commands the server may run in the browser: an allow-list, one handler per
// function of hypergen/js.py (tests/unit/test_js.py keeps the two lists equal), and the
// commands the page's own script registered (registry.js).
import { hooks } from "./hooks.js";
import { logError } from "./log.js";
import { morph, morphPage } from "./morph.js";
import { CommandRegistry } from "./registry.js";
import { URL_ATTRIBUTES, attributeProblem, pathProblem, urlProblem } from "./sinks.js";

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
  const keys = String(path).split(".");
  const problem = pathProblem(keys);
  if (problem) return logError("command.unsafe-key", `hypergen.setClientState refused "${path}": ${problem}`, { path });
  const last = keys.pop();
  for (const key of keys) {
    // Only the state's own objects: an inherited value (a method of Object.prototype) is replaced.
    if (!Object.hasOwn(object, key) || typeof object[key] !== "object" || object[key] === null) object[key] = {};
    object = object[key];
  }
  object[last] = value;
}

// `options.unsafe_url` is how the server says "js.UnsafeURL: sent unchecked on purpose".
function checkedUrl(command, url, options) {
  if (options?.unsafe_url === true) return true;
  const problem = urlProblem(url, window.location.host);
  if (!problem) return true;
  logError("command.unsafe-url", `${command} refused "${url}": ${problem}. Send js.UnsafeURL(url) if it is meant.`, {
    url,
  });
  return false;
}

function setAttribute(id, name, value, options) {
  const problem = attributeProblem(name);
  if (problem) {
    const hint = "bind events with callback() or call_js() in the template";
    return logError("command.unsafe-attribute", `hypergen.setAttribute refused ${problem}: ${hint}.`, { id, name });
  }
  if (URL_ATTRIBUTES.has(name.toLowerCase()) && !checkedUrl("hypergen.setAttribute", value, options)) return;
  byId(id)?.setAttribute(name, value);
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
  "hypergen.redirect": (url, options) => {
    if (checkedUrl("hypergen.redirect", url, options)) window.location.assign(url);
  },
  "hypergen.reload": () => window.location.reload(),
  "hypergen.setClientState": (path, value) => setPath(clientState, path, value),
  "hypergen.addClass": (id, name) => byId(id)?.classList.add(name),
  "hypergen.removeClass": (id, name) => byId(id)?.classList.remove(name),
  "hypergen.toggleClass": (id, name) => byId(id)?.classList.toggle(name),
  "hypergen.setAttribute": setAttribute,
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
  "hypergen.dispatch": (id, name, detail) => byId(id)?.dispatchEvent(new CustomEvent(name, { detail, bubbles: true })),
};

export const registry = new CommandRegistry(commands);

// Run one command; then mount, update and destroy hooks, so the next command finds them ready.
export function runCommand(name, args) {
  const handler = registry.find(name);
  if (!handler) {
    if (!registry.hold(name, args)) logError("command.unknown", `"${name}" is not a client command`, { name });
    return;
  }
  try {
    handler(...args);
  } catch (error) {
    logError("command.failed", `${name} failed: ${error}`, { name, args });
  }
  hooks.sync(document);
}

// hypergen.registerCommand(name, fn): commands the server sent for it before run now.
export function registerCommand(name, fn) {
  for (const [heldName, args] of registry.register(name, fn)) runCommand(heldName, args);
}

// The page has loaded: commands still waiting for a registration are reported.
export function settleCommands() {
  for (const [name] of registry.settle()) {
    logError("command.unknown", `"${name}" was sent before the page loaded and no script registered it`, { name });
  }
}

export function runCommands(list) {
  if (!Array.isArray(list)) {
    logError("command.malformed", "the server sent commands that are not a list", { list });
    return;
  }
  for (const [name, ...args] of list) runCommand(name, args);
}
