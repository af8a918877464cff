"""Assertions on a test page, with failure messages that show what the page has instead."""

from __future__ import annotations

from typing import Any

from hypergen.testing.dom import Element, shorten


class Assertions:
    """Mixed into Page: ``page.assert_text("#count", "3")`` and friends. Each returns the page."""

    def find(self, selector: str) -> Element:  # Defined by Page.
        raise NotImplementedError

    def find_all(self, selector: str) -> list[Element]:  # Defined by Page.
        raise NotImplementedError

    def assert_text(self, selector: str, expected: str, *, exact: bool = True) -> Any:
        """The element's text (whitespace collapsed) is ``expected``, or contains it with ``exact=False``."""
        element = self.find(selector)
        wanted = " ".join(str(expected).split())
        ok = element.text == wanted if exact else wanted in element.text
        if not ok:
            how = "to be" if exact else "to contain"
            raise AssertionError(
                f"Expected the text of {selector!r} {how} {wanted!r}, but it is {element.text!r}.\n"
                f"The element: {shorten(element.outer_html)}"
            )
        return self

    def assert_value(self, selector: str, expected: str) -> Any:
        """The field's value (what ``element.value`` is in the browser) is ``expected``."""
        element = self.find(selector)
        if element.value != expected:
            raise AssertionError(
                f"Expected the value of {selector!r} to be {expected!r}, but it is {element.value!r}.\n"
                f"The element: {shorten(element.outer_html)}"
            )
        return self

    def assert_attribute(self, selector: str, name: str, expected: str | None) -> Any:
        """The element's attribute ``name`` is ``expected`` (None: the element has no such attribute)."""
        element = self.find(selector)
        actual = element.attrs.get(name) if name in element.attrs else None
        if name in element.attrs and actual is None:
            actual = ""  # A bare attribute: disabled, checked.
        if actual != expected:
            shown = "it has none" if name not in element.attrs else f"it is {actual!r}"
            raise AssertionError(
                f"Expected the attribute {name!r} of {selector!r} to be {expected!r}, but {shown}.\n"
                f"The element: {shorten(element.outer_html)}"
            )
        return self

    def assert_count(self, selector: str, expected: int) -> Any:
        """Exactly ``expected`` elements match ``selector``."""
        found = self.find_all(selector)
        if len(found) != expected:
            shown = "\n".join(f"  {shorten(element.outer_html, 160)}" for element in found[:10])
            raise AssertionError(
                f"Expected {expected} element(s) matching {selector!r}, found {len(found)}"
                + (f":\n{shown}" if found else ".")
            )
        return self

    def assert_exists(self, selector: str) -> Any:
        """At least one element matches ``selector``."""
        self.find(selector)  # Raises ElementNotFound (an AssertionError) with the page's ids.
        return self

    def assert_missing(self, selector: str) -> Any:
        """No element matches ``selector``."""
        found = self.find_all(selector)
        if found:
            raise AssertionError(
                f"Expected no element matching {selector!r}, found {len(found)}: {shorten(found[0].outer_html)}"
            )
        return self

    def assert_no_errors(self) -> Any:
        """The page recorded no error (what the browser would show in its error overlay)."""
        errors = getattr(self, "errors", [])
        if errors:
            raise AssertionError("Expected no errors, the page has:\n" + "\n".join(f"  {e}" for e in errors))
        return self
