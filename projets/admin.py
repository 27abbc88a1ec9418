from django.contrib import admin

from .models import (
    Axe,
    ChiffreCle,
    Constat,
    Consultation,
    Enjeu,
    Federation,
    InstanceGouvernance,
    InvitationMembre,
    LigneBudget,
    Membre,
    ObjectifGeneral,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Structure,
    Territoire,
)


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0
    autocomplete_fields = ["user"]


class TerritoireInline(admin.TabularInline):
    model = Territoire
    extra = 0
    show_change_link = True


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "gestionnaire", "ville"]
    list_filter = ["type", "gestionnaire", "partage_federation"]
    search_fields = ["nom", "slug", "ville"]
    prepopulated_fields = {"slug": ["nom"]}
    inlines = [MembreInline, TerritoireInline]


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin):
    list_display = ["nom"]
    search_fields = ["nom"]
    autocomplete_fields = ["structures", "membres"]


@admin.register(Membre)
class MembreAdmin(admin.ModelAdmin):
    list_display = ["user", "structure", "role"]
    list_filter = ["role", "structure"]
    search_fields = ["user__username", "user__last_name", "structure__nom"]
    autocomplete_fields = ["user", "structure"]


class ChiffreCleInline(admin.TabularInline):
    model = ChiffreCle
    extra = 0


@admin.register(Territoire)
class TerritoireAdmin(admin.ModelAdmin):
    list_display = ["nom", "structure", "qpv", "communes"]
    list_filter = ["qpv", "structure"]
    search_fields = ["nom", "quartiers", "communes"]
    inlines = [ChiffreCleInline]


@admin.register(ChiffreCle)
class ChiffreCleAdmin(admin.ModelAdmin):
    list_display = ["libelle", "valeur", "unite", "annee", "territoire"]
    list_filter = ["territoire__structure"]


class SectionInline(admin.StackedInline):
    model = SectionProjet
    extra = 0


class ConstatInline(admin.TabularInline):
    model = Constat
    extra = 0


class AxeInline(admin.TabularInline):
    model = Axe
    extra = 0
    show_change_link = True


class InstanceInline(admin.StackedInline):
    model = InstanceGouvernance
    extra = 0


class LigneBudgetInline(admin.TabularInline):
    model = LigneBudget
    extra = 0


class SigleInline(admin.TabularInline):
    model = Sigle
    extra = 0


@admin.register(ProjetSocial)
class ProjetSocialAdmin(admin.ModelAdmin):
    list_display = ["titre", "structure", "periode", "statut", "agrement_acf"]
    list_filter = ["statut", "agrement_acf", "structure"]
    search_fields = ["titre", "structure__nom"]
    inlines = [
        SectionInline,
        ConstatInline,
        AxeInline,
        InstanceInline,
        LigneBudgetInline,
        SigleInline,
    ]


class EnjeuInline(admin.TabularInline):
    model = Enjeu
    extra = 0
    fields = ["numero", "titre", "projet"]
    show_change_link = True


class ObjectifInline(admin.StackedInline):
    model = ObjectifGeneral
    extra = 0


@admin.register(Axe)
class AxeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "projet", "ordre", "transversal"]
    list_filter = ["transversal", "projet"]
    search_fields = ["titre"]
    inlines = [EnjeuInline, ObjectifInline]


@admin.register(Enjeu)
class EnjeuAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axe", "projet"]
    list_filter = ["projet"]
    search_fields = ["titre"]
    # The findings are those of any projet: searched by their text, not listed by thousands.
    autocomplete_fields = ["constats"]


@admin.register(Constat)
class ConstatAdmin(admin.ModelAdmin):
    list_display = ["enonce", "source", "projet"]
    list_filter = ["source", "projet"]
    search_fields = ["enonce"]


@admin.register(ObjectifGeneral)
class ObjectifGeneralAdmin(admin.ModelAdmin):
    list_display = ["titre", "enjeu", "axe"]
    list_filter = ["axe__projet"]
    search_fields = ["titre", "enjeu__titre"]
    list_select_related = ["enjeu", "axe"]


@admin.register(SectionProjet)
class SectionProjetAdmin(admin.ModelAdmin):
    list_display = ["titre_affiche", "type", "projet", "ordre"]
    list_filter = ["type", "projet"]


@admin.register(InstanceGouvernance)
class InstanceGouvernanceAdmin(admin.ModelAdmin):
    list_display = ["nom", "frequence", "projet"]
    list_filter = ["projet"]


@admin.register(LigneBudget)
class LigneBudgetAdmin(admin.ModelAdmin):
    list_display = ["libelle", "annee", "sens", "montant", "projet"]
    list_filter = ["annee", "sens", "projet"]


@admin.register(Sigle)
class SigleAdmin(admin.ModelAdmin):
    list_display = ["sigle", "signification", "projet"]
    list_filter = ["projet"]
    search_fields = ["sigle", "signification"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    """The access log is evidence: read it, never write it by hand (purged by a command)."""

    list_display = ["le", "utilisateur", "libelle", "page", "structure"]
    list_filter = ["page", "structure"]
    search_fields = ["utilisateur__username", "libelle"]
    date_hierarchy = "le"
    list_select_related = ["utilisateur", "structure"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvitationMembre)
class InvitationMembreAdmin(admin.ModelAdmin):
    list_display = ["email", "structure", "role", "cree_le", "utilisee_le"]
    search_fields = ["email", "structure__nom"]
    readonly_fields = ["empreinte", "cree_le", "utilisee_le"]
    autocomplete_fields = ["structure"]
