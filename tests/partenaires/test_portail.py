"""The partner portal: its own fiches only, read-only, PDF, comments seen by the staff."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from actions.models import CommentairePartenaire, FicheAction
from tests.factories import (
    CommentairePartenaireFactory,
    ComptePartenaireFactory,
    ContactPartenaireFactory,
    FicheActionFactory,
    PartenaireFactory,
    PartenariatActionFactory,
)
from tests.outils import doubler_fiches


def test_le_partenaire_voit_exactement_ses_fiches_dans_chaque_structure(client, monde):
    # Structure 2 invited the same person for its own entry of the organisation.
    autre = PartenaireFactory(structure=monde.structure_2, nom="Mission locale (S2)")
    fiche_2b = FicheActionFactory(axe=monde.fiche_2a.axe, titre="Fiche 2b")
    PartenariatActionFactory(fiche=fiche_2b, partenaire=autre)
    ComptePartenaireFactory(user=monde.user_partenaire_a, partenaire=autre)
    client.force_login(monde.user_partenaire_a)
    page = client.get(reverse("portail:mes_actions"))
    assert "Fiche 1a" in page.text and "Fiche 2b" in page.text
    assert "Fiche 1b" not in page.text and "Fiche 2a" not in page.text
    assert "Bailleur B" not in page.text


def test_l_accueil_d_un_compte_partenaire_montre_ses_actions(client, monde):
    # What changed since the last visit: tests/test_accueil.py.
    client.force_login(monde.user_partenaire_a)
    page = client.get(reverse("accueil"))
    assert reverse("portail:fiche", args=[monde.fiche_1a.pk]) in page.text
    assert reverse("portail:fiche", args=[monde.fiche_2a.pk]) not in page.text
    assert reverse("portail:mes_actions") in page.text


def test_la_fiche_en_lecture_seule_sans_les_contacts_des_autres(client, monde):
    ville = PartenariatActionFactory(fiche=monde.fiche_1a, partenaire__nom="Ville").partenaire
    ContactPartenaireFactory(partenaire=ville, nom="Victor Confidentiel", email="victor@ville.fr")
    client.force_login(monde.user_partenaire_a)
    page = client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk]))
    assert page.status_code == 200
    assert "Fiche 1a" in page.text and "Échéancier" in page.text and "Indicateurs" in page.text
    assert "Victor" not in page.text and "victor@ville.fr" not in page.text
    assert "Historique" not in page.text
    assert reverse("actions:modifier", args=[monde.fiche_1a.pk]) not in page.text


def test_le_pdf_de_sa_fiche(client, monde):
    client.force_login(monde.user_partenaire_a)
    reponse = client.get(reverse("portail:fiche_pdf", args=[monde.fiche_1a.pk]))
    assert reponse["Content-Type"] == "application/pdf"
    assert reponse.content.startswith(b"%PDF")


@pytest.mark.parametrize("nom", ["portail:fiche", "portail:fiche_pdf"])
def test_une_autre_fiche_est_introuvable(client, monde, nom):
    client.force_login(monde.user_partenaire_a)
    for fiche in [monde.fiche_1b, monde.fiche_2a]:
        assert client.get(reverse(nom, args=[fiche.pk])).status_code == 404


def test_une_url_copiee_d_une_session_equipe_repond_404(client, monde):
    """Every page the équipe opened about fiche 1a, pasted into the partner's browser: the projet's
    pages are a 404; those of fiche 1a itself, which the partner knows, a 403."""
    client.force_login(monde.equipe_1)
    projet = monde.fiche_1a.projet
    urls = [
        reverse("actions:projet", args=[projet.pk]),
        reverse("projets:contenu", args=[projet.pk]),
        reverse("projets:historique", args=[projet.pk]),
        reverse("dossier:index", args=[projet.pk]),
        reverse("actions:liste", args=[projet.pk]) + "?partenaire=" + str(monde.partenaire_a.pk),
        reverse("actions:detail", args=[monde.fiche_1a.pk]),
        reverse("actions:modifier", args=[monde.fiche_1a.pk]),
        reverse("dossier:fiche", args=[monde.fiche_1a.pk]),
        reverse("partenaires:liste"),
        reverse("partenaires:detail", args=[monde.partenaire_a.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    de_la_fiche = {
        reverse("actions:detail", args=[monde.fiche_1a.pk]),
        reverse("actions:modifier", args=[monde.fiche_1a.pk]),
        reverse("dossier:fiche", args=[monde.fiche_1a.pk]),
    }
    client.force_login(monde.user_partenaire_a)
    for url in urls:
        assert client.get(url).status_code == (403 if url in de_la_fiche else 404), url


def test_un_commentaire_arrive_sur_la_fiche_de_l_equipe_et_dans_son_historique(client, monde):
    client.force_login(monde.user_partenaire_a)
    url = reverse("portail:fiche", args=[monde.fiche_1a.pk])
    vide = client.post(url, {"nature": "chiffre", "texte": ""})
    assert "Écrivez votre commentaire." in vide.text
    reponse = client.post(url, {"nature": "chiffre", "texte": "32 jeunes accompagnés en 2025."})
    assert reponse.url == url
    commentaire = CommentairePartenaire.objects.get()
    assert (commentaire.partenaire, commentaire.auteur) == (
        monde.partenaire_a,
        monde.user_partenaire_a,
    )
    assert "32 jeunes accompagnés" in client.get(url).text
    client.force_login(monde.equipe_1)
    fiche = client.get(reverse("actions:detail", args=[monde.fiche_1a.pk])).text
    assert "Commentaires des partenaires" in fiche
    assert "32 jeunes accompagnés en 2025." in fiche and "Mission locale" in fiche
    assert "Création</strong> · commentaire de partenaire" in fiche  # the fiche's history


def test_il_ne_voit_pas_les_commentaires_des_autres_partenaires(client, monde):
    ville = PartenaireFactory(structure=monde.structure_1, nom="Ville")
    PartenariatActionFactory(fiche=monde.fiche_1a, partenaire=ville)
    CommentairePartenaireFactory(fiche=monde.fiche_1a, partenaire=ville, texte="Subvention votée")
    client.force_login(monde.user_partenaire_a)
    assert (
        "Subvention votée"
        not in client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).text
    )


def test_le_personnel_n_a_pas_de_portail(client, monde):
    for qui in [monde.equipe_1, monde.direction_1, monde.admin]:
        client.force_login(qui)
        assert client.get(reverse("portail:mes_actions")).status_code == 404
        assert client.get(reverse("portail:fiche", args=[monde.fiche_1a.pk])).status_code == 404


def test_demo_le_compte_partenaire_voit_ses_fiches_en_requetes_fixes(
    client, demo, django_assert_max_num_queries
):
    partenaire = get_user_model().objects.get(username="partenaire")
    attendues = FicheAction.objects.filter(partenariats__partenaire__comptes__user=partenaire)
    client.force_login(partenaire)
    page = client.get(reverse("portail:mes_actions"))
    assert attendues.count() == 5
    assert len(re.findall(r'href="/mes-actions/\d+/"', page.text)) == 5
    for fiche in attendues:
        assert reverse("portail:fiche", args=[fiche.pk]) in page.text
    fiche = attendues.first()
    with django_assert_max_num_queries(12):
        client.get(reverse("portail:mes_actions"))
    with django_assert_max_num_queries(20):
        client.get(reverse("portail:fiche", args=[fiche.pk]))
    doubler_fiches(demo)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("portail:mes_actions"))
    assert len(re.findall(r'href="/mes-actions/\d+/"', page.text)) == 10
    with django_assert_max_num_queries(20):
        client.get(reverse("portail:fiche", args=[fiche.pk]))


def test_la_navigation_propose_mes_actions_ou_l_annuaire(client, monde):
    client.force_login(monde.user_partenaire_a)
    assert 'href="/mes-actions/">Mes actions</a>' in client.get(reverse("accueil")).text
    client.force_login(monde.equipe_1)
    page = client.get(reverse("accueil")).text
    assert 'href="/partenaires/">Partenaires</a>' in page and "Mes actions" not in page
