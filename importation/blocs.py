"""What a reader makes of a document: one flat list of blocks, in reading order.

A block is a heading (with its level), a paragraph, a list (its items kept as a list, with their
nesting level) or a table (rows of cells; a cell keeps its paragraphs and list items). Each block
knows where it was in the document (`position`: its page when the format has pages, otherwise
its paragraph number), so the review page can show the source of every proposed item.

Everything is a dataclass of plain values: `asdict()` gives JSON, `Bloc.depuis()` reads it back.
"""

import re
from dataclasses import dataclass, field

TITRE, PARAGRAPHE, LISTE, TABLEAU = "titre", "paragraphe", "liste", "tableau"

_ESPACES = re.compile(r"[ \t\u2009\u200b]+")


def nettoyer(texte):
    """Whitespace normalised, nothing else: runs of spaces and tabs become one space, each line
    is stripped, blank lines at both ends go. Line breaks stay (a cell or a soft return keeps its
    lines); no-break spaces stay (French typography puts them before « : »)."""
    lignes = [_ESPACES.sub(" ", ligne).strip() for ligne in texte.replace("\r", "\n").split("\n")]
    while lignes and not lignes[0]:
        lignes.pop(0)
    while lignes and not lignes[-1]:
        lignes.pop()
    return "\n".join(lignes)


@dataclass
class Element:
    """A paragraph (`puce` false) or a list item of a table cell or of a list block."""

    texte: str
    puce: bool = False
    niveau: int = 0  # the nesting of a list item, 0 for the first level
    gras: bool = False

    @classmethod
    def depuis(cls, donnees):
        return cls(**donnees)


@dataclass
class Cellule:
    """A cell of a table row: the grid columns it covers, and its content."""

    colonne: int
    largeur: int = 1
    elements: list[Element] = field(default_factory=list)

    @property
    def texte(self):
        return texte_elements(self.elements)

    @classmethod
    def depuis(cls, donnees):
        elements = [Element.depuis(e) for e in donnees.get("elements", [])]
        return cls(colonne=donnees["colonne"], largeur=donnees.get("largeur", 1), elements=elements)


def texte_elements(elements):
    """The elements as one text: a paragraph per line, a list item as « - item » (indented by
    its level), the way our Markdown fields keep lists."""
    lignes = []
    for element in elements:
        if element.puce:
            lignes.append("  " * element.niveau + "- " + element.texte)
        else:
            lignes.append(element.texte)
    return "\n".join(lignes)


@dataclass
class Bloc:
    numero: int  # its rank in the document, from 0
    sorte: str  # TITRE, PARAGRAPHE, LISTE or TABLEAU
    texte: str = ""  # a heading's or a paragraph's text
    niveau: int = 0  # a heading's level, from 1
    gras: bool = False  # a paragraph written all in bold (a heading without a heading style)
    items: list[Element] = field(default_factory=list)  # a list's items
    lignes: list[list[Cellule]] = field(default_factory=list)  # a table's rows
    page: int | None = None  # for the formats that have pages (PDF; Word and ODT when known)

    @property
    def position(self):
        """« page 4 » or « paragraphe 120 »: where to look in the document."""
        if self.page:
            return f"page {self.page}"
        return f"paragraphe {self.numero + 1}"

    @property
    def contenu(self):
        """All its text, as one string (a table: cells separated by « | », rows by lines)."""
        if self.sorte == LISTE:
            return texte_elements(self.items)
        if self.sorte == TABLEAU:
            return "\n".join(
                " | ".join(c.texte.replace("\n", " ") for c in ligne) for ligne in self.lignes
            )
        return self.texte

    @classmethod
    def depuis(cls, donnees):
        donnees = dict(donnees)
        donnees["items"] = [Element.depuis(e) for e in donnees.get("items", [])]
        donnees["lignes"] = [
            [Cellule.depuis(c) for c in ligne] for ligne in donnees.get("lignes", [])
        ]
        return cls(**donnees)


def numeroter(blocs):
    """Number the blocks in their order (readers build them first, then number them)."""
    for numero, bloc in enumerate(blocs):
        bloc.numero = numero
    return blocs
