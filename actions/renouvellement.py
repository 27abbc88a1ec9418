"""Renewing a projet social: the next période starts from a copy of the current one.

Everything the team wrote is copied (arbre d'objectifs, fiches and their rows, sections, the
constats of the diagnostic and the enjeux' links to them, gouvernance, sigles) but not the budget; statuses start over. One transaction: a failure
anywhere leaves no half-copied projet behind. What the last période achieved is drafted into the
copy one layer up, from the evaluation (evaluation/renouvellement.py).
"""

from dataclasses import dataclass

from django import forms
from django.db import transaction

from projets.models import (
    Axe,
    Constat,
    Enjeu,
    ImageSection,
    InstanceGouvernance,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
)

from .models import (
    LIGNES_FICHE,
    FicheAction,
    Indicateur,
    Transfert,
    decaler_annees,
)


def dupliquer(modele, objets, ajuster):
    """Insert copies of `objets`; `ajuster(copie)` rewires it, or returns None to drop it.

    Returns {old pk: copy}. bulk_create fills the new pks (PostgreSQL, SQLite ≥ 3.35).
    """
    copies = {}
    for objet in objets:
        ancien_pk = objet.pk
        objet.pk = None
        objet._state.adding = True
        if ajuster(objet) is not None:
            copies[ancien_pk] = objet
    modele.objects.bulk_create(copies.values())
    return copies


@dataclass(frozen=True)
class Copie:
    """A renewed projet, its fiches by the pk of the fiche each one copies, and the same for
    its indicators (what the evaluation's copy hangs on them, evaluation/renouvellement.py)."""

    nouveau: ProjetSocial
    fiches: dict
    indicateurs: dict


@transaction.atomic
def renouveler_projet(ancien, titre, annee_debut, annee_fin):
    """Create the projet of the next période from `ancien`, which is left untouched."""
    return copier_projet(ancien, titre, annee_debut, annee_fin).nouveau


@transaction.atomic
def copier_projet(ancien, titre, annee_debut, annee_fin):
    """The renewal, with the correspondence of the fiches for what completes it (the drafting
    from the evaluation, evaluation/renouvellement.py)."""
    nouveau = ProjetSocial(
        structure=ancien.structure,
        titre=titre,
        annee_debut=annee_debut,
        annee_fin=annee_fin,
        agrement_acf=ancien.agrement_acf,
    )
    nouveau.full_clean()
    nouveau.save()
    decalage = annee_debut - ancien.annee_debut
    constats = copier_contenu(ancien, nouveau)
    axes, objectifs = copier_arbre(ancien, nouveau, constats)
    fiches = copier_fiches(ancien, nouveau, axes)
    lignes = copier_lignes_fiches(ancien, nouveau, fiches, objectifs, decalage)
    return Copie(nouveau=nouveau, fiches=fiches, indicateurs=lignes[Indicateur])


def rattacher(nouveau):
    def ajuster(copie):
        copie.projet = nouveau
        return copie

    return ajuster


def copier_contenu(ancien, nouveau):
    """The projet's written content; returns the new constats by old pk."""
    for modele in (InstanceGouvernance, Sigle):
        dupliquer(modele, modele.objects.filter(projet=ancien), rattacher(nouveau))
    sections = dupliquer(
        SectionProjet, SectionProjet.objects.filter(projet=ancien), rattacher(nouveau)
    )

    def ajuster_image(image):
        # The copy shows the same file (a map, an organigramme): nothing is uploaded twice.
        image.section = sections[image.section_id]
        return image

    dupliquer(ImageSection, ImageSection.objects.filter(section__projet=ancien), ajuster_image)
    return dupliquer(Constat, Constat.objects.filter(projet=ancien), rattacher(nouveau))


def copier_arbre(ancien, nouveau, constats):
    """Axes, enjeux (with the constats they answer, `constats` by old pk) and objectifs; returns
    the new axes and objectifs by old pk."""
    axes = dupliquer(Axe, Axe.objects.filter(projet=ancien), rattacher(nouveau))

    def ajuster_enjeu(enjeu):
        enjeu.projet = nouveau
        enjeu.axe = axes[enjeu.axe_id]
        return enjeu

    enjeux = dupliquer(Enjeu, Enjeu.objects.filter(projet=ancien), ajuster_enjeu)
    Lien = Enjeu.constats.through
    Lien.objects.bulk_create(
        Lien(enjeu=enjeux[lien.enjeu_id], constat=constats[lien.constat_id])
        for lien in Lien.objects.filter(enjeu__projet=ancien, constat__projet=ancien)
    )

    def ajuster_objectif(objectif):
        objectif.axe = axes[objectif.axe_id]
        objectif.enjeu = enjeux[objectif.enjeu_id] if objectif.enjeu_id else None
        return objectif

    objectifs = dupliquer(
        ObjectifGeneral, ObjectifGeneral.objects.filter(axe__projet=ancien), ajuster_objectif
    )
    return axes, objectifs


def copier_fiches(ancien, nouveau, axes):
    """The fiches start over: « à venir », and in the new plan they are existing actions (AE)."""

    def ajuster(fiche):
        fiche.projet = nouveau
        fiche.axe = axes[fiche.axe_id]
        fiche.statut = FicheAction.Statut.A_VENIR
        fiche.motif_fin = ""
        fiche.precision_fin = ""
        fiche.statut_plan = FicheAction.StatutPlan.EXISTANTE
        # What the période before the old one achieved: not this projet's previous période.
        fiche.acquis_periode_precedente = ""
        return fiche

    return dupliquer(FicheAction, FicheAction.objects.filter(projet=ancien), ajuster)


def copier_lignes_fiches(ancien, nouveau, fiches, objectifs, decalage):
    """Every row of every fiche, in bulk, moved the way `FicheAction.copier` moves one fiche's:
    both follow `LIGNES_FICHE`. Returns, for each kind of row, {old pk: copy}."""
    transfert = Transfert(
        source=ancien,
        cible=nouveau,
        decalage=decalage,
        objectifs={ancien_pk: objectif.pk for ancien_pk, objectif in objectifs.items()},
    )
    lignes = {}
    for sorte in LIGNES_FICHE:
        copies = {}
        for ligne in sorte.modele.objects.filter(fiche__projet=ancien):
            ancien_pk = ligne.pk
            copie = sorte.copie(ligne, fiches[ligne.fiche_id], transfert)
            if copie is not None:
                copies[ancien_pk] = copie
        sorte.modele.objects.bulk_create(copies.values())
        lignes[sorte.modele] = copies
    return lignes


class RenouvellementForm(forms.ModelForm):
    """The new projet's title and période; by default the next période of the same length."""

    class Meta:
        model = ProjetSocial
        fields = ["titre", "annee_debut", "annee_fin"]

    def __init__(self, *args, ancien, **kwargs):
        self.ancien = ancien
        duree = ancien.annee_fin - ancien.annee_debut + 1
        debut = ancien.annee_fin + 1
        kwargs["instance"] = ProjetSocial(structure=ancien.structure)
        kwargs["initial"] = {
            "titre": decaler_annees(ancien.titre, ancien.annees, debut - ancien.annee_debut),
            "annee_debut": debut,
            "annee_fin": debut + duree - 1,
        }
        super().__init__(*args, **kwargs)

    def clean_annee_debut(self):
        debut = self.cleaned_data["annee_debut"]
        if debut <= self.ancien.annee_debut:
            raise forms.ValidationError(
                f"La nouvelle période doit commencer après {self.ancien.annee_debut}, "
                "début du projet renouvelé."
            )
        return debut

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        nouveau = ProjetSocial(annee_debut=donnees["annee_debut"], annee_fin=donnees["annee_fin"])
        decalage = nouveau.annee_debut - self.ancien.annee_debut
        transfert = Transfert(source=self.ancien, cible=nouveau, decalage=decalage)
        bloquantes = list(lignes_non_decalables(self.ancien, transfert))
        if bloquantes:
            liste = " ; ".join(
                f"« {ligne.libelle} » (fiche {ligne.fiche.reference}, "
                + ", ".join(f"{d:%d/%m/%Y}" for d in dates)
                + ")"
                for ligne, dates in bloquantes[:10]
            )
            raise forms.ValidationError(
                "Rien n'a été créé : des étapes ont des dates trop loin de la période pour être "
                f"décalées de {decalage} an{'s' if abs(decalage) > 1 else ''} : {liste}. "
                "Corrigez-les dans leur fiche, puis renouvelez."
            )
        return donnees


def lignes_non_decalables(projet, transfert):
    """The rows of the projet's fiches whose dates, moved as `LIGNES_FICHE` says, would not be
    dates of the new projet; each with its dates."""
    for sorte in LIGNES_FICHE:
        if not sorte.dates:
            continue
        lignes = sorte.modele.objects.filter(fiche__projet=projet).select_related("fiche__axe")
        for ligne in lignes:
            dates = [d for d in (getattr(ligne, champ) for champ in sorte.dates) if d]
            if not all(decalable(date, transfert) for date in dates):
                yield ligne, dates


def decalable(date, transfert):
    """Whether the date, moved with the projet, is a date of the new projet."""
    try:
        decalee = transfert.date(date)
    except ValueError:
        return False
    return not transfert.cible.erreur_date(decalee)
