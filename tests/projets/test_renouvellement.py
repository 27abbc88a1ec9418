"""Renewing a projet social into a new période."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils.html import escape

from actions import renouvellement
from actions.models import (
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from actions.models import decaler as decaler_date
from actions.renouvellement import decaler_annees, renouveler_projet
from projets.models import (
    Axe,
    Constat,
    Enjeu,
    InstanceGouvernance,
    LigneBudget,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
)

pytestmark = pytest.mark.django_db

# Every kind of row, and how to reach its projet.
CONTENUS = [
    (Axe, "projet"),
    (Enjeu, "projet"),
    (ObjectifGeneral, "axe__projet"),
    (FicheAction, "projet"),
    (FicheObjectif, "fiche__projet"),
    (AnneeAction, "fiche__projet"),
    (ObjectifOperationnel, "fiche__projet"),
    (EtapeEcheancier, "fiche__projet"),
    (Moyen, "fiche__projet"),
    (PartenariatAction, "fiche__projet"),
    (Indicateur, "fiche__projet"),
    (SectionProjet, "projet"),
    (InstanceGouvernance, "projet"),
    (Sigle, "projet"),
    (Constat, "projet"),
    (Enjeu.constats.through, "enjeu__projet"),
]


@pytest.fixture(autouse=True)
def hachage_rapide(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def compter(projet):
    return {
        modele.__name__: modele.objects.filter(**{chemin: projet}).count()
        for modele, chemin in CONTENUS
    }


def instantane(projet):
    """What a renewal must not change in the old projet."""
    projet.refresh_from_db()
    return {
        "projet": (projet.titre, projet.statut, projet.date_decision_caf, projet.periode),
        "comptes": compter(projet),
        "fiches": list(
            FicheAction.objects.filter(projet=projet)
            .order_by("pk")
            .values_list("pk", "statut", "motif_fin", "statut_plan", "axe_id")
        ),
        "annees": sorted(
            AnneeAction.objects.filter(fiche__projet=projet).values_list("pk", "annee")
        ),
        "liens": sorted(
            FicheObjectif.objects.filter(fiche__projet=projet).values_list(
                "fiche_id", "objectif_id"
            )
        ),
    }


def cle_fiche(fiche):
    return (fiche.axe.transversal, fiche.axe.ordre, fiche.numero)


@pytest.fixture
def direction(demo):
    return User.objects.get(username="direction")


def url_renouveler(projet):
    return reverse("evaluation:renouveler", args=[projet.pk])


def test_le_formulaire_propose_la_periode_suivante_de_meme_duree(client, demo, direction):
    client.force_login(direction)
    page = client.get(url_renouveler(demo))
    assert page.status_code == 200
    assert "Renouveler le projet social" in page.text
    assert 'name="annee_debut" value="2029"' in page.text
    assert 'name="annee_fin" value="2032"' in page.text
    assert 'value="Projet social de territoire 2029-2032"' in page.text
    assert "47 fiches actions" in page.text


def test_le_renouvellement_copie_tout_et_remet_les_statuts_a_zero(client, demo, direction):
    ancien = demo
    ancien.date_decision_caf = datetime.date(2025, 2, 1)
    ancien.save()
    LigneBudget.objects.get_or_create(
        projet=ancien, annee=2025, sens=LigneBudget.Sens.CHARGE, libelle="Loyer", montant=100
    )
    avant = instantane(ancien)
    assert FicheAction.objects.filter(projet=ancien, statut=FicheAction.Statut.TERMINEE).exists()

    client.force_login(direction)
    reponse = client.post(
        url_renouveler(ancien),
        {"titre": "Projet social 2029-2032", "annee_debut": 2029, "annee_fin": 2032},
    )
    nouveau = ProjetSocial.objects.get(titre="Projet social 2029-2032")
    assert reponse.status_code == 302
    assert reponse.url == reverse("actions:projet", args=[nouveau.pk])

    # Same content, counted row by row, and the section drafted from the evaluation
    # (tests/evaluation/test_renouvellement.py); not the budget.
    attendu = {**avant["comptes"], "SectionProjet": avant["comptes"]["SectionProjet"] + 1}
    assert compter(nouveau) == attendu
    assert nouveau.sections.filter(titre="Évaluation du projet social 2025–2028").exists()
    assert nouveau.lignes_budget.count() == 0
    # The old projet is untouched.
    assert instantane(ancien) == avant

    # Statuses start over.
    assert (nouveau.statut, nouveau.date_decision_caf) == (ProjetSocial.Statut.BROUILLON, None)
    assert (nouveau.structure, nouveau.agrement_acf) == (ancien.structure, ancien.agrement_acf)
    fiches = FicheAction.objects.filter(projet=nouveau)
    assert set(fiches.values_list("statut", "motif_fin", "precision_fin", "statut_plan")) == {
        (FicheAction.Statut.A_VENIR, "", "", FicheAction.StatutPlan.EXISTANTE)
    }

    # Every link points inside the new projet, to the copy of the old target.
    assert not Enjeu.objects.filter(projet=nouveau).exclude(axe__projet=nouveau).exists()
    assert (
        not ObjectifGeneral.objects.filter(axe__projet=nouveau)
        .exclude(enjeu__isnull=True)
        .exclude(enjeu__projet=nouveau)
        .exists()
    )
    assert not fiches.exclude(axe__projet=nouveau).exists()

    # Each enjeu answers the copies of the constats it answered.
    def constats_des_enjeux(projet):
        return sorted(
            (enjeu.numero, constat.enonce, constat.source)
            for enjeu in Enjeu.objects.filter(projet=projet).prefetch_related("constats")
            for constat in enjeu.constats.all()
        )

    assert constats_des_enjeux(nouveau) == constats_des_enjeux(ancien) != []
    assert not Constat.objects.filter(enjeux__projet=nouveau).exclude(projet=nouveau).exists()
    anciens_liens = {
        (cle_fiche(lien.fiche), lien.objectif.titre, lien.objectif.axe.ordre, lien.principal)
        for lien in FicheObjectif.objects.filter(fiche__projet=ancien).select_related(
            "fiche__axe", "objectif__axe"
        )
    }
    nouveaux = FicheObjectif.objects.filter(fiche__projet=nouveau).select_related(
        "fiche__axe", "objectif__axe"
    )
    assert all(lien.objectif.axe.projet_id == nouveau.pk for lien in nouveaux)
    assert {
        (cle_fiche(lien.fiche), lien.objectif.titre, lien.objectif.axe.ordre, lien.principal)
        for lien in nouveaux
    } == anciens_liens

    # Years and dates move by four years.
    def annees(projet):
        return sorted(
            (cle_fiche(a.fiche), a.annee)
            for a in AnneeAction.objects.filter(fiche__projet=projet).select_related("fiche__axe")
        )

    assert annees(nouveau) == [(cle, annee + 4) for cle, annee in annees(ancien)]

    def etapes(projet):
        return [
            (cle_fiche(e.fiche), e.libelle, e.periode, e.date_debut, e.date_fin)
            for e in EtapeEcheancier.objects.filter(fiche__projet=projet)
            .select_related("fiche__axe")
            .order_by(
                "fiche__axe__transversal", "fiche__axe__ordre", "fiche__numero", "ordre", "pk"
            )
        ]

    for vieille, neuve in zip(etapes(ancien), etapes(nouveau), strict=True):
        assert neuve[:2] == vieille[:2]
        assert neuve[2] == decaler_annees(vieille[2], range(2024, 2030), 4)
        assert neuve[3] == decaler_date(vieille[3], 4)
        assert neuve[4] == decaler_date(vieille[4], 4)
    assert EtapeEcheancier.objects.filter(
        fiche__projet=nouveau, periode="Premier semestre 2029"
    ).exists()
    assert EtapeEcheancier.objects.filter(fiche__projet=nouveau, date_debut__year=2029).exists()


def test_une_periode_plus_courte_laisse_tomber_les_annees_hors_periode(monde):
    from tests.factories import AnneeActionFactory

    ancien = monde.projet_1  # 2025–2028
    for annee in (2025, 2027, 2028):
        AnneeActionFactory(fiche=monde.fiche_1a, annee=annee)
    nouveau = renouveler_projet(ancien, "Suite", 2029, 2031)
    fiche = FicheAction.objects.get(projet=nouveau, titre="Fiche 1a")
    assert fiche.liste_annees == [2029, 2031]
    assert AnneeAction.objects.filter(fiche__projet=ancien).count() == 3


def test_decaler_les_dates_et_les_textes():
    assert decaler_date(datetime.date(2024, 2, 29), 1) == datetime.date(2025, 2, 28)
    assert decaler_date(None, 4) is None
    assert decaler_annees("Rentrée 2024/2025, loi de 1901", range(2024, 2030), 4) == (
        "Rentrée 2028/2029, loi de 1901"
    )


def test_un_echec_au_milieu_ne_cree_rien(client, demo, direction, monkeypatch):
    avant = {modele: modele.objects.count() for modele, _ in CONTENUS}
    projets_avant = ProjetSocial.objects.count()
    etat_ancien = instantane(demo)

    def panne(*args, **kwargs):
        raise RuntimeError("panne simulée")

    # Fails after the projet, its arbre and its fiches have been written.
    monkeypatch.setattr(renouvellement, "copier_lignes_fiches", panne)
    client.force_login(direction)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        client.post(
            url_renouveler(demo),
            {"titre": "Projet avorté", "annee_debut": 2029, "annee_fin": 2032},
        )
    assert ProjetSocial.objects.count() == projets_avant
    assert not ProjetSocial.objects.filter(titre="Projet avorté").exists()
    assert {modele: modele.objects.count() for modele, _ in CONTENUS} == avant
    assert instantane(demo) == etat_ancien


def test_periode_invalide_message_francais_et_saisie_gardee(client, monde):
    client.force_login(monde.direction_1)
    url = url_renouveler(monde.projet_1)
    reponse = client.post(url, {"titre": "Ma suite", "annee_debut": 2030, "annee_fin": 2029})
    assert reponse.status_code == 200
    assert escape("L'année de fin doit être égale ou postérieure à l'année de début.") in (
        reponse.text
    )
    assert 'value="Ma suite"' in reponse.text
    reponse = client.post(url, {"titre": "Ma suite", "annee_debut": 2029, "annee_fin": 2036})
    assert escape("Un projet social couvre au plus 6 années.") in reponse.text
    reponse = client.post(url, {"titre": "Ma suite", "annee_debut": 2024, "annee_fin": 2027})
    assert escape("La nouvelle période doit commencer après 2025") in reponse.text
    assert ProjetSocial.objects.count() == 2


@pytest.mark.parametrize(
    ("qui", "statut"), [("equipe_1", 403), ("equipe_2", 404), ("user_partenaire_a", 404)]
)
def test_seule_la_direction_renouvelle(client, monde, qui, statut):
    client.force_login(getattr(monde, qui))
    url = url_renouveler(monde.projet_1)
    assert client.get(url).status_code == statut
    reponse = client.post(url, {"titre": "Suite", "annee_debut": 2029, "annee_fin": 2032})
    assert reponse.status_code == statut
    assert ProjetSocial.objects.count() == 2


def test_renouveler_anonyme_renvoye_a_la_connexion(client, monde):
    reponse = client.get(url_renouveler(monde.projet_1))
    assert reponse.status_code == 302
    assert reponse.url.startswith(reverse("login"))


def test_l_admin_renouvelle_aussi(client, monde):
    client.force_login(monde.admin)
    client.post(
        url_renouveler(monde.projet_1), {"titre": "Suite", "annee_debut": 2029, "annee_fin": 2032}
    )
    nouveau = ProjetSocial.objects.get(titre="Suite")
    assert nouveau.structure == monde.structure_1
    assert list(nouveau.fiches.order_by("titre").values_list("titre", flat=True)) == [
        "Fiche 1a",
        "Fiche 1b",
    ]


def test_le_formulaire_fait_un_nombre_borne_de_requetes(
    client, demo, direction, django_assert_max_num_queries
):
    from tests.outils import doubler_fiches

    client.force_login(direction)
    # (two of them count the bilans and results the drafts start from)
    with django_assert_max_num_queries(14):
        client.get(url_renouveler(demo))
    doubler_fiches(demo)
    with django_assert_max_num_queries(14):
        reponse = client.get(url_renouveler(demo))
    assert "94 fiches actions" in reponse.text
