// Reading one frame from the server (docs/protocol.md), with no DOM: what it acknowledges, and
// what the page should do. websocket.js does it; client/test/ checks it on the frames Python makes.
import { decode } from "./wire.js";

// Returns one of
//   {kind: "commands", commands}        run them (decoded): an answer to this page's own event
//   {kind: "group", seq, commands}      a group message: run in seq order (see sequence.js)
//   {kind: "hello", epoch, seq}         the socket opened: group messages go on after seq
//   {kind: "resync", epoch, seq}        the page missed what the server no longer has: re-render
//   {kind: "error", code, message}      show it
//   {kind: "nothing"}                   a pong or an ack
//   {kind: "bad", code, message}        report it: the frame was not readable
//   {kind: "stale", seq, message}       a splice without its base on this socket (diff.js)
export function readFrame(data, outbox, bases) {
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return { kind: "bad", code: "websocket.malformed", message: "the server sent a frame that is not JSON" };
  }
  switch (frame?.t) {
    case "pong":
      return { kind: "nothing" };
    case "ack":
      outbox.acknowledge(frame.id);
      return { kind: "nothing" };
    case "error":
      if (frame.id !== null && frame.id !== undefined) outbox.settle(frame.id, "failed"); // Answered, not run.
      return { kind: "error", code: `websocket.${frame.code}`, message: frame.message };
    case "hello":
    case "resync":
      if (typeof frame.epoch !== "string" || !Number.isInteger(frame.seq)) break;
      return { kind: frame.t, epoch: frame.epoch, seq: frame.seq };
    case "commands":
      return readCommands(frame, outbox, bases);
  }
  return { kind: "bad", code: "websocket.unknown-frame", message: `unknown frame type "${frame?.t}"` };
}

function readCommands(frame, outbox, bases) {
  if (frame.ack !== undefined) outbox.acknowledge(frame.ack);
  // In arrival order (before a group message waits its turn), and before the values are decoded:
  // the server counted this frame's morphs as sent whether or not the page can read the rest.
  const stale = bases?.expand(frame.commands);
  if (stale) return { kind: "stale", seq: frame.seq, message: `no base for the splice of "${stale}"` };
  let commands;
  try {
    commands = decode(frame.commands);
  } catch (error) {
    return { kind: "bad", code: "websocket.malformed", message: String(error.message) };
  }
  return Number.isInteger(frame.seq) ? { kind: "group", seq: frame.seq, commands } : { kind: "commands", commands };
}
