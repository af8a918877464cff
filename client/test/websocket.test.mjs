// The socket's reconnect loop (websocket.js) against a fake WebSocket and mocked timers: when it
// retries, with which URL, and when it stops. The browser tests (tests/browser/test_websockets.py,
// tests/chaos/) check the same against a real server; these pin the numbers.
import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";

class FakeWebSocket {
  static made = [];

  constructor(url) {
    this.url = new URL(url);
    this.sent = [];
    this.closedWith = null;
    FakeWebSocket.made.push(this);
  }

  send(text) {
    this.sent.push(JSON.parse(text));
  }

  close(code) {
    this.closedWith = code;
    setTimeout(() => this.onclose?.({ code }), 0); // As a browser does: the close event comes later.
  }

  // What the server does.
  open() {
    this.onopen();
  }

  drop(code = 1006) {
    this.onclose({ code });
  }

  receive(frame) {
    this.onmessage({ data: JSON.stringify(frame) });
  }
}

const classes = new Set();
const seen = []; // [event name, detail.code] of the hypergen:websocket-* events
globalThis.WebSocket = FakeWebSocket;
globalThis.window = Object.assign(new EventTarget(), {
  location: { protocol: "https:", host: "example.test", reload: () => seen.push(["reload"]) },
});
globalThis.document = Object.assign(new EventTarget(), {
  documentElement: { classList: { toggle: (name, on) => (on ? classes.add(name) : classes.delete(name)) } },
  createElement: () => ({}), // morphdom looks for <template> support as it loads.
  querySelectorAll: () => [], // No element hooks on this page (hooks.js looks after each command).
});
for (const name of ["open", "reconnecting", "closed"]) {
  document.addEventListener(`hypergen:websocket-${name}`, (event) => seen.push([name, event.detail.code]));
}
const { config } = await import("../src/config.js");
const { commands } = await import("../src/commands.js");
const { openSocket } = await import("../src/websocket.js");

let url;
let count = 0;

beforeEach(() => {
  url = `wss://example.test/socket/${++count}/`;
  FakeWebSocket.made = [];
  seen.length = 0;
  mock.timers.enable({ apis: ["setTimeout", "setInterval", "Date"] });
  mock.method(Math, "random", () => 0.5); // No jitter: the delays are the base ones.
});

afterEach(() => {
  commands["hypergen.websocket.close"](url);
  mock.timers.reset();
  mock.restoreAll();
  config.wsHeartbeat = [25000, 10000];
  delete config.page;
});

const latest = () => FakeWebSocket.made.at(-1);

// The next attempt comes `ms` after now, not a millisecond sooner.
function assertRetryAfter(ms) {
  const before = FakeWebSocket.made.length;
  mock.timers.tick(Math.ceil(ms) - 1);
  assert.equal(FakeWebSocket.made.length, before, `no attempt before ${ms} ms`);
  mock.timers.tick(1);
  assert.equal(FakeWebSocket.made.length, before + 1, `an attempt after ${ms} ms`);
}

function assertNoMoreAttempts() {
  const before = FakeWebSocket.made.length;
  mock.timers.tick(120_000);
  assert.equal(FakeWebSocket.made.length, before);
}

test("the socket connects at once, over the page's own host for a ws:/ URL", () => {
  openSocket("ws:/chat/lobby/");
  url = "ws:/chat/lobby/";
  assert.equal(FakeWebSocket.made.length, 1);
  assert.equal(latest().url.origin + latest().url.pathname, "wss://example.test/chat/lobby/");
  assert.ok(classes.has("hypergen-ws-connecting"));
  latest().open();
  assert.ok(classes.has("hypergen-ws-open") && !classes.has("hypergen-ws-connecting"));
});

test("a lost connection is retried after 0.5 s, then 1.6 times later each time, up to 10 s", () => {
  openSocket(url);
  for (const delay of [500, 800, 1280, 2048, 3276.8, 5242.88, 8388.608, 10000, 10000]) {
    latest().drop(1006);
    assertRetryAfter(delay);
  }
  assert.deepEqual(seen.at(-1), ["reconnecting", 1006]);
  assert.ok(classes.has("hypergen-ws-reconnecting"));
});

test("jitter spreads the first retry between 0.25 s and 0.75 s", () => {
  Math.random.mock.mockImplementation(() => 0);
  openSocket(url);
  latest().drop();
  assertRetryAfter(250);
  Math.random.mock.mockImplementation(() => 0.999);
  latest().drop();
  assertRetryAfter(500 * 1.499 * 1.6);
});

test("every attempt names the last group message the page applied", () => {
  config.page = "page-7";
  openSocket(url);
  assert.equal(latest().url.searchParams.get("hg_epoch"), "");
  assert.equal(latest().url.searchParams.get("hg_page"), "page-7");
  latest().open();
  latest().receive({ t: "hello", epoch: "e1", seq: 5 });
  latest().receive({ t: "commands", seq: 6, commands: [] });
  latest().drop();
  assertRetryAfter(500);
  const params = latest().url.searchParams;
  assert.deepEqual([params.get("hg_epoch"), params.get("hg_seq"), params.get("hg_restart")], ["e1", "6", null]);
});

test("a restarting server (1012) is retried every half second, with hg_restart, until it is back", () => {
  openSocket(url);
  latest().open();
  latest().drop(1012);
  for (let attempt = 0; attempt < 5; attempt++) {
    assertRetryAfter(500);
    assert.equal(latest().url.searchParams.get("hg_restart"), "1");
    latest().drop(1006); // Not up yet.
  }
  assertRetryAfter(500);
  latest().open();
  latest().drop(1006);
  mock.timers.tick(10_000);
  assert.equal(latest().url.searchParams.get("hg_restart"), null, "only the attempts right after the restart");
});

test("a server that stays down after a restart (1012) is retried fast for 30 s, then with the backoff", () => {
  openSocket(url);
  latest().open();
  latest().drop(1012);
  for (let attempt = 0; attempt < 60; attempt++) {
    assertRetryAfter(500);
    latest().drop(1006); // Not up yet: a stalled deploy, or a site scaled down.
  }
  // 30 s of half-second retries; from then on the usual backoff, growing up to 10 s.
  assertRetryAfter(500);
  latest().drop(1006);
  assertRetryAfter(800);
  latest().drop(1006);
  assertRetryAfter(1280);
});

test("a later failure after recovering from a restart backs off as usual", () => {
  openSocket(url);
  latest().open();
  latest().drop(1012);
  assertRetryAfter(500);
  latest().open(); // The server is back.
  mock.timers.tick(60_000);
  latest().drop(1006); // Much later, a network failure.
  assertRetryAfter(500);
  latest().drop(1006);
  assertRetryAfter(800);
});

test("events queued while offline go out before one sent by a hypergen:websocket-open listener", () => {
  const socket = openSocket(url);
  latest().open();
  latest().drop();
  socket.send({ args: ["typed while offline"] }); // Event 1, kept in the outbox.
  const refresh = () => socket.send({ args: ["refresh on reconnect"] }); // Event 2.
  document.addEventListener("hypergen:websocket-open", refresh, { once: true });
  assertRetryAfter(500);
  latest().open();
  assert.deepEqual(
    latest().sent.map((frame) => frame.id),
    [1, 2],
    "the server acknowledges an id at or below one it ran: 1 after 2 would never run",
  );
});

test("a connection that stayed open 5 s starts the backoff over; a shorter one does not", () => {
  openSocket(url);
  latest().drop();
  assertRetryAfter(500);
  latest().drop();
  assertRetryAfter(800);
  latest().open();
  mock.timers.tick(4000);
  latest().drop();
  assertRetryAfter(1280);
  latest().open();
  mock.timers.tick(5000);
  latest().drop();
  assertRetryAfter(500);
});

for (const code of [4403, 4404, 4429]) {
  test(`close code ${code} is final: the socket shows closed and never connects again`, () => {
    const errors = [];
    const onError = (event) => errors.push(event.detail.code);
    document.addEventListener("hypergen:error", onError);
    try {
      openSocket(url);
      latest().open();
      latest().drop(code);
      assertNoMoreAttempts();
      window.dispatchEvent(new Event("online"));
      assertNoMoreAttempts();
    } finally {
      document.removeEventListener("hypergen:error", onError);
    }
    assert.deepEqual(seen, [["open", undefined], ["closed", code]]);
    assert.deepEqual(errors, ["websocket.refused"]);
    assert.ok(classes.has("hypergen-ws-closed"));
  });
}

test("4401 (the session ended) reloads the page instead of reconnecting", () => {
  openSocket(url);
  latest().open();
  latest().drop(4401);
  assertNoMoreAttempts();
  assert.deepEqual(seen, [["open", undefined], ["closed", 4401], ["reload"]]);
});

test("an attempt that does not open within 4 s is given up and retried", () => {
  openSocket(url);
  const hung = latest();
  mock.timers.tick(3999);
  assert.equal(hung.closedWith, null);
  mock.timers.tick(1);
  assert.equal(hung.closedWith, 1000);
  assertRetryAfter(500);
});

test("back online, the socket connects at once instead of waiting out the backoff", () => {
  openSocket(url);
  for (const delay of [500, 800, 1280, 2048]) {
    latest().drop();
    assertRetryAfter(delay);
  }
  latest().drop(); // The next attempt would be 3.3 s away.
  const before = FakeWebSocket.made.length;
  window.dispatchEvent(new Event("online"));
  mock.timers.tick(0);
  assert.equal(FakeWebSocket.made.length, before + 1);
  latest().open();
  assertNoMoreAttempts(); // The retry that was waiting is gone: one connection, not two.
  assert.ok(classes.has("hypergen-ws-open"));
});

test("gone offline, an open socket is dropped at once and a new one tried", () => {
  openSocket(url);
  const first = latest();
  first.open();
  window.dispatchEvent(new Event("offline"));
  assert.equal(first.closedWith, 1000);
  assert.ok(classes.has("hypergen-ws-reconnecting"));
  mock.timers.tick(0); // The new attempt, and the old connection's close event, which is not heard.
  assert.equal(FakeWebSocket.made.length, 2);
  latest().open();
  assertNoMoreAttempts();
  assert.ok(classes.has("hypergen-ws-open"));
});

test("a socket whose server stops answering the heartbeat is closed with 4000 and reconnected", () => {
  config.wsHeartbeat = [1000, 500];
  openSocket(url);
  const first = latest();
  first.open();
  mock.timers.tick(1000);
  assert.deepEqual(first.sent, [{ t: "ping" }]);
  first.receive({ t: "pong" });
  mock.timers.tick(1000); // Answered: the next ping goes out.
  assert.equal(first.closedWith, null);
  mock.timers.tick(500); // Not answered.
  assert.equal(first.closedWith, 4000);
  assert.deepEqual(seen.at(-1), ["reconnecting", 4000]);
  mock.timers.tick(0);
  assert.equal(FakeWebSocket.made.length, 2, "reconnected at once");
});

test("events sent while the socket is not open are sent in order when it opens", () => {
  const socket = openSocket(url);
  socket.send({ args: ["A"], meta: {} });
  socket.send({ args: ["B"], meta: {} });
  assert.deepEqual(latest().sent, []);
  latest().open();
  assert.deepEqual(
    latest().sent.map((event) => [event.id, event.args[0]]),
    [
      [1, "A"],
      [2, "B"],
    ],
  );
});

test("a socket the page closes stops retrying and says so once", () => {
  openSocket(url);
  latest().drop();
  commands["hypergen.websocket.close"](url);
  assertNoMoreAttempts();
  assert.deepEqual(seen, [
    ["reconnecting", 1006],
    ["closed", 1000],
  ]);
});

test("a splice is rebuilt from what this connection received; after reconnecting it is not guessed at", () => {
  const morphed = [];
  mock.method(commands, "hypergen.morph", (id, html) => morphed.push([id, html]));
  const big = "<li>todo</li>".repeat(100);
  const splice = ["hypergen.morphSplice", "todos", big.length, ["<li>done</li>", [13, big.length]]];
  openSocket(url);
  latest().open();
  latest().receive({ t: "commands", commands: [["hypergen.morph", "todos", big]] });
  latest().receive({ t: "commands", commands: [splice] });
  assert.deepEqual(morphed.at(-1), ["todos", "<li>done</li>" + big.slice(13)]);
  latest().drop();
  assertRetryAfter(500);
  latest().open();
  const reconnected = latest();
  reconnected.receive({ t: "commands", seq: 1, commands: [splice] }); // The new consumer never sent it a base.
  assert.equal(morphed.length, 2, "a splice without its base on this connection is not run");
  assert.equal(reconnected.closedWith, 1000, "the connection is dropped, so that both ends start afresh");
  mock.timers.tick(0);
  assert.equal(FakeWebSocket.made.length, 3, "and a new one opened at once");
});
