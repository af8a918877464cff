import assert from "node:assert/strict";
import { test } from "node:test";
import { readFrame } from "../src/frames.js";
import { Outbox } from "../src/outbox.js";
import { Sequence } from "../src/sequence.js";
import { fixture } from "./fixtures.mjs";

const { frames } = fixture;

function socketWithEvents(count) {
  const outbox = new Outbox("s");
  for (let n = 0; n < count; n++) outbox.add({ args: [n], meta: {} });
  return { outbox, sequence: new Sequence() };
}

test("an ack acknowledges its event and does nothing else", () => {
  const { outbox, sequence } = socketWithEvents(8);
  assert.deepEqual(readFrame(frames.ack, outbox, sequence), { kind: "nothing" });
  assert.equal(outbox.acknowledge(7), false, "event 7 was acknowledged by the frame");
  assert.equal(outbox.size, 7);
});

test("an answer acknowledges its event and gives its commands, decoded", () => {
  const { outbox, sequence } = socketWithEvents(8);
  const action = readFrame(frames.answer, outbox, sequence);
  assert.deepEqual(action, { kind: "commands", commands: fixture.decoded_commands, gap: null });
  assert.equal(outbox.acknowledge(8), false);
});

test("a group message is applied once, and a skipped number is reported as a gap", () => {
  const { outbox, sequence } = socketWithEvents(0);
  assert.equal(readFrame(frames.group, outbox, sequence).kind, "commands");
  assert.deepEqual(readFrame(frames.group, outbox, sequence), { kind: "nothing" }, "seq 12 again is a duplicate");
  const later = frames.group.replace('"seq":12', '"seq":15');
  assert.deepEqual(readFrame(later, outbox, sequence).gap, [13, 14]);
});

test("an error acknowledges its event and is shown", () => {
  const { outbox, sequence } = socketWithEvents(9);
  assert.deepEqual(readFrame(frames.error, outbox, sequence), {
    kind: "error",
    code: "websocket.bad-arguments",
    message: "f() takes 1 argument",
  });
  assert.equal(outbox.size, 8);
  assert.equal(readFrame(frames.unreadable_error, outbox, sequence).kind, "error");
  assert.equal(outbox.size, 8, "an error about an unreadable frame acknowledges nothing");
});

test("a pong is nothing to act on", () => {
  const { outbox, sequence } = socketWithEvents(1);
  assert.deepEqual(readFrame(frames.pong, outbox, sequence), { kind: "nothing" });
  assert.equal(outbox.size, 1);
});

test("frames that cannot be read are reported, not run", () => {
  const { outbox, sequence } = socketWithEvents(0);
  assert.equal(readFrame("not json", outbox, sequence).code, "websocket.malformed");
  assert.equal(readFrame('{"t":"surprise"}', outbox, sequence).code, "websocket.unknown-frame");
  const badValue = '{"t":"commands","seq":1,"commands":[["hypergen.setText","x",{"_t":"pickle","v":1}]]}';
  assert.equal(readFrame(badValue, outbox, sequence).kind, "bad");
});
