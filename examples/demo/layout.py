"""The demo site's shared page layout: a header, a nav, the content, and a source panel."""

import inspect
from contextlib import contextmanager

from django.templatetags.static import static

from hypergen.template import (
    a,
    body,
    code,
    details,
    div,
    doctype,
    h1,
    head,
    header,
    html,
    li,
    link,
    main,
    meta,
    nav,
    pre,
    script,
    style,
    summary,
    title,
    ul,
)

STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #e3e6ec; --accent: #2f6fde; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); }
header.site { display: flex; align-items: baseline; gap: 2rem; padding: .8rem 2rem;
              border-bottom: 1px solid var(--line); }
header.site .brand { font-weight: 700; font-size: 1.2rem; color: var(--ink); text-decoration: none; }
header.site nav ul { display: flex; gap: 1.2rem; list-style: none; margin: 0; padding: 0; }
header.site nav a { color: var(--muted); text-decoration: none; }
header.site nav a:hover { color: var(--accent); }
main { padding: 1.5rem 2rem; max-width: 1200px; }
.columns { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; align-items: start; }
.example { border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
pre.source { background: var(--soft); border: 1px solid var(--line); border-radius: 8px; padding: 1rem;
             overflow: auto; font-size: 13px; line-height: 1.45; }
table.grid { border-collapse: collapse; }
table.grid td, table.grid th { border: 1px solid var(--line); padding: .3rem .6rem; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; padding: 0; }
.cards li { list-style: none; border: 1px solid var(--line); border-radius: 8px; padding: 1rem; }
.cards a { font-weight: 600; color: var(--accent); text-decoration: none; }
.muted { color: var(--muted); }
button { font: inherit; padding: .25rem .8rem; border: 1px solid var(--line); border-radius: 6px; background: #fff;
         cursor: pointer; }
button:hover { border-color: var(--accent); }
button.hypergen-loading { opacity: .6; }
input[type=text], input[type=email], input[type=password], input:not([type]) { font: inherit; padding: .3rem .5rem;
         border: 1px solid var(--line); border-radius: 6px; }
.banner { display: none; position: fixed; top: 0; left: 0; right: 0; padding: .4rem; text-align: center;
          background: #fff4d6; color: #7a5600; border-bottom: 1px solid #e9cf85; z-index: 10; }
html.hypergen-ws-reconnecting .banner { display: block; }
.todo-list { list-style: none; padding: 0; margin: .5rem 0; }
.todo-list li { display: flex; gap: .6rem; align-items: center; padding: .35rem 0;
                border-bottom: 1px solid var(--line); }
.todo-list li.done label { text-decoration: line-through; color: var(--muted); }
.todo-list li label { flex: 1; }
.filters { display: flex; gap: .5rem; align-items: center; }
.filters button.selected { border-color: var(--accent); color: var(--accent); }
.tiles { display: grid; grid-template-columns: repeat(3, 1fr); gap: .8rem; }
.tile { border: 1px solid var(--line); border-radius: 8px; padding: .8rem; text-align: center; }
.tile .value { font-size: 1.8rem; font-weight: 700; }
.chart { border: 1px solid var(--line); border-radius: 8px; overflow: hidden; margin-bottom: .8rem; }
.chart svg { display: block; width: 100%; height: auto; }
.field { margin-bottom: .8rem; }
.field label { display: block; font-weight: 600; }
.field .error { color: #b00020; font-size: .9rem; }
.field .ok { color: #107a3a; font-size: .9rem; }
.messages { list-style: none; padding: 0; max-height: 320px; overflow: auto; }
.messages li { padding: .25rem 0; border-bottom: 1px solid var(--line); }
.messages b { margin-right: .4rem; }
"""

NAV = [
    ("Home", "/"),
    ("Templates", "/templates/"),
    ("Counter", "/counter/"),
    ("Inputs", "/inputs/"),
    ("Todos", "/todos/"),
    ("Chat", "/rooms/lobby/"),
    ("Dashboard", "/dashboard/"),
    ("Chart", "/chart/"),
    ("Sign up", "/signup/"),
    ("Upload", "/upload/"),
]


@contextmanager
def base_template(page_title: str = "Hypergen demo"):
    """The layout every demo page renders inside; content goes into <main id="content">."""
    doctype()
    with html(lang="en"):
        with head():
            meta(charset="utf-8")
            meta(name="viewport", content="width=device-width, initial-scale=1")
            title(page_title)
            link(rel="icon", href="data:,")  # No favicon request, so no 404 in the console.
            style(STYLE)
        with body():
            with header(class_="site"):
                a("Hypergen", href="/", class_="brand")
                with nav(), ul():
                    for label, url in NAV:
                        li(a(label, href=url))
            div("Reconnecting to the server...", id="reconnecting", class_="banner", role="status")
            with main(id="content"):
                h1(page_title)
                yield
            # The demo's hooks (the live chart): after the client, and on every page, since
            # scripts that partial navigation brings in do not run.
            script(src=static("demo/hooks.js"), defer=True)


base_template.target_id = "content"


def page(page_title: str):
    """A base template for one page: the shared layout with this page's title.

    Every demo page uses the same target id, so links between them load only the
    content (partial loading) and the browser's back and forward buttons work.
    """

    def page_base_template():
        return base_template(page_title)

    page_base_template.target_id = base_template.target_id
    return page_base_template


def source_panel(*functions) -> None:
    """Show the Python source of the functions that render an example."""
    with details(open=True, class_="source-panel"):
        summary("Source")
        pre(code("\n\n".join(inspect.getsource(f) for f in functions)), class_="source")


def two_columns(example, *functions, example_id=None) -> None:
    """An example rendered on the left (inside ``example_id``) and its source on the right."""
    with div(class_="columns"):
        with div(class_="example", id=example_id):
            example()
        with div():
            source_panel(*functions)
