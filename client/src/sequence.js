// A group's messages as one socket sees them: numbered (seq) within an epoch, applied once each
// and in order. A message that comes early waits until the ones before it arrive (a replay fills
// the hole); what waits is bounded, so a lost message cannot grow it for ever.

export const MAX_WAITING = 1000;

export class Sequence {
  constructor() {
    this.epoch = null; // The group's epoch as the server named it; null before the first hello.
    this.last = null; // The last seq applied; null before the server said where to start.
    this.waiting = new Map(); // seq -> message, for messages that came before their turn.
  }

  // The server says where this page stands (a hello, or after a re-render): start from `seq`.
  // Returns the waiting messages that are now next, in order.
  start(epoch, seq) {
    this.epoch = epoch;
    this.last = seq;
    for (const number of this.waiting.keys()) if (number <= seq) this.waiting.delete(number);
    return this.drain();
  }

  // Group message `seq` arrived: the messages to apply now, in order (none for a duplicate, or
  // for an early one, which waits).
  receive(seq, message) {
    if (this.last === null) {
      // The server said nothing about where to start (it takes no part in replay): go from here.
      this.last = seq;
      return [message];
    }
    if (seq <= this.last || this.waiting.has(seq)) return [];
    if (this.waiting.size >= MAX_WAITING) return []; // Far behind: the replay or a re-render catches up.
    this.waiting.set(seq, message);
    return this.drain();
  }

  drain() {
    const ready = [];
    while (this.waiting.has(this.last + 1)) {
      this.last += 1;
      ready.push(this.waiting.get(this.last));
      this.waiting.delete(this.last);
    }
    return ready;
  }

  // Messages missed: later ones came and wait for them. [first, last] missing, or null.
  get gap() {
    if (this.waiting.size === 0) return null;
    return [this.last + 1, Math.min(...this.waiting.keys()) - 1];
  }

  // What a reconnecting socket tells the server, so that it sends what the page missed.
  get resumePoint() {
    return this.epoch === null ? null : { epoch: this.epoch, seq: this.last };
  }
}
