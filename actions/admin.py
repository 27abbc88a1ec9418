from django.contrib import admin

from .models import (
    AnneeAction,
    CommentairePartenaire,
    EtapeEcheancier,
    FicheAction,
    FicheObjectif,
    Indicateur,
    Moyen,
    ObjectifOperationnel,
    PartenariatAction,
)


class FicheObjectifInline(admin.TabularInline):
    model = FicheObjectif
    extra = 0
    autocomplete_fields = ["objectif"]


class AnneeInline(admin.TabularInline):
    model = AnneeAction
    extra = 0


class ObjectifOperationnelInline(admin.TabularInline):
    model = ObjectifOperationnel
    extra = 0


class EtapeInline(admin.TabularInline):
    model = EtapeEcheancier
    extra = 0


class MoyenInline(admin.TabularInline):
    model = Moyen
    extra = 0


class PartenariatInline(admin.TabularInline):
    model = PartenariatAction
    extra = 0
    autocomplete_fields = ["partenaire"]


class IndicateurInline(admin.TabularInline):
    model = Indicateur
    extra = 0


@admin.register(FicheAction)
class FicheActionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axe", "statut_plan", "statut", "referent", "projet"]
    list_filter = ["projet", "axe", "statut_plan", "statut", "projet_familles", "projet_jeunesse"]
    search_fields = ["titre", "contexte", "presentation"]
    list_select_related = ["axe", "referent", "projet"]
    autocomplete_fields = ["referent"]
    inlines = [
        FicheObjectifInline,
        AnneeInline,
        ObjectifOperationnelInline,
        EtapeInline,
        MoyenInline,
        PartenariatInline,
        IndicateurInline,
    ]


@admin.register(Indicateur)
class IndicateurAdmin(admin.ModelAdmin):
    list_display = ["libelle", "nature", "unite", "valeur_reference", "cible", "fiche"]
    list_filter = ["nature", "fiche__projet"]
    search_fields = ["libelle", "objet"]
    list_select_related = ["fiche__axe"]


for model in [
    FicheObjectif,
    AnneeAction,
    ObjectifOperationnel,
    EtapeEcheancier,
    Moyen,
    PartenariatAction,
]:
    admin.site.register(model)


@admin.register(CommentairePartenaire)
class CommentairePartenaireAdmin(admin.ModelAdmin):
    list_display = ["partenaire", "fiche", "nature", "auteur", "cree_le"]
    list_filter = ["nature"]
    search_fields = ["texte", "partenaire__nom"]
    raw_id_fields = ["fiche", "partenaire", "auteur"]
