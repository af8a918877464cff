"""The template engine's rules, one behaviour per test."""

import asyncio
import threading
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest

from hypergen.context import context
from hypergen.template import (
    ELEMENT_NAMES,
    OMIT,
    DuplicateIdError,
    Tag,
    a,
    b,
    body,
    br,
    circle,
    component,
    del_,
    div,
    doctype,
    filter_,
    html,
    hypergen,
    img,
    input,
    input_,
    li,
    linearGradient,
    map_,
    object_,
    p,
    path_,
    raw,
    script,
    section,
    span,
    style,
    svg,
    template,
    textarea,
    time_,
    title,
    ul,
    write,
)


def render(func, *args, **kwargs):
    return hypergen(func, *args, **kwargs)


# Elements ---------------------------------------------------------------------


def test_an_element_call_writes_the_element():
    assert render(lambda: p("Hello ", "world", class_="lead")) == '<p class="lead">Hello world</p>'


def test_calls_in_sequence_write_in_sequence():
    def template():
        p("one")
        p("two")

    assert render(template) == "<p>one</p><p>two</p>"


def test_void_elements_have_no_end_tag():
    assert render(lambda: (br(), img(src="a.png"), input_(value=1))) == '<br><img src="a.png"><input value="1">'


def test_void_elements_refuse_children():
    with pytest.raises(TypeError, match="<br> is a void element"):
        render(lambda: br("text"))


def test_input_is_exported_under_both_names():
    assert render(lambda: input(type="text")) == render(lambda: input_(type="text")) == '<input type="text">'


def test_python_clashing_names_have_a_trailing_underscore():
    def names():
        del_("x")
        map_(name="m")
        object_()
        time_("noon")
        template("t")

    assert render(names) == '<del>x</del><map name="m"></map><object></object><time>noon</time><template>t</template>'


def test_every_exported_element_renders_its_own_tag():
    import hypergen.template as module

    for name in ELEMENT_NAMES:
        tag = getattr(module, name)
        html_out = str(tag())
        assert html_out.startswith("<" + tag.name), name


def test_svg_elements_render_with_their_case():
    def template():
        with svg(viewBox="0 0 10 10", width=10):
            linearGradient(id="g")
            circle(cx=5, cy=5, r=4, fill="url(#g)", stroke_width=2)
            path_(d="M0 0L10 10")
            filter_(id="f")

    assert render(template) == (
        '<svg viewBox="0 0 10 10" width="10"><linearGradient id="g"></linearGradient>'
        '<circle cx="5" cy="5" r="4" fill="url(#g)" stroke-width="2"></circle>'
        '<path d="M0 0L10 10"></path><filter id="f"></filter></svg>'
    )


# Nesting ----------------------------------------------------------------------


def test_with_nests_elements():
    def template():
        with ul(id="list"):
            li("a")
            li("b")
        p("after")

    assert render(template) == '<ul id="list"><li>a</li><li>b</li></ul><p>after</p>'


def test_with_keeps_children_given_in_the_call():
    def template():
        with div("first ", b("bold")):
            p("inside")

    assert render(template) == "<div>first <b>bold</b><p>inside</p></div>"


def test_deep_nesting():
    def template():
        doctype()
        with html(), body(), div(class_="a"), div(class_="b"):
            span("deep")

    assert (
        render(template)
        == '<!DOCTYPE html><html><body><div class="a"><div class="b"><span>deep</span></div></div></body></html>'
    )


def test_element_as_decorator_wraps_each_call():
    @div(class_="card")
    def card(text):
        p(text)

    def template():
        card("one")
        card("two")

    assert render(template) == '<div class="card"><p>one</p></div><div class="card"><p>two</p></div>'


def test_element_as_decorator_inside_a_render_writes_nothing_at_decoration_time():
    def template():
        @section(id="s")
        def inner():
            p("x")

        p("before")
        inner()

    assert render(template) == '<p>before</p><section id="s"><p>x</p></section>'


def test_with_outside_a_render_is_a_clear_error():
    with pytest.raises(RuntimeError, match="no active render"), div():
        pass


# Children ---------------------------------------------------------------------


def test_strings_are_escaped():
    assert render(lambda: p("<b>&\"'")) == "<p>&lt;b&gt;&amp;&quot;&#x27;</p>"


def test_numbers_and_other_objects_become_text():
    assert render(lambda: p(1, " ", 2.5, " ", Decimal("3.10"), " ", date(2026, 1, 2))) == "<p>1 2.5 3.10 2026-01-02</p>"


def test_elements_given_as_children_move_inside_their_parent():
    assert render(lambda: p("a ", b("bold"), " c")) == "<p>a <b>bold</b> c</p>"


def test_an_element_created_earlier_can_be_placed_later():
    def template():
        label = b("late")
        p("first")
        div(label)

    assert render(template) == "<p>first</p><div><b>late</b></div>"


def test_an_element_placed_twice_is_copied():
    def template():
        x = b("x")
        p(x)
        p(x)

    assert render(template) == "<p><b>x</b></p><p><b>x</b></p>"


def test_lists_tuples_and_generators_are_flattened():
    assert render(lambda: ul([li(1), li(2)], (li(3),), (li(n) for n in (4, 5)))) == (
        "<ul><li>1</li><li>2</li><li>3</li><li>4</li><li>5</li></ul>"
    )


def test_other_iterables_are_flattened():
    assert render(lambda: p(range(3), sep=",")) == "<p>0,1,2</p>"


def test_callables_are_called_for_their_output_and_return_value():
    def writes():
        b("written")

    assert render(lambda: p(writes, lambda: 8, lambda: b("returned"))) == "<p><b>written</b>8<b>returned</b></p>"


def test_none_and_empty_strings_are_skipped():
    assert render(lambda: p(None, "", "x", None, sep="-")) == "<p>x</p>"


def test_sep_joins_children_and_end_appends():
    assert render(lambda: section([1, 2, 3], (x for x in [4, 5, 6]), 7, lambda: 8, b(9), sep=" ", end=".")) == (
        "<section>1 2 3 4 5 6 7 8 <b>9</b>.</section>"
    )


def test_sep_and_end_are_escaped():
    assert render(lambda: p("a", "b", sep="<", end=">")) == "<p>a&lt;b&gt;</p>"


def test_objects_with_dunder_html_are_trusted():
    class Safe:
        def __html__(self):
            return "<i>safe</i>"

    assert render(lambda: p(Safe())) == "<p><i>safe</i></p>"


def test_bytes_and_dicts_are_refused_as_children():
    with pytest.raises(TypeError, match="decode bytes"):
        render(lambda: p(b"bytes"))
    with pytest.raises(TypeError, match="dict"):
        render(lambda: p({"a": 1}))


# Attributes -------------------------------------------------------------------


def test_attribute_names_drop_a_trailing_underscore_and_use_dashes():
    assert render(lambda: div(class_="c", data_user_id=7, aria_label="x", for_="f")) == (
        '<div class="c" data-user-id="7" aria-label="x" for="f"></div>'
    )


def test_boolean_and_omitted_attributes():
    assert render(lambda: input_(disabled=True, checked=False, value=None, name=OMIT, required=True)) == (
        "<input disabled required>"
    )


def test_style_dict():
    assert render(lambda: div(style={"background_color": "red", "margin": 0, "color": None})) == (
        '<div style="background-color:red;margin:0"></div>'
    )


def test_class_list_and_id_tuple():
    assert render(lambda: div(class_=["a", None, "b", False], id_=("row", 7))) == '<div class="a b" id="row-7"></div>'


def test_every_attribute_value_is_escaped():
    assert render(lambda: a(href='x" onclick="alert(1)', title="<&'>", class_=['"q"'])) == (
        '<a href="x&quot; onclick=&quot;alert(1)" title="&lt;&amp;&#x27;&gt;" class="&quot;q&quot;"></a>'
    )


def test_style_values_are_escaped():
    assert render(lambda: div(style={"width": '1px" onmouseover="x'})) == (
        '<div style="width:1px&quot; onmouseover=&quot;x"></div>'
    )


def test_a_str_attribute_renders_the_same_every_time_and_only_under_its_own_name():
    first = render(lambda: div(title="a&b", class_="x"))
    assert render(lambda: div(title="a&b", class_="x")) == first == '<div title="a&amp;b" class="x"></div>'
    assert render(lambda: div(alt="a&b")) == '<div alt="a&amp;b"></div>'


def test_an_id_seen_in_earlier_renders_is_still_checked_for_duplicates():
    render(lambda: div(id="again"))
    with pytest.raises(DuplicateIdError, match='"again"'):
        render(lambda: [div(id="again"), div(id="again")])


def test_the_attribute_cache_is_bounded():
    from hypergen import template

    for n in range(template._MAX_CACHED_STR_ATTRIBUTES + 100):
        render(lambda n=n: div(title=f"value {n}"))
    assert sum(len(values) for values in template._rendered_str_attributes.values()) <= (
        template._MAX_CACHED_STR_ATTRIBUTES
    )


def test_sep_end_and_coerce_to_given_as_none_change_nothing():
    assert render(lambda: p("a", "b", sep=None, end=None, coerce_to=None, class_="c")) == '<p class="c">ab</p>'


def test_a_tag_of_ones_own_is_callable_like_the_element_names():
    widget = Tag("my-widget")
    assert render(lambda: widget("hi", class_="x")) == '<my-widget class="x">hi</my-widget>'
    assert render(lambda: widget.function("hi")) == "<my-widget>hi</my-widget>"


def test_element_names_tell_their_html_name_and_voidness():
    assert (p.name, p.void, p.tag.name) == ("p", False, "p")
    assert (input_.name, input_.void) == ("input", True)
    assert (del_.name, del_.__name__) == ("del", "del_")


@pytest.mark.parametrize("name", ["on click", "x>y", 'a"b', "a=b", "a/b", "", "1abc", "-x", "a'b", "a\nb"])
def test_invalid_attribute_names_are_refused(name):
    with pytest.raises(ValueError, match="Invalid HTML attribute name"):
        render(lambda: div(**{name: "v"}))


def test_duplicate_ids_are_an_error_naming_the_id():
    def template():
        p(id="same")
        div(id_=("sa", "me"))  # "sa-me" is fine
        span(id="same")

    with pytest.raises(DuplicateIdError, match='Duplicate id "same"'):
        render(template)


def test_ids_are_per_render():
    assert render(lambda: p(id="x")) == render(lambda: p(id="x"))


# raw, write, doctype, component -------------------------------------------------


def test_raw_writes_trusted_html_and_write_escapes():
    def template():
        raw("<b>trusted</b>")
        write("<b>text</b>")

    assert render(template) == "<b>trusted</b>&lt;b&gt;text&lt;/b&gt;"


def test_raw_can_be_a_child():
    assert render(lambda: p(raw("<br>"))) == "<p><br></p>"


def test_doctype():
    assert render(doctype) == "<!DOCTYPE html>"


def test_component_output_can_be_used_as_a_child():
    @component
    def badge(text):
        span(text, class_="badge")
        b("!")

    def template():
        div("before ", badge("new"), " after")
        badge("alone")

    assert (
        render(template)
        == '<div>before <span class="badge">new</span><b>!</b> after</div><span class="badge">alone</span><b>!</b>'
    )


def test_component_outside_a_render_returns_its_html():
    @component
    def item():
        li("x")

    assert str(item()) == "<li>x</li>"


def test_base_template_with_target_id():
    @contextmanager
    def base_template():
        doctype()
        with html(), body(), div(id="content"):
            yield

    base_template.target_id = "content"

    def page():
        with base_template():
            p("inside")

    assert render(page) == '<!DOCTYPE html><html><body><div id="content"><p>inside</p></div></body></html>'


# Rendering anywhere ---------------------------------------------------------------


def test_elements_outside_a_render_can_be_turned_into_strings():
    assert str(ul(li("a"), li("b"))) == "<ul><li>a</li><li>b</li></ul>"


def test_hypergen_passes_arguments():
    assert hypergen(lambda name, greeting="Hi": p(greeting, " ", name), "Ann", greeting="Hello") == "<p>Hello Ann</p>"


def test_nested_hypergen_calls_are_independent():
    def inner():
        p("inner", id="x")

    def outer():
        div(raw(hypergen(inner)), id="x")

    assert render(outer) == '<div id="x"><p id="x">inner</p></div>'


def test_an_exception_leaves_no_render_active():
    def broken():
        p("x")
        raise KeyError("boom")

    with pytest.raises(KeyError):
        render(broken)
    assert str(p("after")) == "<p>after</p>"
    from hypergen.template import current_render_state

    assert current_render_state() is None


def test_renders_in_threads_do_not_mix():
    results = {}
    barrier = threading.Barrier(4)

    def template(n):
        for i in range(200):
            p(n, id_=("p", i))
            if i == 100:
                barrier.wait()

    def worker(n):
        results[n] = hypergen(template, n)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for n in range(4):
        assert results[n] == "".join(f'<p id="p-{i}">{n}</p>' for i in range(200))


def test_renders_in_asyncio_tasks_do_not_mix():
    async def render_in_task(n):
        with context(user=n):
            await asyncio.sleep(0)
            html_out = hypergen(lambda: p(context.user))
            await asyncio.sleep(0)
            return html_out, context.user

    async def main():
        return await asyncio.gather(*(render_in_task(n) for n in range(5)))

    assert asyncio.run(main()) == [(f"<p>{n}</p>", n) for n in range(5)]


# Escaping: classic XSS vectors ----------------------------------------------------

XSS_VECTORS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '" autofocus onfocus="alert(1)',
    "javascript:alert(1)",
    "<svg/onload=alert(1)>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "&lt;script&gt;",
    "<!--",
]


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_in_text_cannot_create_markup(vector):
    out = render(lambda: (p(vector), title(vector), textarea(vector)))
    assert "<script" not in out
    assert "<img" not in out and "<svg" not in out
    assert "<!--" not in out


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_xss_vectors_in_attributes_cannot_leave_the_quotes(vector):
    out = render(lambda: a("x", href=vector, title=vector, class_=[vector], style={"color": vector}))
    # Every quote inside the values is escaped, so each attribute has exactly two quotes.
    assert out.count('"') == 8
    assert "<" not in out[1:-5].replace("<a ", "")


@pytest.mark.parametrize("closing", ["</script>", "</SCRIPT>", "</script >", "</ScRiPt/x>"])
def test_script_content_cannot_close_the_script_early(closing):
    out = render(lambda: script(f"var s = '{closing}<img src=x onerror=alert(1)>';"))
    assert out.lower().count("</script") == 1
    assert out.lower().endswith("</script>")


def test_script_content_keeps_javascript_intact():
    assert render(lambda: script("if (a < b && c > d) { x = '&amp;'; }")) == (
        "<script>if (a < b && c > d) { x = '&amp;'; }</script>"
    )


def test_style_content_cannot_close_the_style_early():
    out = render(lambda: style("body { content: '</style><script>alert(1)</script>'; }"))
    assert out.lower().count("</style") == 1
    assert "<script>" in out  # Inert inside <style>: the browser reads it as CSS text.


SPLIT_CLOSINGS = [
    lambda: script("var t='", ["<", "/script><img src=x onerror=alert(1)>"], "'"),
    lambda: script("<", "script>", sep="/"),
    lambda: script("x", end="</script><b>"),
    lambda: script(raw("</scr"), "ipt><b>"),
    lambda: script(hypergen(lambda: raw("<")), "/SCRIPT><b>"),
    lambda: script(lambda: "<", "/script><b>"),
    lambda: style("a{}", ["<", "/STYLE><script>alert(1)</script>"]),
]


@pytest.mark.parametrize("make", SPLIT_CLOSINGS)
def test_rawtext_content_split_over_children_cannot_close_the_element_early(make):
    # Regression (security review): each child was made safe on its own, so "<" and "/script>"
    # in two children joined into a working </script>.
    out = render(make)
    tag = "style" if out.startswith("<style") else "script"
    assert out.lower().count(f"</{tag}") == 1
    assert out.lower().endswith(f"</{tag}>")


def test_rawtext_content_written_in_a_with_block_cannot_close_the_element_early():
    def template():
        with script("<"):
            raw("/script><b>")
            raw("<")
            raw("/script><b>")
            raw("<!")
            raw("-- x")

    out = render(template)
    assert out.lower().count("</script") == 1
    assert "<!--" not in out


@pytest.mark.parametrize("parts", [("<", "!-- x"), ("<!", "--"), (["<!-", "-"],)])
def test_html_comment_openers_split_over_children_are_neutralized(parts):
    assert "<!--" not in render(lambda: script(*parts))


def test_html_comment_openers_in_script_are_neutralized():
    assert "<!--" not in render(lambda: script("var s = '<!--';"))
