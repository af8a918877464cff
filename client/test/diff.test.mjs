import assert from "node:assert/strict";
import { test } from "node:test";
import { Bases } from "../src/diff.js";
import { readFrame } from "../src/frames.js";
import { Outbox } from "../src/outbox.js";
import { fixture } from "./fixtures.mjs";

const BIG = Array.from({ length: 100 }, (_, n) => `<li id="todo-${n}">Todo ${n}</li>`).join("");

test("a splice Python made becomes the morph it stands for (UTF-16 lengths, astral characters)", () => {
  const bases = new Bases();
  const [first, second] = fixture.splice.frames;
  assert.equal(readFrame(first, new Outbox("s"), bases).kind, "group");
  const action = readFrame(second, new Outbox("s"), bases);
  assert.deepEqual(action, { kind: "commands", commands: [["hypergen.morph", "todos", fixture.splice.html]] });
});

test("each morph's HTML becomes the base of the next splice of its target, in arrival order", () => {
  const bases = new Bases();
  const second = BIG.replace("Todo 5<", "Done 5<");
  const at = BIG.indexOf("Todo 5<");
  const list = [
    ["hypergen.morph", "todos", BIG],
    ["hypergen.morphSplice", "todos", BIG.length, [[0, at], "Done", [at + 4, BIG.length]]],
    ["hypergen.morphSplice", "todos", second.length, [[0, second.length], "<li>more</li>"]],
  ];
  assert.equal(bases.expand(list), null);
  assert.deepEqual(list[1], ["hypergen.morph", "todos", second]);
  assert.deepEqual(list[2], ["hypergen.morph", "todos", second + "<li>more</li>"]);
});

test("a splice without a base, or with a base of another length, is stale: never guessed at", () => {
  const bases = new Bases();
  assert.equal(bases.expand([["hypergen.morphSplice", "todos", 10, ["x"]]]), "todos");
  bases.expand([["hypergen.morph", "todos", BIG]]);
  assert.equal(bases.expand([["hypergen.morphSplice", "todos", BIG.length + 1, ["x"]]]), "todos");
  const frame = JSON.stringify({ t: "commands", seq: 4, commands: [["hypergen.morphSplice", "other", 5, [[0, 5]]]] });
  assert.deepEqual(readFrame(frame, new Outbox("s"), bases), {
    kind: "stale",
    seq: 4,
    message: 'no base for the splice of "other"',
  });
});

test("short HTML is not kept (the server does not remember it either), and the target's old base is dropped", () => {
  const bases = new Bases();
  bases.expand([["hypergen.morph", "todos", BIG]]);
  bases.expand([["hypergen.morph", "todos", "<li>one</li>"]]);
  assert.equal(bases.html.has("todos"), false);
  assert.equal(bases.expand([["hypergen.morphSplice", "todos", 12, [[0, 8], "two"]]]), "todos");
});

test("commands other than morphs pass through untouched", () => {
  const bases = new Bases();
  const list = [["hypergen.append", "todos", BIG], ["hypergen.setText", "n", 3]];
  assert.equal(bases.expand(list), null);
  assert.deepEqual(list, [["hypergen.append", "todos", BIG], ["hypergen.setText", "n", 3]]);
  assert.equal(bases.html.size, 0);
});

test("a morph with more arguments is the target's HTML too, as the server takes it", () => {
  const bases = new Bases();
  const sameLength = BIG.replace("Todo 90", "Todo XX");
  bases.expand([["hypergen.morph", "todos", BIG]]);
  bases.expand([["hypergen.morph", "todos", sameLength, { focus: true }]]);
  const list = [["hypergen.morphSplice", "todos", sameLength.length, [[0, sameLength.length]]]];
  assert.equal(bases.expand(list), null);
  assert.deepEqual(list[0], ["hypergen.morph", "todos", sameLength]);
});

test("a morph without HTML drops the target's base", () => {
  const bases = new Bases();
  bases.expand([["hypergen.morph", "todos", BIG]]);
  bases.expand([["hypergen.morph", "todos", 7]]);
  assert.equal(bases.html.has("todos"), false);
});

test("a frame whose values cannot be read still keeps its morphs' HTML as the bases", () => {
  const bases = new Bases();
  const unreadable = { _t: "range", v: [0, 10 ** 9, 1] }; // More than a page can hold.
  const first = JSON.stringify({ t: "commands", seq: 1, commands: [["hypergen.morph", "todos", BIG], ["x", unreadable]] });
  assert.equal(readFrame(first, new Outbox("s"), bases).kind, "bad");
  const next = JSON.stringify({ t: "commands", seq: 2, commands: [["hypergen.morphSplice", "todos", BIG.length, [[0, 9]]]] });
  assert.deepEqual(readFrame(next, new Outbox("s"), bases).commands, [["hypergen.morph", "todos", BIG.slice(0, 9)]]);
});
