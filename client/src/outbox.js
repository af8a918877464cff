// The events a socket has sent and the server has not acknowledged yet: numbered from 1, kept in
// order, sent again after a reconnect until acknowledged (an ack, an answer, or an error frame).
// Bounded: past `max` the oldest is dropped (and reported by the caller).

export class Outbox {
  #socketId;
  #max;
  #nextId = 1;
  #waiting = new Map(); // id -> {text, settled}

  constructor(socketId, max = 1000) {
    this.#socketId = socketId;
    this.#max = max;
  }

  // Number `payload` ({args, meta}); `settled(outcome)` is called once, with "acknowledged" (it
  // ran), "failed" (the server answered with an error) or "dropped". Returns {id, text, dropped} (dropped: the id pushed out past the bound, or null).
  add(payload, settled = () => {}) {
    const id = this.#nextId++;
    const text = JSON.stringify({ id, sid: this.#socketId, ...payload });
    let dropped = null;
    if (this.#waiting.size >= this.#max) {
      [dropped] = this.#waiting.keys();
      this.settle(dropped, "dropped");
    }
    this.#waiting.set(id, { text, settled });
    return { id, text, dropped };
  }

  // The server answered event `id`; true if it was still waiting.
  acknowledge(id) {
    return this.settle(id, "acknowledged");
  }

  settle(id, outcome) {
    const event = this.#waiting.get(id);
    if (!event) return false;
    this.#waiting.delete(id);
    event.settled(outcome);
    return true;
  }

  // The frames to send again, oldest first, after a reconnect.
  unacknowledged() {
    return [...this.#waiting.values()].map((event) => event.text);
  }

  get size() {
    return this.#waiting.size;
  }
}
