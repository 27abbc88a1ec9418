"""Formatted text: users write Markdown, and only a safe subset of HTML ever reaches a page.

Most long texts are pasted from a Word or LibreOffice document rather than written in
Markdown: their shape is kept as it was pasted. A single line break stays a line break, and a
list is a list whether or not a blank line comes before it, whether its items start with
Markdown's « - » or with what Word pastes (« • », « – », « 1) », « a. »…). The text is stored
as it was typed; this reading happens when it is shown or printed.
"""

import re
from functools import lru_cache

import markdown
import nh3

AIDE_MARKDOWN = (
    "Un texte collé depuis Word garde ses lignes et ses listes (•, –, 1), a.) ; "
    "mise en forme possible : **gras**, listes en commençant les lignes par « - »."
)

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
ATTRIBUTS_PERMIS = {"a": {"href", "title"}, "ol": {"start", "type"}}

# A bullet as Word, LibreOffice or a PDF paste it: « • », « ● », « ▪ », « ◦ », « o » then a tab,
# the Symbol font's private-use bullets, dashes (« – », « — », « - », also glued to the word as in
# « -Déployer »), arrows and checks; and Markdown's own « * », « + ».
PUCE = re.compile(
    r"(?P<retrait>[ \t]*)"
    r"(?:(?P<puce>[•●▪■◦○►▶➢➤✓✔\uf0a7\uf0b7\uf0d8\uf076\uf0fc*+]|[–—-](?=[ \t\u00a0]|[^\W\d_])|o(?=\t))"
    r"|(?P<numero>\d{1,2})[.)]|(?P<lettre>[a-z])[.)])"
    r"(?:[ \t\u00a0]+|(?<=[–—-])(?=[^\W\d_]))(?P<texte>\S.*)$"
)
SOUS_PUCES = {"o", "◦", "○"}  # Word's bullet for the second level


def _niveau(retrait):
    return len(retrait.replace("\t", "    ")) // 2


def _genre(trouve):
    if trouve["lettre"]:
        return "a"
    return "1" if trouve["numero"] else "-"


def _placer(pile, genre, niveau):
    """The level of an item of `genre` (« - », « 1 », « a ») in the open lists `pile` (one genre
    per level), and whether it opens a new list. `pile` is updated."""
    niveau = min(niveau, len(pile))
    if niveau < len(pile) and pile[niveau] != genre:
        if genre == "a" and pile[niveau] == "1":
            niveau += 1  # « a. » under « 1. », though Word's paste lost the indent
        elif genre == "1" and niveau and pile[niveau - 1] == "1":
            niveau -= 1  # back to « 2. » after its « a. », « b. »
    nouvelle = niveau >= len(pile) or pile[niveau] != genre
    del pile[niveau + (not nouvelle) :]
    if nouvelle:
        pile.append(genre)
    return niveau, nouvelle


def preparer(texte):
    """The Markdown that keeps the shape of `texte`, and for each ordered list of it, in order,
    whether it counts with letters (« a. », « b. »)."""
    lignes_md, lettres = [], []
    precedente = None  # None: start or blank line; "texte": a text line; "liste": a list item
    pile = []  # the genre of each open list level
    apres_liste = False  # only blank lines since the last list item
    for ligne in texte.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        trouve = PUCE.match(ligne)
        if trouve is None:
            if not ligne.strip():
                precedente = None
            elif precedente == "liste" and not ligne.startswith((" ", "\t")):
                # A line after a list, not indented: a new paragraph, not the item's last words.
                lignes_md.append("")
                precedente, apres_liste = "texte", False
            else:
                precedente = precedente or "texte"
                apres_liste = apres_liste and precedente != "texte"
            lignes_md.append(ligne)
            continue
        if precedente != "liste":
            if precedente == "texte":
                lignes_md.append("")  # a list right after a line of text
            pile = []
        niveau = _niveau(trouve["retrait"])
        if trouve["puce"] in SOUS_PUCES and pile:
            niveau = max(niveau, 1)
        genre = _genre(trouve)
        niveau, nouvelle = _placer(pile, genre, niveau)
        if nouvelle and niveau == 0 and apres_liste:
            # Markdown would run two lists into one (or take this item for the last one's
            # words): an HTML comment, dropped by the sanitiser, keeps them apart.
            lignes_md.extend(["", "<!-- -->", ""])
        if nouvelle and genre != "-":
            lettres.append(genre == "a")
        if genre == "-":
            marque = "-"
        elif genre == "a":
            marque = f"{ord(trouve['lettre']) - ord('a') + 1}."
        else:
            marque = f"{int(trouve['numero'])}."
        lignes_md.append(f"{'    ' * niveau}{marque} {trouve['texte']}")
        precedente, apres_liste = "liste", True
    return "\n".join(lignes_md), lettres


OL = re.compile(r"<ol\b")


def _lettres(html, lettres):
    """Mark the ordered lists counted with letters (in document order) `type="a"`."""
    rangs = iter(lettres)
    return OL.sub(lambda ol: '<ol type="a"' if next(rangs, False) else ol[0], html)


@lru_cache(maxsize=1024)
def markdown_sur(texte):
    """Markdown → HTML stripped of anything but BALISES_PERMISES (raw HTML is escaped first).
    Cached: the same fiche texts are shown again and again, and the result depends on them only."""
    if not texte:
        return ""
    source, lettres = preparer(texte)
    html = markdown.markdown(
        source, extensions=["sane_lists", "tables", "nl2br"], output_format="html"
    )
    return nh3.clean(
        _lettres(html, lettres),
        tags=BALISES_PERMISES,
        attributes=ATTRIBUTS_PERMIS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
