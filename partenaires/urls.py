from django.urls import path

from .views import annuaire, comptes

app_name = "partenaires"

urlpatterns = [
    # --- directory, for the staff of the structure (views/annuaire.py) ---
    path("partenaires/", annuaire.liste, name="liste"),
    path("partenaires/nouveau/", annuaire.creer, name="creer"),
    path("partenaires/<int:pk>/", annuaire.detail, name="detail"),
    path("partenaires/<int:pk>/modifier/", annuaire.modifier, name="modifier"),
    path("partenaires/<int:pk>/contacts/", annuaire.contacts, name="contacts"),
    path("partenaires/<int:pk>/fusionner/", annuaire.fusionner, name="fusionner"),
    # --- partner accounts: invitation by the direction, activation, revocation (views/comptes.py)
    path(
        "partenaires/<int:pk>/contacts/<int:contact_pk>/inviter/",
        comptes.inviter,
        name="inviter",
    ),
    path("partenaires/comptes/<int:pk>/revoquer/", comptes.revoquer, name="revoquer"),
    path("invitation/<str:jeton>/", comptes.activer, name="activer"),
]
