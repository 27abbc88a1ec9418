"""A fiche's HTML kept by the digest of the rows it is written from (dossier.rendu.html_fiche):
written again whenever one of them changed, whatever table holds it and however it changed
(an `update()` sends no signal), and the dossier is the same as written afresh."""

import pytest

from actions.models import FicheAction, Indicateur, Moyen, PartenariatAction
from dossier import rendu
from dossier.exports import version_contenu
from partenaires.models import Partenaire
from projets.models import Axe
from tests.factories import (
    EtapeEcheancierFactory,
    FicheActionFactory,
    IndicateurFactory,
    MoyenFactory,
    PartenariatActionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ecritures(monkeypatch):
    """The fiches whose template is rendered, by title."""
    titres = []
    rendre = rendu.render_to_string

    def espion(gabarit, contexte=None, *args, **kwargs):
        if gabarit == "dossier/fiche.html":
            titres.append(contexte["fiche"].titre)
        return rendre(gabarit, contexte, *args, **kwargs)

    monkeypatch.setattr(rendu, "render_to_string", espion)
    return titres


@pytest.fixture
def fiche():
    fiche = FicheActionFactory(titre="Atelier cuisine", referent=UserFactory(first_name="Nadia"))
    EtapeEcheancierFactory(fiche=fiche, libelle="Lancement")
    MoyenFactory(fiche=fiche, libelle="Une animatrice")
    PartenariatActionFactory(fiche=fiche, partenaire__nom="Maison des familles")
    IndicateurFactory(fiche=fiche, libelle="Nombre de familles")
    return fiche


def charger(fiche):
    """The fiche as the dossier loads it: fresh from the database."""
    return FicheAction.objects.avec_details().get(pk=fiche.pk)


def test_une_fiche_inchangee_n_est_pas_recrite(fiche, ecritures):
    premiere = rendu.html_fiche(charger(fiche))
    assert rendu.html_fiche(charger(fiche)) == premiere
    assert ecritures == ["Atelier cuisine"]


@pytest.mark.parametrize(
    "changer, texte",
    [
        (lambda f: Partenaire.objects.update(nom="Mairie annexe"), "Mairie annexe"),
        (lambda f: Indicateur.objects.update(libelle="Enfants inscrits"), "Enfants inscrits"),
        (lambda f: Moyen.objects.update(libelle="Deux bénévoles"), "Deux bénévoles"),
        (lambda f: f.etapes.update(libelle="Bilan de juin"), "Bilan de juin"),
        (lambda f: Axe.objects.update(titre="Vivre ensemble"), "Vivre ensemble"),
        (lambda f: f.referent.__class__.objects.update(first_name="Samira"), "Samira"),
        (lambda f: PartenariatAction.objects.update(contribution="Prête la salle"), "Prête la"),
        (lambda f: FicheAction.objects.update(contexte="Quartier « Les Tilleuls »"), "Tilleuls"),
    ],
    ids=[
        "partenaire",
        "indicateur",
        "moyen",
        "etape",
        "axe",
        "referent",
        "contribution",
        "contexte",
    ],
)
def test_une_ligne_changee_sans_signal_fait_recrire_la_fiche(fiche, ecritures, changer, texte):
    avant = rendu.html_fiche(charger(fiche))
    assert texte not in avant
    changer(fiche)
    apres = rendu.html_fiche(charger(fiche))
    assert texte in apres
    assert ecritures == ["Atelier cuisine", "Atelier cuisine"]


def test_une_ligne_ajoutee_ou_retiree_fait_recrire_la_fiche(fiche, ecritures):
    """Added: written again; removed: the fiche is again what it was, its first HTML kept."""
    avant = rendu.html_fiche(charger(fiche))
    moyen = MoyenFactory(fiche=fiche, libelle="Un minibus", type=Moyen.Type.MATERIEL)
    assert "Un minibus" in rendu.html_fiche(charger(fiche))
    moyen.delete()
    assert rendu.html_fiche(charger(fiche)) == avant
    assert len(ecritures) == 2


def test_les_fiches_gardees_sont_bornees(fiche, ecritures, monkeypatch):
    monkeypatch.setattr(rendu, "FICHES_GARDEES", 1)
    autre = FicheActionFactory(axe=fiche.axe, titre="Sortie familles")
    for _ in range(2):
        rendu.html_fiche(charger(fiche))
        rendu.html_fiche(charger(autre))
    assert len(rendu._FICHES_ECRITES) == 1
    assert ecritures == ["Atelier cuisine", "Sortie familles"] * 2


def test_le_dossier_est_celui_ecrit_a_neuf(demo):
    """The demo's whole dossier, its fiches kept from a first writing then one edited, is the
    dossier written with nothing kept."""
    from dossier.rendu import html_dossier

    html_dossier(demo)
    fiche = demo.fiches.order_by("numero").first()
    Indicateur.objects.filter(fiche=fiche).update(cible=42)
    FicheAction.objects.filter(pk=fiche.pk).update(titre="Un titre « relu »")
    garde = html_dossier(demo)
    rendu.oublier_les_fiches()
    assert garde == html_dossier(demo)
    assert "Un titre « relu »" in garde
    assert version_contenu(demo) == rendu.version_de(garde)
