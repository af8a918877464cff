// Entry for bench/client.py: exposes morphdom and idiomorph on window for the measurement.
import morphdom from "morphdom";
import { Idiomorph } from "idiomorph/dist/idiomorph.esm.js";

window.morphLibraries = {
  morphdom: (el, html) => {
    const target = el.cloneNode(false);
    target.innerHTML = html;
    morphdom(el, target, { childrenOnly: true });
  },
  idiomorph: (el, html) => Idiomorph.morph(el, html, { morphStyle: "innerHTML" }),
};
