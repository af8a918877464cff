"""The standard page in every in-process engine: each function returns a ``render()`` for the page data."""

from collections.abc import Callable

JINJA_AND_DJANGO_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><nav class="menu"><ul>{% for link in links %}<li class="item"><a href="{{ link.href }}">{{ link.label }}</a></li>{% endfor %}</ul></nav>
<table class="data"><thead><tr>{% for header in headers %}<th>{{ header }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in rows %}<tr id="row-ROW_INDEX" class="ROW_CLASS">{% for cell in row %}<td class="cCELL_INDEX"><span class="t">{{ cell.text }} <span class="n">{{ cell.number }}</span></span></td>{% endfor %}</tr>{% endfor %}</tbody></table>
</body></html>"""  # noqa: E501


def ours(data: dict) -> Callable[[], str]:
    from hypergen.template import hypergen

    from page_hypergen import page

    return lambda: hypergen(page, data)


def jinja2(data: dict) -> Callable[[], str]:
    import jinja2

    source = (
        JINJA_AND_DJANGO_PAGE.replace("ROW_INDEX", "{{ loop.index0 }}")
        .replace("ROW_CLASS", "{{ 'odd' if loop.index0 % 2 else 'even' }}")
        .replace("CELL_INDEX", "{{ loop.index0 }}")
    )
    template = jinja2.Environment(autoescape=True).from_string(source)
    return lambda: template.render(**data)


def django_templates(data: dict) -> Callable[[], str]:
    import django
    from django.conf import settings
    from django.template import Context, Engine

    if not settings.configured:
        settings.configure(USE_TZ=True)
        django.setup()
    source = (
        JINJA_AND_DJANGO_PAGE.replace("ROW_INDEX", "{{ forloop.counter0 }}")
        .replace("ROW_CLASS", "{% if forloop.counter0|divisibleby:2 %}even{% else %}odd{% endif %}")
        .replace("CELL_INDEX", "{{ forloop.counter0 }}")
    )
    template = Engine(autoescape=True).from_string(source)
    return lambda: template.render(Context(data))


def htpy(data: dict) -> Callable[[], str]:
    import htpy as h

    def page() -> str:
        return str(
            h.html(lang="en")[
                h.head[h.meta(charset="utf-8"), h.title[data["title"]]],
                h.body[
                    h.nav(class_="menu")[
                        h.ul[(h.li(class_="item")[h.a(href=link["href"])[link["label"]]] for link in data["links"])]
                    ],
                    h.table(class_="data")[
                        h.thead[h.tr[(h.th[header] for header in data["headers"])]],
                        h.tbody[
                            (
                                h.tr(id=f"row-{i}", class_="odd" if i % 2 else "even")[
                                    (
                                        h.td(class_=f"c{j}")[
                                            h.span(class_="t")[
                                                cell["text"], " ", h.span(class_="n")[str(cell["number"])]
                                            ]
                                        ]
                                        for j, cell in enumerate(row)
                                    )
                                ]
                                for i, row in enumerate(data["rows"])
                            )
                        ],
                    ],
                ],
            ]
        )

    return page


def dominate(data: dict) -> Callable[[], str]:
    import dominate.tags as t

    def page() -> str:
        document = t.html(lang="en")
        with document:
            with t.head():
                t.meta(charset="utf-8")
                t.title(data["title"])
            with t.body():
                with t.nav(cls="menu"), t.ul():
                    for link in data["links"]:
                        t.li(t.a(link["label"], href=link["href"]), cls="item")
                with t.table(cls="data"):
                    with t.thead():
                        t.tr([t.th(header) for header in data["headers"]])
                    with t.tbody():
                        for i, row in enumerate(data["rows"]):
                            with t.tr(id=f"row-{i}", cls="odd" if i % 2 else "even"):
                                for j, cell in enumerate(row):
                                    t.td(
                                        t.span(cell["text"], " ", t.span(str(cell["number"]), cls="n"), cls="t"),
                                        cls=f"c{j}",
                                    )
        return "<!DOCTYPE html>" + document.render(pretty=False)

    return page


ENGINES = {
    "hypergen (ours)": ours,
    "Jinja2": jinja2,
    "Django templates": django_templates,
    "htpy": htpy,
    "dominate": dominate,
}
