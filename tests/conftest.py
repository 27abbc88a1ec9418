import copy

import pytest
from django.conf import settings as reglages
from django.test import override_settings

from tests import gabarits
from tests.monde import construire_monde

# Test modules whose tests share a module fixture too costly to build on both xdist workers: each
# runs whole on one worker. (Marking those tests with xdist_group would say it test by test, but
# pytest-xdist 3.8's loadgroup no longer groups them under pytest 9.2: pytest-xdist#1386.)
UN_SEUL_TRAVAILLEUR = {
    "tests/projets/test_dossier.py",  # dossier_demo: the demo's dossier rendered, ~12 s
}


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """--dist loadgroup (pyproject.toml), and the modules above each in one unit of work."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class Repartition(LoadGroupScheduling):
        def _split_scope(self, nodeid):
            unite = super()._split_scope(nodeid)  # an xdist_group, when xdist can tell it
            module = nodeid.split("::", 1)[0]
            return module if unite == nodeid and module in UN_SEUL_TRAVAILLEUR else unite

    return Repartition(config, log)


@pytest.fixture(autouse=True, scope="session")
def gabarits_stricts():
    """An undefined variable in one of our templates fails the test (tests/gabarits.py)."""
    templates = copy.deepcopy(reglages.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = gabarits.VariableIndefinie()
    with override_settings(TEMPLATES=templates):
        yield


@pytest.fixture(autouse=True)
def gabarits_stricts_dans_les_autres_fils():
    """The same for the pages the live server renders in its own thread."""
    gabarits.ailleurs.clear()
    yield
    if gabarits.ailleurs:
        pytest.fail("\n".join(gabarits.ailleurs), pytrace=False)


@pytest.fixture(autouse=True)
def media_jetable(settings, tmp_path):
    """Uploaded files (the demo's logo, justificatifs) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def cache_vide():
    """Each test starts with an empty cache (LocMem, per process): nothing kept by a test whose
    rows, and their primary keys, were rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fiches_ecrites_oubliees():
    """Each test writes its fiches' HTML afresh (dossier.rendu.html_fiche keeps it per process):
    a test that replaces a template or a helper sees its replacement used."""
    from dossier.rendu import oublier_les_fiches

    oublier_les_fiches()


@pytest.fixture(autouse=True)
def types_de_contenu_a_froid():
    """Each test starts with Django's content-type cache empty, as after a transactional test's
    flush: a query count that includes the audit log's look-ups must not depend on which test
    ran before in the same worker."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def dossier_dans_ce_processus(settings):
    """The dossier's parts render in the test's process: a pool's spawned processes would read
    the settings afresh, not the test's (its media folder). The pool is tested on its own
    (tests/dossier/test_assemblage.py, tests/serveurs/test_deux_serveurs.py)."""
    settings.DOSSIER_PROCESSUS = 1


@pytest.fixture(autouse=True)
def http_en_clair(settings):
    """The test client and the live server speak plain HTTP: no redirect to HTTPS, cookies sent.
    (Production settings are checked by tests/test_securite.py::test_check_deploy.)"""
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def monde(db):
    """Two structures with their projets and fiches, partners A and B, one person of every role:
    see tests/monde.py."""
    return construire_monde()


@pytest.fixture
def demo(db):
    """The demo data; returns the Territoire Sud projet."""
    from centresocial.demo import charger_demo
    from projets.models import ProjetSocial

    charger_demo(comptes_demo=True)
    return ProjetSocial.objects.select_related("structure").get(structure__slug="territoire-sud")
