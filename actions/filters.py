"""Filtering and sorting the fiches of one projet (the list page)."""

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from partenaires.models import Partenaire
from projets.models import ObjectifGeneral

from .models import AnneeAction, FicheAction, FicheObjectif, PartenariatAction

TOUS = "Tous"
OUI_NON = forms.Select(choices=[("", "Indifférent"), ("true", "Oui"), ("false", "Non")])
CHAMPS_RECHERCHE = [
    "titre",
    "contexte",
    "public_vise",
    "presentation",
    "resultats_attendus",
    "freins",
]
ORDRE_REFERENCE = ["axe__transversal", "axe__ordre", "numero"]


class TriFiches(filters.OrderingFilter):
    """« tri »: one parameter may stand for several fields (référence = axe, then numéro)."""

    CHAMPS = {
        "reference": ORDRE_REFERENCE,
        "titre": ["titre"],
        "statut": ["statut"],
        "referent": ["referent__last_name", "referent__first_name"],
        "modification": ["modifie_le"],
    }

    def filter(self, qs, value):
        ordre = []
        for param in [p for p in value or [] if p] or ["reference"]:
            sens = "-" if param.startswith("-") else ""
            ordre += [sens + champ for champ in self.CHAMPS[param.lstrip("-")]]
        # Référence then pk last, so that equal values keep a stable order across pages.
        return qs.order_by(*ordre, *ORDRE_REFERENCE, "pk")


class FicheActionFilter(filters.FilterSet):
    """The filters of the list page; their choices are limited to the projet's own objects.

    Filters on rows that may be several per fiche (objectifs, années, partenaires) select
    fiches with a subquery rather than a join, so a fiche never appears twice.
    """

    q = filters.CharFilter(label="Recherche", method="filtrer_texte")
    axe = filters.ModelChoiceFilter(label="Axe", queryset=None, empty_label="Tous les axes")
    enjeu = filters.ModelChoiceFilter(
        label="Enjeu", queryset=None, empty_label="Tous les enjeux", method="filtrer_enjeu"
    )
    objectif = filters.ModelChoiceFilter(
        label="Objectif général",
        queryset=None,
        empty_label="Tous les objectifs",
        method="filtrer_objectif",
    )
    statut_plan = filters.ChoiceFilter(
        label="Statut dans le plan", choices=FicheAction.StatutPlan.choices, empty_label=TOUS
    )
    statut = filters.ChoiceFilter(
        label="Statut de réalisation", choices=FicheAction.Statut.choices, empty_label=TOUS
    )
    projet_familles = filters.BooleanFilter(
        label="Projet Animation Collective Familles", widget=OUI_NON
    )
    projet_jeunesse = filters.BooleanFilter(label="Projet Jeunesse", widget=OUI_NON)
    partenaire = filters.ModelChoiceFilter(
        label="Partenaire", queryset=None, empty_label=TOUS, method="filtrer_partenaire"
    )
    referent = filters.ModelChoiceFilter(label="Référent", queryset=None, empty_label=TOUS)
    annee = filters.ChoiceFilter(label="Année", empty_label="Toutes", method="filtrer_annee")
    tri = TriFiches(
        label="Trier par",
        empty_label=None,
        choices=[
            ("reference", "Référence (axe, puis numéro)"),
            ("-reference", "Référence, ordre inverse"),
            ("titre", "Titre (A → Z)"),
            ("-titre", "Titre (Z → A)"),
            ("statut", "Statut (à venir → terminée)"),
            ("-statut", "Statut (terminée → à venir)"),
            ("referent", "Référent (A → Z)"),
            ("-referent", "Référent (Z → A)"),
            ("-modification", "Dernière modification (récente d'abord)"),
            ("modification", "Dernière modification (ancienne d'abord)"),
        ],
    )

    class Meta:
        model = FicheAction
        fields = []

    def __init__(self, data=None, *, projet, **kwargs):
        super().__init__(data, **kwargs)
        self.filters["axe"].queryset = projet.axes.all()
        self.filters["enjeu"].queryset = projet.enjeux.all()
        self.filters["objectif"].queryset = ObjectifGeneral.objects.filter(
            axe__projet=projet
        ).order_by("axe__transversal", "axe__ordre", "enjeu__numero", "ordre", "pk")
        self.filters["partenaire"].queryset = Partenaire.objects.filter(
            structure_id=projet.structure_id
        )
        self.filters["referent"].queryset = (
            get_user_model()
            .objects.filter(adhesions__structure_id=projet.structure_id)
            .order_by("last_name", "first_name", "username")
        )
        self.filters["annee"].extra["choices"] = [(a, str(a)) for a in projet.annees]
        self.form.fields["referent"].label_from_instance = lambda u: (
            u.get_full_name() or u.get_username()
        )

    def filtrer_texte(self, queryset, name, value):
        condition = Q()
        for champ in CHAMPS_RECHERCHE:
            condition |= Q(**{f"{champ}__icontains": value})
        return queryset.filter(condition)

    def filtrer_enjeu(self, queryset, name, value):
        liens = FicheObjectif.objects.filter(objectif__enjeu=value)
        return queryset.filter(pk__in=liens.values("fiche"))

    def filtrer_objectif(self, queryset, name, value):
        liens = FicheObjectif.objects.filter(objectif=value)
        return queryset.filter(pk__in=liens.values("fiche"))

    def filtrer_partenaire(self, queryset, name, value):
        partenariats = PartenariatAction.objects.filter(partenaire=value)
        return queryset.filter(pk__in=partenariats.values("fiche"))

    def filtrer_annee(self, queryset, name, value):
        annees = AnneeAction.objects.filter(annee=value)
        return queryset.filter(pk__in=annees.values("fiche"))
