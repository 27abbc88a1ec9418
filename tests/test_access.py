"""`visible_to` / `editable_by`: the one place that decides who reads and writes what."""

import pytest

from actions.models import FicheAction
from partenaires.models import Partenaire
from projets.models import ProjetSocial, Structure
from tests.factories import ComptePartenaireFactory, PartenaireFactory, PartenariatActionFactory


def noms(queryset):
    return sorted(str(objet.titre) for objet in queryset)


@pytest.mark.parametrize(
    ("qui", "fiches_visibles"),
    [
        ("anonyme", []),
        ("sans_role", []),
        ("direction_1", ["Fiche 1a", "Fiche 1b"]),
        ("equipe_1", ["Fiche 1a", "Fiche 1b"]),
        ("equipe_2", ["Fiche 2a"]),
        ("user_partenaire_a", ["Fiche 1a"]),
        ("admin", ["Fiche 1a", "Fiche 1b", "Fiche 2a"]),
    ],
)
def test_fiches_visibles_par_role(monde, qui, fiches_visibles):
    assert noms(FicheAction.objects.visible_to(getattr(monde, qui))) == fiches_visibles


@pytest.mark.parametrize(
    ("qui", "fiches_modifiables"),
    [
        ("anonyme", []),
        ("user_partenaire_a", []),
        ("direction_1", ["Fiche 1a", "Fiche 1b"]),
        ("equipe_1", ["Fiche 1a", "Fiche 1b"]),
        ("equipe_2", ["Fiche 2a"]),
    ],
)
def test_seule_l_equipe_de_la_structure_modifie_ses_fiches(monde, qui, fiches_modifiables):
    assert noms(FicheAction.objects.editable_by(getattr(monde, qui))) == fiches_modifiables


@pytest.mark.parametrize(
    ("qui", "projets"),
    [
        ("anonyme", []),
        ("user_partenaire_a", []),
        ("sans_role", []),
        ("direction_1", ["projet_1"]),
        ("equipe_1", ["projet_1"]),
        ("equipe_2", ["projet_2"]),
        ("admin", ["projet_1", "projet_2"]),
    ],
)
def test_projets_visibles_par_role(monde, qui, projets):
    attendus = {getattr(monde, nom).pk for nom in projets}
    visibles = set(
        ProjetSocial.objects.visible_to(getattr(monde, qui)).values_list("pk", flat=True)
    )
    assert visibles == attendus


@pytest.mark.parametrize(
    ("qui", "pilote"),
    [
        ("direction_1", ["projet_1"]),
        ("equipe_1", []),
        ("user_partenaire_a", []),
        ("admin", ["projet_1", "projet_2"]),
    ],
)
def test_seule_la_direction_pilote_le_projet(monde, qui, pilote):
    attendus = {getattr(monde, nom).pk for nom in pilote}
    assert (
        set(ProjetSocial.objects.pilotable_by(getattr(monde, qui)).values_list("pk", flat=True))
        == attendus
    )


def test_structures_visibles(monde):
    assert list(Structure.objects.visible_to(monde.equipe_1)) == [monde.structure_1]
    assert list(Structure.objects.visible_to(monde.user_partenaire_a)) == []
    assert Structure.objects.visible_to(monde.admin).count() == 2


def test_partenaires_visibles(monde):
    autre = PartenaireFactory(structure=monde.structure_2, nom="Partenaire de la structure 2")
    assert list(Partenaire.objects.visible_to(monde.equipe_1)) == [monde.partenaire_a]
    assert list(Partenaire.objects.visible_to(monde.equipe_2)) == [monde.partenaire_b, autre]
    assert list(Partenaire.objects.visible_to(monde.user_partenaire_a)) == [monde.partenaire_a]
    assert list(Partenaire.objects.visible_to(monde.anonyme)) == []


def test_un_compte_desactive_ne_voit_plus_rien(monde):
    monde.equipe_1.is_active = False
    monde.equipe_1.save()
    assert not FicheAction.objects.visible_to(monde.equipe_1).exists()
    assert not ProjetSocial.objects.visible_to(monde.equipe_1).exists()


def test_un_partenaire_de_plusieurs_structures_voit_ses_fiches_partout(monde):

    lien = PartenariatActionFactory(fiche=monde.fiche_2a)
    ComptePartenaireFactory(user=monde.user_partenaire_a, partenaire=lien.partenaire)
    assert noms(FicheAction.objects.visible_to(monde.user_partenaire_a)) == ["Fiche 1a", "Fiche 2a"]


def test_pas_de_doublon_quand_on_est_membre_et_partenaire(monde):

    ComptePartenaireFactory(user=monde.equipe_1, partenaire=monde.partenaire_a)
    assert noms(FicheAction.objects.visible_to(monde.equipe_1)) == ["Fiche 1a", "Fiche 1b"]


def test_connu_mais_pas_permis_403_en_francais_inconnu_404(client, monde):
    """The équipe knows its projet but the statut is the direction's: 403; another structure's
    projet is never revealed: 404. Both pages in French."""
    from django.urls import reverse

    client.force_login(monde.equipe_1)
    refus = client.get(reverse("evaluation:renouveler", args=[monde.projet_1.pk]))
    assert refus.status_code == 403 and "Cette page vous est fermée" in refus.content.decode()
    absent = client.get(reverse("evaluation:renouveler", args=[monde.projet_2.pk]))
    assert absent.status_code == 404 and "Page introuvable" in absent.content.decode()
