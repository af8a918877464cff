"""Pages for the client extension tests: a custom command and element hooks, written down on window.calls."""

from contextlib import contextmanager

from hypergen import js
from hypergen.imports import *

# The page's own script: it runs after the client (a module script at the end of <body>), so the
# page's first commands reach the client before their command is registered.
PAGE_SCRIPT = """
window.calls = [];
window.errors = [];
document.addEventListener("hypergen:error", (event) => window.errors.push(event.detail.code));
hypergen.registerCommand("tests.record", (...args) => window.calls.push(["command", ...args]));
hypergen.registerHook("Probe", {
  mounted(el) {
    window.calls.push(["mounted", el.id]);
    el.addEventListener("probe:ping", (event) => window.calls.push(["ping", el.id, event.detail]));
  },
  updated(el) { window.calls.push(["updated", el.id]); },
  destroyed(el) { window.calls.push(["destroyed", el.id]); },
});
hypergen.registerHook("Reporter", {
  mounted(el) { el.addEventListener("click", () => this.pushEvent("report", "from the hook")); },
});
"""


@contextmanager
def base_template(title_text="Hooks"):
    doctype()
    with html(lang="en"):
        with head():
            meta(charset="utf-8")
            title(title_text)
            link(rel="icon", href="data:,")
        with body():
            with nav():
                a("Probes", href=probes_page.reverse(), id="link-probes")
                a("Other", href=other_page.reverse(), id="link-other")
            with div(id="content"):
                yield
            script(PAGE_SCRIPT, type="module")


base_template.target_id = "content"


def probes(n):
    div(f"Probe A, render {n}", id="probe-a", hook="Probe")  # Changes every render: updated.
    div("Probe B, always the same", id="probe-b", hook="Probe")  # Never changes: never updated.
    if n < 2:
        div("Probe C, gone at the second render", id="probe-c", hook="Probe")
    button("Render again", id="again", onclick=callback(again, n + 1))
    button("Ping", id="ping", onclick=callback(ping))
    button("Morph the probes", id="morph-probes", onclick=callback(morph_probes))
    button("Record", id="record", onclick=call_js("tests.record", "clicked"))
    div("Report", id="reporter", hook="Reporter", data_report=callback(report, "the server's argument"))
    p("", id="report-result")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template, path="probes/")
def probes_page(request):
    command("tests.record", "initial")  # Sent before the page's script registered it.
    command("tests.neverRegistered")  # Nobody registers it: reported at the load event.
    probes(0)


@action(perm=NO_PERM_REQUIRED, base_template=base_template)
def again(request, n):
    probes(n)
    command("tests.record", "rendered", n)  # Runs after the morph and its hook calls: a sentinel.


@action(perm=NO_PERM_REQUIRED, base_template=base_template)
def ping(request):
    js.dispatch("probe-a", "probe:ping", {"n": 3})
    command("tests.record", "pinged")


@action(perm=NO_PERM_REQUIRED, base_template=base_template)
def morph_probes(request):
    js.morph("probe-b", "Probe B, always the same")  # Into the hooked element itself, unchanged.
    js.morph("probe-a", "Probe A, morphed directly")
    command("tests.record", "morphed")


@action(perm=NO_PERM_REQUIRED, base_template=base_template)
def report(request, from_server, from_hook):
    js.set_text("report-result", f"{from_server} + {from_hook}")


@liveview(perm=NO_PERM_REQUIRED, base_template=base_template, path="other/")
def other_page(request):
    div("Probe D", id="probe-d", hook="Probe")
