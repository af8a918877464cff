// The page's configuration, rendered by the server into <script id="hypergen-config">.
export const config = { csrfToken: "", debug: false, logLevel: "error", targetId: null, partial: false, commands: [], wsMaxBytes: 524288, wsHeartbeat: [25000, 10000] };

export function loadConfig() {
  const element = document.getElementById("hypergen-config");
  if (element) Object.assign(config, JSON.parse(element.textContent));
  return config;
}
