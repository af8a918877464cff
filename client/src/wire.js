// Decoding the tagged values the server sends in command arguments (hypergen/serialization.py):
// {"_t": TYPE, "v": VALUE} becomes the plain value a page can use. Dates, times and decimals
// become their ISO text (what an <input> takes), the collections arrays, a dict an object.
// An unknown tag is an error, never guessed at.

export class WireError extends Error {}

const AS_TEXT = new Set(["date", "datetime", "time", "decimal", "month", "week"]);
const AS_ARRAY = new Set(["tuple", "set", "frozenset", "deque"]);
const MAX_RANGE = 100000;

export function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value === null || typeof value !== "object") return value;
  if (!Object.hasOwn(value, "_t")) {
    const plain = {};
    for (const [key, item] of Object.entries(value)) plain[key] = decode(item);
    return plain;
  }
  const { _t: tag, v: raw } = value;
  if (AS_TEXT.has(tag) && typeof raw === "string") return raw;
  if (AS_ARRAY.has(tag) && Array.isArray(raw)) return raw.map(decode);
  if (tag === "range" && Array.isArray(raw) && raw.length === 3) return expandRange(...raw);
  if (tag === "dict" && Array.isArray(raw)) {
    const object = {};
    for (const [key, item] of raw) object[String(decode(key))] = decode(item);
    return object;
  }
  throw new WireError(`cannot read the wire value ${JSON.stringify(value).slice(0, 80)}`);
}

function expandRange(start, stop, step) {
  const count = Math.max(0, Math.ceil((stop - start) / step));
  if (!Number.isInteger(start) || !Number.isInteger(step) || step === 0 || count > MAX_RANGE) {
    throw new WireError(`range(${start}, ${stop}, ${step}) is not a range the page can hold`);
  }
  return Array.from({ length: count }, (_, n) => start + n * step);
}
