// callback(): what an event attribute rendered by Python's callback() runs.
import { registry, runCommands } from "./commands.js";
import { hooks } from "./hooks.js";
import { post } from "./http.js";
import { startLoading } from "./loading.js";
import { logError } from "./log.js";
import { clearValue, resolveArgs } from "./values.js";
import { sendOverWebsocket } from "./websocket.js";

// Event filters for callback(when=[name, ...args]): an allow-list, like commands.
export const when = {
  "hypergen.when.keycode": (event, ...keys) => keys.some((key) => event.key === key || event.code === key),
};

// Transports by URL scheme: ws:// and wss:// URLs go over a websocket, anything else over HTTP.
// A transport returns a promise settled when the server answered the event (or gave up on it).
export const transports = { "ws:": sendOverWebsocket, "wss:": sendOverWebsocket };

function postOverHttp(url, payload, { refs, element, options }) {
  const files = options.uploadFiles ? collectFiles(refs) : null;
  return post(url, payload, { files, headers: options.headers, timeout: options.timeout, element }).then((list) => {
    if (list) runCommands(list);
    return list !== null; // True: the action ran.
  });
}

function valueOf(el) {
  if (el.type === "checkbox" || el.type === "radio") return el.checked;
  return el.isContentEditable ? el.innerHTML : el.value;
}

const debounceTimers = new WeakMap();
let blockingRequests = 0;

function setBlocked(delta) {
  blockingRequests += delta;
  document.documentElement.classList.toggle("hypergen-blocked", blockingRequests > 0);
}

function collectFiles(elements) {
  const files = [];
  for (const el of elements) {
    if (el.type === "file") for (const file of el.files) files.push([el.id || el.name || "file", file]);
  }
  return files;
}

function send(element, url, args, options) {
  if (options.confirm && !window.confirm(options.confirm === true ? "Are you sure?" : options.confirm)) return;
  const refs = [];
  // `page`: the page the event came from, so that an action's base_view= renders it with its URL arguments.
  const page = window.location.pathname + window.location.search;
  const payload = { args: resolveArgs(args, element, refs), meta: options.meta ?? {}, page };
  const scheme = url.slice(0, url.indexOf(":") + 1);
  const transport = transports[scheme] ?? postOverHttp;
  if (options.blocks) setBlocked(1);
  const stopLoading = startLoading(element);
  const sent = options.clear ? refs.map((el) => [el, valueOf(el)]) : [];
  Promise.resolve(transport(url, payload, { refs, element, options })).then((ran) => {
    stopLoading();
    if (options.blocks) setBlocked(-1);
    // clear=True: only once the server ran the event (a failed one keeps what the user typed),
    // and only fields the user has not changed since.
    if (ran) for (const [el, value] of sent) if (valueOf(el) === value) clearValue(el);
  });
}

export function callback(event, url, args, options = {}) {
  const element = event?.currentTarget ?? event?.target ?? null;
  if (options.when) {
    const [name, ...filterArgs] = options.when;
    const filter = Object.hasOwn(when, name) ? when[name] : null;
    if (!filter) return logError("callback.unknown-when", `"${name}" is not an event filter`, { name });
    if (!filter(event, ...filterArgs)) return;
  }
  if (blockingRequests > 0) return; // A blocks=True callback is in flight: ignore the event.
  if (!options.debounce) return send(element, url, args, options);
  // The values are read when the timer fires, so the latest typing is sent, once.
  const key = element ?? document;
  const timers = debounceTimers.get(key) ?? new Map();
  debounceTimers.set(key, timers);
  clearTimeout(timers.get(url));
  timers.set(url, setTimeout(() => send(element, url, args, options), options.debounce));
}

// call_js(): run a client command from an event, without a server round trip.
export function callJs(event, name, args) {
  const handler = registry.find(name);
  if (!handler) return logError("command.unknown", `"${name}" is not a client command`, { name });
  handler(...resolveArgs(args, event?.currentTarget ?? null, []));
  hooks.sync(document);
}
