import assert from "node:assert/strict";
import { test } from "node:test";
import { readFrame } from "../src/frames.js";
import { Outbox } from "../src/outbox.js";
import { fixture } from "./fixtures.mjs";

const { frames } = fixture;

function outboxWithEvents(count) {
  const outbox = new Outbox("s");
  const outcomes = new Map();
  for (let n = 1; n <= count; n++) outbox.add({ args: [n], meta: {} }, (outcome) => outcomes.set(n, outcome));
  return { outbox, outcomes };
}

test("an ack acknowledges its event and does nothing else", () => {
  const { outbox, outcomes } = outboxWithEvents(8);
  assert.deepEqual(readFrame(frames.ack, outbox), { kind: "nothing" });
  assert.equal(outcomes.get(7), "acknowledged");
  assert.equal(outbox.size, 7);
});

test("an answer acknowledges its event and gives its commands, decoded", () => {
  const { outbox, outcomes } = outboxWithEvents(8);
  assert.deepEqual(readFrame(frames.answer, outbox), { kind: "commands", commands: fixture.decoded_commands });
  assert.equal(outcomes.get(8), "acknowledged");
});

test("a group message gives its number and commands, to be applied in order", () => {
  const { outbox } = outboxWithEvents(0);
  assert.deepEqual(readFrame(frames.group, outbox), { kind: "group", seq: 12, commands: fixture.decoded_commands });
});

test("hello and resync name the epoch and where the page stands", () => {
  const { outbox } = outboxWithEvents(0);
  assert.deepEqual(readFrame(frames.hello, outbox), { kind: "hello", epoch: "3f2a17c0b9d1", seq: 11 });
  assert.deepEqual(readFrame(frames.resync, outbox), { kind: "resync", epoch: "3f2a17c0b9d1", seq: 20 });
  assert.equal(readFrame('{"t":"hello","epoch":1,"seq":"x"}', outbox).kind, "bad");
});

test("an error settles its event as failed (it did not run) and is shown", () => {
  const { outbox, outcomes } = outboxWithEvents(9);
  assert.deepEqual(readFrame(frames.error, outbox), {
    kind: "error",
    code: "websocket.bad-arguments",
    message: "f() takes 1 argument",
  });
  assert.equal(outcomes.get(9), "failed");
  assert.equal(outbox.size, 8);
  assert.equal(readFrame(frames.unreadable_error, outbox).kind, "error");
  assert.equal(outbox.size, 8, "an error about an unreadable frame settles nothing");
});

test("a pong is nothing to act on", () => {
  const { outbox } = outboxWithEvents(1);
  assert.deepEqual(readFrame(frames.pong, outbox), { kind: "nothing" });
  assert.equal(outbox.size, 1);
});

test("frames that cannot be read are reported, not run", () => {
  const { outbox } = outboxWithEvents(0);
  assert.equal(readFrame("not json", outbox).code, "websocket.malformed");
  assert.equal(readFrame('{"t":"surprise"}', outbox).code, "websocket.unknown-frame");
  const badValue = '{"t":"commands","seq":1,"commands":[["hypergen.setText","x",{"_t":"pickle","v":1}]]}';
  assert.equal(readFrame(badValue, outbox).kind, "bad");
});
