"""The projet page (arbre d'objectifs) and the form of the projet's identity."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.html import escape

from actions.models import AnneeAction, FicheAction
from projets.models import ObjectifGeneral, ProjetSocial
from tests.factories import (
    AnneeActionFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    ObjectifGeneralFactory,
)
from tests.outils import doubler_fiches

pytestmark = pytest.mark.django_db

MAX_REQUETES_DETAIL = 15


@pytest.fixture
def equipe_demo(client, demo):
    client.force_login(get_user_model().objects.get(username="equipe"))
    return client


def section_axe(html, libelle):
    """The HTML of one axe's card, from its heading to the next axe's."""
    debut = html.index(f"{libelle} : ")
    suite = html.find('<section class="card axe', debut)
    return html[debut : suite if suite != -1 else len(html)]


def ligne_fiche(html, fiche):
    """The arbre's table row of a fiche (the first one, if it appears under several objectifs)."""
    lien = reverse("actions:detail", args=[fiche.pk])
    return re.search(rf'<tr>(?:(?!</tr>).)*href="{lien}"(?:(?!</tr>).)*</tr>', html, re.S).group(0)


def erreur_du_champ(reponse, champ):
    trouve = re.search(rf'<div id="id_{champ}_error"[^>]*>(.*?)</div>', reponse.text, re.S)
    return trouve.group(1) if trouve else ""


# --- the arbre ----------------------------------------------------------------------------


def test_l_arbre_montre_les_axes_enjeux_objectifs_et_fiches_de_la_demo(equipe_demo, demo):
    reponse = equipe_demo.get(reverse("actions:projet", args=[demo.pk]))
    assert reponse.status_code == 200
    html = reponse.text
    assert "Axe 1 : Accéder à ses droits" in html
    axes = list(demo.axes.all())
    assert len(axes) == 4 and axes[-1].transversal
    positions = [html.index(escape(f"{axe.libelle} : {axe.titre}")) for axe in axes]
    assert positions == sorted(positions), "axes thématiques d'abord, puis l'axe transversal"
    assert "Enjeu n° 9 : Travailler ensemble" in html
    assert "Enjeu n° 1 : " in section_axe(html, "Axe 1")
    objectif = ObjectifGeneral.objects.get(
        axe__projet=demo, titre="Développer l'inclusion numérique"
    )
    assert escape(objectif.titre) in section_axe(html, "Axe 1")
    fiche = FicheAction.objects.get(axe__projet=demo, axe__ordre=1, numero=1)
    assert escape(fiche.titre) in section_axe(html, "Axe 1")
    assert (
        "E : évolution d&#x27;une action existante / NA : nouvelle action / AE : action existante"
        in html
    )


def test_une_fiche_rattachee_a_un_objectif_d_un_autre_axe_y_est_renvoyee(equipe_demo, demo):
    """Axe 3's fiche 09 also serves an objectif of axe 2: axe 2 shows it as « Axe 3 – 09 »."""
    fiche = FicheAction.objects.get(axe__projet=demo, axe__ordre=3, numero=9)
    assert {o.axe.ordre for o in fiche.objectifs.all()} == {2, 3}
    html = equipe_demo.get(reverse("actions:projet", args=[demo.pk])).text
    axe_2, axe_3 = section_axe(html, "Axe 2"), section_axe(html, "Axe 3")
    assert "Axe 3 – 09" in axe_2 and escape(fiche.titre) in axe_2
    assert "Axe 3 – 09" not in axe_3 and escape(fiche.titre) in axe_3


def test_la_grille_des_annees_marque_les_annees_de_chaque_fiche(equipe_demo, demo):
    fiche = FicheAction.objects.get(axe__projet=demo, axe__ordre=1, numero=2)
    annees = set(fiche.annees.values_list("annee", flat=True))
    assert annees and annees != set(demo.annees)
    html = equipe_demo.get(reverse("actions:projet", args=[demo.pk])).text
    for annee in demo.annees:
        assert f'<th scope="col" class="text-center">{annee}</th>' in html
    ligne = ligne_fiche(html, fiche)
    assert '<th scope="row"' in ligne
    for annee in demo.annees:
        attendu = f"Prévue en {annee}" if annee in annees else f"Pas prévue en {annee}"
        assert attendu in ligne
    assert f'title="{escape(fiche.get_statut_plan_display())}">{fiche.statut_plan}<' in ligne


def test_les_comptes_du_projet(equipe_demo, demo):
    html = equipe_demo.get(reverse("actions:projet", args=[demo.pk])).text
    fiches = FicheAction.objects.filter(projet=demo)
    nb_objectifs = ObjectifGeneral.objects.filter(axe__projet=demo).count()
    assert '<span class="nombre">4</span> axes' in html
    assert '<span class="nombre">9</span> enjeux' in html
    assert f'<span class="nombre">{nb_objectifs}</span> objectifs généraux' in html
    assert f'<span class="nombre">{fiches.count()}</span> fiches actions' in html
    en_cours = fiches.filter(statut=FicheAction.Statut.EN_COURS).count()
    assert f"En cours : {en_cours}" in html
    nouvelles = fiches.filter(statut_plan=FicheAction.StatutPlan.NOUVELLE).count()
    assert f">NA</abbr> : {nouvelles}" in html
    assert "2025–2028" in html and "(4 ans)" in html
    assert "Agrément <abbr" in html and "Demandé" in html


def test_fiches_sans_objectif_et_objectifs_sans_enjeu(client, monde):
    axe = monde.fiche_1a.axe
    objectif = ObjectifGeneralFactory(axe=axe, enjeu=None, titre="Objectif posé sur l'axe")
    FicheObjectifFactory(fiche=monde.fiche_1b, objectif=objectif)
    client.force_login(monde.equipe_1)
    html = client.get(reverse("actions:projet", args=[monde.projet_1.pk])).text
    assert "Objectif posé sur l&#x27;axe" in html
    sans_objectif = html[html.index("Fiches sans objectif") :]
    assert "Fiche 1a" in sans_objectif and "Fiche 1b" not in sans_objectif


def test_liens_d_edition_pour_l_equipe(equipe_demo, demo):
    html = equipe_demo.get(reverse("actions:projet", args=[demo.pk])).text
    axe = demo.axes.first()
    enjeu = axe.enjeux.first()
    for url in [
        reverse("projets:modifier", args=[demo.pk]),
        reverse("actions:creer", args=[demo.pk]),
        reverse("projets:axe_modifier", args=[axe.pk]),
        reverse("projets:enjeu_creer", args=[axe.pk]),
        reverse("projets:enjeu_modifier", args=[enjeu.pk]),
        reverse("projets:objectif_modifier", args=[enjeu.objectifs.first().pk]),
    ]:
        assert f'href="{url}' in html, url


# --- who may see and edit ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("qui", "attendu"),
    [
        ("direction_1", 200),
        ("equipe_1", 200),
        ("admin", 200),
        ("equipe_2", 404),
        ("user_partenaire_a", 404),
        ("sans_role", 404),
    ],
)
@pytest.mark.parametrize("vue", ["actions:projet", "projets:modifier"])
def test_acces_par_role(client, monde, qui, attendu, vue):
    client.force_login(getattr(monde, qui))
    assert client.get(reverse(vue, args=[monde.projet_1.pk])).status_code == attendu


@pytest.mark.parametrize("vue", ["actions:projet", "projets:modifier"])
def test_anonyme_renvoye_a_la_connexion(client, monde, vue):
    url = reverse(vue, args=[monde.projet_1.pk])
    reponse = client.get(url)
    assert reponse.status_code == 302
    assert reponse.url == f"{reverse('login')}?next={url}"


def test_une_autre_structure_ne_peut_pas_modifier_le_projet(client, monde):
    client.force_login(monde.equipe_2)
    url = reverse("projets:modifier", args=[monde.projet_1.pk])
    reponse = client.post(url, {"titre": "Piraté", "annee_debut": 2025, "annee_fin": 2028})
    assert reponse.status_code == 404
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.titre == "Projet social"


# --- the projet's form ------------------------------------------------------------------


def donnees_projet(**kwargs):
    return {
        "titre": "Projet social 2025-2029",
        "annee_debut": 2025,
        "annee_fin": 2029,
        "agrement_acf": "on",
        "date_decision_caf": "2025-03-14",
        **kwargs,
    }


def test_modifier_le_projet_enregistre_et_revient_a_l_arbre(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("projets:modifier", args=[monde.projet_1.pk])
    formulaire = client.get(url)
    assert 'value="Projet social"' in formulaire.text
    reponse = client.post(url, donnees_projet(statut=ProjetSocial.Statut.ARCHIVE), follow=True)
    assert reponse.redirect_chain[-1][0] == reverse("actions:projet", args=[monde.projet_1.pk])
    assert "Le projet social a été enregistré." in reponse.text
    projet = ProjetSocial.objects.get(pk=monde.projet_1.pk)
    assert (projet.titre, projet.annee_fin, projet.agrement_acf) == (
        "Projet social 2025-2029",
        2029,
        True,
    )
    assert str(projet.date_decision_caf) == "2025-03-14"
    assert projet.statut == ProjetSocial.Statut.BROUILLON, "le statut ne change pas ici"


@pytest.mark.parametrize(
    ("annee_fin", "message"),
    [
        (2024, "L&#x27;année de fin doit être égale ou postérieure à l&#x27;année de début."),
        (2031, "Un projet social couvre au plus 6 années."),
    ],
)
def test_periode_invalide_message_sous_l_annee_de_fin(client, monde, annee_fin, message):
    client.force_login(monde.equipe_1)
    url = reverse("projets:modifier", args=[monde.projet_1.pk])
    reponse = client.post(url, donnees_projet(titre="Titre tapé", annee_fin=annee_fin))
    assert reponse.status_code == 200
    assert message in erreur_du_champ(reponse, "annee_fin")
    assert 'value="Titre tapé"' in reponse.text and f'value="{annee_fin}"' in reponse.text
    monde.projet_1.refresh_from_db()
    assert (monde.projet_1.titre, monde.projet_1.annee_fin) == ("Projet social", 2028)
    # The header keeps the saved projet, not the typed title.
    assert '<p class="h4 mb-0">Projet social <span' in reponse.text


def test_raccourcir_la_periode_sous_les_annees_des_fiches_est_refuse_en_tete(client, monde):
    AnneeActionFactory(fiche=monde.fiche_1a, annee=2028)
    client.force_login(monde.direction_1)
    url = reverse("projets:modifier", args=[monde.projet_1.pk])
    reponse = client.post(url, donnees_projet(annee_fin=2027))
    assert reponse.status_code == 200
    en_tete = re.search(
        r'<div class="alert alert-block alert-danger">(.*?)</div>', reponse.text, re.S
    )
    assert "Des fiches actions sont prévues en dehors de cette période (2028)" in en_tete.group(1)
    assert AnneeAction.objects.filter(fiche=monde.fiche_1a, annee=2028).exists()
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.annee_fin == 2028


# --- queries ---------------------------------------------------------------------------


def test_le_nombre_de_requetes_ne_grandit_pas_avec_les_fiches(
    equipe_demo, demo, django_assert_max_num_queries
):
    url = reverse("actions:projet", args=[demo.pk])
    with django_assert_max_num_queries(MAX_REQUETES_DETAIL):
        avant = equipe_demo.get(url)
    nombre = doubler_fiches(demo)
    with django_assert_max_num_queries(MAX_REQUETES_DETAIL):
        apres = equipe_demo.get(url)
    assert f'<span class="nombre">{nombre}</span> fiches actions' in apres.text
    assert apres.text.count("(bis)") > 0 and "(bis)" not in avant.text


def test_une_fiche_d_un_autre_projet_n_apparait_pas(client, monde):
    FicheActionFactory(titre="Fiche ailleurs")
    client.force_login(monde.equipe_1)
    html = client.get(reverse("actions:projet", args=[monde.projet_1.pk])).text
    assert "Fiche 1a" in html and "Fiche 2a" not in html and "Fiche ailleurs" not in html
