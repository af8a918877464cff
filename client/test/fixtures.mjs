// The frames and wire values Python makes (tests/fixtures/protocol.json, kept current by
// tests/unit/test_protocol_fixtures.py).
import { readFileSync } from "node:fs";

export const fixture = JSON.parse(readFileSync(new URL("../../tests/fixtures/protocol.json", import.meta.url), "utf8"));
