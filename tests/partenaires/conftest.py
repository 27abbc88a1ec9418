import pytest

from actions.models import PartenariatAction
from partenaires.models import ContactPartenaire
from tests.factories import (
    ComptePartenaireFactory,
    FicheActionFactory,
    MembreFactory,
    PartenaireFactory,
    UserFactory,
)


@pytest.fixture
def m(db):
    """Two structures; partner A of structure 1 is on fiche 1a, partner B of structure 2 on 2a."""

    class Monde:
        pass

    m = Monde()
    m.fiche_1a = FicheActionFactory(titre="Fiche 1a")
    m.fiche_1b = FicheActionFactory(axe=m.fiche_1a.axe, titre="Fiche 1b")
    m.fiche_2a = FicheActionFactory(titre="Fiche 2a")
    m.structure_1, m.structure_2 = m.fiche_1a.projet.structure, m.fiche_2a.projet.structure
    m.partenaire_a = PartenaireFactory(structure=m.structure_1, nom="Mission locale")
    m.partenaire_b = PartenaireFactory(structure=m.structure_2, nom="Bailleur B")
    PartenariatAction.objects.create(fiche=m.fiche_1a, partenaire=m.partenaire_a)
    PartenariatAction.objects.create(fiche=m.fiche_2a, partenaire=m.partenaire_b)
    m.contact_a = ContactPartenaire.objects.create(
        partenaire=m.partenaire_a, nom="Claire Martin", email="claire@mission-locale.fr"
    )
    m.contact_b = ContactPartenaire.objects.create(
        partenaire=m.partenaire_b, nom="Bruno Secret", email="bruno@bailleur-b.fr"
    )
    m.direction_1 = MembreFactory(structure=m.structure_1, direction=True).user
    m.equipe_1 = MembreFactory(structure=m.structure_1).user
    m.equipe_2 = MembreFactory(structure=m.structure_2).user
    m.compte_a = ComptePartenaireFactory(partenaire=m.partenaire_a)
    m.user_a = m.compte_a.user
    m.user_b = ComptePartenaireFactory(partenaire=m.partenaire_b).user
    m.admin = UserFactory(username="admin-instance", is_superuser=True, is_staff=True)
    return m
