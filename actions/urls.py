from django.urls import path

from .views import consultation, edition, projet

app_name = "actions"

urlpatterns = [
    # --- the projet page: its arbre with the fiches (views/projet.py) ---
    path("projets/<int:pk>/", projet.detail, name="projet"),
    # --- list and fiche page (views/consultation.py) ---
    path("projets/<int:projet_pk>/fiches/", consultation.liste, name="liste"),
    path("fiches/<int:pk>/", consultation.detail, name="detail"),
    # --- editor (views/edition.py) ---
    path("projets/<int:projet_pk>/fiches/nouvelle/", edition.creer, name="creer"),
    path("fiches/<int:pk>/modifier/", edition.modifier, name="modifier"),
    path("fiches/<int:pk>/dupliquer/", edition.dupliquer, name="dupliquer"),
    path("fiches/<int:pk>/deplacer/", edition.deplacer, name="deplacer"),
    path("fiches/<int:pk>/supprimer/", edition.supprimer, name="supprimer"),
    path("fiches/<int:pk>/partenaires/nouveau/", edition.partenaire_creer, name="partenaire_creer"),
]
