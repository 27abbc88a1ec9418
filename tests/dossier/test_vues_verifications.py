"""The constats of the diagnostic, typed in the projet's content and pointed to by the enjeux, and
the page « Prêt pour la CAF ? » with its summary on the dossier page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from projets.models import Constat
from tests.factories import ConstatFactory, EnjeuFactory

pytestmark = pytest.mark.django_db


def erreur_du_champ(reponse, champ):
    trouve = re.search(rf'<div id="id_{champ}_error"[^>]*>(.*?)</div>', reponse.text, re.S)
    return trouve.group(1) if trouve else ""


def test_ajouter_un_constat(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("projets:constat_creer", args=[monde.projet_1.pk])
    reponse = client.post(url, {"enonce": "Peu de lieux pour les jeunes", "source": "habitants"})
    constat = Constat.objects.get(projet=monde.projet_1)
    assert reponse.url.endswith(f"#constat-{constat.pk}")
    assert (constat.enonce, constat.source, constat.ordre) == (
        "Peu de lieux pour les jeunes",
        Constat.Source.HABITANTS,
        1,
    )
    page = client.get(reverse("projets:contenu", args=[monde.projet_1.pk])).text
    assert "Peu de lieux pour les jeunes" in page


def test_un_constat_vide_ou_sans_source_message_francais_pres_du_champ(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("projets:constat_creer", args=[monde.projet_1.pk])
    reponse = client.post(url, {"enonce": "   ", "source": ""})
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire." in erreur_du_champ(reponse, "enonce")
    assert "Ce champ est obligatoire." in erreur_du_champ(reponse, "source")
    assert not Constat.objects.exists()


def test_l_enjeu_choisit_parmi_les_constats_de_son_projet(client, monde):
    enjeu = EnjeuFactory(axe=monde.axe_1, numero=7, titre="Se retrouver")
    le_sien = ConstatFactory(projet=monde.projet_1, enonce="Peu de lieux pour se retrouver")
    ailleurs = ConstatFactory(projet=monde.projet_2, enonce="Un constat d'une autre structure")
    client.force_login(monde.equipe_1)
    url = reverse("projets:enjeu_modifier", args=[enjeu.pk])
    page = client.get(url).text
    assert "Peu de lieux pour se retrouver (Statistiques)" in page
    assert "Un constat d'une autre structure" not in page

    donnees = {"numero": 7, "titre": "Se retrouver", "description": ""}
    reponse = client.post(url, {**donnees, "constats": [ailleurs.pk]})
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in erreur_du_champ(reponse, "constats")
    assert client.post(url, {**donnees, "constats": [le_sien.pk]}).status_code == 302
    assert list(enjeu.constats.all()) == [le_sien]


def test_la_page_dit_ce_qui_manque_et_ou_le_corriger(client, monde):
    client.force_login(monde.equipe_1)
    reponse = client.get(reverse("dossier:verifications", args=[monde.projet_1.pk]))
    assert reponse.status_code == 200
    html = reponse.text
    assert "La participation des habitants" in html  # a criterion
    assert "Circulaire Cnaf n° 2012-013 du 20/06/2012" in html
    assert "La date de validation par les instances" in html
    assert f'href="{reverse("projets:modifier", args=[monde.projet_1.pk])}"' in html


def test_l_autre_structure_ne_voit_pas_la_page(client, monde):
    client.force_login(monde.equipe_2)
    url = reverse("dossier:verifications", args=[monde.projet_1.pk])
    assert client.get(url).status_code == 404


def test_la_page_du_dossier_resume_les_points_a_revoir_sans_bloquer_l_export(client, monde):
    client.force_login(monde.equipe_1)
    html = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).text
    assert re.search(r"<strong>\d+ points à revoir</strong>", html)
    assert reverse("dossier:verifications", args=[monde.projet_1.pk]) in html
    assert reverse("dossier:exporter", args=[monde.projet_1.pk]) in html


def test_sur_la_demo_la_page_liste_ce_qui_manque_et_rien_de_ce_qui_y_est(client, demo):
    """The demo's projet has its constats, their links, its validation date…: what is left is
    what it really lacks, the accessibility of its places and its partners' confirmations."""
    client.force_login(get_user_model().objects.get(username="direction"))
    html = client.get(reverse("dossier:verifications", args=[demo.pk])).text
    assert "<strong>2 points à revoir</strong>" in html
    assert "Le projet ne dit pas comment les lieux et les activités sont accessibles" in html
    assert "pas encore été confirmés depuis le portail des partenaires" in html
    assert html.count("À revoir</span>") == 2


def test_l_arbre_montre_les_constats_auxquels_l_enjeu_repond(client, monde):
    enjeu = EnjeuFactory(axe=monde.axe_1, numero=7, titre="Se retrouver")
    enjeu.constats.add(ConstatFactory(projet=monde.projet_1, enonce="Peu de lieux", habitants=True))
    ConstatFactory(projet=monde.projet_1, enonce="Un constat qu'aucun enjeu ne cite")
    client.force_login(monde.equipe_1)
    html = client.get(reverse("actions:projet", args=[monde.projet_1.pk])).text
    assert "Répond au diagnostic :</span> Peu de lieux" in html
    assert "(parole des habitants)" in html
    assert "Un constat qu&#x27;aucun enjeu ne cite" not in html
