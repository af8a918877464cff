// Partial loading: links between liveviews that share a base template fetch only the
// content, morph it in and push history; back and forward load the content the same way.
import { config } from "./config.js";
import { runCommands } from "./commands.js";
import { emit } from "./log.js";
import { closeSocketsOfEarlierPages, newPage } from "./websocket.js";
import { decode } from "./wire.js";

const HEADER = "X-Hypergen-Partial";

function isPartialLink(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return null;
  }
  const link = event.target.closest?.("a[href]");
  if (!link || link.hasAttribute("download") || link.dataset.hypergenPartial === "false") return null;
  if (link.getAttribute("href").startsWith("#")) return null; // An anchor on this page, or a script's "#".
  if (link.target && link.target !== "_self") return null;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin) return null;
  const samePage = url.pathname === window.location.pathname && url.search === window.location.search;
  if (samePage && url.hash) return null; // An anchor on this page.
  return url;
}

async function load(url, push) {
  let response;
  try {
    response = await fetch(url, { headers: { [HEADER]: config.targetId, Accept: "application/json" } });
  } catch {
    return window.location.assign(url);
  }
  // Anything but a partial answer (another base template, a plain Django view, a redirect to
  // the login page, an error page) is loaded the ordinary way.
  if (!response.ok || response.headers.get(HEADER) !== config.targetId) {
    return push ? window.location.assign(response.url || url) : window.location.reload();
  }
  let commands;
  try {
    commands = decode(await response.json());
  } catch {
    return window.location.assign(response.url || url);
  }
  if (push) window.history.pushState({ hypergen: true }, "", response.url || url);
  // The new content's commands open the sockets it uses; the previous content's others are closed.
  newPage();
  runCommands(commands);
  closeSocketsOfEarlierPages();
  if (push) window.scrollTo(0, 0);
  emit("navigated", { url: String(url) });
}

// Load this page's content again and morph it in (a socket missed group messages the server no
// longer keeps); a page without partial loading reloads.
export function reloadContent() {
  if (!config.partial || !config.targetId) return window.location.reload();
  return load(new URL(window.location.href), false);
}

export function initNavigation() {
  if (!config.partial || !config.targetId) return;
  window.history.replaceState({ hypergen: true }, "");
  document.addEventListener("click", (event) => {
    const url = isPartialLink(event);
    if (!url) return;
    event.preventDefault();
    load(url, true);
  });
  window.addEventListener("popstate", (event) => {
    if (event.state?.hypergen) load(new URL(window.location.href), false);
  });
}
