"""A document is read in the background, its progress saved on the import; confirmed, it
becomes the projet."""

import pytest

from importation.mesure import ecrire, synthetique
from importation.models import Importation
from importation.taches import lire_importation
from tests.factories import MembreFactory

pytestmark = pytest.mark.django_db


def test_la_lecture_en_tache_de_fond_puis_la_confirmation():
    direction = MembreFactory(direction=True)
    contenu = ecrire.ecrire(synthetique.projet_synthetique(3, "titres"), "docx")
    importation = Importation.deposer(direction.structure, direction.user, "projet.docx", contenu)
    assert importation.statut == Importation.Statut.EN_ATTENTE
    avancees = []
    original = Importation.avancer

    def suivre(self, progression, etape):
        avancees.append(progression)
        original(self, progression, etape)

    Importation.avancer = suivre
    try:
        assert lire_importation.call(importation.pk) == Importation.Statut.A_VERIFIER
    finally:
        Importation.avancer = original
    importation.refresh_from_db()
    assert importation.progression == 100 and avancees == sorted(avancees) and len(avancees) >= 3
    proposition = importation.lire_proposition()
    assert len(proposition.fiches) == 3
    projet = importation.confirmer(direction.user)
    importation.refresh_from_db()
    assert (importation.statut, importation.projet, importation.contenu) == (
        Importation.Statut.CREE,
        projet,
        None,
    )
    assert importation.confirmer(direction.user) == projet  # a second confirmation creates nothing
    assert projet.fiches.count() == 3


def test_les_imports_d_une_structure_ne_sont_vus_que_de_sa_direction():
    direction = MembreFactory(direction=True)
    equipe = MembreFactory(structure=direction.structure)
    autre = MembreFactory(direction=True)
    importation = Importation.deposer(direction.structure, direction.user, "a.txt", b"Axe 1 : Test")
    assert list(Importation.objects.pilotables_par(direction.user)) == [importation]
    assert not Importation.objects.pilotables_par(equipe.user).exists()
    assert not Importation.objects.pilotables_par(autre.user).exists()
