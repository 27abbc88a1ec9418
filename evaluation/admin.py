from django.contrib import admin

from .models import BilanAction, CibleAnnuelle, FichierBilan, Resultat


@admin.register(Resultat)
class ResultatAdmin(admin.ModelAdmin):
    list_display = ["indicateur", "annee", "semestre", "valeur", "niveau", "non_renseigne"]
    list_filter = ["annee", "non_renseigne"]
    raw_id_fields = ["indicateur", "saisi_par"]


@admin.register(CibleAnnuelle)
class CibleAnnuelleAdmin(admin.ModelAdmin):
    list_display = ["indicateur", "annee", "valeur"]
    raw_id_fields = ["indicateur"]


class FichierBilanInline(admin.TabularInline):
    model = FichierBilan
    extra = 0


@admin.register(BilanAction)
class BilanActionAdmin(admin.ModelAdmin):
    list_display = ["fiche", "annee", "statut", "dimension"]
    list_filter = ["annee", "statut", "dimension"]
    raw_id_fields = ["fiche", "saisi_par"]
    inlines = [FichierBilanInline]
