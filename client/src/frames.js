// Reading one frame from the server (docs/protocol.md), with no DOM: what it acknowledges, and
// what the page should do. websocket.js does it; client/test/ checks it on the frames Python makes.
import { decode } from "./wire.js";

// Returns one of
//   {kind: "commands", commands, gap}   run them (decoded); gap: [first, last] seq missed, or null
//   {kind: "error", code, message}      show it
//   {kind: "nothing"}                   a pong, an ack, or a group message seen already
//   {kind: "bad", code, message}        report it: the frame was not readable
export function readFrame(data, outbox, sequence) {
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
      if (frame.id !== null && frame.id !== undefined) outbox.acknowledge(frame.id);
      return { kind: "error", code: `websocket.${frame.code}`, message: frame.message };
    case "commands":
      return readCommands(frame, outbox, sequence);
    default:
      return { kind: "bad", code: "websocket.unknown-frame", message: `unknown frame type "${frame?.t}"` };
  }
}

function readCommands(frame, outbox, sequence) {
  if (frame.ack !== undefined) outbox.acknowledge(frame.ack);
  let gap = null;
  if (frame.seq !== undefined) {
    const before = sequence.last;
    const verdict = sequence.accept(frame.seq);
    if (verdict === "duplicate") return { kind: "nothing" };
    if (verdict === "gap") gap = [before + 1, frame.seq - 1];
  }
  try {
    return { kind: "commands", commands: decode(frame.commands), gap };
  } catch (error) {
    return { kind: "bad", code: "websocket.malformed", message: String(error.message) };
  }
}
