"""The demo site's pages: each one a liveview that shows its own source."""

from datetime import date
from decimal import Decimal

from demo.layout import page, source_panel, two_columns
from hypergen import js
from hypergen.imports import *

EXAMPLES = [
    ("Templates", "/templates/", "HTML as Python calls: nesting, attributes, escaping, components."),
    ("Counter", "/counter/", "A button that calls Python over HTTP and morphs the result into the page."),
    ("Inputs", "/inputs/", "Every kind of form input, sent to Python as the right Python type."),
    ("Todos", "/todos/", "TodoMVC: actions change SQLite, and the list re-renders in place."),
    ("Chat rooms", "/rooms/lobby/", "One group per room URL, history in the database. Log in as demo / demo."),
    ("Shared counter", "/shared-counter/", "A websocket consumer: every open tab sees the same count."),
    ("Dashboard", "/dashboard/", "A background job pushes fresh numbers to every open tab, every second."),
    ("Live chart", "/chart/", "A client hook draws a chart; the server pushes its points with js.dispatch()."),
    ("Sign up", "/signup/", "A form validated on the server as you type (debounced)."),
    ("Upload", "/upload/", "Files uploaded with a progress bar."),
    ("Stats", "/stats/", "Telemetry: Hypergen's signals counted, Prometheus-style (log in as an admin)."),
]

SEED_EXAMPLES = [
    ("Websocket counter", "/seed/counter/", "The counter of docs/websockets.md, over a websocket."),
    ("Chat", "/chat/", "The chat of docs/websockets.md (log in as demo / demo, open two tabs)."),
    ("VIP rooms", "/vip/gold/", "A custom group name: every VIP room shares one group (try /vip/silver/)."),
    ("App state", "/seed/app_state/", "State kept on the consumer for the page: it survives reconnects."),
]


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Hypergen demo"), path="")
def home(request):
    p("Reactive, realtime Django pages in pure Python. Every example shows its own source.", class_="muted")
    with ul(class_="cards"):
        for label, url, blurb in EXAMPLES:
            li(a(label, href=url), p(blurb, class_="muted"))
    h2("The examples of docs/websockets.md, exactly as written there ", a("(their source)", href="/docs-examples/"))
    with ul(class_="cards"):
        for label, url, blurb in SEED_EXAMPLES:
            li(a(label, href=url, data_hypergen_partial="false"), p(blurb, class_="muted"))


# Templates ------------------------------------------------------------------------------


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


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Templates"), path="templates/")
def template_gallery(request):
    two_columns(shopping_list, badge, shopping_list)


# Counter ---------------------------------------------------------------------------------


def counter_template(n):
    count = input_(id="count", value=n, disabled=True)
    button("Increment", onclick=callback(increment, count), id="increment")


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Counter"), path="counter/")
def counter(request):
    two_columns(lambda: counter_template(0), counter_template, counter, increment, example_id="counter-example")


@action(perm=NO_PERM_REQUIRED, target_id="counter-example")
def increment(request, n):
    counter_template(n + 1)


# Inputs ------------------------------------------------------------------------------------


def inputs_template():
    fields = [
        ("Text", input_(type="text", value="Hello")),
        ("Number", input_(type="number", value=42)),
        ("Range", input_(type="range", min=0, max=1, step=0.1, value=0.5)),
        ("Checkbox", input_(type="checkbox", checked=True)),
        ("Date", input_(type="date", value=date(2026, 11, 24).isoformat())),
        ("Time", input_(type="time", value="09:30")),
        ("Date and time", input_(type="datetime-local", value="2026-11-24T09:30")),
        ("Month", input_(type="month", value="2026-11")),
        ("Week", input_(type="week", value="2026-W48")),
        ("Colour", input_(type="color", value="#2f6fde")),
        ("Text as Decimal", input_(type="text", value="9.99", coerce_to=Decimal)),
        ("Select", select(option("Tea"), option("Coffee", selected=True), option("Water"))),
        (
            "Select many",
            select(option("Red", selected=True), option("Green"), option("Blue", selected=True), multiple=True),
        ),
        ("Text area", textarea("Two\nlines")),
    ]
    with table(class_="grid", id="inputs"):
        for label_text, field in fields:
            tr(th(label_text), td(field), td(button("Send", onclick=callback(show_value, label_text, field))))
    p("Python received: ", code("nothing yet", id="received"))


@liveview(perm=NO_PERM_REQUIRED, base_template=page("Inputs"), path="inputs/")
def inputs(request):
    two_columns(inputs_template, inputs_template, show_value)


@action(perm=NO_PERM_REQUIRED)
def show_value(request, label_text, value):
    js.set_text("received", f"{label_text}: {value!r} ({type(value).__name__})")


@liveview(perm=NO_PERM_REQUIRED, base_template=page("The examples of docs/websockets.md"), path="docs-examples/")
def docs_examples(request):
    """The seed's pages keep their own bare base template, as written in the docs: their source is here."""
    from chat import views as chat_views
    from chat import vip

    from demo import seed

    p("These pages run the code of docs/websockets.md as it is written there, base template included.")
    with ul():
        for label, url, blurb in SEED_EXAMPLES:
            li(a(label, href=url, data_hypergen_partial="false"), ": ", blurb)
    for module in (seed, chat_views, vip):
        h2(module.__name__.replace(".", "/") + ".py")
        source_panel(module)
