"""Formatted text: users write Markdown, and only a safe subset of HTML ever reaches a page."""

from functools import lru_cache

import markdown
import nh3

BALISES_PERMISES = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "h5",
    "blockquote",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ATTRIBUTS_PERMIS = {"a": {"href", "title"}}


@lru_cache(maxsize=1024)
def markdown_sur(texte):
    """Markdown → HTML stripped of anything but BALISES_PERMISES (raw HTML is escaped first).
    Cached: the same fiche texts are shown again and again, and the result depends on them only."""
    if not texte:
        return ""
    html = markdown.markdown(texte, extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=BALISES_PERMISES,
        attributes=ATTRIBUTS_PERMIS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
