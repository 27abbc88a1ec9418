import pytest

from importation.mesure import ecrire, reference, synthetique


@pytest.fixture
def synthetique_titres():
    return synthetique.projet_synthetique(6, "titres")


@pytest.fixture
def synthetique_tableaux():
    return synthetique.projet_synthetique(6, "tableaux")


@pytest.fixture
def docx_synthetique(synthetique_tableaux):
    return ecrire.ecrire(synthetique_tableaux, "docx")


@pytest.fixture
def references():
    if not reference.disponible():
        pytest.skip(
            f"Les textes de référence sont absents ({reference.DOSSIER}) : mesure non faite."
        )
    return reference
