"""A neutral document (headings, paragraphs, list items, tables) that the measure writes as
`.docx`, `.odt`, `.pdf` and `.md`, and what the import should find in it (`Attendu`)."""

from dataclasses import dataclass, field


@dataclass
class Para:
    texte: str
    titre: int = 0  # heading level, 0 for a paragraph
    gras: bool = False
    puce: bool = False
    niveau: int = 0  # list level


@dataclass
class Case:
    elements: list  # of Para
    largeur: int = 1


@dataclass
class Table:
    lignes: list  # of lists of Case


@dataclass
class Unite:
    """A piece of text the import must put in one of `champs` of its fiche (or objectif)."""

    texte: str
    champs: tuple


@dataclass
class Attendu:
    titre: str
    unites: list = field(default_factory=list)
    participation: dict = field(default_factory=dict)  # champ → FicheAction.Participation
    sorte: str = "fiche"  # or « objectif » (an objectif général with its rows)


@dataclass
class DocumentMesure:
    nom: str
    contenu: list  # of Para and Table
    attendus: list  # of Attendu
