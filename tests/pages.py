"""Pages used only by the browser tests."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from hypergen.template import (
    body,
    div,
    doctype,
    h1,
    head,
    html,
    hypergen,
    input_,
    li,
    meta,
    p,
    raw,
    script,
    span,
    title,
    ul,
)

SPLIT_SCRIPT_PAYLOAD = ["<", '/script><img src=x onerror="window.pwned=3">']


def escaping_page(request):
    """A page full of hostile data: none of it may execute or change the DOM structure."""
    hostile = request.GET.get("q", '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>')

    def template():
        doctype()
        with html(lang="en"):
            with head():
                meta(charset="utf-8")
                title(hostile)
            with body():
                h1("Escaping", id="heading")
                p(hostile, id="text")
                input_(value=hostile, id="field", title=hostile)
                div(id="attr", data_payload=hostile, class_=[hostile, "ok"])
                script("window.fromScript = ", repr(hostile), ";")
                # Hostile data split over children: only the joined content shows the </script.
                script("window.split = '", SPLIT_SCRIPT_PAYLOAD, "';")
                with ul(id="list"):
                    for n in range(3):
                        li(span(n, class_="n"), id_=("item", n))
                raw('<p id="raw">trusted <b>raw</b></p>')

    return HttpResponse(hypergen(template))


def django_template_counter(request):
    """A plain Django view and template that uses Hypergen callbacks through the template tags."""
    return render(request, "tests/counter.html", {"start": 5, "user_data": "#private-note"})


urlpatterns = [
    path("escaping/", escaping_page),
    path("django-template/", django_template_counter),
]
