"""One configured Markdown renderer, and the sanitiser every lesson's HTML goes through."""

from __future__ import annotations

import re
from collections.abc import Callable

import markdown
import nh3

ADMONITION_KINDS = ("tip", "warning", "note")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "h2", "h3", "h4", "blockquote",
    "img", "a", "div", "code", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "img": {"src", "alt", "title"},
    "a": {"href", "title"},
    "th": {"scope"},
}
ALLOWED_CLASSES = {
    "div": {"admonition", *ADMONITION_KINDS},
    "p": {"admonition-title"},
}

_markdown = markdown.Markdown(
    extensions=["admonition", "sane_lists", "tables"], output_format="html"
)


def render_markdown(text: str, image_url: Callable[[str], str]) -> str:
    """Render lesson Markdown to safe HTML; ``image_url`` maps images/x.svg to a URL."""
    _markdown.reset()
    html = _markdown.convert(text)
    html = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"https"},
        link_rel="noopener noreferrer",
    )
    return _IMAGE_SRC.sub(lambda m: f'src="{image_url(m.group(1))}"', html)


_IMAGE_SRC = re.compile(r'src="images/([A-Za-z0-9_.-]+\.svg)"')
