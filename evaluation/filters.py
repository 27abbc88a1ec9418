"""The filters of the evaluation dashboard, in the URL: axe, enjeu, ACF, jeunesse, and the year."""

import django_filters as filters

from actions.filters import OUI_NON, FicheActionFilter
from actions.models import FicheAction


class FiltresTableau(filters.FilterSet):
    """Which fiches the dashboard sums up; `annee` picks the year and filters nothing (a fiche
    planned in other years may have results this year). Choices are the projet's own."""

    annee = filters.ChoiceFilter(label="Année", empty_label=None, method="garder")
    axe = filters.ModelChoiceFilter(label="Axe", queryset=None, empty_label="Tous les axes")
    enjeu = filters.ModelChoiceFilter(
        label="Enjeu", queryset=None, empty_label="Tous les enjeux", method="filtrer_enjeu"
    )
    projet_familles = filters.BooleanFilter(label="Projet familles (ACF)", widget=OUI_NON)
    projet_jeunesse = filters.BooleanFilter(label="Projet jeunesse", widget=OUI_NON)

    class Meta:
        model = FicheAction
        fields = []

    # The fiches that serve one of the enjeu's objectifs: the fiches list's rule.
    filtrer_enjeu = FicheActionFilter.filtrer_enjeu

    def __init__(self, data=None, *, projet, **kwargs):
        super().__init__(data, **kwargs)
        self.filters["annee"].extra["choices"] = [(a, str(a)) for a in projet.annees]
        self.filters["axe"].queryset = projet.axes.all()
        self.filters["enjeu"].queryset = projet.enjeux.all()

    def garder(self, queryset, name, value):
        return queryset
