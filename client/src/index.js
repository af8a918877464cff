// The Hypergen browser client: window.hypergen, used by the event attributes Python renders.
import { callback, callJs, transports, when } from "./callback.js";
import { clientState, commands, registerCommand, runCommands, settleCommands } from "./commands.js";
import { config, loadConfig } from "./config.js";
import { hooks } from "./hooks.js";
import { emit, setLogLevel } from "./log.js";
import { initNavigation } from "./navigation.js";
import { decode } from "./wire.js";

// What a hook's this.pushEvent() fires: the callback, as if an event on the hooked element sent it.
hooks.fire = (el, url, args, options) => callback({ currentTarget: el }, url, args, options);

// A hook registered once the page is parsed mounts the elements already in it.
function registerHook(name, definition) {
  hooks.register(name, definition);
  if (document.readyState !== "loading") hooks.sync(document);
}

window.hypergen = {
  callback,
  callJs,
  commands,
  runCommands,
  registerCommand,
  registerHook,
  when,
  transports,
  clientState,
  config,
};

// Scripts that register commands and hooks may run after the first commands (a deferred or
// module script after the client's): until the page's load event, what they need waits for them.
function settle() {
  settleCommands();
  hooks.settle(document);
}

function start() {
  loadConfig();
  setLogLevel(config.logLevel);
  runCommands(decode(config.commands));
  hooks.sync(document);
  initNavigation();
  emit("ready", {});
  if (document.readyState === "complete") settle();
  else window.addEventListener("load", settle);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
