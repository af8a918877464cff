// The demo's client extensions, loaded on every page of its layout after the Hypergen client
// (a deferred script at the end of <body>), so they are registered before partial navigation
// brings a page that uses them.

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 600;
const HEIGHT = 200;
const KEEP = 60; // Points shown.

function svgElement(name, attributes) {
  const el = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
  return el;
}

// <div hook="LiveChart" data-points="[{x, y}, ...]">: a line of the last points, y from 0 to 100.
// The server adds points with js.dispatch("chart", "chart:point", {x, y}).
hypergen.registerHook("LiveChart", {
  mounted(el) {
    this.points = JSON.parse(el.dataset.points || "[]");
    this.onPoint = (event) => {
      this.points = [...this.points, event.detail].slice(-KEEP);
      this.draw();
    };
    el.addEventListener("chart:point", this.onPoint);
    this.draw();
  },
  updated() {
    this.draw(); // A morph of the element replaced the drawing with what the server rendered.
  },
  destroyed(el) {
    el.removeEventListener("chart:point", this.onPoint);
  },
  draw() {
    const points = this.points.slice(-KEEP);
    const step = WIDTH / (KEEP - 1);
    const line = points.map((point, n) => `${(n * step).toFixed(1)},${(HEIGHT - point.y * 2).toFixed(1)}`);
    const svg = svgElement("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": "Live chart" });
    svg.dataset.lastX = points.length ? points[points.length - 1].x : 0;
    svg.append(
      svgElement("rect", { width: WIDTH, height: HEIGHT, fill: "#f5f7fa" }),
      svgElement("polyline", { points: line.join(" "), fill: "none", stroke: "#2f6fde", "stroke-width": 2 }),
    );
    if (points.length) {
      const last = points[points.length - 1];
      const label = svgElement("text", { x: WIDTH - 8, y: 20, "text-anchor": "end", fill: "#1d2330" });
      label.textContent = `latest: ${last.y}`;
      svg.append(label);
    }
    this.el.replaceChildren(svg);
  },
});
