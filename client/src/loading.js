// The loading state of events in flight (over HTTP or a socket): the class `hypergen-loading` on
// <html> while any is, and on the element an event came from while its own is.

let inFlight = 0;
const perElement = new WeakMap();

// Returns the function that ends this event's loading state (calling it again does nothing).
export function startLoading(element) {
  inFlight++;
  document.documentElement.classList.add("hypergen-loading");
  if (element?.classList) {
    perElement.set(element, (perElement.get(element) ?? 0) + 1);
    element.classList.add("hypergen-loading");
  }
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    inFlight--;
    if (inFlight === 0) document.documentElement.classList.remove("hypergen-loading");
    if (element?.classList) {
      const left = perElement.get(element) - 1;
      perElement.set(element, left);
      if (left === 0) element.classList.remove("hypergen-loading");
    }
  };
}
