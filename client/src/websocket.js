// Websockets to @consumer URLs: reconnecting with backoff and jitter (partysocket), at once
// when the browser comes back online; events sent while disconnected are kept, in order, and
// sent after reconnecting; the server acknowledges each so none is lost or run twice.
// Protocol: docs/protocol.md.
import ReconnectingWebSocket from "partysocket/ws";
import { commands, runCommands } from "./commands.js";
import { config } from "./config.js";
import { emit, log, logError } from "./log.js";
import { showError } from "./overlay.js";

const FINAL_CODES = { 4403: "refused (permission, host or origin)", 4404: "no consumer at this URL" };
const SERVICE_RESTART = 1012; // The server is restarting: come straight back, with jitter.
const NO_HEARTBEAT = 4000; // Our own close of a socket whose server stopped answering.
const MAX_UNACKED = 1000;
const BASE_DELAY = 500;
const GROW_FACTOR = 1.6;
const PING = JSON.stringify({ t: "ping" });
const sockets = new Map();
const closedForGood = new Set(); // URLs closed by hypergen.websocket.close: callbacks to them are dropped.
const clientId = Math.random().toString(36).slice(2) + Date.now().toString(36);

function updateStateClass() {
  const states = [...sockets.values()].map((socket) => socket.state);
  const root = document.documentElement.classList;
  root.toggle("hypergen-ws-open", states.length > 0 && states.every((state) => state === "open"));
  root.toggle("hypergen-ws-connecting", states.includes("connecting"));
  root.toggle("hypergen-ws-reconnecting", states.includes("reconnecting"));
  root.toggle("hypergen-ws-closed", states.includes("closed"));
}

class Socket {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.unacked = new Map(); // id -> frame text; sent again after a reconnect until acknowledged
    this.lastSeq = 0;
    this.lastFrameAt = 0;
    this.connections = 0;
    this.state = "connecting";
    this.options = {
      minReconnectionDelay: BASE_DELAY,
      maxReconnectionDelay: 10000,
      reconnectionDelayGrowFactor: GROW_FACTOR,
      connectionTimeout: 4000,
      maxEnqueuedMessages: 0, // We keep our own queue: bounded, oldest dropped, acknowledged.
      shouldReconnectOnClose: (event) => this.onClose(event),
    };
    this.ws = new ReconnectingWebSocket(url, [], this.options);
    this.ws.addEventListener("open", () => this.onOpen());
    this.ws.addEventListener("message", (event) => this.onMessage(event.data));
    // Back online: reconnect now, not after the backoff. Gone offline: the socket is as good as
    // dead (it may take minutes to notice), so drop it and queue events until the network returns.
    this.onOnline = () => this.state !== "open" && this.ws.reconnect();
    this.onOffline = () => this.state === "open" && this.ws.reconnect();
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
  }

  setState(state, detail = {}) {
    this.state = state;
    updateStateClass();
    emit(`websocket-${state}`, { url: this.url, ...detail });
  }

  onOpen() {
    this.options.reconnectionDelayGrowFactor = GROW_FACTOR;
    this.setState("open");
    this.startHeartbeat();
    for (const text of this.unacked.values()) this.ws.send(text);
  }

  onClose(event) {
    this.stopHeartbeat();
    if (FINAL_CODES[event.code]) {
      this.setState("closed", { code: event.code });
      logError("websocket.refused", `${this.url}: ${FINAL_CODES[event.code]} (${event.code})`, { code: event.code });
      this.stopListening();
      return false;
    }
    // Jitter, so that clients dropped together do not all come back at the same moment. A server
    // that is restarting is back in seconds: try every half second or so instead of backing off.
    this.options.minReconnectionDelay = BASE_DELAY * (0.5 + Math.random());
    if (event.code === SERVICE_RESTART) this.options.reconnectionDelayGrowFactor = 1;
    this.setState("reconnecting", { code: event.code });
    return true;
  }

  // Heartbeat: a ping every interval; a socket that then stays silent for the timeout is dead
  // (a stopped server, a dropped network path) even though the browser has not noticed.
  startHeartbeat() {
    const [interval, timeout] = config.wsHeartbeat;
    const connection = ++this.connections; // A check left over from an earlier connection must not judge this one.
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      const pingedAt = Date.now();
      this.ws.send(PING);
      setTimeout(() => {
        if (connection !== this.connections || this.state !== "open" || this.lastFrameAt >= pingedAt) return;
        log("warn", `${this.url}: no answer to a heartbeat within ${timeout} ms; reconnecting`);
        this.ws.reconnect(NO_HEARTBEAT, "no heartbeat");
      }, timeout);
    }, interval);
  }

  stopHeartbeat() {
    clearInterval(this.heartbeat);
  }

  onMessage(data) {
    this.lastFrameAt = Date.now();
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return logError("websocket.malformed", "the server sent a frame that is not JSON", { data });
    }
    if (frame.t === "pong") return;
    if (frame.t === "ack") return this.unacked.delete(frame.id);
    if (frame.t === "error") {
      this.unacked.delete(frame.id);
      return showError({ message: frame.message, code: `websocket.${frame.code}` });
    }
    if (frame.t === "commands") {
      if (frame.ack !== undefined) this.unacked.delete(frame.ack);
      if (frame.seq) {
        if (this.lastSeq && frame.seq > this.lastSeq + 1) {
          log("warn", `${this.url}: missed group messages ${this.lastSeq + 1} to ${frame.seq - 1}`);
        }
        this.lastSeq = frame.seq;
      }
      return runCommands(frame.commands);
    }
    logError("websocket.unknown-frame", `unknown frame type "${frame.t}"`, { frame });
  }

  send(payload) {
    const id = this.nextId++;
    const text = JSON.stringify({ id, cid: clientId, ...payload });
    const bytes = new Blob([text]).size;
    if (bytes > config.wsMaxBytes) {
      // Never queued: sent again after each reconnect, it would drop the connection forever.
      return showError({ message: `This message is too large to send (${bytes} bytes).`, code: "websocket.too-large" });
    }
    if (this.unacked.size >= MAX_UNACKED) {
      const [oldest] = this.unacked.keys();
      this.unacked.delete(oldest);
      console.warn(`[hypergen] ${this.url}: more than ${MAX_UNACKED} events waiting; the oldest was dropped.`);
    }
    this.unacked.set(id, text);
    if (this.state === "open") this.ws.send(text);
  }

  stopListening() {
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
  }

  close() {
    this.stopHeartbeat();
    this.stopListening();
    this.ws.close(1000, "closed by the page");
    sockets.delete(this.url);
    this.state = "closed";
    updateStateClass();
    emit("websocket-closed", { url: this.url, code: 1000 });
  }
}

export function openSocket(url) {
  closedForGood.delete(url);
  let socket = sockets.get(url);
  if (!socket) {
    socket = new Socket(url);
    sockets.set(url, socket);
    updateStateClass();
  }
  return socket;
}

commands["hypergen.websocket.open"] = (url) => openSocket(url);
commands["hypergen.websocket.close"] = (url) => {
  closedForGood.add(url);
  sockets.get(url)?.close();
};

export function sendOverWebsocket(url, payload) {
  if (closedForGood.has(url)) {
    return logError("websocket.closed", `${url} was closed by the page; open it again to send`, { url });
  }
  openSocket(url).send(payload);
}
