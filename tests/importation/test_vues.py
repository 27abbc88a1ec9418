"""The import pages: upload, review (reassign, ignore, merge, split, correct), confirmation.
Nothing is written before the confirmation; the projet created is a brouillon."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import FicheAction
from importation.models import Importation
from projets.models import ProjetSocial

# A small projet social of our own words, as a centre might write it in Markdown.
DOCUMENT = """# Projet social 2026-2029 du centre des Tilleuls

## Préambule

Le centre accueille les habitants du quartier depuis vingt ans.

## Axe 1 : Rompre l'isolement

### Fiche action 1 : Les repas partagés

#### Contexte

Des voisins âgés vivent seuls et le disent aux animatrices.

#### Public visé

Habitants isolés du quartier

#### Partenaires

Mairie de Vierzon, Les Jardins du Bac

### Fiche action 2 : Les visites de convivialité

#### Contexte

Certaines personnes ne sortent plus de chez elles.

#### Public visé

Personnes âgées à domicile
"""


def deposer(client, user, contenu=DOCUMENT, nom="projet.md"):
    client.force_login(user)
    fichier = SimpleUploadedFile(nom, contenu.encode() if isinstance(contenu, str) else contenu)
    return client.post(reverse("importation:deposer"), {"fichier": fichier})


@pytest.fixture
def importation(client, monde):
    reponse = deposer(client, monde.direction_1)
    importation = Importation.objects.get()
    assert reponse.url == reverse("importation:verifier", args=[importation.pk])
    return importation


def verifier(client, importation, **donnees):
    url = reverse("importation:verifier", args=[importation.pk])
    return client.post(url, donnees) if donnees else client.get(url)


def test_la_page_de_relecture_montre_chaque_texte_et_sa_place(client, importation):
    page = verifier(client, importation).text
    assert "Les repas partagés" in page and "Les visites de convivialité" in page
    assert "Des voisins âgés vivent seuls et le disent aux animatrices." in page
    assert "Rompre l&#x27;isolement" in page
    assert "Le centre accueille les habitants du quartier depuis vingt ans." in page
    assert "Mairie de Vierzon" in page and "sera ajouté à l'annuaire" in page
    # The projet's title is the document's own, as written; its période read from it.
    assert 'value="Projet social 2026-2029 du centre des Tilleuls"' in page
    assert 'value="2026"' in page and 'value="2029"' in page
    # Nothing written yet.
    assert not ProjetSocial.objects.filter(titre__contains="Tilleuls").exists()


def test_confirmer_cree_le_projet_en_brouillon_avec_son_historique(client, monde, importation):
    verifier(
        client, importation, action="projet", titre="Projet des Tilleuls", annee_debut="2026",
        annee_fin="2029",
    )  # fmt: skip
    reponse = client.post(reverse("importation:confirmer", args=[importation.pk]))
    projet = ProjetSocial.objects.get(titre="Projet des Tilleuls")
    assert reponse.url == reverse("actions:projet", args=[projet.pk])
    assert (projet.structure, projet.statut, projet.periode) == (
        monde.structure_1,
        "brouillon",
        "2026–2029",
    )
    fiches = FicheAction.objects.filter(projet=projet).order_by("numero")
    assert [f.titre for f in fiches] == ["Les repas partagés", "Les visites de convivialité"]
    assert fiches[0].contexte == "Des voisins âgés vivent seuls et le disent aux animatrices."
    historique = LogEntry.objects.filter(additional_data__projet=projet.pk)
    assert any("importé de projet.md" in str(e.changes) for e in historique)
    # Confirming twice creates nothing more.
    client.post(reverse("importation:confirmer", args=[importation.pk]))
    assert ProjetSocial.objects.filter(titre="Projet des Tilleuls").count() == 1


def test_une_periode_impossible_est_refusee_a_cote_du_champ(client, importation):
    reponse = verifier(
        client, importation, action="projet", titre="Projet « Tilleuls »", annee_debut="2026",
        annee_fin="2040",
    )  # fmt: skip
    assert reponse.status_code == 400
    assert "Un projet social couvre de 1 à 6 années." in reponse.text
    assert 'value="2040"' in reponse.text


def test_deplacer_un_texte_vers_un_autre_champ(client, importation):
    proposition = importation.lire_proposition()
    contexte = next(m for m in proposition.morceaux if m.texte.startswith("Des voisins"))
    fiche = contexte.objet
    url = reverse("importation:morceau", args=[importation.pk, contexte.id])
    assert "Des voisins âgés" in client.get(url).text
    client.post(url, {"cible": f"{fiche}|freins"})
    importation.refresh_from_db()
    deplace = importation.lire_proposition().morceau(contexte.id)
    assert (deplace.objet, deplace.champ) == (fiche, "freins")


def test_un_champ_qui_n_existe_pas_est_refuse(client, importation):
    morceau = importation.lire_proposition().morceaux[0]
    url = reverse("importation:morceau", args=[importation.pk, morceau.id])
    reponse = client.post(url, {"cible": "f1|inexistant"})
    assert reponse.status_code == 200 and "Sélectionnez un choix valide" in reponse.text


def test_ignorer_puis_reunir_et_separer_des_fiches(client, importation):
    proposition = importation.lire_proposition()
    public = next(m for m in proposition.morceaux if m.texte == "Personnes âgées à domicile")
    client.post(reverse("importation:ignorer", args=[importation.pk, public.id]))
    importation.refresh_from_db()
    assert importation.lire_proposition().morceau(public.id).champ == "ignore"

    premiere, seconde = (f.id for f in proposition.fiches)
    verifier(client, importation, action="fusionner", objet=premiere, autre=seconde)
    importation.refresh_from_db()
    assert [f.id for f in importation.lire_proposition().fiches] == [premiere]

    proposition = importation.lire_proposition()
    depart = next(m for m in proposition.morceaux if m.texte.startswith("Certaines personnes"))
    url = reverse("importation:morceau", args=[importation.pk, depart.id])
    client.post(url, {"action": "scinder"})
    importation.refresh_from_db()
    assert len(importation.lire_proposition().fiches) == 2


@pytest.mark.parametrize(
    ("contenu", "nom", "message"),
    [
        (b"", "vide.md", "Le fichier soumis est vide."),
        (b"PK\x03\x04 pas vraiment un docx", "projet.docx", "endommagé"),
        (b"Une liste de courses : pain, lait.", "courses.txt", "Aucune fiche action ni aucun axe"),
        (b"x", "projet.xls", "Ce format n&#x27;est pas pris en charge"),
    ],
)
def test_un_mauvais_fichier_est_refuse_avec_un_message_et_rien_n_est_cree(
    client, monde, contenu, nom, message
):
    reponse = deposer(client, monde.direction_1, contenu, nom)
    assert reponse.status_code == 200
    assert message in reponse.text
    assert not Importation.objects.exists()
    assert ProjetSocial.objects.count() == 2  # the world's two


@pytest.mark.parametrize(("qui", "statut"), [("equipe_1", 403), ("equipe_2", 404)])
def test_seule_la_direction_releit_et_confirme(client, monde, importation, qui, statut):
    client.force_login(getattr(monde, qui))
    assert verifier(client, importation).status_code == statut
    confirmer = client.post(reverse("importation:confirmer", args=[importation.pk]))
    assert confirmer.status_code == statut
    assert not ProjetSocial.objects.filter(titre__contains="Tilleuls").exists()


def test_un_gros_document_est_lu_en_arriere_plan(client, monde, settings, monkeypatch):
    monkeypatch.setattr("importation.views.LECTURE_IMMEDIATE", 10)
    from django_tasks_db.models import DBTaskResult

    from importation.taches import lire_importation

    client.force_login(monde.direction_1)
    reponse = deposer(client, monde.direction_1)
    importation = Importation.objects.get()
    assert reponse.url == reverse("importation:suivre", args=[importation.pk])
    assert importation.statut == "en_attente"
    page = client.get(reponse.url, headers={"HX-Request": "true"})
    assert "attend d'être lu" in page.text and 'hx-trigger="every 2s"' in page.text
    assert DBTaskResult.objects.count() in (0, 1)  # queued on commit
    lire_importation.call(importation.pk)
    assert client.get(reponse.url).url == reverse("importation:verifier", args=[importation.pk])
