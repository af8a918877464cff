// Splices (docs/protocol.md, "Splices"): the server sends a big morph target it sent before on
// this socket as ["hypergen.morphSplice", id, baseLength, pieces]: the new HTML is the pieces
// joined, a string as it is, [start, end] as that part of the base. The base is the last HTML
// this socket received for the target: kept here for every frame as it arrives (the server's
// send order), forgotten when the socket connects again (the server has a new consumer then).
const MIN_LENGTH = 1024; // The server remembers nothing shorter (hypergen/websocket/diff.py).

export class Bases {
  html = new Map();

  // Turn the splices of `list` back into morphs, in place, and remember each morph's HTML.
  // Returns the target of a splice whose base this socket does not have, or null.
  expand(list) {
    if (!Array.isArray(list)) return null;
    for (let i = 0; i < list.length; i++) {
      const [name, id, length, pieces] = list[i] ?? [];
      if (name === "hypergen.morphSplice") {
        const base = this.html.get(id);
        if (base?.length !== length || !Array.isArray(pieces)) return `${id}`;
        const part = (piece) => (typeof piece === "string" ? piece : base.slice(piece[0], piece[1]));
        list[i] = ["hypergen.morph", id, pieces.map(part).join("")];
      }
      // The server's rule (hypergen/websocket/diff.py): a morph with HTML, whatever other arguments
      // follow, is its target's base; one without HTML makes it forgotten.
      const [command, target, html] = list[i] ?? [];
      if (command !== "hypergen.morph" || typeof target !== "string") continue;
      if (typeof html === "string" && html.length >= MIN_LENGTH) this.html.set(target, html);
      else this.html.delete(target);
    }
    return null;
  }
}
