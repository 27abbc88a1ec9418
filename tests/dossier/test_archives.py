"""The dossier as sent to the CAF: frozen at the statut change, rendered in the background,
kept for good, downloaded by the direction; and its plan compared with today's."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import ProtectedError
from django.urls import reverse

from dossier import archives
from dossier.archives import figer_images
from dossier.instantane import comparer, instantane
from dossier.models import ArchiveDossier, ExportDossier
from dossier.taches import exporter_archive, exporter_dossier
from projets.models import ProjetSocial
from tests.factories import (
    AnneeActionFactory,
    ArchiveDossierFactory,
    AxeFactory,
    CibleAnnuelleFactory,
    ExportDossierFactory,
    FicheActionFactory,
    FicheObjectifFactory,
    IndicateurFactory,
    ObjectifGeneralFactory,
    PartenariatActionFactory,
)

pytestmark = pytest.mark.django_db
Statut = ProjetSocial.Statut
PNG_MINIMAL = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def soumettre(client, monde, statut=Statut.SOUMIS):
    """The direction moves projet 1 to `statut` through the projet page's button."""
    client.force_login(monde.direction_1)
    return client.post(reverse("projets:statut", args=[monde.projet_1.pk]), {"statut": statut})


def au_statut(projet, statut):
    ProjetSocial.objects.filter(pk=projet.pk).update(statut=statut)
    projet.refresh_from_db()


def test_la_soumission_fige_le_dossier_et_son_plan(client, monde):
    au_statut(monde.projet_1, Statut.VALIDE)
    soumettre(client, monde)

    archive = ArchiveDossier.objects.get()
    assert archive.statut_projet == Statut.SOUMIS
    assert archive.demande_par == monde.direction_1
    assert archive.statut == ArchiveDossier.Statut.EN_ATTENTE
    assert "Fiche 1a" in archive.html
    assert [f["titre"] for f in archive.plan["fiches"]] == ["Fiche 1a", "Fiche 1b"]

    # What changes afterwards is not in the archive: it prints what the CAF received.
    monde.fiche_1a.titre = "Fiche 1a renommée"
    monde.fiche_1a.save()
    exporter_archive.call(archive.pk)  # what the worker does
    archive.refresh_from_db()
    assert archive.statut == ArchiveDossier.Statut.TERMINE
    assert bytes(archive.pdf).startswith(b"%PDF")
    assert "Fiche 1a renommée" not in archive.html


def test_l_agrement_archive_aussi_mais_pas_les_autres_statuts(client, monde):
    au_statut(monde.projet_1, Statut.BROUILLON)
    soumettre(client, monde, Statut.EN_VALIDATION)
    assert not ArchiveDossier.objects.exists()

    au_statut(monde.projet_1, Statut.SOUMIS)
    soumettre(client, monde, Statut.AGREE)
    assert list(ArchiveDossier.objects.values_list("statut_projet", flat=True)) == [Statut.AGREE]


def test_un_echec_de_l_archivage_annule_le_changement_de_statut(client, monde, monkeypatch):
    au_statut(monde.projet_1, Statut.VALIDE)

    def panne(projet):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(archives, "instantane", panne)
    with pytest.raises(RuntimeError):
        monde.projet_1.changer_statut(Statut.SOUMIS, par=monde.direction_1)
    monde.projet_1.refresh_from_db()
    assert monde.projet_1.statut == Statut.VALIDE
    assert not ArchiveDossier.objects.exists()


def test_un_export_suivant_ne_supprime_pas_le_dossier_transmis(monde):
    ancien = ExportDossierFactory(projet=monde.projet_1, termine=True)
    archive = ArchiveDossierFactory(projet=monde.projet_1, termine=True)
    export = ExportDossierFactory(projet=monde.projet_1, version="v2")
    exporter_dossier.call(export.pk)

    assert not ExportDossier.objects.filter(pk=ancien.pk).exists()  # replaced by the newer one
    assert ArchiveDossier.objects.filter(pk=archive.pk).exists()
    # Nor does a second archive replace the first.
    deuxieme = ArchiveDossierFactory(projet=monde.projet_1, statut_projet=Statut.AGREE)
    exporter_archive.call(deuxieme.pk)
    assert ArchiveDossier.objects.filter(statut=ArchiveDossier.Statut.TERMINE).count() == 2


def test_un_projet_qui_a_un_dossier_transmis_ne_se_supprime_pas(monde):
    archive = ArchiveDossierFactory(projet=monde.projet_1, termine=True)
    with pytest.raises(ProtectedError):
        monde.projet_1.delete()
    assert ArchiveDossier.objects.filter(pk=archive.pk).exists()


def test_un_rendu_echoue_se_relance_depuis_le_html_fige(client, monde):
    archive = ArchiveDossierFactory(
        projet=monde.projet_1, statut="echec", erreur="Mémoire insuffisante"
    )
    client.force_login(monde.direction_1)
    page = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).content.decode()
    assert "Mémoire insuffisante" in page and "Préparer de nouveau le PDF" in page

    url = reverse("dossier:archive_relancer", args=[monde.projet_1.pk, archive.pk])
    assert client.post(url).status_code == 302
    archive.refresh_from_db()
    assert archive.statut == ArchiveDossier.Statut.EN_ATTENTE
    exporter_archive.call(archive.pk)
    archive.refresh_from_db()
    assert archive.statut == ArchiveDossier.Statut.TERMINE
    # Only a failed (or stalled) render is started again.
    assert not archives.relancer(archive)


def test_seule_la_direction_telecharge_le_dossier_transmis(client, monde):
    archive = ArchiveDossierFactory(projet=monde.projet_1, termine=True)
    url = reverse("dossier:archive_telecharger", args=[monde.projet_1.pk, archive.pk])
    client.force_login(monde.direction_1)
    reponse = client.get(url)
    assert reponse.status_code == 200
    assert reponse.content == b"%PDF-1.7\n"
    assert "-soumis-" in reponse["Content-Disposition"]

    client.force_login(monde.equipe_1)
    assert client.get(url).status_code == 403
    page = client.get(reverse("dossier:index", args=[monde.projet_1.pk])).content.decode()
    assert "Dossiers transmis à la CAF" in page and url not in page
    client.force_login(monde.equipe_2)
    assert client.get(url).status_code == 404


def test_la_liste_dit_quand_et_par_qui(client, monde):
    monde.direction_1.first_name, monde.direction_1.last_name = "Nadia", "Saïdi"
    monde.direction_1.save()
    ArchiveDossierFactory(projet=monde.projet_1, demande_par=monde.direction_1, termine=True)
    client.force_login(monde.direction_1)
    page = client.get(reverse("dossier:archives_etat", args=[monde.projet_1.pk])).content.decode()
    assert "Soumis à la CAF" in page and "par Nadia Saïdi" in page


def test_les_images_lues_dans_le_stockage_sont_figees_dans_le_html():
    nom = default_storage.save("structures/logos/logo.png", ContentFile(PNG_MINIMAL))
    url = f"stockage:{nom}"
    fige = figer_images(f'<img src="{url}" alt="">')
    assert fige.startswith('<img src="data:image/png;base64,')
    assert url not in fige
    default_storage.delete(nom)
    absente = '<img src="stockage:structures/logos/parti.png" alt="">'
    assert figer_images(absente) == absente  # the render will say the file is missing


# --- The plan, then and now ---------------------------------------------------------------


@pytest.fixture
def plan(monde):
    """Fiche 1a under an objectif, with a year, an indicator with targets, and a partner."""
    fiche = monde.fiche_1a
    objectif = ObjectifGeneralFactory(enjeu__axe=fiche.axe, titre="Rompre l'isolement")
    FicheObjectifFactory(fiche=fiche, objectif=objectif)
    AnneeActionFactory(fiche=fiche, annee=2025)
    indicateur = IndicateurFactory(fiche=fiche, cible=Decimal("40"), unite="familles")
    CibleAnnuelleFactory(indicateur=indicateur, annee=2025, valeur=Decimal("10"))
    return indicateur


def test_un_plan_inchange_n_a_pas_d_ecart(plan, monde):
    resultat = comparer(instantane(monde.projet_1), instantane(monde.projet_1))
    assert resultat.identiques
    assert resultat.inchangees == 2


def test_fiches_ajoutees_retirees_deplacees(plan, monde):
    avant = instantane(monde.projet_1)
    nouvelle = FicheActionFactory(axe=monde.fiche_1a.axe, titre="Café des parents")
    monde.fiche_1b.delete()
    autre_axe = AxeFactory(projet=monde.projet_1, titre="Vivre ensemble")
    monde.fiche_1a.axe = autre_axe
    monde.fiche_1a.save()

    resultat = comparer(avant, instantane(monde.projet_1))
    assert [f["id"] for f in resultat.ajoutees] == [nouvelle.pk]
    assert [f["titre"] for f in resultat.retirees] == ["Fiche 1b"]
    (deplacee,) = resultat.deplacees
    (place,) = [c for c in deplacee.changements if c.genre == "place"]
    assert "Vivre ensemble" in place.apres and "Vivre ensemble" not in place.avant


def test_annees_cibles_et_partenaires_changes(plan, monde):
    avant = instantane(monde.projet_1)
    AnneeActionFactory(fiche=monde.fiche_1a, annee=2026)
    plan.cible = Decimal("60")
    plan.save()
    PartenariatActionFactory(fiche=monde.fiche_1a, partenaire__nom="Bailleur Habitat Sud")

    (modifiee,) = comparer(avant, instantane(monde.projet_1)).modifiees
    changements = {c.genre: c for c in modifiee.changements}
    assert (changements["annees"].avant, changements["annees"].apres) == ("2025", "2025, 2026")
    # Only what changed: the yearly target of 2025 stays 10.
    assert changements["cibles"].avant == "période : 40 familles"
    assert changements["cibles"].apres == "période : 60 familles"
    assert "ajouté : Bailleur Habitat Sud" in changements["partenaires"].apres
    assert not modifiee.deplacee


def test_la_page_montre_une_cible_changee(client, plan, monde):
    ArchiveDossierFactory(
        projet=monde.projet_1, statut_projet=Statut.AGREE, plan=instantane(monde.projet_1)
    )
    plan.cibles.update(valeur=Decimal("15"))

    client.force_login(monde.equipe_1)
    page = client.get(reverse("dossier:comparaison", args=[monde.projet_1.pk])).content.decode()
    assert "Cible de l&#x27;indicateur « Nombre de participants »" in page
    assert "2025 : 10" in page and "2025 : 15" in page
    assert "1 fiche modifiée en tout" in page
    assert "fiche ajoutée" not in page  # nothing added: not said


def test_la_page_sans_dossier_transmis_le_dit(client, monde):
    client.force_login(monde.direction_1)
    page = client.get(reverse("dossier:comparaison", args=[monde.projet_1.pk])).content.decode()
    assert "pas encore été transmis à la CAF" in page


def test_le_plan_de_reference_est_le_dernier_agree(monde):
    ArchiveDossierFactory(projet=monde.projet_1, statut_projet=Statut.SOUMIS)
    agree = ArchiveDossierFactory(projet=monde.projet_1, statut_projet=Statut.AGREE)
    ArchiveDossierFactory(projet=monde.projet_1, statut_projet=Statut.SOUMIS)
    assert archives.plan_agree(monde.projet_1) == agree


def test_l_instantane_se_lit_en_peu_de_requetes(plan, monde, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        instantane(monde.projet_1)


def test_la_page_du_projet_mene_a_la_comparaison_une_fois_transmis(client, monde):
    client.force_login(monde.equipe_1)
    url = reverse("actions:projet", args=[monde.projet_1.pk])
    lien = reverse("dossier:comparaison", args=[monde.projet_1.pk])
    assert lien not in client.get(url).content.decode()
    au_statut(monde.projet_1, Statut.AGREE)
    assert lien in client.get(url).content.decode()
