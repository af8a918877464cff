// Element hooks: hypergen.registerHook("Chart", {mounted(el), updated(el), destroyed(el)}) for
// elements rendered with hook="Chart" (data-hypergen-hook). After every command (and when a hook
// is registered) the page is scanned: new hooked elements are mounted, those a morph changed are
// updated, those gone from the page are destroyed. Each element gets its own hook object
// (`this`: the definition's methods, `el`, `pushEvent`), so state set in mounted() stays.
import { logError } from "./log.js";

export const HOOK_ATTRIBUTE = "data-hypergen-hook";
// An identifier, dotted or not: "Chart", "myapp.Chart" (hypergen/template.py checks the same).
const HOOK_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const METHODS = ["mounted", "updated", "destroyed"];

export class Hooks {
  #definitions = new Map();
  #mounted = new Map(); // element -> {name, hook}
  #updated = new Set(); // hooked elements a morph changed since the last sync
  #reported = new WeakSet();
  #settled = false;

  // fire(el, url, args, options) sends a callback; the client's is callback() (see index.js).
  constructor(fire = () => {}) {
    this.fire = fire;
  }

  register(name, definition) {
    const call = `hypergen.registerHook(${JSON.stringify(name)})`;
    if (typeof name !== "string" || !HOOK_NAME.test(name)) {
      throw new TypeError(`${call}: name it like "Chart" or "myapp.Chart", as in hook="Chart" in Python.`);
    }
    if (this.#definitions.has(name)) throw new Error(`${call}: "${name}" is registered already.`);
    if (typeof definition !== "object" || definition === null) {
      throw new TypeError(`${call} takes an object with mounted(el), updated(el) and/or destroyed(el).`);
    }
    for (const method of METHODS) {
      if (definition[method] !== undefined && typeof definition[method] !== "function") {
        throw new TypeError(`${call}: ${method} must be a function.`);
      }
    }
    this.#definitions.set(name, definition);
  }

  // A morph changed this element (its attributes or children); updated() runs at the next sync.
  noteUpdated(el) {
    if (el.getAttribute?.(HOOK_ATTRIBUTE) !== null) this.#updated.add(el);
  }

  sync(root) {
    for (const [el, entry] of this.#mounted) {
      if (!el.isConnected || el.getAttribute(HOOK_ATTRIBUTE) !== entry.name) {
        this.#mounted.delete(el);
        this.#call(entry, "destroyed");
      }
    }
    for (const el of root.querySelectorAll(`[${HOOK_ATTRIBUTE}]`)) {
      const entry = this.#mounted.get(el);
      if (entry) {
        if (this.#updated.has(el)) this.#call(entry, "updated");
      } else {
        this.#mount(el);
      }
    }
    this.#updated.clear();
  }

  #mount(el) {
    const name = el.getAttribute(HOOK_ATTRIBUTE);
    const definition = this.#definitions.get(name);
    if (!definition) {
      if (this.#settled && !this.#reported.has(el)) {
        this.#reported.add(el);
        logError("hook.unknown", `no hook "${name}" is registered: call hypergen.registerHook("${name}", {...})`, {
          name,
        });
      }
      return;
    }
    const hook = Object.create(definition);
    hook.el = el;
    hook.pushEvent = (event, ...args) => this.pushEvent(el, event, args);
    const entry = { name, hook };
    this.#mounted.set(el, entry);
    this.#call(entry, "mounted");
  }

  #call({ name, hook }, method) {
    if (typeof hook[method] !== "function") return;
    try {
      hook[method](hook.el);
    } catch (error) {
      logError("hook.failed", `${name}.${method} failed: ${error}`, { name, method });
    }
  }

  // The page has loaded: from now on an element whose hook nobody registered is reported.
  settle(root) {
    this.#settled = true;
    this.sync(root);
  }

  // Fire the callback the server rendered into data-<event> (Python: data_<event>=callback(...)),
  // with `args` after the server's own arguments.
  pushEvent(el, event, args) {
    const attribute = `data-${event}`;
    let call = null;
    try {
      call = JSON.parse(el.getAttribute(attribute));
    } catch {
      // Not JSON: reported below.
    }
    if (!Array.isArray(call) || typeof call[0] !== "string" || !Array.isArray(call[1])) {
      const python = attribute.replaceAll("-", "_");
      return logError("hook.no-callback", `pushEvent("${event}"): render the element with ${python}=callback(...)`, {
        event,
      });
    }
    const [url, serverArgs, options] = call;
    return this.fire(el, url, [...serverArgs, ...args], options ?? {});
  }
}

// The page's hooks.
export const hooks = new Hooks();
