import assert from "node:assert/strict";
import { test } from "node:test";
import { Outbox } from "../src/outbox.js";
import { fixture } from "./fixtures.mjs";

test("events are numbered from 1 and carry the socket's id", () => {
  const outbox = new Outbox("socket-a");
  const first = outbox.add(fixture.event);
  const second = outbox.add(fixture.event);
  assert.deepEqual(JSON.parse(first.text), { id: 1, sid: "socket-a", ...fixture.event });
  assert.equal(second.id, 2);
});

test("unacknowledged events are sent again in order; acknowledged ones are not", () => {
  const outbox = new Outbox("s");
  const texts = [1, 2, 3].map(() => outbox.add({ args: [], meta: {} }).text);
  assert.equal(outbox.acknowledge(2), true);
  assert.deepEqual(outbox.unacknowledged(), [texts[0], texts[2]]);
  assert.equal(outbox.acknowledge(2), false, "a second ack of the same event changes nothing");
});

test("past its bound the outbox drops the oldest event and says which", () => {
  const outbox = new Outbox("s", 2);
  outbox.add({ args: [1], meta: {} });
  outbox.add({ args: [2], meta: {} });
  const third = outbox.add({ args: [3], meta: {} });
  assert.equal(third.dropped, 1);
  assert.deepEqual(
    outbox.unacknowledged().map((text) => JSON.parse(text).args[0]),
    [2, 3],
  );
});

test("each event is settled once: when acknowledged, or when pushed out", () => {
  const outbox = new Outbox("s", 2);
  const outcomes = [];
  for (const n of [1, 2, 3]) outbox.add({ args: [n], meta: {} }, (outcome) => outcomes.push([n, outcome]));
  outbox.acknowledge(3);
  outbox.acknowledge(3);
  assert.deepEqual(outcomes, [
    [1, "dropped"],
    [3, "acknowledged"],
  ]);
});
