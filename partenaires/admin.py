from django.contrib import admin

from .models import (
    ComptePartenaire,
    ContactPartenaire,
    Invitation,
    Partenaire,
)


class ContactInline(admin.TabularInline):
    model = ContactPartenaire
    extra = 0


class CompteInline(admin.TabularInline):
    model = ComptePartenaire
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Partenaire)
class PartenaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "sigle", "type", "structure"]
    list_filter = ["type", "structure"]
    search_fields = ["nom", "sigle"]
    inlines = [ContactInline, CompteInline]


@admin.register(ContactPartenaire)
class ContactPartenaireAdmin(admin.ModelAdmin):
    list_display = ["nom", "fonction", "email", "partenaire"]
    search_fields = ["nom", "email", "partenaire__nom"]


@admin.register(ComptePartenaire)
class ComptePartenaireAdmin(admin.ModelAdmin):
    list_display = ["user", "partenaire", "cree_le"]
    search_fields = ["user__username", "partenaire__nom"]
    autocomplete_fields = ["user", "partenaire"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "partenaire", "cree_le", "utilisee_le"]
    search_fields = ["email", "partenaire__nom"]
    readonly_fields = ["empreinte", "cree_le", "utilisee_le"]
    autocomplete_fields = ["partenaire"]
