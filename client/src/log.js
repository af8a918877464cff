// Diagnostics: console output only at or above the configured level (quiet by default),
// and every error also as a cancelable DOM event `hypergen:error` with a stable code.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
let threshold = LEVELS.error;

export function setLogLevel(name) {
  threshold = LEVELS[name] ?? LEVELS.error;
}

export function log(level, ...parts) {
  if (LEVELS[level] >= threshold) console[level]("[hypergen]", ...parts);
}

// Dispatch `hypergen:<name>`; returns false when a listener called preventDefault().
export function emit(name, detail, target = document) {
  return target.dispatchEvent(new CustomEvent("hypergen:" + name, { detail, bubbles: true, cancelable: true }));
}

export function logError(code, message, meta) {
  log("error", `${code}: ${message}`, meta ?? "");
  return emit("error", { code, message, meta });
}
