import assert from "node:assert/strict";
import { test } from "node:test";
import { CommandRegistry } from "../src/registry.js";

const builtins = { "hypergen.hide": () => {} };

test("a registered command is found by its name, next to the built-in ones", () => {
  const registry = new CommandRegistry(builtins);
  const showToast = () => {};
  registry.register("myapp.showToast", showToast);
  assert.equal(registry.find("myapp.showToast"), showToast);
  assert.equal(registry.find("hypergen.hide"), builtins["hypergen.hide"]);
  assert.equal(registry.find("myapp.other"), null);
  assert.equal(registry.find("toString"), null, "nothing inherited from Object.prototype");
});

test("registering a name twice is an error", () => {
  const registry = new CommandRegistry(builtins);
  registry.register("myapp.showToast", () => {});
  assert.throws(() => registry.register("myapp.showToast", () => {}), /"myapp.showToast" is registered already/);
});

test("a built-in name, or any hypergen. name, cannot be registered", () => {
  const registry = new CommandRegistry(builtins);
  for (const name of ["hypergen.hide", "hypergen.showToast"]) {
    assert.throws(() => registry.register(name, () => {}), /names starting with "hypergen." are built in/);
  }
});

test("a name must be identifiers joined by dots", () => {
  const registry = new CommandRegistry(builtins);
  for (const name of ["showToast", "myapp.", ".x", "my app.x", "a..b", "1app.x", "window.alert()", "", null]) {
    assert.throws(() => registry.register(name, () => {}), TypeError, String(name));
  }
});

test("the command must be a function", () => {
  assert.throws(() => new CommandRegistry(builtins).register("myapp.x", "alert(1)"), /takes a function/);
});

test("commands that arrive before the page loaded wait for their registration, in order", () => {
  const registry = new CommandRegistry(builtins);
  assert.equal(registry.hold("myapp.showToast", ["one"]), true);
  assert.equal(registry.hold("myapp.other", []), true);
  assert.equal(registry.hold("myapp.showToast", ["two"]), true);
  assert.deepEqual(registry.register("myapp.showToast", () => {}), [
    ["myapp.showToast", ["one"]],
    ["myapp.showToast", ["two"]],
  ]);
  assert.deepEqual(registry.settle(), [["myapp.other", []]], "what nobody registered is handed back to report");
});

test("once the page has loaded, an unknown command is not held", () => {
  const registry = new CommandRegistry(builtins);
  registry.settle();
  assert.equal(registry.hold("myapp.showToast", []), false);
});

test("an unknown hypergen. name or a malformed one is never held: no script can register it", () => {
  const registry = new CommandRegistry(builtins);
  assert.equal(registry.hold("hypergen.hid", []), false);
  assert.equal(registry.hold("alert", []), false);
});

test("holding is bounded", () => {
  const registry = new CommandRegistry(builtins, 2);
  assert.equal(registry.hold("myapp.a", []), true);
  assert.equal(registry.hold("myapp.a", []), true);
  assert.equal(registry.hold("myapp.a", []), false);
});
