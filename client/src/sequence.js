// A group's message numbers (seq) as a socket sees them: each applied once, gaps noticed.

export class Sequence {
  constructor() {
    this.last = 0; // The last seq applied; 0 before the first.
  }

  // What to do with group message `seq`: "apply" (the next one, or the first seen), "duplicate"
  // (already applied), or "gap" (later than the next: the ones between were lost; apply it too).
  accept(seq) {
    if (this.last && seq <= this.last) return "duplicate";
    const verdict = this.last && seq > this.last + 1 ? "gap" : "apply";
    this.last = seq;
    return verdict;
  }
}
