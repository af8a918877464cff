"""Property tests: no string lets markup out of the renderer, in text, attributes, script/style or commands."""

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from hypergen import js
from hypergen.template import RenderState, div, hypergen, p, render_into, script, style

# Text weighted towards what breaks HTML: brackets, quotes, ampersands, slashes, comment openers.
hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(list("<>&\"'/=!- `\n")), st.characters(blacklist_categories=["Cs"])),
    max_size=60,
) | st.lists(st.sampled_from(["</script", "</style", "<!--", "-->", "<img src=x onerror=alert(1)>", "&amp;"])).map(
    "".join
)


class Parsed(HTMLParser):
    """What a browser-like tokenizer sees: tags (with attributes) and text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, str, dict]] = []
        self.text = ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(("start", tag, dict(attrs)))

    def handle_endtag(self, tag):
        self.tags.append(("end", tag, {}))

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.tags.append(("comment", data, {}))


@settings(max_examples=300)
@given(hostile_text)
def test_text_stays_text(text):
    parsed = Parsed(hypergen(lambda: p(text)))
    assert parsed.tags == [("start", "p", {}), ("end", "p", {})]
    assert parsed.text == text


@settings(max_examples=300)
@given(hostile_text)
def test_an_attribute_value_stays_one_attribute(text):
    parsed = Parsed(hypergen(lambda: div(title=text)))
    assert parsed.tags == [("start", "div", {"title": text}), ("end", "div", {})]


@settings(max_examples=300)
@given(st.lists(hostile_text, min_size=1, max_size=4))
def test_script_and_style_content_cannot_end_its_element_early(parts):
    for element in (script, style):
        parsed = Parsed(hypergen(lambda element=element: element(*parts)))
        assert parsed.tags == [("start", element.name, {}), ("end", element.name, {})], parsed.tags


@settings(max_examples=300)
@given(hostile_text)
def test_a_plain_string_given_to_an_html_command_arrives_as_text(text):
    state = RenderState()
    state.commands = []
    with render_into(state):
        js.append("messages", text)
    [[_name, _target, html]] = state.commands
    parsed = Parsed(html)
    assert parsed.tags == [] and parsed.text == text
