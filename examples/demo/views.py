"""The demo site's pages."""

from django.http import HttpResponse

from demo.layout import base_template, two_columns
from hypergen.template import a, b, component, div, hypergen, li, p, span, table, td, th, tr, ul

EXAMPLES = [
    ("Templates", "/templates/", "HTML as Python calls: nesting, attributes, escaping, components."),
]


def home(request):
    return HttpResponse(hypergen(home_page))


def home_page():
    with base_template("Hypergen demo"):
        p("Reactive, realtime Django pages in pure Python. Every example shows its own source.", class_="muted")
        with ul(class_="cards"):
            for label, url, blurb in EXAMPLES:
                li(a(label, href=url), p(blurb, class_="muted"))


def template_gallery(request):
    return HttpResponse(hypergen(template_gallery_page))


@component
def badge(text, kind="info"):
    span(text, class_=["badge", f"badge-{kind}"])


def shopping_list():
    items = ["Milk", "Bread <fresh>", "Tea & biscuits"]
    p("Children are escaped: ", b("<script>alert('no')</script>"))
    with ul(id="shopping"):
        for item in items:
            li(item)
    div(badge("components"), " are ", badge("values", kind="ok"), sep="", id="badges")
    with table(class_="grid", id="squares"):
        tr(th("n"), th("n²"))
        for n in range(1, 6):
            tr(td(n), td(n * n), id_=("square", n))


def template_gallery_page():
    with base_template("Templates"):
        two_columns(shopping_list, badge, shopping_list)
