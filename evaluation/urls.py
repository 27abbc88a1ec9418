from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    # --- projet: dashboard and spreadsheet exports (format: csv or xlsx) ---
    path("projets/<int:pk>/evaluation/", views.tableau_de_bord, name="tableau_de_bord"),
    path(
        "projets/<int:pk>/evaluation/indicateurs.<str:format>",
        views.export_indicateurs,
        name="export_indicateurs",
    ),
    path(
        "projets/<int:pk>/evaluation/bilans.<str:format>",
        views.export_bilans,
        name="export_bilans",
    ),
    # --- projet: its renewal, drafted from its evaluation ---
    path("projets/<int:pk>/renouveler/", views.renouveler, name="renouveler"),
    # --- fiche: staff page, read-only results (partners), bilan of a year ---
    path("fiches/<int:pk>/evaluation/", views.fiche, name="fiche"),
    path("fiches/<int:pk>/resultats/", views.resultats_fiche, name="resultats_fiche"),
    path("fiches/<int:pk>/bilans/<int:annee>/", views.bilan, name="bilan"),
    path("bilans/fichiers/<int:pk>/", views.fichier_bilan, name="fichier_bilan"),
    path(
        "bilans/fichiers/<int:pk>/supprimer/",
        views.fichier_bilan_supprimer,
        name="fichier_bilan_supprimer",
    ),
    # --- indicators: targets and results ---
    path("indicateurs/<int:pk>/cibles/", views.cibles, name="cibles"),
    path("indicateurs/<int:pk>/resultats/nouveau/", views.resultat_creer, name="resultat_creer"),
    path("resultats/<int:pk>/modifier/", views.resultat_modifier, name="resultat_modifier"),
    path("resultats/<int:pk>/supprimer/", views.resultat_supprimer, name="resultat_supprimer"),
    path("resultats/<int:pk>/justificatif/", views.justificatif, name="justificatif"),
]
