// Reading element values when an event fires, typed for the server (see hypergen/serialization.py).
import { logError } from "./log.js";

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TAGGED_INPUTS = { date: "date", time: "time", "datetime-local": "datetime", month: "month", week: "week" };

function toNumber(text, integer) {
  if (text.trim() === "") return null;
  const n = Number(text);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) return null;
  return n;
}

// JSON has one number type: a float is tagged so that a whole one reaches Python as 3.0, not 3.
function asFloat(n) {
  return n === null ? null : { _t: "float", v: n };
}

// `coerce` (from coerce_to= or the Python type of value=) wins over the input type.
function coerced(text, coerce) {
  switch (coerce) {
    case "int":
      return toNumber(text, true);
    case "float":
      return asFloat(toNumber(text, false));
    case "decimal":
      return DECIMAL.test(text.trim()) ? { _t: "decimal", v: text.trim() } : null;
    case "date":
    case "datetime":
    case "time":
      return text ? { _t: coerce, v: text } : null;
    default:
      return text;
  }
}

function radioGroup(el) {
  if (!el.name) return [el];
  const scope = el.form ?? document;
  return scope.querySelectorAll(`input[type=radio][name="${CSS.escape(el.name)}"]`);
}

export function elementValue(el, coerce) {
  const type = (el.type || "").toLowerCase();
  if (el.tagName === "SELECT" && el.multiple) return [...el.selectedOptions].map((o) => coerced(o.value, coerce));
  if (type === "checkbox") return el.checked;
  if (type === "radio") {
    const chosen = [...radioGroup(el)].find((radio) => radio.checked);
    return chosen ? coerced(chosen.value, coerce) : null;
  }
  if (type === "file") {
    const names = [...el.files].map((file) => file.name);
    return el.multiple ? names : (names[0] ?? null);
  }
  const isField = el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT";
  if (!isField && el.isContentEditable) return el.innerHTML;
  const text = el.value ?? "";
  if (coerce) return coerced(text, coerce);
  if (type === "number") return toNumber(text, false);
  if (type === "range") return asFloat(toNumber(text, false));
  if (TAGGED_INPUTS[type]) return text ? { _t: TAGGED_INPUTS[type], v: text } : null;
  return text;
}

// Replace element references and THIS in callback arguments with current values;
// the referenced elements are collected in `refs` (for clear= and file uploads).
export function resolveArgs(value, thisElement, refs) {
  if (Array.isArray(value)) return value.map((item) => resolveArgs(item, thisElement, refs));
  if (value === null || typeof value !== "object") return value;
  if (!Object.hasOwn(value, "_t")) {
    // A dict argument: its values may be element references too.
    const resolved = {};
    for (const [key, item] of Object.entries(value)) resolved[key] = resolveArgs(item, thisElement, refs);
    return resolved;
  }
  if (value._t === "this") {
    if (!thisElement) return null;
    refs.push(thisElement);
    return elementValue(thisElement, thisElement.dataset?.hypergenCoerce);
  }
  if (value._t === "element") {
    const [id, coerce] = value.v;
    const el = document.getElementById(id);
    if (!el) {
      logError("dom.missing-id", `the callback reads the element "${id}", which is not in the page`, { id });
      return null;
    }
    refs.push(el);
    return elementValue(el, coerce);
  }
  if (Array.isArray(value.v)) return { _t: value._t, v: resolveArgs(value.v, thisElement, refs) };
  return value;
}

export function clearValue(el) {
  if (el.type === "checkbox" || el.type === "radio") el.checked = false;
  else if (el.tagName === "SELECT") el.selectedIndex = -1;
  else if ("value" in el && el.tagName !== "BUTTON") el.value = "";
  else if (el.isContentEditable) el.innerHTML = "";
}
