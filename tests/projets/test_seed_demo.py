import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory, override_settings

from actions.models import FicheAction
from centresocial.demo import charger_demo
from partenaires.models import Partenaire
from projets.models import Axe, Enjeu, LigneBudget, ProjetSocial, Structure

pytestmark = pytest.mark.django_db

User = get_user_model()


def compter_tout():
    return {
        modele._meta.label: modele.objects.count()
        for modele in apps.get_models()
        if modele._meta.app_label in {"projets", "actions", "partenaires", "auth"}
    }


@pytest.fixture
def demo():
    charger_demo(comptes_demo=True)
    return ProjetSocial.objects.get(structure__slug="territoire-sud")


def test_le_projet_de_demo_a_la_forme_du_territoire_sud(demo):
    axes = list(Axe.objects.filter(projet=demo))
    assert [axe.transversal for axe in axes] == [False, False, False, True]
    assert Enjeu.objects.filter(projet=demo).count() == 9
    assert list(Enjeu.objects.filter(projet=demo).values_list("numero", flat=True)) == list(
        range(1, 10)
    )

    fiches = FicheAction.objects.du_projet(demo).avec_details()
    assert len(fiches) >= 45
    par_axe = {}
    for fiche in fiches:
        par_axe.setdefault(fiche.axe.ordre, []).append(fiche.numero)
    # The reference's numbering: 01..09, 01..18, 01..11, 01..09.
    assert par_axe == {
        1: list(range(1, 10)),
        2: list(range(1, 19)),
        3: list(range(1, 12)),
        4: list(range(1, 10)),
    }
    titres = {fiche.reference: fiche.titre for fiche in fiches}
    assert titres["Axe 2 – 03"] == "Les ateliers, sorties et séjours parents-enfants"
    assert (
        titres["Axe transversal – 09"]
        == "L'accueil, l'accompagnement et la formation des bénévoles"
    )

    for fiche in fiches:
        assert fiche.objectif_principal is not None, fiche
        assert fiche.liste_annees and set(fiche.liste_annees) <= set(demo.annees), fiche
        assert fiche.objectifs_operationnels.all(), fiche
        assert fiche.etapes.all(), fiche
        assert fiche.moyens.all(), fiche
        assert fiche.partenariats.all(), fiche
        assert len(fiche.indicateurs.all()) >= 3, fiche
        assert fiche.contexte and fiche.presentation and fiche.resultats_attendus, fiche

    # A fiche serving objectifs of another axe, as « 03. Les ateliers… » does in the reference.
    assert any(
        len({lien.objectif.enjeu.axe_id for lien in fiche.liens_objectifs.all()}) > 1
        for fiche in fiches
    )


def test_partenaires_gouvernance_budget_sigles(demo):
    partenaires = Partenaire.objects.filter(structure=demo.structure)
    assert partenaires.count() >= 15
    assert partenaires.values("type").distinct().count() >= 6
    assert demo.instances.count() >= 3
    assert demo.sigles.count() >= 20
    assert demo.sections.count() >= 10
    for annee in demo.annees:
        charges = sum(
            ligne.montant
            for ligne in demo.lignes_budget.filter(annee=annee, sens=LigneBudget.Sens.CHARGE)
        )
        produits = sum(
            ligne.montant
            for ligne in demo.lignes_budget.filter(annee=annee, sens=LigneBudget.Sens.PRODUIT)
        )
        assert charges > 0 and charges == produits, annee


def test_comptes_de_demo(demo):
    for username in ["direction", "equipe", "partenaire", "admin"]:
        assert (
            authenticate(
                RequestFactory().post("/comptes/login/"), username=username, password="demo"
            )
            is not None
        ), username
    assert User.objects.get(username="admin").is_superuser
    partenaire = User.objects.get(username="partenaire")
    assert 4 <= FicheAction.objects.visible_to(partenaire).count() <= 6
    assert not ProjetSocial.objects.visible_to(partenaire).exists()
    # The second, smaller structure shows the scoping.
    equipe = User.objects.get(username="equipe")
    assert list(Structure.objects.visible_to(equipe)) == [demo.structure]
    tilleuls = User.objects.get(username="direction-tilleuls")
    assert not FicheAction.objects.visible_to(tilleuls).filter(projet=demo).exists()
    assert FicheAction.objects.visible_to(tilleuls).exists()


def test_seed_demo_est_idempotent_et_ne_touche_pas_aux_modifications(demo):
    avant = compter_tout()
    fiche = FicheAction.objects.get(projet=demo, axe__ordre=1, numero=1)
    fiche.titre = "Titre retouché par l'équipe"
    fiche.save()
    charger_demo(comptes_demo=True)
    assert compter_tout() == avant
    fiche.refresh_from_db()
    assert fiche.titre == "Titre retouché par l'équipe"


@override_settings(DEBUG=False)
def test_sans_debug_aucun_compte_de_demo_utilisable():
    sortie = io.StringIO()
    call_command("seed_demo", stdout=sortie)
    assert "aucun compte de démonstration créé" in sortie.getvalue()
    assert FicheAction.objects.count() >= 45
    assert not User.objects.filter(username__in=["admin", "partenaire"]).exists()
    assert (
        authenticate(
            RequestFactory().post("/comptes/login/"), username="direction", password="demo"
        )
        is None
    )
    assert not any(user.has_usable_password() for user in User.objects.all())


@override_settings(DEBUG=True)
def test_la_commande_affiche_les_comptes():
    sortie = io.StringIO()
    call_command("seed_demo", stdout=sortie)
    texte = sortie.getvalue()
    assert "Comptes de démonstration (mot de passe « demo »)" in texte
    for username in ["direction", "equipe", "partenaire", "admin"]:
        assert f"  {username} " in texte


def test_la_structure_de_demo_a_son_logo(demo, settings):
    logo = demo.structure.logo
    assert logo.name.startswith("structures/logos/territoire-sud")
    assert (settings.MEDIA_ROOT / logo.name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
