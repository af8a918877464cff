// Websockets to @consumer URLs: reconnecting with backoff and jitter (partysocket), at once
// when the browser comes back online; events sent while disconnected are kept, in order, and
// sent after reconnecting; the server acknowledges each so none is lost or run twice.
// Protocol: docs/protocol.md.
import ReconnectingWebSocket from "partysocket/ws";
import { commands, runCommands } from "./commands.js";
import { config } from "./config.js";
import { emit, log, logError } from "./log.js";
import { showError } from "./overlay.js";

const FINAL_CODES = { 4403: "permission denied", 4404: "no consumer at this URL" };
const MAX_UNACKED = 1000;
const BASE_DELAY = 500;
const sockets = new Map();
const clientId = Math.random().toString(36).slice(2) + Date.now().toString(36);

function updateStateClass() {
  const states = [...sockets.values()].map((socket) => socket.state);
  const root = document.documentElement.classList;
  root.toggle("hypergen-ws-open", states.length > 0 && states.every((state) => state === "open"));
  root.toggle("hypergen-ws-reconnecting", states.includes("reconnecting") || states.includes("connecting"));
  root.toggle("hypergen-ws-closed", states.includes("closed"));
}

class Socket {
  constructor(url) {
    this.url = url;
    this.nextId = 1;
    this.unacked = new Map(); // id -> frame text; sent again after a reconnect until acknowledged
    this.lastSeq = 0;
    this.state = "connecting";
    this.options = {
      minReconnectionDelay: BASE_DELAY,
      maxReconnectionDelay: 10000,
      reconnectionDelayGrowFactor: 1.6,
      connectionTimeout: 4000,
      maxEnqueuedMessages: 0, // We keep our own queue: bounded, oldest dropped, acknowledged.
      shouldReconnectOnClose: (event) => this.onClose(event),
    };
    this.ws = new ReconnectingWebSocket(url, [], this.options);
    this.ws.addEventListener("open", () => this.onOpen());
    this.ws.addEventListener("message", (event) => this.onMessage(event.data));
    this.onOnline = () => this.state !== "open" && this.ws.reconnect();
    window.addEventListener("online", this.onOnline);
  }

  setState(state, detail = {}) {
    this.state = state;
    updateStateClass();
    emit(`websocket-${state}`, { url: this.url, ...detail });
  }

  onOpen() {
    this.setState("open");
    for (const text of this.unacked.values()) this.ws.send(text);
  }

  onClose(event) {
    if (FINAL_CODES[event.code]) {
      this.setState("closed", { code: event.code });
      logError("websocket.refused", `${this.url}: ${FINAL_CODES[event.code]} (${event.code})`, { code: event.code });
      window.removeEventListener("online", this.onOnline);
      return false;
    }
    // Jitter, so that clients dropped together do not all come back at the same moment.
    this.options.minReconnectionDelay = BASE_DELAY * (0.5 + Math.random());
    this.setState("reconnecting", { code: event.code });
    return true;
  }

  onMessage(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return logError("websocket.malformed", "the server sent a frame that is not JSON", { data });
    }
    if (frame.t === "ack") return this.unacked.delete(frame.id);
    if (frame.t === "error") {
      this.unacked.delete(frame.id);
      return showError({ message: frame.message, code: `websocket.${frame.code}` });
    }
    if (frame.t === "commands") {
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

  close() {
    window.removeEventListener("online", this.onOnline);
    this.ws.close(1000, "closed by the page");
    sockets.delete(this.url);
    this.state = "closed";
    updateStateClass();
    emit("websocket-closed", { url: this.url, code: 1000 });
  }
}

export function openSocket(url) {
  let socket = sockets.get(url);
  if (!socket) {
    socket = new Socket(url);
    sockets.set(url, socket);
    updateStateClass();
  }
  return socket;
}

commands["hypergen.websocket.open"] = (url) => openSocket(url);
commands["hypergen.websocket.close"] = (url) => sockets.get(url)?.close();

export function sendOverWebsocket(url, payload) {
  openSocket(url).send(payload);
}
