"""The projet's statut workflow and its history page."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse

from projets.models import ProjetSocial
from tests.factories import (
    ChiffreCleFactory,
    ObjectifGeneralFactory,
    SigleFactory,
    TerritoireFactory,
    ValeurCompareeFactory,
)
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db

Statut = ProjetSocial.Statut


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def textes_messages(reponse):
    return [str(message) for message in get_messages(reponse.wsgi_request)]


def mettre_au_statut(projet, statut):
    ProjetSocial.objects.filter(pk=projet.pk).update(statut=statut)
    projet.refresh_from_db()


# --- The rules, on the model ---


@pytest.mark.parametrize(
    ("depart", "arrivee"),
    [
        (Statut.BROUILLON, Statut.EN_VALIDATION),
        (Statut.EN_VALIDATION, Statut.VALIDE),
        (Statut.EN_VALIDATION, Statut.BROUILLON),
        (Statut.VALIDE, Statut.SOUMIS),
        (Statut.VALIDE, Statut.BROUILLON),
        (Statut.SOUMIS, Statut.AGREE),
        (Statut.SOUMIS, Statut.BROUILLON),
        (Statut.AGREE, Statut.ARCHIVE),
        (Statut.ARCHIVE, Statut.AGREE),
    ],
)
def test_transitions_permises(monde, depart, arrivee):
    projet = monde.projet_1
    mettre_au_statut(projet, depart)
    assert arrivee in projet.transitions_possibles()
    projet.changer_statut(arrivee)
    projet.refresh_from_db()
    assert projet.statut == arrivee


@pytest.mark.parametrize(
    ("depart", "arrivee"),
    [
        (Statut.BROUILLON, Statut.VALIDE),
        (Statut.BROUILLON, Statut.AGREE),
        (Statut.EN_VALIDATION, Statut.SOUMIS),
        (Statut.AGREE, Statut.BROUILLON),
        (Statut.ARCHIVE, Statut.BROUILLON),
        (Statut.BROUILLON, Statut.BROUILLON),
    ],
)
def test_transitions_refusees_avec_message_francais(monde, depart, arrivee):
    projet = monde.projet_1
    mettre_au_statut(projet, depart)
    with pytest.raises(ValidationError) as erreur:
        projet.changer_statut(arrivee)
    libelle_depart, libelle_arrivee = Statut(depart).label, Statut(arrivee).label
    assert erreur.value.messages == [
        f"Un projet « {libelle_depart} » ne peut pas passer au statut « {libelle_arrivee} »."
    ]
    projet.refresh_from_db()
    assert projet.statut == depart


def test_la_date_de_decision_caf_est_enregistree_a_l_agrement(monde):
    projet = monde.projet_1
    mettre_au_statut(projet, Statut.SOUMIS)
    projet.changer_statut(Statut.AGREE, datetime.date(2025, 6, 12))
    projet.refresh_from_db()
    assert projet.date_decision_caf == datetime.date(2025, 6, 12)


# --- The view ---


def url_statut(projet):
    return reverse("projets:statut", args=[projet.pk])


@pytest.mark.parametrize("qui", ["direction_1", "admin"])
def test_la_direction_soumet_a_la_validation(client, monde, qui):
    client.force_login(getattr(monde, qui))
    reponse = client.post(url_statut(monde.projet_1), {"statut": Statut.EN_VALIDATION})
    assert reponse.status_code == 302
    assert reponse.url == reverse("actions:projet", args=[monde.projet_1.pk])
    assert textes_messages(reponse) == ["Le projet social est maintenant « En validation »."]
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.EN_VALIDATION


def test_une_transition_interdite_est_refusee(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(url_statut(monde.projet_1), {"statut": Statut.AGREE})
    assert textes_messages(reponse) == [
        "Un projet « Brouillon » ne peut pas passer au statut « Agréé »."
    ]
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.BROUILLON


def test_un_statut_inconnu_est_refuse(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(url_statut(monde.projet_1), {"statut": "publie"})
    assert "Sélectionnez un choix valide" in textes_messages(reponse)[0]
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.BROUILLON


def test_agreer_avec_la_date_de_decision(client, monde):
    mettre_au_statut(monde.projet_1, Statut.SOUMIS)
    client.force_login(monde.direction_1)
    client.post(
        url_statut(monde.projet_1), {"statut": Statut.AGREE, "date_decision_caf": "2025-07-03"}
    )
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.AGREE
    assert monde.projet_1.date_decision_caf == datetime.date(2025, 7, 3)


def test_agreer_sans_date_de_decision(client, monde):
    mettre_au_statut(monde.projet_1, Statut.SOUMIS)
    client.force_login(monde.direction_1)
    client.post(url_statut(monde.projet_1), {"statut": Statut.AGREE, "date_decision_caf": ""})
    monde.projet_1.refresh_from_db()
    assert (monde.projet_1.statut, monde.projet_1.date_decision_caf) == (Statut.AGREE, None)


@pytest.mark.parametrize(
    ("qui", "statut"),
    [("equipe_1", 403), ("equipe_2", 404), ("user_partenaire_a", 404), ("sans_role", 404)],
)
def test_seule_la_direction_change_le_statut(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    reponse = client.post(url_statut(monde.projet_1), {"statut": Statut.EN_VALIDATION})
    assert reponse.status_code == statut
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.BROUILLON


def test_anonyme_renvoye_a_la_connexion(client, monde):
    reponse = client.post(url_statut(monde.projet_1), {"statut": Statut.EN_VALIDATION})
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def test_le_statut_ne_change_pas_en_get(client, monde):
    client.force_login(monde.direction_1)
    assert client.get(url_statut(monde.projet_1)).status_code == 405


# --- The inclusion tag ---


def rendre_statut(projet, user):
    return Template("{% load cycle %}{% statut_projet projet user %}").render(
        Context({"projet": projet, "user": user})
    )


def test_la_direction_voit_les_boutons_des_transitions_permises(monde):
    mettre_au_statut(monde.projet_1, Statut.EN_VALIDATION)
    html = rendre_statut(monde.projet_1, monde.direction_1)
    assert "En validation" in html
    assert "Valider" in html and "Renvoyer en brouillon" in html
    assert html.count(f'action="{url_statut(monde.projet_1)}"') == 2
    assert "Archiver" not in html


def test_la_date_de_decision_n_est_demandee_qu_a_l_agrement(monde):
    mettre_au_statut(monde.projet_1, Statut.SOUMIS)
    html = rendre_statut(monde.projet_1, monde.direction_1)
    assert "Enregistrer l&#x27;agrément" in html or "Enregistrer l'agrément" in html
    assert 'name="date_decision_caf"' in html
    assert "Date de décision de la CAF" in html
    mettre_au_statut(monde.projet_1, Statut.VALIDE)
    assert 'name="date_decision_caf"' not in rendre_statut(monde.projet_1, monde.direction_1)


@pytest.mark.parametrize("qui", ["equipe_1", "user_partenaire_a"])
def test_l_equipe_voit_le_statut_sans_bouton(monde, qui):
    html = rendre_statut(monde.projet_1, getattr(monde, qui))
    assert "Brouillon" in html
    assert "<form" not in html


# --- History ---


def url_historique(projet):
    return reverse("projets:historique", args=[projet.pk])


@pytest.mark.parametrize(
    ("qui", "code"),
    [
        ("direction_1", 200),
        ("equipe_1", 200),
        ("admin", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 404),
    ],
)
def test_acces_a_l_historique(client, monde, qui, code):
    client.force_login(getattr(monde, qui))
    assert client.get(url_historique(monde.projet_1)).status_code == code


def test_historique_anonyme_renvoye_a_la_connexion(client, monde):
    reponse = client.get(url_historique(monde.projet_1))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def test_l_historique_montre_une_modification_faite_dans_une_vue(client, monde):

    objectif = ObjectifGeneralFactory(enjeu__axe=monde.fiche_1a.axe, titre="Favoriser l'entraide")
    equipe = monde.equipe_1
    equipe.first_name, equipe.last_name = "Nadia", "Saïdi"
    equipe.save()
    client.force_login(equipe)
    client.post(
        reverse("projets:objectif_modifier", args=[objectif.pk]),
        {
            "enjeu": objectif.enjeu_id,
            "titre": "Favoriser l'entraide",
            "indicateurs_resultats": "Nombre de familles accompagnées",
        },
    )
    page = client.get(url_historique(monde.projet_1))
    assert page.status_code == 200
    assert "Historique des modifications" in page.text
    assert "par Nadia Saïdi" in page.text
    assert "indicateurs de résultats" in page.text
    assert "Nombre de familles accompagnées" in page.text
    assert 'aria-current="page" href="' + url_historique(monde.projet_1) in page.text


def test_l_historique_d_un_autre_projet_n_apparait_pas(client, monde):
    SigleFactory(projet=monde.projet_2, sigle="QPV", signification="Quartier prioritaire")
    client.force_login(monde.direction_1)
    assert "Quartier prioritaire" not in client.get(url_historique(monde.projet_1)).text


def test_l_historique_montre_les_territoires_et_chiffres_cles_de_la_structure(client, monde):
    """The dossier prints them: their changes are in the history of each projet of the
    structure, not in another structure's."""
    territoire = TerritoireFactory(structure=monde.structure_1, nom="Quartier des Tilleuls")
    chiffre = ChiffreCleFactory(territoire=territoire, libelle="Familles monoparentales")
    valeur = ValeurCompareeFactory(chiffre=chiffre, colonne__territoire=territoire, valeur=12)
    chiffre.valeur = "2.6"
    chiffre.save()
    client.force_login(monde.direction_1)
    page = client.get(url_historique(monde.projet_1)).text
    assert "« Quartier des Tilleuls »" in page
    assert "« Familles monoparentales »" in page
    assert "chiffre clé" in page and "valeur de comparaison" in page
    assert "2,6" in page or "2.6" in page

    # Deleted with its chiffres and their values (a cascade): each deletion is written.
    territoire.delete()
    page = client.get(url_historique(monde.projet_1)).text
    assert page.count("Suppression") >= 3
    assert not type(valeur).objects.filter(pk=valeur.pk).exists()

    client.force_login(monde.equipe_2)
    TerritoireFactory(structure=monde.structure_2, nom="Autre quartier")
    assert "Quartier des Tilleuls" not in client.get(url_historique(monde.projet_2)).text
    client.force_login(monde.direction_1)
    assert "Autre quartier" not in client.get(url_historique(monde.projet_1)).text


def test_l_historique_est_pagine(client, monde):
    for numero in range(55):
        SigleFactory(projet=monde.projet_1, sigle=f"S{numero}", signification="x")
    client.force_login(monde.direction_1)
    page_1 = client.get(url_historique(monde.projet_1))
    assert "Page 1 sur 2" in page_1.text
    assert "« S54 : x »" in page_1.text and "« S0 : x »" not in page_1.text
    page_2 = client.get(url_historique(monde.projet_1), {"page": 2})
    assert "« S0 : x »" in page_2.text


def test_l_historique_fait_un_nombre_borne_de_requetes(client, demo, django_assert_max_num_queries):
    client.force_login(User.objects.get(username="direction"))
    for numero in range(5):
        SigleFactory(projet=demo, sigle=f"T{numero}", signification="test")
    with django_assert_max_num_queries(6):
        assert client.get(url_historique(demo)).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(6):
        reponse = client.get(url_historique(demo))
    assert "(bis)" in reponse.text  # the copied fiches are in the history too
