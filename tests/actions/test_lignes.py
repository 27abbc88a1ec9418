"""A fiche's rows are defined once (`LIGNES_FICHE`): the editor's formsets and concurrency
token, the duplication of a fiche and the renewal of a projet all read that definition."""

import datetime
from decimal import Decimal

import pytest
from django.db import models
from django.urls import reverse

from actions import concurrence
from actions.forms import Editeur
from actions.models import (
    LIGNES_FICHE,
    AnneeAction,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)
from actions.renouvellement import renouveler_projet
from projets.models import Axe, ObjectifGeneral
from tests.factories import ObjectifGeneralFactory, PartenaireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fiche(monde):
    """Fiche 1a (projet 2025–2028) with a row of every kind, every field filled."""
    fiche = monde.fiche_1a
    principal = ObjectifGeneralFactory(enjeu__axe=fiche.axe, titre="Objectif principal")
    second = ObjectifGeneralFactory(enjeu__axe=fiche.axe, titre="Objectif second")
    FicheObjectif.objects.create(fiche=fiche, objectif=principal, principal=True, ordre=0)
    FicheObjectif.objects.create(fiche=fiche, objectif=second, ordre=1)
    for annee in (2025, 2026, 2028):
        AnneeAction.objects.create(fiche=fiche, annee=annee)
    ObjectifOperationnel.objects.create(fiche=fiche, libelle="Rompre l'isolement", ordre=0)
    EtapeEcheancier.objects.create(
        fiche=fiche,
        libelle="Ateliers",
        periode="Rentrée 2025/2026",
        date_debut=datetime.date(2025, 9, 1),
        date_fin=datetime.date(2026, 6, 30),
        ordre=0,
    )
    Moyen.objects.create(
        fiche=fiche,
        type=Moyen.Type.FINANCIER,
        libelle="Subvention",
        quantite=Decimal("2.5"),
        montant=Decimal("1250.50"),
        ordre=0,
    )
    PartenariatAction.objects.filter(fiche=fiche).delete()
    PartenariatAction.objects.create(
        fiche=fiche,
        partenaire=PartenaireFactory(structure=fiche.projet.structure),
        role=PartenariatAction.Role.PILOTE,
        contribution="Met une salle à disposition",
        ordre=0,
    )
    Indicateur.objects.create(
        fiche=fiche,
        objet="Fréquentation",
        libelle="Nombre de familles",
        outil="Fiches de présence",
        unite="familles",
        valeur_reference=Decimal("12"),
        cible=Decimal("20"),
        cible_precision="20 à 25 familles",
        echelle="",
        ordre=0,
    )
    return FicheAction.objects.get(pk=fiche.pk)


def sortes_de_lignes():
    """The kinds of row of a fiche, read from the models (not from `LIGNES_FICHE`): a partner's
    comments and who read the fiche when are about this fiche, neither a copy nor a renewal
    carries them."""
    return [
        relation
        for relation in FicheAction._meta.related_objects
        if relation.related_model._meta.app_label == "actions"
        and relation.get_accessor_name() not in ("commentaires_partenaires", "lectures")
    ]


def contenu(fiche):
    """Every row of the fiche, kind by kind, every column but its id and its fiche."""
    resultat = {}
    for relation in sortes_de_lignes():
        modele = relation.related_model
        colonnes = [
            f.attname for f in modele._meta.concrete_fields if f.name not in ("id", "fiche")
        ]
        resultat[relation.get_accessor_name()] = sorted(
            modele.objects.filter(fiche=fiche).values_list(*colonnes), key=repr
        )
    return resultat


def test_chaque_sorte_de_ligne_d_une_fiche_est_definie():
    """A new kind of row added to the fiche must say how it is edited and copied."""
    assert {r.get_accessor_name() for r in sortes_de_lignes()} == {s.nom for s in LIGNES_FICHE}


def test_dupliquer_porte_chaque_colonne_de_chaque_ligne(client, monde, fiche):
    client.force_login(monde.equipe_1)
    avant = contenu(fiche)
    client.post(reverse("actions:dupliquer", args=[fiche.pk]))
    copie = FicheAction.objects.get(titre=f"{fiche.titre} (copie)")
    assert all(avant.values())  # a row of every kind, so each one is compared
    assert contenu(copie) == avant
    assert contenu(fiche) == avant  # the original keeps its rows


def test_le_renouvellement_copie_comme_la_copie_d_une_fiche(monde, fiche):
    """The bulk renewal and `FicheAction.copier` into the new projet give the same rows."""
    nouveau = renouveler_projet(fiche.projet, "Projet 2029-2031", 2029, 2031)
    renouvelee = FicheAction.objects.get(projet=nouveau, titre=fiche.titre)

    # The same fiche copied on its own into the new projet, moved by the same four years.
    axe = Axe.objects.get(projet=nouveau, ordre=fiche.axe.ordre)
    correspondance = {
        ancien.pk: ObjectifGeneral.objects.get(
            axe__projet=nouveau, axe__ordre=ancien.axe.ordre, titre=ancien.titre
        ).pk
        for ancien in ObjectifGeneral.objects.filter(axe__projet=fiche.projet)
    }
    copiee = fiche.copier(axe=axe, correspondance_objectifs=correspondance, decalage_annees=4)

    assert contenu(copiee) == contenu(renouvelee)
    # And the rows did move: years (2032 falls outside), dates, years written in a text.
    assert copiee.liste_annees == [2029, 2030]
    etape = copiee.etapes.get()
    assert etape.periode == "Rentrée 2029/2030"
    assert (etape.date_debut, etape.date_fin) == (
        datetime.date(2029, 9, 1),
        datetime.date(2030, 6, 30),
    )
    assert {lien.objectif.axe.projet_id for lien in copiee.liens_objectifs.all()} == {nouveau.pk}


def autre_valeur(ligne, nom):
    """A value of the row's field other than the saved one."""
    champ = ligne._meta.get_field(nom)
    valeur = getattr(ligne, nom)
    if champ.choices:
        return next(choix for choix, _ in champ.choices if choix != valeur)
    if champ.is_relation:
        return PartenaireFactory(structure=ligne.fiche.projet.structure)
    if isinstance(champ, models.DateField):
        return (valeur or datetime.date(2025, 1, 1)) + datetime.timedelta(days=1)
    if isinstance(champ, models.DecimalField):
        return (valeur or 0) + 1
    return f"{valeur} (modifié)"


def test_le_jeton_de_l_editeur_compare_chaque_champ_que_l_editeur_modifie(fiche):
    """Whatever field of a row the editor's page lets one edit, a change of it made elsewhere
    (a colleague, the targets page, the admin) makes the editor's save a conflict."""
    compares = []
    for nom, _, formset in Editeur(fiche).formsets:
        ligne = formset.forms[0].instance
        for champ in formset.forms[0].fields:
            if champ in ("id", "fiche", "DELETE"):
                continue
            avant = concurrence.etat(fiche)
            setattr(ligne, champ, autre_valeur(ligne, champ))
            ligne.save()
            assert concurrence.etat(fiche) != avant, f"{nom}.{champ} n'est pas comparé"
            compares.append(f"{nom}.{champ}")
    assert "indicateurs.cible_precision" in compares
    assert len(compares) == 20
