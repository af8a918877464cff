// The Hypergen browser client: window.hypergen, used by the event attributes Python renders.
import { callback, callJs, transports, when } from "./callback.js";
import { clientState, commands, runCommands } from "./commands.js";
import { config, loadConfig } from "./config.js";
import { emit, setLogLevel } from "./log.js";
import { initNavigation } from "./navigation.js";
import { decode } from "./wire.js";

window.hypergen = { callback, callJs, commands, runCommands, when, transports, clientState, config };

function start() {
  loadConfig();
  setLogLevel(config.logLevel);
  runCommands(decode(config.commands));
  initNavigation();
  emit("ready", {});
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
