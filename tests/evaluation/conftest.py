import io
import zipfile

import pytest

from actions.models import Indicateur
from tests.factories import IndicateurFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx():
    """The smallest ZIP that looks like a Word document."""
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return tampon.getvalue()


@pytest.fixture
def quantitatif(monde):
    return IndicateurFactory(
        fiche=monde.fiche_1a,
        libelle="Nombre de passages",
        unite="passages",
        valeur_reference=100,
        cible=200,
    )


@pytest.fixture
def qualitatif(monde):
    return IndicateurFactory(
        fiche=monde.fiche_1a,
        libelle="Autonomie ressentie",
        nature=Indicateur.Nature.QUALITATIF,
        outil="Questionnaire",
    )
