import assert from "node:assert/strict";
import { test } from "node:test";
import { WireError, decode } from "../src/wire.js";
import { fixture } from "./fixtures.mjs";

for (const { name, wire, decoded } of fixture.wire) {
  test(`decodes ${name} as the server encodes it`, () => {
    assert.deepEqual(decode(JSON.parse(wire)), decoded);
  });
}

test("plain JSON is left as it is", () => {
  const value = { a: [1, "two", null, true, { b: 2.5 }] };
  assert.deepEqual(decode(value), value);
});

test("an unknown tag is an error, never guessed at", () => {
  assert.throws(() => decode({ _t: "pickle", v: "..." }), WireError);
  assert.throws(() => decode([{ _t: "date", v: 20261124 }]), WireError);
});

test("a range the page cannot hold is refused", () => {
  assert.throws(() => decode({ _t: "range", v: [0, 1e9, 1] }), WireError);
  assert.throws(() => decode({ _t: "range", v: [0, 10, 0] }), WireError);
});
