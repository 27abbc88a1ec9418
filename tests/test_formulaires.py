"""Every form page of the app: no input a browser would cut (`maxlength`) or fill with digits
only (`type="number"`), and each limit given to the counter instead."""

import re

import pytest
from django.urls import reverse

from actions.models import FicheAction
from partenaires.models import Partenaire

pytestmark = pytest.mark.django_db


def pages_de_formulaires(projet):
    fiche = FicheAction.objects.filter(projet=projet).order_by("pk").first()
    axe = fiche.axe
    enjeu = projet.enjeux.first()
    indicateur = fiche.indicateurs.filter(nature="quantitatif").first()
    partenaire = Partenaire.objects.filter(structure=projet.structure).first()
    territoire = projet.structure.territoires.first()
    return [
        reverse("actions:modifier", args=[fiche.pk]),
        reverse("actions:creer", args=[projet.pk]),
        reverse("actions:liste", args=[projet.pk]),
        reverse("projets:modifier", args=[projet.pk]),
        reverse("projets:structure_modifier", args=[projet.pk]),
        reverse("evaluation:renouveler", args=[projet.pk]),
        reverse("projets:enjeu_modifier", args=[enjeu.pk]),
        reverse("projets:axe_creer", args=[projet.pk]),
        reverse("projets:objectif_creer", args=[axe.pk]),
        reverse("projets:section_creer", args=[projet.pk]),
        reverse("projets:image_creer", args=[projet.pk]),
        reverse("projets:territoire_creer", args=[projet.pk]),
        reverse("projets:chiffre_creer", args=[projet.pk]) + f"?territoire={territoire.pk}",
        reverse("projets:colonne_creer", args=[projet.pk]),
        reverse("projets:instance_creer", args=[projet.pk]),
        reverse("projets:ligne_budget_creer", args=[projet.pk]),
        reverse("projets:sigle_creer", args=[projet.pk]),
        reverse("evaluation:cibles", args=[indicateur.pk]),
        reverse("evaluation:resultat_creer", args=[indicateur.pk]),
        reverse("evaluation:bilan", args=[fiche.pk, projet.annee_debut]),
        reverse("partenaires:creer"),
        reverse("partenaires:modifier", args=[partenaire.pk]),
        reverse("partenaires:contacts", args=[partenaire.pk]),
    ]


def test_aucun_champ_ne_coupe_ni_ne_remplit_la_saisie(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="direction"))
    limites = 0
    for url in pages_de_formulaires(demo):
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        html = reponse.content.decode()
        assert "maxlength" not in html, url
        assert 'type="number"' not in html, url
        limites += len(re.findall(r'data-longueur-max="\d+"', html))
    assert limites > 50  # the limits are there, for the counter


def test_la_page_de_connexion_non_plus(client, db):
    html = client.get(reverse("login")).content.decode()
    assert "maxlength" not in html and 'name="username"' in html
