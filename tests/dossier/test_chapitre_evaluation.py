"""The dossier's optional chapter « Évaluation des actions »: only when the projet chose it, per
axe, each fiche's indicators against their targets and its bilans, nothing for what was left
empty, the texts whole."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from dossier.models import ReglagesDossier
from dossier.rendu import html_dossier
from projets.models import ProjetSocial
from tests.factories import (
    AnneeActionFactory,
    BilanActionFactory,
    CibleAnnuelleFactory,
    FicheActionFactory,
    IndicateurFactory,
    MembreFactory,
    ProjetSocialFactory,
    ResultatFactory,
)

pytestmark = pytest.mark.django_db

TITRE_CHAPITRE = "Évaluation des actions"


@pytest.fixture
def projet(db):
    projet = ProjetSocialFactory(titre="Projet des Vergers")
    fiche = FicheActionFactory(
        axe__projet=projet, axe__titre="Vivre ensemble", titre="Le jardin partagé"
    )
    AnneeActionFactory(fiche=fiche, annee=2025)
    indicateur = IndicateurFactory(fiche=fiche, libelle="Jardiniers réguliers", unite="personnes")
    CibleAnnuelleFactory(indicateur=indicateur, annee=2025, valeur=20)
    ResultatFactory(
        indicateur=indicateur, annee=2025, valeur=14, commentaire="Compté en juin.\nEt en août."
    )
    IndicateurFactory(fiche=fiche, libelle="Récoltes partagées")  # never measured
    BilanActionFactory(
        fiche=fiche,
        annee=2025,
        participants=31,
        limites="Peu de monde l'été.\n\n- pas d'arrosage\n- une clé pour deux",
        perspectives="Un second jardin.",
    )
    MembreFactory(structure=projet.structure, direction=True, user__username="direction")
    return projet


def choisir(projet, chapitre=True):
    ReglagesDossier.objects.update_or_create(
        projet=projet, defaults={"chapitre_evaluation": chapitre}
    )


def dossier(projet):
    return html_dossier(ProjetSocial.objects.select_related("structure").get(pk=projet.pk))


def chapitre_de(html):
    """The chapter's HTML, up to the next chapter (or the end)."""
    debut = html.index('id="chapitre-resultats"')
    fin = html.find('<section class="chapitre ', debut)
    return html[debut : fin if fin > 0 else len(html)]


def test_sans_choix_le_dossier_n_a_pas_de_chapitre_d_evaluation(projet):
    html = dossier(projet)
    assert TITRE_CHAPITRE not in html
    assert "Jardiniers réguliers" in html  # the fiche's own table still lists it
    assert "Compté en juin" not in html and "Un second jardin" not in html


def test_choisi_il_imprime_indicateurs_face_aux_cibles_et_bilans(projet):
    choisir(projet)
    html = dossier(projet)
    assert f"{TITRE_CHAPITRE}</span>" in html  # in the sommaire and as the chapter's title
    chapitre = chapitre_de(html)
    assert f"{projet.axes.get().libelle} : Vivre ensemble" in chapitre
    assert "Le jardin partagé" in chapitre
    # The indicator, its year's target and its result, and where it stands.
    ligne = chapitre[chapitre.index("Jardiniers réguliers") :]
    ligne = ligne[: ligne.index("</tr>")]
    assert "20\u00a0personnes" in ligne and "14\u00a0personnes" in ligne
    assert "en retard (70\u00a0%)" in ligne
    assert "Compté en juin.<br>Et en août." in ligne
    # The indicator never measured is named as such, not printed as an empty row.
    assert "Sans résultat saisi :</span> Récoltes partagées." in chapitre
    # The bilan's texts, whole: its line breaks and its list.
    assert "Bilan 2025" in chapitre
    assert "31 participants" in chapitre
    assert "<li>pas d'arrosage</li>" in chapitre and "<li>une clé pour deux</li>" in chapitre
    assert "Un second jardin." in chapitre


def test_les_champs_vides_n_impriment_rien(projet):
    choisir(projet)
    chapitre = chapitre_de(dossier(projet))
    for absent in (
        "Résultat sur le territoire",
        "Résultat pour le centre social",
        "Résultat pour les habitants",
        "Ressources financières",
        "bénévole",
        "salarié",
        "None",
    ):
        assert absent not in chapitre, absent


def test_choisi_mais_sans_resultat_ni_bilan_le_chapitre_est_absent(db):
    """No empty heading: a projet that entered nothing yet has no chapter to print."""
    projet = ProjetSocialFactory()
    IndicateurFactory(fiche=FicheActionFactory(axe__projet=projet))
    choisir(projet)
    assert TITRE_CHAPITRE not in dossier(projet)


def test_une_fiche_sans_rien_de_saisi_reste_hors_du_chapitre(projet):
    FicheActionFactory(axe=projet.axes.get(), titre="Une action sans suivi")
    choisir(projet)
    html = dossier(projet)
    assert "Une action sans suivi" in html  # its fiche
    assert "Une action sans suivi" not in chapitre_de(html)


def test_le_choix_se_fait_sur_la_page_du_dossier(projet, client):
    client.force_login(get_user_model().objects.get(username="direction"))
    page = reverse("dossier:index", args=[projet.pk])
    assert 'name="chapitre_evaluation"' in client.get(page).content.decode()
    reponse = client.post(
        reverse("dossier:reglages", args=[projet.pk]), {"chapitre_evaluation": "on"}, follow=True
    )
    assert "comprendra le chapitre" in reponse.content.decode()
    assert TITRE_CHAPITRE in dossier(projet)
    assert " checked>" in client.get(page).content.decode()
    client.post(reverse("dossier:reglages", args=[projet.pk]), {})
    assert TITRE_CHAPITRE not in dossier(projet)


def test_une_autre_structure_ne_change_pas_le_choix(projet, client):
    client.force_login(MembreFactory(direction=True).user)
    reponse = client.post(
        reverse("dossier:reglages", args=[projet.pk]), {"chapitre_evaluation": "on"}
    )
    assert reponse.status_code == 404
    assert not ReglagesDossier.objects.exists()
