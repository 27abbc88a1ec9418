"""The targets page (/indicateurs/<pk>/cibles/) is safe against concurrent saves, like the fiche
editor: a save made on a stale page is refused (409), says what changed, keeps the input, and
saving again applies it."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from actions.models import Indicateur
from evaluation.models import CibleAnnuelle
from tests.actions.test_edition import donnees

pytestmark = pytest.mark.django_db

CONFLIT = "Ces cibles ont été modifiées depuis que vous les avez ouvertes"


@pytest.fixture
def indicateur(monde):
    indicateur = Indicateur.objects.create(
        fiche=monde.fiche_1a,
        libelle="Nombre de passages",
        unite="passages",
        valeur_reference=100,
        cible=200,
    )
    CibleAnnuelle.objects.create(indicateur=indicateur, annee=2025, valeur=120)
    return indicateur


@pytest.fixture
def qualitatif(monde):
    return Indicateur.objects.create(
        fiche=monde.fiche_1a,
        libelle="Autonomie ressentie",
        nature=Indicateur.Nature.QUALITATIF,
    )


def connecte(user):
    client = Client()
    client.force_login(user)
    return client


def url(indicateur):
    return reverse("evaluation:cibles", args=[indicateur.pk])


def jeton(texte):
    return re.search(r'name="etat" value="([^"]+)"', texte).group(1)


def ouvrir(client, indicateur):
    """The page as opened: its token, to send back with the input."""
    page = client.get(url(indicateur))
    assert page.status_code == 200
    return {"etat": jeton(page.content.decode())}


def cibles(indicateur):
    indicateur.refresh_from_db()
    annuelles = dict(
        CibleAnnuelle.objects.filter(indicateur=indicateur).values_list("annee", "valeur")
    )
    return indicateur.valeur_reference, indicateur.cible, indicateur.cible_precision, annuelles


def test_la_seconde_personne_est_refusee_sa_saisie_gardee_puis_appliquee(monde, indicateur):
    alice, bob = connecte(monde.equipe_1), connecte(monde.direction_1)
    form_alice, form_bob = ouvrir(alice, indicateur), ouvrir(bob, indicateur)

    form_alice.update(valeur_reference="100", cible="250", cible_2025="120", cible_2026="150")
    assert alice.post(url(indicateur), form_alice).status_code == 302
    apres_alice = cibles(indicateur)
    assert apres_alice == (100, 250, "", {2025: 120, 2026: 150})

    form_bob.update(valeur_reference="80", cible="300", cible_precision="300 à 320 passages")
    reponse = bob.post(url(indicateur), form_bob)
    assert reponse.status_code == 409
    texte = reponse.content.decode()
    assert CONFLIT in texte
    # What changed, with the value now saved; nothing about what did not change.
    assert "Cible pour toute la période (2025–2028)</strong> : maintenant « 250 »" in texte
    assert "<strong>Cible 2026</strong> : maintenant « 150 »" in texte
    assert "Valeur de référence" not in texte.split('id="conflit"')[1].split("</ul>")[0]
    # Bob's input is kept, and nothing was overwritten.
    assert 'value="80"' in texte and 'value="300 à 320 passages"' in texte
    assert cibles(indicateur) == apres_alice

    # Bob saves again from the conflict page: his input now applies, knowingly.
    form_bob["etat"] = jeton(texte)
    assert bob.post(url(indicateur), form_bob).status_code == 302
    assert cibles(indicateur) == (80, 300, "300 à 320 passages", {})


def test_un_changement_fait_ailleurs_est_vu(monde, indicateur):
    client = connecte(monde.equipe_1)
    data = ouvrir(client, indicateur)
    CibleAnnuelle.objects.filter(indicateur=indicateur).delete()  # e.g. in the admin
    data.update(valeur_reference="90", cible="200", cible_2025="130")
    reponse = client.post(url(indicateur), data)
    assert reponse.status_code == 409
    assert "<strong>Cible 2025</strong> : retirée" in reponse.content.decode()
    assert cibles(indicateur) == (100, 200, "", {})


@pytest.mark.parametrize("etat", [None, "faux"])
def test_sans_jeton_valide_jamais_d_ecrasement(monde, indicateur, etat):
    client = connecte(monde.equipe_1)
    data = {"valeur_reference": "1", "cible": "2"}
    if etat:
        data["etat"] = etat
    reponse = client.post(url(indicateur), data)
    assert reponse.status_code == 409
    assert "Impossible de savoir dans quel état vous aviez ouvert la page" in (
        reponse.content.decode()
    )
    assert cibles(indicateur) == (100, 200, "", {2025: 120})


def test_l_echelle_d_un_indicateur_qualitatif(monde, qualitatif):
    alice, bob = connecte(monde.equipe_1), connecte(monde.direction_1)
    form_alice, form_bob = ouvrir(alice, qualitatif), ouvrir(bob, qualitatif)
    form_alice["echelle"] = "Jamais ; Parfois ; Souvent"
    assert alice.post(url(qualitatif), form_alice).status_code == 302
    form_bob["echelle"] = "Non ; Oui"
    reponse = bob.post(url(qualitatif), form_bob)
    assert reponse.status_code == 409
    assert "Échelle des niveaux</strong> : maintenant « Jamais ; Parfois ; Souvent »" in (
        reponse.content.decode()
    )
    qualitatif.refresh_from_db()
    assert qualitatif.echelle == "Jamais ; Parfois ; Souvent"


def test_une_saisie_invalide_reste_une_erreur_et_non_un_conflit(monde, indicateur):
    client = connecte(monde.equipe_1)
    data = ouvrir(client, indicateur)
    data.update(valeur_reference="cent", cible="200")
    reponse = client.post(url(indicateur), data)
    assert reponse.status_code == 200
    assert CONFLIT not in reponse.content.decode()
    assert "n&#x27;est pas un nombre" in reponse.content.decode()


def test_l_editeur_voit_une_cible_enregistree_sur_la_page_des_cibles(monde, indicateur):
    """The editor and the targets page write the same figures: each one sees the other's."""
    fiche = monde.fiche_1a
    client = connecte(monde.equipe_1)
    editeur = donnees(client, fiche)
    page = ouvrir(client, indicateur)
    page.update(valeur_reference="100", cible="200", cible_precision="200 à 220 passages")
    assert client.post(url(indicateur), page).status_code == 302

    editeur["titre"] = "Titre changé"
    reponse = client.post(reverse("actions:modifier", args=[fiche.pk]), editeur)
    assert reponse.status_code == 409
    assert "<strong>Indicateurs</strong> : 1 modifiée(s)" in reponse.content.decode()
    indicateur.refresh_from_db()
    assert indicateur.cible_precision == "200 à 220 passages"


def test_la_page_des_cibles_voit_ce_que_l_editeur_a_enregistre(monde, indicateur):
    fiche = monde.fiche_1a
    client = connecte(monde.equipe_1)
    page = ouvrir(client, indicateur)
    editeur = donnees(client, fiche)
    (rang,) = [
        cle.split("-")[1]
        for cle, valeur in editeur.items()
        if cle.startswith("indicateurs-") and cle.endswith("-id") and valeur == str(indicateur.pk)
    ]
    editeur[f"indicateurs-{rang}-cible"] = "260"
    assert client.post(reverse("actions:modifier", args=[fiche.pk]), editeur).status_code == 302

    page.update(valeur_reference="100", cible="210")
    reponse = client.post(url(indicateur), page)
    assert reponse.status_code == 409
    assert "maintenant « 260 »" in reponse.content.decode()
    assert cibles(indicateur)[1] == Decimal("260")
