import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";
import { Hooks } from "../src/hooks.js";

// Just enough of the DOM for the hooks' bookkeeping: elements with attributes, in or out of the page.
class FakeElement {
  constructor(hook, attributes = {}) {
    this.attributes = { "data-hypergen-hook": hook, ...attributes };
    this.isConnected = true;
  }
  getAttribute(name) {
    return Object.hasOwn(this.attributes, name) ? this.attributes[name] : null;
  }
}

function fakePage(elements) {
  return {
    querySelectorAll: () => elements.filter((el) => el.isConnected && el.getAttribute("data-hypergen-hook") !== null),
  };
}

let errors;
beforeEach(() => {
  errors = [];
  globalThis.document = { dispatchEvent: (event) => errors.push(event.detail.code) };
});

// A hook that writes what it is told into `calls`, as [method, element's id].
function recorder(calls) {
  const record = (method) =>
    function (el) {
      assert.equal(el, this.el, "the element is given, and is this.el too");
      calls.push([method, el.attributes.id]);
    };
  return { mounted: record("mounted"), updated: record("updated"), destroyed: record("destroyed") };
}

test("an element is mounted once, updated only when a morph changed it, destroyed when it left", () => {
  const calls = [];
  const hooks = new Hooks();
  hooks.register("Chart", recorder(calls));
  const chart = new FakeElement("Chart", { id: "a" });
  const page = fakePage([chart]);
  hooks.sync(page);
  hooks.sync(page);
  hooks.noteUpdated(chart);
  hooks.sync(page);
  hooks.sync(page);
  chart.isConnected = false;
  hooks.sync(page);
  hooks.sync(page);
  assert.deepEqual(calls, [
    ["mounted", "a"],
    ["updated", "a"],
    ["destroyed", "a"],
  ]);
});

test("elements already in the page are mounted when their hook is registered", () => {
  const calls = [];
  const hooks = new Hooks();
  const page = fakePage([new FakeElement("Chart", { id: "a" }), new FakeElement("Other", { id: "b" })]);
  hooks.sync(page);
  hooks.register("Chart", recorder(calls));
  hooks.sync(page);
  assert.deepEqual(calls, [["mounted", "a"]]);
  assert.deepEqual(errors, [], "before the page has loaded, a hook nobody registered yet is no error");
});

test("an element whose hook name changed is destroyed as the old hook and mounted as the new one", () => {
  const calls = [];
  const hooks = new Hooks();
  hooks.register("Chart", recorder(calls));
  hooks.register("Table", recorder(calls));
  const el = new FakeElement("Chart", { id: "a" });
  const page = fakePage([el]);
  hooks.sync(page);
  el.attributes["data-hypergen-hook"] = "Table";
  hooks.noteUpdated(el);
  hooks.sync(page);
  assert.deepEqual(calls, [
    ["mounted", "a"],
    ["destroyed", "a"],
    ["mounted", "a"],
  ]);
});

test("each element has its own hook object: state set in mounted() is there in updated()", () => {
  const seen = [];
  const hooks = new Hooks();
  hooks.register("Counter", {
    mounted() {
      this.count = 0;
    },
    updated() {
      this.count += 1;
      seen.push([this.el.attributes.id, this.count]);
    },
  });
  const one = new FakeElement("Counter", { id: "one" });
  const two = new FakeElement("Counter", { id: "two" });
  const page = fakePage([one, two]);
  hooks.sync(page);
  hooks.noteUpdated(one);
  hooks.sync(page);
  hooks.noteUpdated(one);
  hooks.noteUpdated(two);
  hooks.sync(page);
  assert.deepEqual(seen, [
    ["one", 1],
    ["one", 2],
    ["two", 1],
  ]);
});

test("methods a hook leaves out are simply not called", () => {
  const hooks = new Hooks();
  hooks.register("Quiet", {});
  const el = new FakeElement("Quiet");
  hooks.sync(fakePage([el]));
  hooks.noteUpdated(el);
  el.isConnected = false;
  hooks.sync(fakePage([el]));
  assert.deepEqual(errors, []);
});

test("a hook that throws is reported, and the other hooks still run", () => {
  const calls = [];
  const hooks = new Hooks();
  hooks.register("Broken", {
    mounted() {
      throw new Error("boom");
    },
  });
  hooks.register("Chart", recorder(calls));
  hooks.sync(fakePage([new FakeElement("Broken"), new FakeElement("Chart", { id: "a" })]));
  assert.deepEqual(errors, ["hook.failed"]);
  assert.deepEqual(calls, [["mounted", "a"]]);
});

test("once the page has loaded, an element whose hook nobody registered is reported, once", () => {
  const hooks = new Hooks();
  const page = fakePage([new FakeElement("Missing")]);
  hooks.sync(page);
  assert.deepEqual(errors, []);
  hooks.settle(page);
  hooks.sync(page);
  assert.deepEqual(errors, ["hook.unknown"]);
});

test("registering a hook twice, a malformed name or a definition that is not an object is an error", () => {
  const hooks = new Hooks();
  hooks.register("Chart", {});
  assert.throws(() => hooks.register("Chart", {}), /"Chart" is registered already/);
  for (const name of ["", "my chart", "1Chart", "Chart()", null]) {
    assert.throws(() => hooks.register(name, {}), TypeError, String(name));
  }
  assert.throws(() => hooks.register("Table", () => {}), /an object with mounted/);
  assert.throws(() => hooks.register("Table", { mounted: "draw()" }), /mounted must be a function/);
});

test("pushEvent fires the callback the server rendered into data-<name>, with the hook's arguments last", () => {
  const fired = [];
  const hooks = new Hooks((...call) => fired.push(call));
  let hook;
  hooks.register("Chart", {
    mounted() {
      hook = this;
    },
  });
  const el = new FakeElement("Chart", { "data-zoom": JSON.stringify(["/chart/zoom/", ["c1"], { debounce: 50 }]) });
  hooks.sync(fakePage([el]));
  hook.pushEvent("zoom", 2, 10);
  assert.deepEqual(fired, [[el, "/chart/zoom/", ["c1", 2, 10], { debounce: 50 }]]);
});

test("pushEvent with no callback in the attribute is reported", () => {
  const fired = [];
  const hooks = new Hooks((...call) => fired.push(call));
  let hook;
  hooks.register("Chart", {
    mounted() {
      hook = this;
    },
  });
  hooks.sync(fakePage([new FakeElement("Chart", { "data-zoom": "not json" })]));
  hook.pushEvent("zoom");
  hook.pushEvent("missing");
  assert.deepEqual(fired, []);
  assert.deepEqual(errors, ["hook.no-callback", "hook.no-callback"]);
});
