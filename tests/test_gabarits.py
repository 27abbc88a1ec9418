"""The test suite's check of undefined template variables (tests/gabarits.py)."""

import os
import threading

import pytest
from django.conf import settings
from django.template import Context, Origin, Template, engines

from tests import gabarits


def rendre(texte, dossier, **contexte):
    """`texte` as a template file of `dossier`, rendered with `contexte`."""
    origine = Origin(os.path.join(dossier, "essai.html"))
    gabarit = Template(texte, origin=origine, engine=engines["django"].engine)
    return gabarit.render(Context(contexte))


NOS_GABARITS = os.path.join(settings.BASE_DIR, "templates")
AUTRES = os.path.dirname(pytest.__file__)  # any folder that is not ours


@pytest.mark.parametrize("texte", ["{{ absente }}", "{{ objet.absent }}", "{{ absente|upper }}"])
def test_une_variable_indefinie_de_nos_gabarits_fait_echouer(texte):
    with pytest.raises(pytest.fail.Exception, match="« absente »|« objet.absent »"):
        rendre(texte, NOS_GABARITS, objet=object())


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("{% if absente %}oui{% else %}non{% endif %}", "non"),
        ("{% for x in absente %}{{ x }}{% empty %}vide{% endfor %}", "vide"),
        ('{{ absente|default:"rien" }}', "rien"),
        ("{% firstof absente 'premier' %}", "premier"),
    ],
)
def test_ce_que_django_permet_sans_variable_reste_permis(texte, attendu):
    assert rendre(texte, NOS_GABARITS) == attendu


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("[{{ absente }}]", "[]"),
        ("{{ absente|length }}", "0"),
        ('{{ absente|default:"rien" }}', "rien"),
        ("{% if absente %}oui{% else %}non{% endif %}", "non"),
    ],
)
def test_les_gabarits_des_autres_rendent_comme_django(texte, attendu):
    """The admin's and crispy-forms' templates rely on undefined variables being ""."""
    assert rendre(texte, AUTRES) == attendu


def test_dans_un_autre_fil_la_variable_est_notee_pour_la_fin_du_test():
    """The live server's WSGI handler turns the failure into a 500: the test fails after."""

    def page_du_serveur():
        with pytest.raises(pytest.fail.Exception):
            rendre("{{ absente }}", NOS_GABARITS)

    fil = threading.Thread(target=page_du_serveur)
    fil.start()
    fil.join()
    assert gabarits.ailleurs == [
        "Variable de gabarit indéfinie « absente » dans templates/essai.html"
    ]
    gabarits.ailleurs.clear()  # noted as expected: this test passes
