// Showing errors: a dismissible notice, or with DEBUG the server's debug page in an overlay.
// Listeners of `hypergen:error` may call preventDefault() to show errors their own way.
import { emit, log } from "./log.js";

const BOX = "position:fixed;z-index:2147483647;font:14px/1.4 system-ui,sans-serif;box-shadow:0 4px 24px #0004;";

function closeButton(container) {
  const button = document.createElement("button");
  button.textContent = "Close";
  button.type = "button";
  button.style.cssText = "float:right;margin-left:1em";
  button.onclick = () => container.remove();
  return button;
}

export function showError({ message, status, html, code = "server.error" }) {
  log("error", `${code}: ${message}`);
  if (!emit("error", { code, message, status })) return;
  document.getElementById("hypergen-error")?.remove();
  const container = document.createElement("div");
  container.id = "hypergen-error";
  container.setAttribute("role", "alert");
  if (html) {
    container.style.cssText = BOX + "inset:2vh 2vw;background:#fff;border:2px solid #c00;padding:8px;";
    const frame = document.createElement("iframe");
    frame.srcdoc = html;
    frame.style.cssText = "width:100%;height:calc(100% - 40px);border:0";
    const title = document.createElement("strong");
    title.textContent = message;
    container.append(closeButton(container), title, frame);
  } else {
    container.style.cssText = BOX + "right:16px;bottom:16px;max-width:28em;background:#fff5f5;color:#700;" +
      "border:1px solid #c00;border-radius:6px;padding:10px 14px;";
    const text = document.createElement("span");
    text.className = "hypergen-error-message";
    text.textContent = message;
    container.append(closeButton(container), text);
  }
  document.body.append(container);
}
