import django_filters as filters
from django.db.models import Q

from .models import Partenaire


class PartenaireFilter(filters.FilterSet):
    nom = filters.CharFilter(method="filtrer_nom", label="Nom ou sigle")
    type = filters.ChoiceFilter(choices=Partenaire.Type.choices, empty_label="Tous les types")

    class Meta:
        model = Partenaire
        fields = ["nom", "type"]

    def filtrer_nom(self, queryset, name, value):
        return queryset.filter(Q(nom__icontains=value) | Q(sigle__icontains=value))
