import assert from "node:assert/strict";
import { test } from "node:test";
import { MAX_WAITING, Sequence } from "../src/sequence.js";

// A small seeded generator: the same "random" orders on every run, many of them.
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function shuffled(items, random) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

test("messages are applied once each, in seq order, whatever order and repeats they come in", () => {
  for (let seed = 1; seed <= 500; seed++) {
    const random = generator(seed);
    const start = Math.floor(random() * 5);
    const count = 1 + Math.floor(random() * 40);
    const numbers = Array.from({ length: count }, (_, i) => start + 1 + i);
    const repeated = numbers.filter(() => random() < 0.3);
    const sequence = new Sequence();
    sequence.start("e", start);
    const applied = [];
    for (const seq of shuffled([...numbers, ...repeated], random)) applied.push(...sequence.receive(seq, seq));
    assert.deepEqual(applied, numbers, `seed ${seed}`);
    assert.equal(sequence.gap, null);
    assert.equal(sequence.last, start + count);
  }
});

test("a hole is a gap until a replay fills it; messages before the start are duplicates", () => {
  const sequence = new Sequence();
  assert.deepEqual(sequence.start("e", 4), []);
  assert.deepEqual(sequence.receive(3, "old"), []);
  assert.deepEqual(sequence.receive(5, "5"), ["5"]);
  assert.deepEqual(sequence.receive(8, "8"), []);
  assert.deepEqual(sequence.gap, [6, 7]);
  assert.deepEqual(sequence.resumePoint, { epoch: "e", seq: 5 });
  // The replay after a hello at 5: 6 and 7 again, then the waiting 8.
  assert.deepEqual(sequence.start("e", 5), []);
  assert.deepEqual(sequence.receive(6, "6"), ["6"]);
  assert.deepEqual(sequence.receive(7, "7"), ["7", "8"]);
  assert.equal(sequence.gap, null);
});

test("a resync starts over from where the server is, dropping what waited before it", () => {
  const sequence = new Sequence();
  sequence.start("old", 2);
  sequence.receive(9, "9");
  sequence.receive(12, "12");
  assert.deepEqual(sequence.start("new", 10), []);
  assert.deepEqual(sequence.gap, [11, 11]);
  assert.deepEqual(sequence.receive(11, "11"), ["11", "12"]);
  assert.deepEqual(sequence.resumePoint, { epoch: "new", seq: 12 });
});

test("without a hello (a server taking no part in replay) the first message sets the start", () => {
  const sequence = new Sequence();
  assert.equal(sequence.resumePoint, null);
  assert.deepEqual(sequence.receive(40, "40"), ["40"]);
  assert.deepEqual(sequence.receive(41, "41"), ["41"]);
});

test("what waits is bounded", () => {
  const sequence = new Sequence();
  sequence.start("e", 0);
  for (let seq = 2; seq < MAX_WAITING + 100; seq++) sequence.receive(seq, seq);
  assert.equal(sequence.waiting.size, MAX_WAITING);
});
