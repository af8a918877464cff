// Websockets to @consumer URLs: reconnecting with backoff and jitter, at once when the browser
// comes back online; events sent while disconnected are kept, in order, and sent after
// reconnecting; the server acknowledges each so none is lost or run twice.
// Protocol: docs/protocol.md.
import { commands, runCommands } from "./commands.js";
import { config } from "./config.js";
import { Bases } from "./diff.js";
import { readFrame } from "./frames.js";
import { emit, log, logError } from "./log.js";
import { reloadContent } from "./navigation.js";
import { Outbox } from "./outbox.js";
import { showError } from "./overlay.js";
import { Sequence } from "./sequence.js";

// Closes the client does not retry: for this page load, the server will not take the socket.
const FINAL_CODES = {
  4403: "refused (permission, host or origin)",
  4404: "no consumer at this URL",
  4429: "closed for sending too fast (reload the page to connect again)",
};
const SERVICE_RESTART = 1012; // The server is restarting: come straight back, with jitter.
const UNAUTHENTICATED = 4401; // The user's session ended (logged out elsewhere): reload, so the login redirect happens.
const NO_HEARTBEAT = 4000; // Our own close of a socket whose server stopped answering.
const DROPPED = 1000; // Our own close of a connection given up on: offline, or no answer to connecting.
// Reconnecting: the first retry after BASE_DELAY (with jitter), each next one GROW_FACTOR times
// later, up to MAX_DELAY; a connection that stayed open for STABLE ms starts the backoff over.
const BASE_DELAY = 500;
const GROW_FACTOR = 1.6;
const MAX_DELAY = 10000;
const STABLE = 5000;
// After a restart (1012), retries every half second or so, as many as fit in about 30 s; a server
// still not back then (a stalled deploy, a site scaled down) gets the usual backoff.
const RESTART_FAST_TRIES = 60;
const CONNECT_TIMEOUT = 4000; // ms an attempt may take to open before it is given up and retried.
const MAX_UNACKED = 1000;
const ENVELOPE_BYTES = 64; // What the outbox adds to an event's payload: its id and the socket's id.
const DEFAULT_TIMEOUT = 20000; // ms, as callback(timeout=) says.
const PING = JSON.stringify({ t: "ping" });
const GAP_WAIT = 1000; // ms a later group message waits for an earlier one before the page asks for a replay.
const sockets = new Map();
const closedForGood = new Set(); // URLs closed by hypergen.websocket.close: callbacks to them are dropped.

function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

function updateStateClass() {
  const states = [...sockets.values()].map((socket) => socket.state);
  const root = document.documentElement.classList;
  root.toggle("hypergen-ws-open", states.length > 0 && states.every((state) => state === "open"));
  root.toggle("hypergen-ws-connecting", states.includes("connecting"));
  root.toggle("hypergen-ws-reconnecting", states.includes("reconnecting"));
  root.toggle("hypergen-ws-closed", states.includes("closed"));
}

// A socket to one consumer URL, for the page's life: it connects again and again until the page
// closes it or the server refuses it for good. Its own state is private (#): only the page's
// bookkeeping (url, page, closing, state) and send/close are used from outside.
class Socket {
  // Events are numbered per socket; the random id tells this socket's numbers from any other's.
  #outbox = new Outbox(randomId(), MAX_UNACKED);
  #sequence = new Sequence();
  #ws = null; // The current connection (open or trying to), or the last one.
  #tries = 0; // Retries since the last connection that stayed open.
  #openedAt = 0;
  #lastFrameAt = 0;
  #closedForRestart = false;
  #fastTries = 0; // Retries left without backoff after a restart (1012).
  #bases = new Bases(); // Big morph targets received on the current connection (client/src/diff.js).
  #connectTimer;
  #retryTimer;
  #heartbeat;
  #gapTimer = null;
  // Back online: reconnect now, not after the backoff. Gone offline: the socket is as good as
  // dead (it may take minutes to notice), so drop it and queue events until the network returns.
  #onOnline = () => this.state !== "open" && this.#reconnect(DROPPED);
  #onOffline = () => this.state === "open" && this.#reconnect(DROPPED);

  constructor(url, resume = null) {
    this.url = url;
    this.state = "connecting";
    // Where the group stood when the server rendered the page: what was sent between the render
    // and this socket joining is replayed.
    if (resume?.epoch) this.#sequence.start(resume.epoch, resume.seq);
    window.addEventListener("online", this.#onOnline);
    window.addEventListener("offline", this.#onOffline);
    this.#connect();
  }

  #setState(state, detail = {}) {
    this.state = state;
    updateStateClass();
    emit(`websocket-${state}`, { url: this.url, ...detail });
  }

  // Each connection names the last group message the page applied, so that the server sends
  // what it missed (docs/protocol.md, "Replay"): the URL is made again for every attempt.
  #connectionUrl() {
    const url = new URL(this.url);
    if (config.page) url.searchParams.set("hg_page", config.page);
    const resume = this.#sequence.resumePoint;
    url.searchParams.set("hg_epoch", resume ? resume.epoch : "");
    if (resume) url.searchParams.set("hg_seq", resume.seq);
    // The server closed this socket for a restart (1012): the page had every group message until
    // then, so on the in-memory layer, whose numbering starts over, it needs only the new ones.
    if (this.#closedForRestart) url.searchParams.set("hg_restart", "1");
    return url.toString();
  }

  #connect() {
    let ws;
    try {
      ws = new WebSocket(this.#connectionUrl());
    } catch {
      return this.#onClose(1006); // The browser would not even try (a blocked port): as a failed attempt.
    }
    this.#ws = ws;
    // Neither open nor refused in time (a hung server accepts the TCP connection): try again.
    this.#connectTimer = setTimeout(() => this.#reconnect(DROPPED, false), CONNECT_TIMEOUT);
    ws.onopen = () => this.#onOpen();
    ws.onmessage = (event) => this.#onMessage(event.data);
    ws.onclose = (event) => this.#onClose(event.code);
  }

  // Let the connection go (open or still connecting) and connect again: at once, or after the backoff.
  #reconnect(code, now = true) {
    this.#detach(code);
    this.#onClose(code, now);
  }

  // Close the connection without hearing from it again, and cancel any retry.
  #detach(code) {
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#connectTimer);
    const ws = this.#ws;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = null;
      ws.close(code);
    }
  }

  #onOpen() {
    clearTimeout(this.#connectTimer);
    this.#closedForRestart = false;
    this.#fastTries = 0; // Back after the restart: a later failure backs off as usual.
    this.#openedAt = Date.now();
    this.#bases = new Bases(); // What the server remembers sending is its new consumer's: nothing yet.
    // What waited for the connection goes first: the server acknowledges, without running, an event
    // numbered at or below one it ran, so one sent by a "websocket-open" listener must come after.
    for (const text of this.#outbox.unacknowledged()) this.#ws.send(text);
    this.#setState("open");
    this.#startHeartbeat();
  }

  #onClose(code, now = false) {
    clearTimeout(this.#connectTimer);
    this.#stopHeartbeat();
    const why = FINAL_CODES[code];
    if (why || code === UNAUTHENTICATED) {
      this.#setState("closed", { code });
      this.#stopListening();
      if (why) return logError("websocket.refused", `${this.url}: ${why} (${code})`, { code });
      log("info", `${this.url}: the session ended (4401); reloading the page`);
      return window.location.reload();
    }
    if (now || (this.state === "open" && Date.now() - this.#openedAt >= STABLE)) this.#tries = 0;
    this.#closedForRestart = code === SERVICE_RESTART || (this.#closedForRestart && this.state !== "open");
    if (code === SERVICE_RESTART) this.#fastTries = RESTART_FAST_TRIES;
    // Jitter, so that clients dropped together do not all come back at the same moment. A server
    // that is restarting is back in seconds: try every half second or so instead of backing off.
    let growth = 1;
    if (this.#fastTries > 0) this.#fastTries--;
    else growth = GROW_FACTOR ** this.#tries++;
    const delay = now ? 0 : Math.min(MAX_DELAY, BASE_DELAY * (0.5 + Math.random()) * growth);
    this.#setState("reconnecting", { code });
    this.#retryTimer = setTimeout(() => this.#connect(), delay);
  }

  // Heartbeat: a ping every interval; a socket that then stays silent for the timeout is dead
  // (a stopped server, a dropped network path) even though the browser has not noticed.
  #startHeartbeat() {
    const [interval, timeout] = config.wsHeartbeat;
    const ws = this.#ws; // A check left over from an earlier connection must not judge this one.
    this.#stopHeartbeat();
    this.#heartbeat = setInterval(() => {
      const pingedAt = Date.now();
      ws.send(PING);
      setTimeout(() => {
        if (ws !== this.#ws || this.state !== "open" || this.#lastFrameAt >= pingedAt) return;
        log("warn", `${this.url}: no answer to a heartbeat within ${timeout} ms; reconnecting`);
        this.#reconnect(NO_HEARTBEAT);
      }, timeout);
    }, interval);
  }

  #stopHeartbeat() {
    clearInterval(this.#heartbeat);
  }

  #onMessage(data) {
    this.#lastFrameAt = Date.now();
    const action = readFrame(data, this.#outbox, this.#bases);
    if (this.closing && this.#outbox.size === 0) this.close();
    switch (action.kind) {
      case "commands":
        return runCommands(action.commands);
      case "group":
        return this.#applyInOrder(this.#sequence.receive(action.seq, action.commands));
      case "hello":
        return this.#applyInOrder(this.#sequence.start(action.epoch, action.seq));
      case "resync":
        log("info", `${this.url}: missed more group messages than the server keeps; reloading the content`);
        emit("websocket-resync", { url: this.url });
        reloadContent();
        return this.#applyInOrder(this.#sequence.start(action.epoch, action.seq));
      case "stale":
        // Never guessed at: connect afresh, so that both ends forget what was sent. A group message
        // comes again (in full) through replay; an answer does not, so the content re-renders.
        log("warn", `${this.url}: ${action.message}; connecting again`);
        if (action.seq === undefined) reloadContent();
        return this.#reconnect(DROPPED);
      case "error":
        // A refused event (answered, not run): apps may show it their own way (preventDefault()).
        if (action.code === "websocket.rate-limited" && !emit("rate-limited", { url: this.url, ...action })) return;
        return showError({ message: action.message, code: action.code });
      case "bad":
        return logError(action.code, action.message, { data });
    }
  }

  #applyInOrder(commandLists) {
    for (const commandList of commandLists) runCommands(commandList);
    this.#watchForGap();
  }

  // A later group message came before an earlier one: wait a moment (they may cross on the way),
  // then ask the server for what is missing; it answers with the messages, or with a resync.
  #watchForGap() {
    if (!this.#sequence.gap) {
      clearTimeout(this.#gapTimer);
      this.#gapTimer = null;
      return;
    }
    if (this.#gapTimer) return;
    this.#gapTimer = setTimeout(() => {
      this.#gapTimer = null;
      const gap = this.#sequence.gap;
      if (!gap || this.state !== "open") return;
      log("warn", `${this.url}: group messages ${gap[0]} to ${gap[1]} did not arrive; asking for them again`);
      this.#ws.send(JSON.stringify({ t: "replay", epoch: this.#sequence.epoch, seq: this.#sequence.last }));
      this.#watchForGap();
    }, GAP_WAIT);
  }

  // Send an event; the promise settles when the server has answered it, when it is pushed out
  // of a full queue, or after `timeout` ms (then the event stays queued and still runs once).
  send(payload, timeout = DEFAULT_TIMEOUT) {
    const bytes = new Blob([JSON.stringify(payload)]).size + ENVELOPE_BYTES;
    if (bytes > config.wsMaxBytes) {
      // Never queued: sent again after each reconnect, it would drop the connection forever.
      showError({ message: `This message is too large to send (${bytes} bytes).`, code: "websocket.too-large" });
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        showError({ message: `The server did not answer within ${timeout / 1000} s.`, code: "websocket.timeout" });
        resolve(false);
      }, timeout);
      const { text, dropped } = this.#outbox.add(payload, (outcome) => {
        clearTimeout(timer);
        resolve(outcome === "acknowledged"); // True: the event ran (callback(clear=True) clears now).
      });
      if (dropped !== null) {
        log("warn", `${this.url}: more than ${MAX_UNACKED} events waiting; the oldest was dropped.`);
      }
      if (this.state === "open") this.#ws.send(text);
    });
  }

  #stopListening() {
    window.removeEventListener("online", this.#onOnline);
    window.removeEventListener("offline", this.#onOffline);
  }

  // Close once every event sent is acknowledged: what the user did on the old page still arrives.
  closeWhenDone() {
    this.closing = true;
    if (this.#outbox.size === 0) this.close();
  }

  close() {
    this.#stopHeartbeat();
    this.#stopListening();
    this.#detach(1000);
    sockets.delete(socketKey(this.url));
    this.#setState("closed", { code: 1000 });
  }
}

// Partial navigation replaces a page's content without a reload: the sockets the new content
// opens (or sends to) belong to the new page, and the ones only the old content used are closed.
let page = 0;

export function newPage() {
  page++;
}

export function closeSocketsOfEarlierPages() {
  for (const socket of [...sockets.values()]) if (socket.page !== page) socket.closeWhenDone();
}

// "ws:/chat/lobby/" (rendered where the server had no request: a push from a worker) is a socket
// on this page's own host, over wss when the page is https; absolute URLs are used as they are.
export function absoluteSocketUrl(url) {
  if (!url.startsWith("ws:/") || url.startsWith("ws://")) return url;
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}${url.slice(3)}`;
}

// A signed consumer URL (@consumer(signed=True)) carries hg_sig, fresh in each render: the same
// socket whatever its signature, reconnecting with the newest one the page was given.
function socketKey(url) {
  const parsed = new URL(url);
  parsed.searchParams.delete("hg_sig");
  return parsed.toString();
}

export function openSocket(url, resume = null) {
  url = absoluteSocketUrl(url);
  const key = socketKey(url);
  closedForGood.delete(key);
  let socket = sockets.get(key);
  if (!socket) {
    socket = new Socket(url, resume);
    sockets.set(key, socket);
    updateStateClass();
  }
  socket.url = url;
  socket.page = page;
  socket.closing = false;
  return socket;
}

commands["hypergen.websocket.open"] = (url, resume) => openSocket(url, resume);
commands["hypergen.websocket.close"] = (url) => {
  const key = socketKey(absoluteSocketUrl(url));
  closedForGood.add(key);
  sockets.get(key)?.close();
};

export function sendOverWebsocket(url, payload, { options = {} } = {}) {
  url = absoluteSocketUrl(url);
  if (closedForGood.has(socketKey(url))) {
    logError("websocket.closed", `${url} was closed by the page; open it again to send`, { url });
    return Promise.resolve(false);
  }
  return openSocket(url).send(payload, options.timeout);
}
