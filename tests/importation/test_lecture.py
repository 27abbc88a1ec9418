"""The readers turn each format into the same blocks: headings with their level, paragraphs,
lists kept as lists, tables with their merged cells, and where each block was."""

import pytest

from importation.blocs import LISTE, PARAGRAPHE, TABLEAU, TITRE, Bloc
from importation.lecture import lire_document
from importation.mesure import ecrire
from importation.mesure.modele import Case, DocumentMesure, Para, Table

DOCUMENT = DocumentMesure(
    nom="essai",
    contenu=[
        Para("Préambule", titre=1),
        Para("Un paragraphe\navec un retour à la ligne."),
        Para("Premier point", puce=True),
        Para("Sous-point", puce=True, niveau=1),
        Para("Rubrique en gras", gras=True),
        Table(
            [
                [Case([Para("Contexte")], largeur=2), Case([Para("Public")])],
                [
                    Case([Para("Texte du contexte"), Para("Un élément", puce=True)], largeur=2),
                    Case([Para("Familles")]),
                ],
            ]
        ),
    ],
    attendus=[],
)


@pytest.mark.parametrize("format_", ["docx", "odt", "pdf", "md"])
def test_chaque_format_donne_titres_paragraphes_listes_et_tableaux(format_):
    blocs = lire_document(ecrire.ecrire(DOCUMENT, format_), f"essai.{format_}")
    sortes = [b.sorte for b in blocs]
    assert blocs[0].sorte == TITRE and blocs[0].texte == "Préambule" and blocs[0].niveau == 1
    assert PARAGRAPHE in sortes and LISTE in sortes and TABLEAU in sortes
    liste = next(b for b in blocs if b.sorte == LISTE)
    assert [i.texte for i in liste.items][:2] == ["Premier point", "Sous-point"]
    tableau = next(b for b in blocs if b.sorte == TABLEAU)
    premiere = [c for c in tableau.lignes[0] if c.elements]
    assert [c.texte for c in premiere] == ["Contexte", "Public"]
    assert all(b.position for b in blocs)
    if format_ == "md":  # a Markdown table's cell is one line: no list in it
        return
    contenu = [c for c in tableau.lignes[1] if c.elements][0]
    assert contenu.elements[0].texte == "Texte du contexte"
    assert contenu.elements[1].puce and contenu.elements[1].texte == "Un élément"


@pytest.mark.parametrize("format_", ["docx", "odt"])
def test_une_cellule_fusionnee_est_lue_une_fois_avec_sa_largeur(format_):
    blocs = lire_document(ecrire.ecrire(DOCUMENT, format_), f"essai.{format_}")
    tableau = next(b for b in blocs if b.sorte == TABLEAU)
    contexte, public = [c for c in tableau.lignes[0] if c.elements]
    assert (contexte.colonne, contexte.largeur) == (0, 2)
    assert public.colonne == 2


def test_docx_garde_les_retours_a_la_ligne_et_les_niveaux_de_liste():
    blocs = lire_document(ecrire.ecrire(DOCUMENT, "docx"), "essai.docx")
    assert blocs[1].texte == "Un paragraphe\navec un retour à la ligne."
    liste = next(b for b in blocs if b.sorte == LISTE)
    assert [i.niveau for i in liste.items] == [0, 1]
    gras = next(b for b in blocs if b.texte == "Rubrique en gras")
    assert gras.gras


def test_le_pdf_donne_la_page_de_chaque_bloc():
    blocs = lire_document(ecrire.ecrire(DOCUMENT, "pdf"), "essai.pdf")
    assert {b.page for b in blocs} == {1}
    assert blocs[0].position == "page 1"


def test_le_texte_brut_lit_les_puces_tapees_et_les_tableaux_colles():
    texte = "PREAMBULE :\n- - Favoriser la rencontre\n• Un autre point\n-3 degrés\nObjet\tIndicateur\nA\tB\n"
    blocs = lire_document(texte.encode(), "fiche.txt")
    assert blocs[0].texte == "PREAMBULE :"
    assert [(i.texte, i.niveau) for i in blocs[1].items] == [
        ("Favoriser la rencontre", 1),
        ("Un autre point", 0),
    ]
    assert blocs[2].sorte == PARAGRAPHE and blocs[2].texte == "-3 degrés"
    assert [[c.texte for c in ligne] for ligne in blocs[3].lignes] == [
        ["Objet", "Indicateur"],
        ["A", "B"],
    ]


def test_les_blocs_se_relisent_depuis_leur_json():
    blocs = lire_document(ecrire.ecrire(DOCUMENT, "odt"), "essai.odt")
    from dataclasses import asdict

    assert [Bloc.depuis(asdict(b)) for b in blocs] == blocs
