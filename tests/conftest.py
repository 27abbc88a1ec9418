import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import (
    ComptePartenaireFactory,
    FicheActionFactory,
    MembreFactory,
    PartenariatActionFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def media_jetable(settings, tmp_path):
    """Uploaded files (the demo's logo, justificatifs) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def http_en_clair(settings):
    """The test client and the live server speak plain HTTP: no redirect to HTTPS, cookies sent.
    (Production settings are checked by tests/test_securite.py::test_check_deploy.)"""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def monde(db):
    """Two structures with a projet and two fiches each, and one person of every role.

    The partner of structure 1 takes part in fiche 1a only.
    """

    class Monde:
        pass

    m = Monde()
    m.fiche_1a = FicheActionFactory(titre="Fiche 1a")
    m.projet_1 = m.fiche_1a.projet
    m.structure_1 = m.projet_1.structure
    m.fiche_1b = FicheActionFactory(axe=m.fiche_1a.axe, titre="Fiche 1b")
    m.fiche_2a = FicheActionFactory(titre="Fiche 2a")
    m.projet_2 = m.fiche_2a.projet
    m.structure_2 = m.projet_2.structure

    m.direction_1 = MembreFactory(structure=m.structure_1, direction=True).user
    m.equipe_1 = MembreFactory(structure=m.structure_1).user
    m.equipe_2 = MembreFactory(structure=m.structure_2).user
    partenariat = PartenariatActionFactory(fiche=m.fiche_1a)
    m.partenaire_1 = partenariat.partenaire
    m.compte_partenaire = ComptePartenaireFactory(partenaire=m.partenaire_1).user
    m.admin = UserFactory(username="admin-instance", is_superuser=True, is_staff=True)
    m.sans_role = UserFactory(username="sans-role")
    m.anonyme = AnonymousUser()
    return m


@pytest.fixture
def demo(db):
    """The demo data; returns the Territoire Sud projet."""
    from centresocial.demo import charger_demo
    from projets.models import ProjetSocial

    charger_demo(comptes_demo=True)
    return ProjetSocial.objects.select_related("structure").get(structure__slug="territoire-sud")
