"""The measure on the reference documents (generated at run time from shared/reference/, skipped
when it is absent): ≥ 95 % of fiches and ≥ 90 % of fields right on each document and layout."""

import pytest

from importation.analyse import analyser
from importation.mesure import ecrire, score


@pytest.mark.parametrize("disposition", ["tableaux", "titres"])
@pytest.mark.parametrize("format_", ["docx", "odt"])
def test_les_documents_de_reference_atteignent_les_cibles(references, disposition, format_):
    for document in references.documents(disposition):
        proposition = analyser(ecrire.ecrire(document, format_), f"reference.{format_}")
        note = score.noter(proposition, document.attendus)
        assert note.attendues > 0
        assert note.taux_fiches >= 0.95, (document.nom, note.manques[:5])
        assert note.taux_champs >= 0.90, (document.nom, note.manques[:5])


def test_la_mesure_voit_un_champ_mal_place(synthetique_titres):
    proposition = analyser(ecrire.ecrire(synthetique_titres, "docx"), "projet.docx")
    for morceau in proposition.morceaux:
        if morceau.champ == "freins":
            morceau.champ = "contexte"
    note = score.noter(proposition, synthetique_titres.attendus)
    assert note.justes == note.champs - len(synthetique_titres.attendus)
    assert all("freins" in manque for manque in note.manques)
