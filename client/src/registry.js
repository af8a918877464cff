// Commands a page's own script adds with hypergen.registerCommand(name, fn), next to the
// built-in ones. The server may send them before that script has run (a page's first commands
// run as soon as the client loads): such commands wait for their registration until the page's
// load event, and what is still waiting then is handed back to be reported.

// Identifiers joined by dots, at least two: "myapp.showToast" (hypergen/callbacks.py checks the same).
export const COMMAND_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

export class CommandRegistry {
  #builtins;
  #registered = new Map();
  #held = []; // [name, args] of commands that came before their registration.
  #maxHeld;
  #settled = false;

  constructor(builtins, maxHeld = 1000) {
    this.#builtins = builtins;
    this.#maxHeld = maxHeld;
  }

  // Add a command; returns the held commands it can run now, in the order they came.
  register(name, fn) {
    const call = `hypergen.registerCommand(${JSON.stringify(name)})`;
    if (typeof name !== "string" || !COMMAND_NAME.test(name)) {
      throw new TypeError(`${call}: name it like "myapp.showToast": identifiers joined by dots.`);
    }
    if (name.startsWith("hypergen.") || Object.hasOwn(this.#builtins, name)) {
      throw new Error(`${call}: names starting with "hypergen." are built in; use your own, e.g. "myapp.showToast".`);
    }
    if (this.#registered.has(name)) throw new Error(`${call}: "${name}" is registered already.`);
    if (typeof fn !== "function") throw new TypeError(`${call} takes a function, not ${typeof fn}.`);
    this.#registered.set(name, fn);
    const ready = this.#held.filter(([heldName]) => heldName === name);
    this.#held = this.#held.filter(([heldName]) => heldName !== name);
    return ready;
  }

  find(name) {
    if (Object.hasOwn(this.#builtins, name)) return this.#builtins[name];
    return this.#registered.get(name) ?? null;
  }

  // Keep an unknown command until its registration; false when it cannot be registered any more.
  hold(name, args) {
    const registrable = typeof name === "string" && COMMAND_NAME.test(name) && !name.startsWith("hypergen.");
    if (this.#settled || !registrable || this.#held.length >= this.#maxHeld) return false;
    this.#held.push([name, args]);
    return true;
  }

  // The page has loaded: from now on unknown commands are errors. Returns what nobody registered.
  settle() {
    this.#settled = true;
    return this.#held.splice(0);
  }
}
