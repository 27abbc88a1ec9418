"""Extreme input never answers 500: far dates, long identifiers and addresses (on PostgreSQL
too, where a value longer than its column is an error, not a silent cut)."""

import pytest
from django.urls import reverse

from actions.models import EtapeEcheancier
from projets.models import ProjetSocial
from tests.actions.test_edition import donnees
from tests.factories import ContactPartenaireFactory, EtapeEcheancierFactory, IndicateurFactory

pytestmark = pytest.mark.django_db


def test_un_identifiant_enorme_a_la_connexion(client):
    reponse = client.post(reverse("login"), {"username": "x" * 300, "password": "secret-123"})
    assert reponse.status_code == 200
    assert "Aucun identifiant ne compte autant de caractères" in reponse.content.decode()


def test_une_etape_datee_de_l_an_9999_est_refusee(client, monde):
    client.force_login(monde.direction_1)
    fiche = monde.fiche_1a
    data = donnees(client, fiche)
    data.update(
        {
            "etapes-TOTAL_FORMS": "1",
            "etapes-0-libelle": "Fin des temps",
            "etapes-0-date_debut": "9999-12-31",
        }
    )
    reponse = client.post(reverse("actions:modifier", args=[fiche.pk]), data)
    assert reponse.status_code == 400
    projet = monde.projet_1
    assert (
        f"trop loin de la période du projet ({projet.periode}) : choisissez-la entre le "
        f"01/01/{projet.annee_debut - 5} et le 31/12/{projet.annee_fin + 5}."
    ) in reponse.content.decode()
    assert not EtapeEcheancier.objects.filter(libelle="Fin des temps").exists()


def test_le_renouvellement_refuse_ce_qu_il_ne_peut_pas_decaler(client, monde):
    projet = monde.projet_1
    # Saved before dates were bounded (or by the admin): the renewal says it, and creates nothing.
    EtapeEcheancierFactory(fiche=monde.fiche_1a, libelle="Ancienne", date_debut="9999-12-31")
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("evaluation:renouveler", args=[projet.pk]),
        {"titre": "Suite", "annee_debut": projet.annee_fin + 1, "annee_fin": projet.annee_fin + 4},
    )
    assert reponse.status_code == 200
    texte = reponse.content.decode()
    assert "Rien n&#x27;a été créé" in texte and "« Ancienne »" in texte and "31/12/9999" in texte
    assert ProjetSocial.objects.count() == 2  # the two of the world, no third


def test_une_date_de_mesure_loin_de_la_periode(client, monde):

    indicateur = IndicateurFactory(fiche=monde.fiche_1a)
    client.force_login(monde.equipe_1)
    reponse = client.post(
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        {
            "annee": monde.projet_1.annee_debut,
            "semestre": 0,
            "valeur": "3",
            "date_mesure": "0001-01-01",
        },
    )
    assert reponse.status_code == 200 and "trop loin de la période" in reponse.content.decode()


def test_inviter_une_adresse_plus_longue_qu_un_identifiant(client, monde):
    from partenaires.models import Invitation

    adresse = "a" * 140 + "@exemple-de-structure.fr"  # 164 characters: a valid address
    contact = ContactPartenaireFactory(partenaire=monde.partenaire_a, nom="Long", email=adresse)
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("partenaires:inviter", args=[monde.partenaire_a.pk, contact.pk]), follow=True
    )
    assert reponse.status_code == 200
    assert "au plus 150" in reponse.content.decode()
    assert not Invitation.objects.filter(email=adresse).exists()
    # An invitation sent before this check: its link answers a message, never a 500.
    _, jeton = Invitation.creer(monde.partenaire_a, adresse, monde.direction_1)
    client.logout()
    lien = reverse("partenaires:activer", args=[jeton])
    assert client.get(lien).status_code == 400
    donnees = {
        "first_name": "A",
        "last_name": "B",
        "password1": "Un mot de passe 2026 !",
        "password2": "Un mot de passe 2026 !",
    }
    reponse = client.post(lien, donnees)
    assert reponse.status_code == 400 and "au plus 150" in reponse.content.decode()


def test_une_periode_hors_des_annees_possibles(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("projets:modifier", args=[monde.projet_1.pk]),
        {"titre": "Projet", "annee_debut": "10005", "annee_fin": "10005", "date_decision_caf": " "},
    )
    assert reponse.status_code == 200
    assert "Une année entre 1990 et 2100." in reponse.content.decode()
    assert ProjetSocial(annee_debut=9998, annee_fin=9999).bornes_dates()[1].year == 9999
