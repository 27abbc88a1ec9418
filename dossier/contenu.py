"""Everything the dossier prints, read from the database in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from actions.arbre import ordre_des_liens, ranger_arbre
from actions.models import FicheAction
from projets.budget import Budget
from projets.models import Axe, LigneBudget, ObjectifGeneral, SectionProjet, Territoire

from .models import ReglagesDossier
from .resultats import evaluer


@dataclass
class AxeDossier:
    """An axe as the dossier prints it: its fiches (in their order) and the `blocs` of its arbre
    (actions.arbre, the same as on the projet page)."""

    axe: object
    fiches: list = field(default_factory=list)
    blocs: list = field(default_factory=list)


@dataclass
class Contenu:
    projet: object
    structure: object
    sections: list
    territoires: list
    axes: list
    instances: list
    budget: Budget | None
    sigles: list
    # The optional chapter (`ReglagesDossier.chapitre_evaluation`): `resultats.AxeEvalue`s.
    evaluation: list = field(default_factory=list)

    @property
    def fiches(self):
        return [fiche for axe in self.axes for fiche in axe.fiches]

    def sections_de(self, *types):
        return [s for s in self.sections if s.type in types and s.contenu.strip()]


def charger_axes(projet):
    """The axes with their arbre (the enjeux with the constats they answer) and their fiches
    (`avec_details()`), in 12 queries."""
    axes = list(
        Axe.objects.filter(projet=projet).prefetch_related(
            "enjeux__constats",
            Prefetch("objectifs", queryset=ObjectifGeneral.objects.select_related("enjeu")),
        )
    )
    fiches = list(FicheAction.objects.du_projet(projet).avec_details())
    return ranger(axes, fiches)


def territoires_de(projet):
    return list(Territoire.objects.filter(structure_id=projet.structure_id).avec_chiffres())


def charger(projet):
    """The whole projet for the dossier; the number of queries does not grow with its size."""
    axes = charger_axes(projet)
    evaluation = []
    if ReglagesDossier.du_projet(projet).chapitre_evaluation:
        evaluation = evaluer(projet, axes, projet.annees)
    return Contenu(
        projet=projet,
        structure=projet.structure,
        sections=list(SectionProjet.objects.filter(projet=projet).prefetch_related("images")),
        territoires=territoires_de(projet),
        axes=axes,
        instances=list(projet.instances.all()),
        budget=Budget.du_projet(projet, list(LigneBudget.objects.filter(projet=projet))) or None,
        sigles=list(projet.sigles.all()),
        evaluation=evaluation,
    )


def ranger(axes, fiches):
    """The axes with their fiches and their arbre, from rows already loaded."""
    objectifs = [objectif for axe in axes for objectif in axe.objectifs.all()]
    liens = sorted((lien for f in fiches for lien in f.liens_objectifs.all()), key=ordre_des_liens)
    ranger_arbre(
        axes,
        objectifs,
        [(lien.objectif_id, lien.fiche_id) for lien in liens],
        {fiche.pk: fiche for fiche in fiches},
    )
    par_axe = {axe.pk: AxeDossier(axe=axe, blocs=axe.blocs) for axe in axes}
    for fiche in fiches:
        par_axe[fiche.axe_id].fiches.append(fiche)
    return list(par_axe.values())
