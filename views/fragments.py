"""`{% cached key, … %}…{% endcached %}`: parts of a page rendered once, then served
from memory.

Only for what is the same for every visitor: lesson content, translated text, links
between pages. The language of the page is always part of the key; anything else the
part shows (a step number, the text size) must be named in it. Never put a name, a
form's token or a flashed message inside.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import get_locale
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.parser import Parser
from markupsafe import Markup

# Keys come from the content and a few settings, so they are few; this only stops a
# key that was wrongly made of visitors' data from filling the memory.
MAX_FRAGMENTS = 20_000


class FragmentCache(Extension):
    """The `cached` tag: the block's output is kept per template line, key and
    language, for as long as the app runs (content does not change meanwhile)."""

    tags = {"cached"}

    def __init__(self, environment) -> None:
        super().__init__(environment)
        environment.extend(fragments={})

    def parse(self, parser: Parser) -> nodes.Node:
        """`cached` followed by any number of expressions, separated by commas."""
        lineno = next(parser.stream).lineno
        key: list[nodes.Expr] = [nodes.Const(f"{parser.name}:{lineno}")]
        while parser.stream.current.type != "block_end":
            if len(key) > 1:
                parser.stream.expect("comma")
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcached",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.Tuple(key, "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, key: tuple[Any, ...], caller: Callable[[], str]) -> Markup:
        if self.environment.auto_reload:  # debug: an edited template shows at once
            return Markup(caller())
        fragments: dict[tuple[Any, ...], Markup] = self.environment.fragments
        key = (str(get_locale()), *key)
        html = fragments.get(key)
        if html is None:
            html = Markup(caller())
            if len(fragments) < MAX_FRAGMENTS:
                fragments[key] = html
        return html
