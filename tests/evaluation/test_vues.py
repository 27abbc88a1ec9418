import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import FicheAction
from evaluation.demo import charger_evaluation_demo
from evaluation.models import BilanAction, CibleAnnuelle, FichierBilan, Resultat
from tests.factories import BilanActionFactory, ResultatFactory
from tests.outils import doubler_fiches

from .conftest import PDF


def client_de(client, user):
    client.force_login(user)
    return client


def test_tableau_de_bord_pour_l_equipe(client, demo):
    charger_evaluation_demo(demo)
    equipe = demo.structure.membres.get(user__username="equipe").user
    reponse = client_de(client, equipe).get(reverse("evaluation:tableau_de_bord", args=[demo.pk]))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert page.count("<h1") == 1
    assert 'aria-current="page" href="/projets/' in page  # the « Évaluation » tab is current
    assert '<svg class="eval-graphique"' in page and "<desc id=" in page
    assert "Données du graphique" in page
    assert "Indicateurs sans aucun résultat" in page
    assert "Bilans 2025" in page


@pytest.mark.parametrize("qui", ["equipe_2", "user_partenaire_a"])
def test_tableau_de_bord_introuvable_hors_structure(client, monde, qui):
    client_de(client, getattr(monde, qui))
    assert (
        client.get(reverse("evaluation:tableau_de_bord", args=[monde.projet_1.pk])).status_code
        == 404
    )


def test_tableau_de_bord_demande_connexion(client, monde):
    reponse = client.get(reverse("evaluation:tableau_de_bord", args=[monde.projet_1.pk]))
    assert reponse.status_code == 302 and "login" in reponse["Location"]


def test_requetes_du_tableau_de_bord_independantes_du_nombre_de_fiches(
    client, demo, django_assert_max_num_queries
):
    charger_evaluation_demo(demo)
    direction = demo.structure.membres.get(user__username="direction").user
    client_de(client, direction)
    url = reverse("evaluation:tableau_de_bord", args=[demo.pk])
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    doubler_fiches(demo)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200


def test_saisie_na_refusee_avec_message_et_saisie_conservee(client, monde, quantitatif):
    client_de(client, monde.equipe_1)
    url = reverse("evaluation:resultat_creer", args=[quantitatif.pk])
    reponse = client.post(
        url, {"annee": 2025, "semestre": 0, "valeur": "N/A", "source": "Cahier d'accueil"}
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "n&#x27;est pas un nombre" in page and "non renseigné" in page
    assert 'value="Cahier d&#x27;accueil"' in page
    assert not Resultat.objects.exists()


def test_valeur_ou_non_renseigne(client, monde, quantitatif):
    client_de(client, monde.equipe_1)
    url = reverse("evaluation:resultat_creer", args=[quantitatif.pk])
    vide = client.post(url, {"annee": 2025, "semestre": 0, "valeur": ""})
    assert "Saisissez une valeur, ou cochez « non renseigné »" in vide.content.decode()
    reponse = client.post(url, {"annee": 2025, "semestre": 0, "valeur": "", "non_renseigne": "on"})
    assert reponse.status_code == 302
    resultat = Resultat.objects.get()
    assert resultat.non_renseigne and resultat.saisi_par == monde.equipe_1
    deux = client.post(url, {"annee": 2026, "semestre": 1, "valeur": "12,5"})
    assert deux.status_code == 302
    assert str(Resultat.objects.get(annee=2026).valeur) == "12.50"


def test_resultat_qualitatif(client, monde, qualitatif):
    client_de(client, monde.equipe_1)
    url = reverse("evaluation:resultat_creer", args=[qualitatif.pk])
    page = client.get(url).content.decode()
    assert "Pas du tout" in page and "Tout à fait" in page
    reponse = client.post(url, {"annee": 2025, "semestre": 0, "niveau": 3, "commentaire": "Bien"})
    assert reponse.status_code == 302
    fiche = client.get(reverse("evaluation:fiche", args=[monde.fiche_1a.pk])).content.decode()
    assert "3 – Plutôt" in fiche


def test_justificatif_controle_par_le_contenu(client, monde, quantitatif):
    client_de(client, monde.equipe_1)
    url = reverse("evaluation:resultat_creer", args=[quantitatif.pk])
    donnees = {"annee": 2025, "semestre": 0, "valeur": "140", "commentaire": "Hausse nette"}
    faux = SimpleUploadedFile("preuve.pdf", b"MZ\x90\x00 un executable", "application/pdf")
    reponse = client.post(url, {**donnees, "justificatif": faux})
    page = reponse.content.decode()
    assert reponse.status_code == 200
    assert "type de fichier n&#x27;est pas accepté" in page
    assert "Hausse nette" in page and 'value="140"' in page
    vrai = SimpleUploadedFile("preuve.pdf", PDF, "application/pdf")
    assert client.post(url, {**donnees, "justificatif": vrai}).status_code == 302
    resultat = Resultat.objects.get()
    telechargement = client.get(reverse("evaluation:justificatif", args=[resultat.pk]))
    assert telechargement["Content-Type"] == "application/pdf"
    assert b"".join(telechargement.streaming_content) == PDF


def test_cibles_annuelles(client, monde, quantitatif):
    client_de(client, monde.equipe_1)
    url = reverse("evaluation:cibles", args=[quantitatif.pk])

    def ouvrir():  # the page's token of the targets it shows
        page = client.get(url).content.decode()
        return re.search(r'name="etat" value="([^"]+)"', page).group(1)

    etat = ouvrir()
    erreur = client.post(url, {"etat": etat, "valeur_reference": "cent", "cible": "200"})
    assert "n&#x27;est pas un nombre" in erreur.content.decode()
    reponse = client.post(
        url,
        {
            "etat": etat,
            "valeur_reference": "90",
            "cible": "220",
            "cible_2025": "120",
            "cible_2026": "150",
        },
    )
    assert reponse.status_code == 302
    quantitatif.refresh_from_db()
    assert quantitatif.valeur_reference == 90 and quantitatif.cible == 220
    assert dict(CibleAnnuelle.objects.values_list("annee", "valeur")) == {2025: 120, 2026: 150}
    etat = ouvrir()
    client.post(url, {"etat": etat, "valeur_reference": "90", "cible": "220", "cible_2025": "125"})
    assert dict(CibleAnnuelle.objects.values_list("annee", "valeur")) == {2025: 125}


def test_bilan_prerempli_puis_enregistre_avec_fichier(client, monde):
    fiche = monde.fiche_1a
    client_de(client, monde.direction_1)
    url = reverse("evaluation:bilan", args=[fiche.pk, 2025])
    page = client.get(url).content.decode()
    assert "pré-remplies" in page
    coche = re.search(r'value="association_locale"[^>]*>', page).group(0)
    assert "checked" in coche  # the type of the fiche's partner
    donnees = {
        "statut": "terminee",
        "dimension": "citoyennete",
        "types_partenaires": ["association_locale"],
        "mots_cles": ["culture", "sante"],
        "participants": "35",
        "resultat_habitants": "Des liens durables entre voisins.",
    }
    donnees["motif_fin"] = "objectifs_atteints"
    donnees["fichier"] = SimpleUploadedFile("cr.pdf", PDF)
    donnees["titre_fichier"] = "Compte rendu du COPIL"
    assert client.post(url, donnees).status_code == 302
    bilan = BilanAction.objects.get(fiche=fiche, annee=2025)
    assert bilan.mots_cles == ["culture", "sante"] and bilan.participants == 35
    assert FichierBilan.objects.get(bilan=bilan).titre == "Compte rendu du COPIL"
    # Edited again: still one bilan for the year.
    donnees.pop("fichier")
    donnees["participants"] = "40"
    client.post(url, donnees)
    assert BilanAction.objects.get(fiche=fiche, annee=2025).participants == 40
    assert client.get(reverse("evaluation:bilan", args=[fiche.pk, 2031])).status_code == 404


def test_exports_csv_et_xlsx(client, monde, quantitatif):
    ResultatFactory(indicateur=quantitatif, annee=2025, valeur=140, commentaire="=bilan")
    BilanActionFactory(
        fiche=monde.fiche_1a, annee=2025, mots_cles=["culture"], limites="Peu de bénévoles"
    )
    client_de(client, monde.equipe_1)
    projet = monde.projet_1.pk

    csv_bilans = client.get(
        reverse("evaluation:export_bilans", args=[projet, "csv"]) + "?annee=2025"
    )
    assert csv_bilans.content.startswith("\ufeff".encode())
    lignes = list(csv.reader(io.StringIO(csv_bilans.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:2] == ["Structure", "Identifiant de la structure"]
    assert lignes[0][3:7] == ["Année", "Axe", "Fiche", "Action"]
    assert lignes[0][-1] == "Fichiers associés"
    ligne = dict(zip(lignes[0], lignes[1], strict=True))
    assert ligne["Structure"] == monde.projet_1.structure.nom and ligne["Action"] == "Fiche 1a"
    assert ligne["Mots clés"] == "Culture" and ligne["Limites"] == "Peu de bénévoles"

    xlsx = client.get(reverse("evaluation:export_indicateurs", args=[projet, "xlsx"]))
    feuille = load_workbook(io.BytesIO(xlsx.content)).active
    entetes = [c.value for c in feuille[1]]
    ligne = dict(zip(entetes, [c.value for c in feuille[2]], strict=True))
    assert ligne["Indicateur"] == "Nombre de passages"
    assert ligne["Résultat 2025"] == 140 and ligne["Cible 2026"] == 200
    assert ligne["Commentaires"] == "2025 : =bilan"  # text, not a formula, and unchanged

    csv_ind = client.get(reverse("evaluation:export_indicateurs", args=[projet, "csv"]))
    assert ";140;" in csv_ind.content.decode("utf-8-sig")
    assert (
        client.get(reverse("evaluation:export_indicateurs", args=[projet, "pdf"])).status_code
        == 404
    )


def test_partenaire_lit_les_resultats_de_sa_fiche_seulement(client, monde, quantitatif):
    ResultatFactory(indicateur=quantitatif, annee=2025, valeur=140)
    client_de(client, monde.user_partenaire_a)
    page = client.get(reverse("evaluation:resultats_fiche", args=[monde.fiche_1a.pk]))
    assert page.status_code == 200
    assert "Nombre de passages" in page.content.decode()
    assert "Saisir un résultat" not in page.content.decode()
    assert (
        client.get(reverse("evaluation:resultats_fiche", args=[monde.fiche_1b.pk])).status_code
        == 404
    )
    # Its own fiche: known to it, but the staff's pages are not for it (403).
    assert client.get(reverse("evaluation:fiche", args=[monde.fiche_1a.pk])).status_code == 403
    url = reverse("evaluation:resultat_creer", args=[quantitatif.pk])
    assert client.post(url, {"annee": 2025, "valeur": "1"}).status_code == 403


def test_suppression_d_un_resultat(client, monde, quantitatif):
    resultat = ResultatFactory(indicateur=quantitatif, annee=2025, valeur=140)
    client_de(client, monde.equipe_2)
    url = reverse("evaluation:resultat_supprimer", args=[resultat.pk])
    assert client.post(url).status_code == 404
    client_de(client, monde.equipe_1)
    assert client.post(url).status_code == 302
    assert not Resultat.objects.exists()


def test_demo_idempotente(demo):
    # seed_demo already loaded it: a second pass creates nothing.
    assert charger_evaluation_demo(demo) == 0
    assert BilanAction.objects.du_projet(demo).filter(annee=2025).count() == 5
    assert FicheAction.objects.filter(bilans__annee=2025).count() == 5
    # Each demo bilan has its mots clés, so the dashboard's breakdown by mot clé is not empty.
    assert all(b.mots_cles for b in BilanAction.objects.du_projet(demo))
    # Without it, the loader creates it again, once.
    BilanAction.objects.du_projet(demo).delete()
    assert charger_evaluation_demo(demo) > 0
    assert charger_evaluation_demo(demo) == 0
    assert BilanAction.objects.du_projet(demo).filter(annee=2025).count() == 5
