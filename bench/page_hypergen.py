"""The standard page as a Hypergen template.

Imported in two processes: ours (hypergen from this repository) and django-hypergen
1.5.6 (bench/render_django_hypergen.py puts it first on sys.path). The two share
this API, so both render exactly this code.
"""

from hypergen.template import (
    a,
    body,
    doctype,
    head,
    html,
    li,
    meta,
    nav,
    span,
    table,
    tbody,
    td,
    th,
    thead,
    title,
    tr,
    ul,
)


def page(data):
    doctype()
    with html(lang="en"):
        with head():
            meta(charset="utf-8")
            title(data["title"])
        with body():
            with nav(class_="menu"), ul():
                for link in data["links"]:
                    li(a(link["label"], href=link["href"]), class_="item")
            with table(class_="data"):
                with thead():
                    tr(th(header) for header in data["headers"])
                with tbody():
                    for i, row in enumerate(data["rows"]):
                        with tr(id=f"row-{i}", class_="odd" if i % 2 else "even"):
                            for j, cell in enumerate(row):
                                number = span(cell["number"], class_="n")
                                td(span(cell["text"], " ", number, class_="t"), class_=f"c{j}")
