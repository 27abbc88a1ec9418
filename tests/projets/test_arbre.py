"""The arbre d'objectifs is built once (actions.arbre) for the projet page and the dossier: a
fiche is listed under every objectif it serves, primary links first, even those of another axe
(« cf. axe 2 »), as real dossiers list it; a fiche that serves none is listed apart."""

import re

import pytest
from django.urls import reverse

from actions.models import FicheObjectif
from dossier.rendu import html_dossier
from tests.factories import (
    AxeFactory,
    EnjeuFactory,
    FicheActionFactory,
    MembreFactory,
    ObjectifGeneralFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def arbre():
    fiche = FicheActionFactory(titre="Les ateliers parents-enfants")
    projet = fiche.projet
    axe_1 = fiche.axe
    axe_2 = AxeFactory(projet=projet, titre="Grandir ensemble")
    ici = ObjectifGeneralFactory(enjeu=EnjeuFactory(axe=axe_1), titre="Soutenir les parents")
    ailleurs = ObjectifGeneralFactory(
        enjeu=EnjeuFactory(axe=axe_2), titre="Accompagner la scolarité"
    )
    FicheObjectif.objects.create(fiche=fiche, objectif=ici, principal=True)
    FicheObjectif.objects.create(fiche=fiche, objectif=ailleurs)
    seule = FicheActionFactory(axe=axe_2, titre="Une fiche sans objectif")
    return projet, fiche, seule


def lignes_sous(html, titre_objectif):
    """The fiche rows listed under an objectif's row, up to the next objectif or enjeu."""
    debut = html.index(titre_objectif)
    suite = html[debut:]
    fin = min(
        (i for i in (suite.find('class="arbre-objectif"', 1), suite.find("</tbody>")) if i > 0),
        default=len(suite),
    )
    return re.findall(
        r'class="arbre-fiche"><th scope="row"><a [^>]*>([^<]*)</a>([^<]*<span[^>]*>[^<]*</span>)?',
        suite[:fin],
    )


def test_le_dossier_liste_une_fiche_sous_chaque_objectif_qu_elle_sert(arbre):
    projet, fiche, seule = arbre
    html = html_dossier(projet)
    assert lignes_sous(html, "Soutenir les parents") == [(f"{fiche.code}. {fiche.titre}", "")]
    sous_l_autre = lignes_sous(html, "Accompagner la scolarité")
    assert sous_l_autre == [
        (
            f"{fiche.code}. {fiche.titre}",
            f' <span class="renvoi">(cf. {fiche.axe.libelle.lower()})</span>',
        )
    ]
    assert [t for t, _ in lignes_sous(html, "Autres actions de l'axe")] == [
        f"{seule.code}. {seule.titre}"
    ]


def test_la_page_du_projet_et_le_dossier_rangent_pareil(client, arbre):
    projet, fiche, seule = arbre
    client.force_login(MembreFactory(structure=projet.structure).user)
    page = client.get(reverse("actions:projet", args=[projet.pk])).context
    par_objectif = {
        objectif.titre if objectif else None: [f.pk for f in fiches]
        for axe in page["axes"]
        for bloc in axe.blocs
        for objectif, fiches in bloc.groupes
    }
    assert par_objectif == {
        "Soutenir les parents": [fiche.pk],
        "Accompagner la scolarité": [fiche.pk],
        None: [seule.pk],
    }
