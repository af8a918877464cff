import assert from "node:assert/strict";
import { test } from "node:test";
import { attributeProblem, pathProblem, urlProblem } from "../src/sinks.js";

// The same cases as tests/unit/test_js.py: the client refuses what the server refuses.
const UNSAFE = ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\x01javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/", "\\\\evil.example/",
  "/\\evil.example/"]; // prettier-ignore
const SAFE = ["/next/", "next/", "?page=2", "#top", "https://example.com/x", "http://a.b", "mailto:a@b.c", "tel:+4512"];

for (const url of UNSAFE) {
  test(`refuses the URL ${JSON.stringify(url)}`, () => assert.notEqual(urlProblem(url, "shop.example"), null));
}
for (const url of SAFE) {
  test(`accepts the URL ${JSON.stringify(url)}`, () => assert.equal(urlProblem(url, "shop.example"), null));
}

test("a protocol-relative URL to the page's own host is fine", () => {
  assert.equal(urlProblem("//shop.example/basket/", "shop.example"), null);
});

test("event handler attributes and srcdoc are refused, others are not", () => {
  for (const name of ["onclick", "ONMOUSEOVER", "onerror", "srcdoc"]) assert.notEqual(attributeProblem(name), null);
  for (const name of ["href", "class", "data-on"]) assert.equal(attributeProblem(name), null);
});

test("client state paths cannot reach a prototype", () => {
  for (const path of ["__proto__.x", "constructor.prototype.x", "a.prototype"]) {
    assert.notEqual(pathProblem(path.split(".")), null);
  }
  assert.equal(pathProblem(["picked", "value"]), null);
});
