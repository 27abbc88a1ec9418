"""Renewal starts from the evaluation: the new projet gets an « Évaluation du projet précédent »
section drafted per axe, and each copied fiche what the last période achieved."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import FicheAction, Indicateur
from evaluation import renouvellement
from evaluation.renouvellement import renouveler_depuis_l_evaluation
from evaluation.ventilation import TypeVentilation
from projets.models import ProjetSocial, SectionProjet
from tests.factories import (
    AnneeActionFactory,
    AxeFactory,
    BilanActionFactory,
    CategorieVentilationFactory,
    CibleAnnuelleFactory,
    EnjeuFactory,
    FicheActionFactory,
    IndicateurFactory,
    ResultatFactory,
    VentilationFactory,
)

pytestmark = pytest.mark.django_db

SUITE = {"titre": "Projet social 2029-2032", "annee_debut": 2029, "annee_fin": 2032}


@pytest.fixture
def evalue(monde):
    """Projet 1 (2025–2028) as its evaluation left it: fiche 1a finished, with results and two
    bilans; fiche 1b never started, nothing recorded; an indicator nobody measured."""
    fiche = monde.fiche_1a
    fiche.statut = FicheAction.Statut.TERMINEE
    fiche.motif_fin = FicheAction.MotifFin.OBJECTIFS_ATTEINTS
    fiche.save()
    EnjeuFactory(axe=monde.axe_1, numero=1, titre="Rompre l'isolement")
    AnneeActionFactory(fiche=fiche, annee=2026)
    familles = IndicateurFactory(
        fiche=fiche, libelle="Familles accueillies", unite="familles", cible=50, valeur_reference=12
    )
    ResultatFactory(indicateur=familles, annee=2025, valeur=30)
    ResultatFactory(indicateur=familles, annee=2026, vide=True)
    ResultatFactory(indicateur=familles, annee=2027, valeur=45)
    CibleAnnuelleFactory(indicateur=familles, annee=2027, valeur=40)
    autonomie = IndicateurFactory(fiche=fiche, qualitatif=True, libelle="Autonomie ressentie")
    ResultatFactory(indicateur=autonomie, annee=2027, valeur=None, niveau=3)
    IndicateurFactory(fiche=fiche, libelle="Sorties organisées", cible=6)
    BilanActionFactory(
        fiche=fiche, annee=2026, participants=40, personnes_precision="60 à 80 les jours de fête"
    )
    BilanActionFactory(
        fiche=fiche,
        annee=2027,
        participants=55,
        limites="Peu de monde en août.\nLa salle est trop petite.",
        perspectives="Ouvrir le samedi.",
    )
    IndicateurFactory(fiche=monde.fiche_1b, libelle="Ateliers tenus", cible=10)
    return monde


def renouveler(client, monde):
    client.force_login(monde.direction_1)
    reponse = client.post(reverse("evaluation:renouveler", args=[monde.projet_1.pk]), SUITE)
    assert reponse.status_code == 302
    return ProjetSocial.objects.get(titre=SUITE["titre"])


def section_de(projet):
    return SectionProjet.objects.get(projet=projet, type=SectionProjet.Type.EVALUATION_PRECEDENT)


def copie_de(nouveau, fiche):
    return FicheAction.objects.get(projet=nouveau, titre=fiche.titre)


def test_la_section_d_evaluation_est_redigee_par_axe(client, evalue):
    nouveau = renouveler(client, evalue)
    section = section_de(nouveau)
    texte = section.contenu
    assert section.titre == "Évaluation du projet social 2025–2028"
    assert texte.startswith("*Brouillon rédigé au renouvellement à partir de l'évaluation")
    axe = evalue.axe_1
    a, b = evalue.fiche_1a, evalue.fiche_1b
    assert f"### Axe {axe.ordre} : {axe.titre}" in texte
    # What was planned…
    assert "Enjeux : n° 1 Rompre l'isolement" in texte
    assert f"- **{a.code}. {a.titre}** (2026)" in texte
    # … what was done…
    assert (
        f"- **{a.code}. {a.titre}** : terminée (objectifs atteints) ; bilans 2026, 2027 ; "
        "participants : 40 en 2026 (« 60 à 80 les jours de fête »), 55 en 2027"
    ) in texte
    assert (
        f"- **{b.code}. {b.titre}** : à venir ; aucun bilan saisi ; participants : sans résultat"
        in (texte)
    )
    # … the indicators against their targets, « sans résultat » where nothing was measured…
    assert (
        f"- **{a.code}.** Familles accueillies : 30\u00a0familles en 2025, non renseigné en 2026, "
        "45\u00a0familles (cible 40) en 2027 ; cible de la période 50\u00a0familles ; "
        "au départ 12\u00a0familles"
    ) in texte
    assert f"- **{a.code}.** Autonomie ressentie : 3 – Plutôt en 2027" in texte
    assert f"- **{a.code}.** Sorties organisées : sans résultat ; cible de la période 6" in texte
    assert f"- **{b.code}.** Ateliers tenus : sans résultat ; cible de la période 10" in texte
    # … and the bilans' limits and perspectives, as they were typed.
    assert (
        f"**{a.code}. {a.titre}, bilan 2027**\nLimites : Peu de monde en août.\n"
        "La salle est trop petite.\nPerspectives : Ouvrir le samedi."
    ) in texte


def test_chaque_fiche_copiee_dit_ce_que_la_periode_a_acquis(client, evalue):
    nouveau = renouveler(client, evalue)
    acquis = copie_de(nouveau, evalue.fiche_1a).acquis_periode_precedente
    assert acquis.startswith("*Rédigé au renouvellement à partir de l'évaluation 2025–2028")
    assert "**Statut à la fin de la période** : terminée (objectifs atteints)." in acquis
    assert "**Participants** : 40 en 2026 (« 60 à 80 les jours de fête »), 55 en 2027." in acquis
    # The last figure of each indicator, against that year's target (its own, else the
    # période's).
    assert "- Familles accueillies : 45\u00a0familles en 2027, cible 40\u00a0familles" in acquis
    assert "- Autonomie ressentie : 3 – Plutôt en 2027" in acquis
    assert "- Sorties organisées : sans résultat" in acquis
    assert "**Perspectives** (bilan 2027) :\nOuvrir le samedi." in acquis
    # Nothing recorded, nothing drafted.
    assert copie_de(nouveau, evalue.fiche_1b).acquis_periode_precedente == ""
    # The old projet is left as it was.
    assert not evalue.projet_1.sections.exists()
    assert not FicheAction.objects.filter(projet=evalue.projet_1).exclude(
        acquis_periode_precedente=""
    )


def test_les_brouillons_se_lisent_et_se_modifient_comme_le_reste(client, evalue):
    nouveau = renouveler(client, evalue)
    fiche = copie_de(nouveau, evalue.fiche_1a)
    page = client.get(reverse("actions:detail", args=[fiche.pk])).text
    assert "Acquis de la période précédente" in page
    assert "Ouvrir le samedi." in page
    editeur = client.get(reverse("actions:modifier", args=[fiche.pk])).text
    assert 'name="acquis_periode_precedente"' in editeur
    section = section_de(nouveau)
    url = reverse("projets:section_modifier", args=[nouveau.pk, section.pk])
    assert "Peu de monde en août." in client.get(url).text
    # Printed with the fiches' codes as typed (« 01. » is no numbered list).
    contenu = client.get(reverse("projets:contenu", args=[nouveau.pk])).text
    code = evalue.fiche_1a.code
    assert f"<li><strong>{code}. {evalue.fiche_1a.titre}</strong> (2026)</li>" in contenu
    dossier = client.get(reverse("dossier:apercu", args=[nouveau.pk])).text
    assert "Évaluation du projet social 2025–2028" in dossier
    assert "Acquis de la période précédente" in dossier


def test_l_acquis_d_une_periode_plus_ancienne_n_est_pas_repris(client, monde):
    fiche = monde.fiche_1b
    fiche.acquis_periode_precedente = "Ce que 2021–2024 avait donné."
    fiche.save()
    nouveau = renouveler(client, monde)
    assert copie_de(nouveau, fiche).acquis_periode_precedente == ""
    assert FicheAction.objects.get(pk=fiche.pk).acquis_periode_precedente == (
        "Ce que 2021–2024 avait donné."
    )


def test_sans_evaluation_rien_n_est_invente(client, monde):
    """Fiches without any result or bilan: the section says what was planned and that nothing
    was measured, without a figure; the fiches get no draft."""
    IndicateurFactory(
        fiche=monde.fiche_1a, libelle="Passages", nature=Indicateur.Nature.QUANTITATIF
    )
    AxeFactory(projet=monde.projet_1, ordre=2, titre="Un axe vide")
    nouveau = renouveler(client, monde)
    texte = section_de(nouveau).contenu
    assert f"- **{monde.fiche_1a.code}.** Passages : sans résultat\n" in texte + "\n"
    assert "### Axe 2 : Un axe vide\n\nAucune fiche action dans cet axe." in texte
    assert texte.count("Aucun bilan de cet axe n'en a noté.") == 1
    assert not FicheAction.objects.filter(projet=nouveau).exclude(acquis_periode_precedente="")


def test_un_projet_sans_fiche_n_a_pas_de_section_redigee(monde):
    projet = AxeFactory(titre="Seul axe").projet
    nouveau = renouveler_depuis_l_evaluation(projet, "Suite", 2029, 2032)
    assert not nouveau.sections.exists()


def test_un_echec_de_la_redaction_ne_cree_rien(client, evalue, monkeypatch):
    def panne(self):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(renouvellement.Evaluation, "section", panne)
    client.force_login(evalue.direction_1)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(reverse("evaluation:renouveler", args=[evalue.projet_1.pk]), SUITE)
    assert ProjetSocial.objects.count() == 2
    assert FicheAction.objects.filter(projet__titre=SUITE["titre"]).count() == 0


def test_la_page_annonce_ce_qui_est_redige(client, evalue):
    client.force_login(evalue.direction_1)
    page = client.get(reverse("evaluation:renouveler", args=[evalue.projet_1.pk])).text
    assert "Ce qui est rédigé à partir de l'évaluation" in page
    assert "À partir de 2 bilans annuels et 4 résultats d&#x27;indicateurs de 2025–2028" in page


def test_le_renouvellement_fait_un_nombre_borne_de_requetes(evalue):
    """As many queries for 22 fiches as for 2: everything is read and written in bulk."""

    def compter(titre):
        # Both counts start cold: the content types the audit log looks up are cached per
        # process, warm or not depending on which tests ran before in the same worker.
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as requetes:
            renouveler_depuis_l_evaluation(evalue.projet_1, titre, 2029, 2032)
        return len(requetes)

    avant = compter("Première suite")
    for _ in range(20):
        fiche = FicheActionFactory(axe=evalue.axe_1, statut=FicheAction.Statut.EN_COURS)
        BilanActionFactory(fiche=fiche, annee=2026, perspectives="Continuer.")
        ResultatFactory(indicateur=IndicateurFactory(fiche=fiche), annee=2026)
    assert compter("Seconde suite") == avant


def test_un_indicateur_copie_garde_sa_ventilation(client, evalue):
    """Its categories and their targets for the période; the values stay with the old one."""
    familles = Indicateur.objects.get(libelle="Familles accueillies")
    ventilation = VentilationFactory(indicateur=familles, type=TypeVentilation.QPV, additive=False)
    for ordre, (nom, cible) in enumerate([("Habitants d'un QPV", 30), ("Hors QPV", None)]):
        CategorieVentilationFactory(ventilation=ventilation, libelle=nom, ordre=ordre, cible=cible)
    nouveau = renouveler(client, evalue)

    copie = Indicateur.objects.get(fiche__projet=nouveau, libelle="Familles accueillies")
    assert copie.ventilation.pk != ventilation.pk
    assert (copie.ventilation.type, copie.ventilation.additive) == (TypeVentilation.QPV, False)
    assert [(c.libelle, c.cible) for c in copie.ventilation.categories.all()] == [
        ("Habitants d'un QPV", 30),
        ("Hors QPV", None),
    ]
    assert list(ventilation.categories.values_list("libelle", flat=True)) == [
        "Habitants d'un QPV",
        "Hors QPV",
    ]
    autre = Indicateur.objects.get(fiche__projet=nouveau, libelle="Sorties organisées")
    assert not hasattr(autre, "ventilation") or autre.ventilation is None
