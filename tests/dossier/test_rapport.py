"""The rapport d'activité of a year: what it prints (the structure on the cover, per axe the
actions of the year with their statut, participants, indicators against targets, bilans'
texts, charts), the background job that renders it, who may download it, and a failed render."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from dossier import taches
from dossier.models import RapportActivite
from dossier.rapport import html_rapport
from dossier.taches import exporter_rapport
from evaluation.models import BilanAction, Resultat
from projets.models import ProjetSocial
from tests.factories import (
    AnneeActionFactory,
    BilanActionFactory,
    CibleAnnuelleFactory,
    FicheActionFactory,
    IndicateurFactory,
    MembreFactory,
    ProjetSocialFactory,
    RapportActiviteFactory,
    ResultatFactory,
    StructureFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def projet(db):
    structure = StructureFactory(
        nom="Maison des Vergers", porteur="Association des Vergers", ville="Riom"
    )
    projet = ProjetSocialFactory(structure=structure, titre="Vivre aux Vergers")
    fiche = FicheActionFactory(
        axe__projet=projet, axe__titre="Vivre ensemble", titre="Le jardin partagé"
    )
    AnneeActionFactory(fiche=fiche, annee=2025)
    indicateur = IndicateurFactory(
        fiche=fiche, libelle="Jardiniers réguliers", unite="personnes", valeur_reference=8
    )
    CibleAnnuelleFactory(indicateur=indicateur, annee=2025, valeur=20)
    ResultatFactory(indicateur=indicateur, annee=2025, valeur=24)
    IndicateurFactory(fiche=fiche, libelle="Récoltes partagées")
    BilanActionFactory(
        fiche=fiche,
        annee=2025,
        participants=31,
        benevoles=4,
        resultat_habitants="Des voisins qui se parlent.\nEt qui s'entraident.",
        perspectives="- un second jardin\n- des bacs à l'école",
    )
    # Another fiche of 2027 only, and one for the whole période (no years).
    plus_tard = FicheActionFactory(axe=fiche.axe, titre="La fête de 2027")
    AnneeActionFactory(fiche=plus_tard, annee=2027)
    FicheActionFactory(axe=fiche.axe, titre="L'accueil de tous les jours")
    MembreFactory(structure=structure, direction=True, user__username="direction")
    MembreFactory(structure=structure, user__username="equipe")
    return projet


def rapport(projet, annee=2025):
    return html_rapport(ProjetSocial.objects.select_related("structure").get(pk=projet.pk), annee)


def connecter(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_la_couverture_porte_l_identite_de_la_structure(projet):
    html = rapport(projet)
    couverture = html[html.index('class="couverture') : html.index("</section>")]
    assert "Maison des Vergers" in couverture
    assert "Association des Vergers" in couverture
    assert "Riom" in couverture
    assert "Rapport d'activité 2025" in couverture
    assert "Vivre aux Vergers" in couverture


def test_les_actions_de_l_annee_avec_statut_participants_indicateurs_et_bilan(projet):
    html = rapport(projet)
    assert "Le jardin partagé" in html
    assert "L&#x27;accueil de tous les jours" in html  # planned for the whole période
    assert "La fête de 2027" not in html  # another year's
    assert "Statut en 2025 : <strong>En cours</strong>" in html
    assert "Statut de la fiche : <strong>À venir</strong> · bilan 2025 non saisi" in html
    assert "31 participants · 4 bénévoles" in html
    ligne = html[html.index('<th scope="row" rowspan="1">Jardiniers réguliers') :]
    ligne = ligne[: ligne.index("</tr>")]
    assert "20\u00a0personnes" in ligne and "24\u00a0personnes" in ligne
    assert "en bonne voie (120\u00a0%)" in ligne
    assert "Sans résultat saisi en 2025 :</span> Récoltes partagées." in html
    assert "Des voisins qui se parlent.<br>\nEt qui s" in html
    assert "<li>un second jardin</li>" in html and "<li>des bacs à l" in html


def test_la_synthese_compte_par_axe(projet):
    html = rapport(projet)
    synthese = html[html.index('id="chapitre-synthese"') : html.index('id="chapitre-axe-')]
    totaux = [
        re.findall(r'<td class="nombre">([^<]*)</td>', ligne.split("</tr>")[0])
        for ligne in synthese.split('<tr class="synthese-total">')[1:]
    ]
    # Actions, bilans, participants, bénévoles of the year.
    assert totaux[0] == ["2", "1", "31", "4"]
    # Indicators: en bonne voie, en retard, sans donnée, mesuré sans cible chiffrée.
    assert totaux[1] == ["1", "0", "1", "0"]


def test_les_graphiques_ont_une_alternative_textuelle(projet):
    html = rapport(projet)
    assert 'alt="Jardiniers réguliers : résultats et cibles 2025' not in html  # one year only
    alt = html[html.index('alt="Jardiniers réguliers : résultat et cible 2025') :]
    alt = alt[: alt.index('">')]
    assert "2025 : réalisé 24 personnes (cible 20)" in alt
    assert "Valeur de référence : 8" in alt
    assert 'alt="Participants par action en 2025' in html


def test_les_champs_vides_n_impriment_rien(projet):
    html = rapport(projet)
    for absent in (
        "Résultat sur le territoire",
        "Résultat pour le centre social",
        "Limites",
        "Ressources financières",
        "salarié",
        "None",
    ):
        assert absent not in html, absent


def test_une_annee_sans_rien_le_dit_sans_titre_vide(db):
    projet = ProjetSocialFactory(annee_fin=2026)
    html = rapport(projet)
    assert "Aucune action n'est prévue en 2025" in html
    assert "chapitre-axe-" not in html


# --- The page, the job, the file ------------------------------------------------------


def exporter(client, projet, django_capture_on_commit_callbacks, annee=2025):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("dossier:rapport_exporter", args=[projet.pk, annee]), follow=True
        )


def test_le_travail_rend_le_pdf_balise_et_le_lien_le_telecharge(
    projet, client, django_capture_on_commit_callbacks
):
    connecter(client, "equipe")
    reponse = exporter(client, projet, django_capture_on_commit_callbacks)
    export = RapportActivite.objects.get()
    assert export.statut == RapportActivite.Statut.EN_ATTENTE and export.annee == 2025
    tache = DBTaskResult.objects.get(task_path__endswith="exporter_rapport")
    assert tache.args_kwargs["args"] == [export.pk]
    assert "L'export attend son tour" in reponse.content.decode()
    assert 'hx-trigger="every 2s"' in reponse.content.decode()

    exporter_rapport.call(export.pk)  # the worker
    export.refresh_from_db()
    assert export.statut == RapportActivite.Statut.TERMINE and export.pages >= 3
    page = client.get(reverse("dossier:rapport_etat", args=[projet.pk, 2025])).content.decode()
    assert "Le rapport est à jour" in page
    url = reverse("dossier:rapport_telecharger", args=[projet.pk, 2025, export.pk])
    assert url in page
    fichier = client.get(url)
    assert fichier["Content-Type"] == "application/pdf"
    assert "rapport-activite-" in fichier["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(fichier.content))
    assert pdf.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged
    assert pdf.outline  # bookmarks
    texte = " ".join(p.extract_text() for p in pdf.pages)
    assert "Maison des Vergers" in texte
    assert "Jardiniers réguliers" in texte and "en bonne voie" in texte
    assert "Des voisins qui se parlent." in texte


def test_le_meme_contenu_reprend_le_fichier_et_un_bilan_change_en_demande_un_autre(
    projet, client, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(taches, "produire_rapport", rendu_rapide)
    connecter(client, "direction")
    exporter(client, projet, django_capture_on_commit_callbacks)
    exporter_rapport.call(RapportActivite.objects.get().pk)
    reponse = exporter(client, projet, django_capture_on_commit_callbacks)
    assert "Rien n&#x27;a changé depuis le dernier export" in reponse.content.decode()
    assert RapportActivite.objects.count() == 1
    BilanAction.objects.update(limites="L'hiver, moins de monde.")
    page = client.get(reverse("dossier:rapport_annee", args=[projet.pk, 2025])).content.decode()
    assert "ont changé depuis le dernier export" in page
    exporter(client, projet, django_capture_on_commit_callbacks)
    assert RapportActivite.objects.count() == 2


def test_chaque_annee_a_son_rapport(projet, client, django_capture_on_commit_callbacks):
    connecter(client, "direction")
    exporter(client, projet, django_capture_on_commit_callbacks, annee=2025)
    exporter(client, projet, django_capture_on_commit_callbacks, annee=2026)
    assert sorted(RapportActivite.objects.values_list("annee", flat=True)) == [2025, 2026]


def rendu_rapide(projet, annee, progression=None, pages_estimees=None):
    from dossier.rendu import Rendu

    return Rendu(pdf=b"%PDF-1.7", pages=3, version="")


def rendu_qui_echoue(projet, annee, progression=None, pages_estimees=None):
    raise MemoryError("plus de mémoire")


def test_un_rendu_qui_echoue_garde_les_donnees_et_le_fichier_precedent(
    projet, client, django_capture_on_commit_callbacks, monkeypatch
):
    precedent = RapportActiviteFactory(projet=projet, annee=2025, version="ancienne", termine=True)
    avant = (
        list(BilanAction.objects.values()),
        list(Resultat.objects.values()),
    )
    monkeypatch.setattr(taches, "produire_rapport", rendu_qui_echoue)
    connecter(client, "direction")
    exporter(client, projet, django_capture_on_commit_callbacks)
    export = RapportActivite.objects.exclude(pk=precedent.pk).get()
    with pytest.raises(MemoryError):
        exporter_rapport.call(export.pk)
    export.refresh_from_db()
    assert export.statut == RapportActivite.Statut.ECHEC
    page = client.get(reverse("dossier:rapport_annee", args=[projet.pk, 2025])).content.decode()
    assert "L'export a échoué." in page and "MemoryError : plus de mémoire" in page
    assert "Relancer l'export" in page
    # Nothing entered is touched, and the last good file is still there.
    assert (list(BilanAction.objects.values()), list(Resultat.objects.values())) == avant
    url = reverse("dossier:rapport_telecharger", args=[projet.pk, 2025, precedent.pk])
    assert url in page
    assert client.get(url).status_code == 200


# --- Access -----------------------------------------------------------------------------


def pages(projet, export):
    pk = projet.pk
    return [
        ("get", reverse("dossier:rapport", args=[pk])),
        ("get", reverse("dossier:rapport_annee", args=[pk, 2025])),
        ("get", reverse("dossier:rapport_etat", args=[pk, 2025])),
        ("get", reverse("dossier:rapport_apercu", args=[pk, 2025])),
        ("get", reverse("dossier:rapport_telecharger", args=[pk, 2025, export.pk])),
        ("post", reverse("dossier:rapport_exporter", args=[pk, 2025])),
    ]


@pytest.mark.parametrize("role", ["direction_1", "equipe_1"])
def test_la_structure_telecharge(client, monde, role):
    export = RapportActiviteFactory(projet=monde.projet_1, annee=2025, termine=True)
    client.force_login(getattr(monde, role))
    for methode, url in pages(monde.projet_1, export):
        assert getattr(client, methode)(url).status_code in (200, 302), url


@pytest.mark.parametrize("role", ["equipe_2", "user_partenaire_a", "sans_role"])
def test_les_autres_recoivent_404(client, monde, role):
    export = RapportActiviteFactory(projet=monde.projet_1, annee=2025, termine=True)
    client.force_login(getattr(monde, role))
    for methode, url in pages(monde.projet_1, export):
        assert getattr(client, methode)(url).status_code == 404, url
    assert RapportActivite.objects.count() == 1


def test_le_fichier_d_un_autre_projet_est_introuvable(client, monde):
    """The export's id of structure 2's projet, under structure 1's projet: 404."""
    autre = RapportActiviteFactory(projet=monde.projet_2, annee=2025, termine=True)
    client.force_login(monde.equipe_1)
    url = reverse("dossier:rapport_telecharger", args=[monde.projet_1.pk, 2025, autre.pk])
    assert client.get(url).status_code == 404


def test_une_annee_hors_de_la_periode_est_introuvable(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("dossier:rapport_annee", args=[monde.projet_1.pk, 2031])
    assert client.get(url).status_code == 404


def test_anonyme_renvoye_a_la_connexion(client, monde):
    export = RapportActiviteFactory(projet=monde.projet_1, annee=2025, termine=True)
    for methode, url in pages(monde.projet_1, export):
        reponse = getattr(client, methode)(url)
        assert reponse.status_code == 302 and "/login" in reponse.url


def test_le_rapport_se_lit_en_nombre_de_requetes_fixe(projet):
    """Its HTML reads as many queries for six actions as for three."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def requetes():
        with CaptureQueriesContext(connection) as capture:
            rapport(projet)
        return len(capture)

    avant = requetes()
    axe = projet.axes.get()
    for numero in range(3):
        fiche = FicheActionFactory(axe=axe, titre=f"Action ajoutée {numero}")
        indicateur = IndicateurFactory(fiche=fiche, libelle=f"Indicateur {numero}")
        ResultatFactory(indicateur=indicateur, annee=2025, valeur=numero + 1)
        BilanActionFactory(fiche=fiche, annee=2025, participants=numero)
    assert "Action ajoutée 2" in rapport(projet)
    assert requetes() <= avant
