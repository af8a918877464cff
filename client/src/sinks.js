// What commands may put into the page, checked again in the browser (the server checks first):
// no javascript:, data: or vbscript: URLs, no event handler attributes, no keys that reach
// Object.prototype. hypergen/safeurl.py and hypergen/js.py hold the same rules.

export const SAFE_SCHEMES = new Set(["http", "https", "ftp", "mailto", "tel", "sms"]);
export const URL_ATTRIBUTES = new Set([
  "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "cite", "ping", "codebase",
]); // prettier-ignore
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

// Browsers drop control characters and spaces around a URL, tabs and newlines inside it, and read "\" as "/".
function asTheBrowserReadsIt(url) {
  return url.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "").replace(/[\t\n\r]/g, "").replace(/\\/g, "/");
}

// Why the page must not load `url`, or null. A protocol-relative URL is fine for this page's host only.
export function urlProblem(url, ownHost) {
  if (typeof url !== "string") return `a URL must be a string, not ${typeof url}`;
  const seen = asTheBrowserReadsIt(url);
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(seen);
  if (scheme) {
    const name = scheme[1].toLowerCase();
    return SAFE_SCHEMES.has(name) ? null : `its ${name}: scheme is not one of ${[...SAFE_SCHEMES].join(", ")}`;
  }
  if (seen.startsWith("//")) {
    const host = seen.slice(2).split(/[/?#]/)[0];
    if (host.toLowerCase() !== String(ownHost ?? "").toLowerCase()) return `it leaves for the host "${host}"`;
  }
  return null;
}

// Why setAttribute must not set `name`, or null: it runs script (on*) or holds HTML (srcdoc).
export function attributeProblem(name) {
  if (typeof name !== "string") return "an attribute name must be a string";
  return /^on/i.test(name) || name.toLowerCase() === "srcdoc" ? `"${name}" runs script or holds HTML` : null;
}

// Why a client state path must not be used, or null.
export function pathProblem(keys) {
  const bad = keys.find((key) => FORBIDDEN_KEYS.has(key));
  return bad === undefined ? null : `"${bad}" would reach the prototype of every object`;
}
