"""Setting a centre up without the Django admin: a structure and its first direction, the team
invited and managed by the direction, a new projet, the first-run guide of the home page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import FicheAction
from projets.models import InvitationMembre, Membre, ProjetSocial, Structure
from tests.factories import AxeFactory, MembreFactory, UserFactory

MOT_DE_PASSE = "Un-long-mot-de-passe-42"


def lien_du_mail():
    return re.search(r"http://testserver(/equipe/invitation/\S+/)", mail.outbox[-1].body).group(1)


def creer_compte(client, lien, prenom="Inès", nom="Haddad"):
    return client.post(
        lien,
        {
            "first_name": prenom,
            "last_name": nom,
            "password1": MOT_DE_PASSE,
            "password2": MOT_DE_PASSE,
        },
    )


def creer_structure(client, admin, **champs):
    client.force_login(admin)
    donnees = {
        "nom": "Centre social Les Tilleuls",
        "type": Structure.Type.CENTRE_SOCIAL,
        "gestionnaire": Structure.Gestionnaire.ASSOCIATION,
        "adresse": "3 rue des Écoles",
        "code_postal": "18100",
        "ville": "Vierzon",
        "email_direction": "direction@tilleuls.fr",
        **champs,
    }
    return client.post(reverse("projets:structure_creer"), donnees)


# --- the instance administrator ---


def test_l_administrateur_cree_une_structure_et_invite_sa_direction(client, monde):
    reponse = creer_structure(client, monde.admin)
    structure = Structure.objects.get(nom="Centre social Les Tilleuls")
    assert reponse.url == reverse("projets:equipe", args=[structure.pk])
    assert (structure.slug, structure.ville) == ("centre-social-les-tilleuls", "Vierzon")
    assert mail.outbox[-1].to == ["direction@tilleuls.fr"]
    assert "Les Tilleuls" in mail.outbox[-1].subject
    assert "à la direction" in mail.outbox[-1].body
    page = client.get(reponse.url).text
    assert "direction@tilleuls.fr · Direction" in page
    assert "Centre social Les Tilleuls" in client.get(reverse("projets:structures")).text

    # A second structure of the same name gets its own identifiant.
    creer_structure(client, monde.admin, email_direction="autre@tilleuls.fr")
    assert Structure.objects.filter(slug="centre-social-les-tilleuls-2").exists()


def test_une_structure_mal_saisie_est_refusee_avec_la_saisie_gardee(client, monde):
    reponse = creer_structure(client, monde.admin, email_direction="direction@", nom="")
    assert reponse.status_code == 200
    assert "Saisissez une adresse de courriel valide." in reponse.text
    assert "Ce champ est obligatoire." in reponse.text
    assert 'value="3 rue des Écoles"' in reponse.text
    trop_longue = "d" * 140 + "@tilleuls.fr"
    reponse = creer_structure(client, monde.admin, email_direction=trop_longue)
    assert "elle deviendrait son identifiant" in reponse.text
    assert not Structure.objects.filter(nom="Centre social Les Tilleuls").exists()
    assert not mail.outbox


@pytest.mark.parametrize("qui", ["direction_1", "equipe_1", "user_partenaire_a"])
def test_seul_l_administrateur_cree_une_structure(client, monde, qui):
    client.force_login(getattr(monde, qui))
    assert creer_structure(client, getattr(monde, qui)).status_code == 403
    assert not Structure.objects.filter(nom="Centre social Les Tilleuls").exists()


def test_la_direction_invitee_cree_son_compte_et_dirige_la_structure(client, monde):
    creer_structure(client, monde.admin)
    client.logout()
    lien = lien_du_mail()
    page = client.get(lien)
    assert (
        "direction@tilleuls.fr" in page.text and "Rejoindre Centre social Les Tilleuls" in page.text
    )
    reponse = creer_compte(client, lien)
    assert reponse.url == reverse("accueil")
    membre = Membre.objects.get(user__username="direction@tilleuls.fr")
    assert (membre.structure.nom, membre.role) == ("Centre social Les Tilleuls", "direction")
    accueil = client.get(reverse("accueil")).text
    assert "Pour commencer" in accueil and "Inviter l&#x27;équipe" in accueil
    assert client.get(lien).status_code == 410  # used once


def test_un_lien_expire_ou_annule_ne_sert_plus(client, monde):
    client.force_login(monde.direction_1)
    client.post(
        reverse("projets:membre_inviter", args=[monde.structure_1.pk]),
        {"email": "arrivee@centre-1.fr", "role": "equipe"},
    )
    lien = lien_du_mail()
    invitation = InvitationMembre.objects.get()
    InvitationMembre.objects.update(cree_le=timezone.now() - timedelta(days=8))
    client.logout()
    assert client.get(lien).status_code == 410
    assert "a expiré" in client.get(lien).text

    InvitationMembre.objects.update(cree_le=timezone.now())
    client.force_login(monde.direction_1)
    client.post(reverse("projets:invitation_annuler", args=[invitation.pk]))
    client.logout()
    assert client.get(lien).status_code == 404
    assert not Membre.objects.filter(user__username="arrivee@centre-1.fr").exists()


# --- the direction and its team ---


def test_la_direction_invite_son_equipe(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("projets:membre_inviter", args=[monde.structure_1.pk]),
        {"email": "animatrice@centre-1.fr", "role": "equipe"},
    )
    assert reponse.url == reverse("projets:equipe", args=[monde.structure_1.pk])
    assert "dans l'équipe" in mail.outbox[-1].body
    assert "Une invitation (équipe) a été envoyée" in client.get(reponse.url).text
    client.logout()
    creer_compte(client, lien_du_mail(), prenom="Léa", nom="Martin")
    membre = Membre.objects.get(user__username="animatrice@centre-1.fr")
    assert (membre.structure, membre.role) == (monde.structure_1, "equipe")
    assert "Fiche 1a" in client.get(reverse("actions:liste", args=[monde.projet_1.pk])).text


def test_une_personne_deja_membre_n_est_pas_reinvitee(client, monde):
    monde.equipe_1.email = "equipe@centre-1.fr"
    monde.equipe_1.save()
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("projets:membre_inviter", args=[monde.structure_1.pk]),
        {"email": "EQUIPE@centre-1.fr", "role": "direction"},
    )
    assert reponse.status_code == 400
    assert "est déjà membre" in reponse.text
    assert 'value="EQUIPE@centre-1.fr"' in reponse.text
    assert not mail.outbox


def test_un_compte_existant_rejoint_la_structure_avec_son_role(client, monde):
    existant = UserFactory(username="claire", email="claire@exemple.fr")
    MembreFactory(user=existant, structure=monde.structure_2)
    client.force_login(monde.direction_1)
    client.post(
        reverse("projets:membre_inviter", args=[monde.structure_1.pk]),
        {"email": "claire@exemple.fr", "role": "direction"},
    )
    client.logout()
    lien = lien_du_mail()
    assert "Un compte existe déjà" in client.get(lien).text
    assert client.post(lien).url == reverse("login")
    assert Membre.objects.get(user=existant, structure=monde.structure_1).role == "direction"
    assert Membre.objects.get(user=existant, structure=monde.structure_2).role == "equipe"


def test_la_direction_change_un_role_et_retire_un_membre(client, monde):
    membre = Membre.objects.get(user=monde.equipe_1)
    client.force_login(monde.direction_1)
    client.post(
        reverse("projets:membre_role", args=[membre.pk]), {f"m{membre.pk}-role": "direction"}
    )
    membre.refresh_from_db()
    assert membre.role == "direction"
    assert ProjetSocial.objects.pilotable_by(monde.equipe_1).filter(pk=monde.projet_1.pk).exists()

    client.post(reverse("projets:membre_retirer", args=[membre.pk]))
    assert not Membre.objects.filter(pk=membre.pk).exists()
    # The person removed sees nothing of the structure any more.
    client.force_login(monde.equipe_1)
    assert client.get(reverse("actions:projet", args=[monde.projet_1.pk])).status_code == 404
    assert client.get(reverse("actions:detail", args=[monde.fiche_1a.pk])).status_code == 404
    assert "Fiche 1a" not in client.get(reverse("accueil")).text


def test_la_seule_direction_ne_peut_ni_partir_ni_changer_de_role(client, monde):
    membre = Membre.objects.get(user=monde.direction_1)
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("projets:membre_role", args=[membre.pk]), {f"m{membre.pk}-role": "equipe"}
    )
    assert "seule direction" in client.get(reponse.url).text
    client.post(reverse("projets:membre_retirer", args=[membre.pk]))
    membre.refresh_from_db()
    assert membre.role == "direction"

    # With a second direction, the first may leave.
    MembreFactory(structure=monde.structure_1, direction=True)
    assert client.post(reverse("projets:membre_retirer", args=[membre.pk])).url == reverse(
        "accueil"
    )
    assert not Membre.objects.filter(pk=membre.pk).exists()


@pytest.mark.parametrize(("qui", "statut"), [("equipe_1", 403), ("equipe_2", 404)])
def test_seule_la_direction_gere_l_equipe(client, monde, qui, statut):
    membre = Membre.objects.get(user=monde.direction_1)
    client.force_login(getattr(monde, qui))
    assert client.get(reverse("projets:equipe", args=[monde.structure_1.pk])).status_code == statut
    assert client.post(reverse("projets:membre_retirer", args=[membre.pk])).status_code == statut
    url = reverse("projets:membre_inviter", args=[monde.structure_1.pk])
    assert client.post(url, {"email": "x@y.fr", "role": "direction"}).status_code == statut
    assert Membre.objects.filter(pk=membre.pk).exists() and not mail.outbox


# --- a new projet ---


def test_la_direction_cree_un_projet_vide(client, monde):
    client.force_login(monde.direction_1)
    page = client.get(reverse("projets:creer"))
    assert "Renouveler un projet précédent" in page.text  # structure 1 has one
    reponse = client.post(
        reverse("projets:creer"),
        {
            "structure": monde.structure_1.pk,
            "titre": "Projet social 2027-2030",
            "annee_debut": "2027",
            "annee_fin": "2030",
            "agrement_acf": "on",
        },
    )
    projet = ProjetSocial.objects.get(titre="Projet social 2027-2030")
    assert reponse.url == reverse("actions:projet", args=[projet.pk])
    assert (projet.structure, projet.statut, projet.agrement_acf) == (
        monde.structure_1,
        "brouillon",
        True,
    )


def test_un_projet_mal_saisi_est_refuse_avec_la_saisie_gardee(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(
        reverse("projets:creer"),
        {"titre": "Projet « Vivre ensemble »", "annee_debut": "2027", "annee_fin": "2026"},
    )
    assert reponse.status_code == 200
    assert "L&#x27;année de fin doit être égale ou postérieure" in reponse.text
    assert 'value="Projet « Vivre ensemble »"' in reponse.text
    assert not ProjetSocial.objects.filter(titre__contains="Vivre ensemble").exists()


def test_une_direction_de_deux_structures_choisit_parmi_les_siennes(client, monde):
    MembreFactory(user=monde.direction_1, direction=True, structure__nom="Centre Nord")
    client.force_login(monde.direction_1)
    page = client.get(reverse("projets:creer")).text
    assert "Centre Nord" in page and monde.structure_2.nom not in page
    donnees = {"titre": "Projet", "annee_debut": "2027", "annee_fin": "2030"}
    reponse = client.post(reverse("projets:creer"), {**donnees, "structure": monde.structure_2.pk})
    assert "Sélectionnez un choix valide" in reponse.text
    assert not ProjetSocial.objects.filter(structure=monde.structure_2, titre="Projet").exists()


# --- the first-run guide ---


def test_le_guide_mene_de_la_structure_vide_a_la_premiere_fiche(client, monde):
    direction = UserFactory(username="nouvelle-direction")
    structure = MembreFactory(direction=True, user=direction).structure
    client.force_login(direction)

    def prochaine():
        page = client.get(reverse("accueil")).text
        if "Pour commencer" not in page:
            return None
        return re.search(r"<span>([^<]+) <span class=\"badge text-bg-primary\">", page).group(1)

    assert prochaine().startswith("Inviter l&#x27;équipe")
    MembreFactory(structure=structure)
    assert prochaine().startswith("Créer le projet social")
    projet = ProjetSocial.objects.create(
        structure=structure, titre="Projet", annee_debut=2027, annee_fin=2030
    )
    assert prochaine().startswith("Ajouter le premier axe")
    axe = AxeFactory(projet=projet)
    assert prochaine().startswith("Écrire la première fiche")
    FicheAction.creer_dans(axe, titre="Accueillir")
    assert prochaine() is None


def test_l_equipe_voit_ce_que_la_direction_fait_d_abord(client, monde):
    structure = MembreFactory(direction=True).structure
    equipe = MembreFactory(structure=structure).user
    client.force_login(equipe)
    page = client.get(reverse("accueil")).text
    assert "La direction crée le projet social" in page
    assert reverse("projets:creer") not in page


def test_l_administrateur_d_une_instance_vide_cree_la_premiere_structure(client, db):
    admin = UserFactory(username="admin", admin=True)
    client.force_login(admin)
    page = client.get(reverse("accueil")).text
    assert "aucune structure" in page and reverse("projets:structure_creer") in page
