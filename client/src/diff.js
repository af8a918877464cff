// Splices (docs/protocol.md, "Splices"): the server sends a big morph target it sent before on
// this socket as ["hypergen.morphSplice", id, baseLength, prefix, suffix, middle]. The base is
// the last HTML this socket received for the target: kept here for every frame as it arrives
// (the server's send order), forgotten when the socket connects again (a new server consumer).
const MIN_LENGTH = 1024; // The server remembers nothing shorter (hypergen/websocket/diff.py).

export class Bases {
  html = new Map();

  // Turn the splices of `list` back into morphs, in place, and remember each morph's HTML.
  // Returns the target of a splice whose base this socket does not have, or null.
  expand(list) {
    if (!Array.isArray(list)) return null;
    for (let i = 0; i < list.length; i++) {
      const [name, id, length, prefix, suffix, middle] = list[i] ?? [];
      if (name === "hypergen.morphSplice") {
        const base = this.html.get(id);
        if (base?.length !== length || typeof middle !== "string") return `${id}`;
        list[i] = ["hypergen.morph", id, base.slice(0, prefix) + middle + base.slice(length - suffix)];
      }
      const [command, target, html] = list[i];
      if (command === "hypergen.morph" && html?.length >= MIN_LENGTH) this.html.set(target, html);
      else if (command === "hypergen.morph") this.html.delete(target);
    }
    return null;
  }
}
