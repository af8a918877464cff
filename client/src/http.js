// Calling actions over HTTP (XHR, for upload progress), with error handling.
import { config } from "./config.js";
import { emit } from "./log.js";
import { showError } from "./overlay.js";
import { decode } from "./wire.js";

function csrfToken() {
  return config.csrfToken || document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] || "";
}

function reportProgress(element, event) {
  const detail = { loaded: event.loaded, total: event.total, percent: event.total ? (100 * event.loaded) / event.total : 0 };
  for (const bar of document.querySelectorAll("[data-hypergen-upload-progress]")) {
    bar.value = detail.percent;
    bar.max = 100;
  }
  emit("upload-progress", detail, element?.isConnected ? element : document);
}

function failure(xhr) {
  const type = xhr.getResponseHeader("Content-Type") || "";
  if (type.startsWith("application/json")) {
    try {
      const body = JSON.parse(xhr.responseText);
      if (body && body.error) return { message: body.error, status: xhr.status, code: `server.${xhr.status}` };
    } catch {
      // Fall through to the generic message.
    }
  }
  const message = `The server could not handle this (${xhr.status} ${xhr.statusText}).`;
  return { message, status: xhr.status, code: `server.${xhr.status}`, html: config.debug ? xhr.responseText : null };
}

// POST an event to `url`; resolves with the commands the server sent back, or null after showing the error.
export function post(url, payload, { files, headers, timeout, element } = {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.timeout = timeout ?? 20000;
    xhr.setRequestHeader("X-CSRFToken", csrfToken());
    xhr.setRequestHeader("Accept", "application/json, text/html;q=0.5");
    for (const [name, value] of Object.entries(headers ?? {})) xhr.setRequestHeader(name, value);
    let body = JSON.stringify(payload);
    if (files && files.length) {
      const form = new FormData();
      form.append("hypergen_data", body);
      for (const [name, file] of files) form.append(name, file);
      body = form;
      xhr.upload.onprogress = (event) => reportProgress(element, event);
    } else {
      xhr.setRequestHeader("Content-Type", "application/json");
    }
    emit("request-start", { url }, element?.isConnected ? element : document);
    const done = (commands) => {
      emit("request-end", { url, ok: commands !== null }, element?.isConnected ? element : document);
      resolve(commands);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          return done(decode(JSON.parse(xhr.responseText)));
        } catch {
          showError({ message: "The server's answer could not be read.", code: "server.malformed" });
          return done(null);
        }
      }
      showError(failure(xhr));
      done(null);
    };
    xhr.onerror = () => {
      showError({ message: "Could not reach the server. Check your connection and try again.", code: "network.error" });
      done(null);
    };
    xhr.ontimeout = () => {
      showError({ message: `The server did not answer within ${xhr.timeout / 1000} s.`, code: "network.timeout" });
      done(null);
    };
    xhr.send(body);
  });
}
