from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("projets/<int:pk>/dossier/", views.index, name="index"),
    path("projets/<int:pk>/dossier/exporter/", views.exporter, name="exporter"),
    path("projets/<int:pk>/dossier/etat/", views.etat, name="etat"),
    path(
        "projets/<int:pk>/dossier/<int:export_pk>/telecharger/",
        views.telecharger,
        name="telecharger",
    ),
    path("projets/<int:pk>/dossier/apercu/", views.apercu, name="apercu"),
    path("projets/<int:pk>/pret-pour-la-caf/", views.verifications, name="verifications"),
    path("projets/<int:pk>/dossier/transmis/", views.archives_etat, name="archives_etat"),
    path(
        "projets/<int:pk>/dossier/transmis/<int:archive_pk>/telecharger/",
        views.archive_telecharger,
        name="archive_telecharger",
    ),
    path(
        "projets/<int:pk>/dossier/transmis/<int:archive_pk>/relancer/",
        views.archive_relancer,
        name="archive_relancer",
    ),
    path("projets/<int:pk>/plan-agree/", views.comparaison, name="comparaison"),
    path("projets/<int:pk>/dossier/reglages/", views.reglages, name="reglages"),
    path("projets/<int:pk>/rapport/", views.rapport, name="rapport"),
    path("projets/<int:pk>/rapport/<int:annee>/", views.rapport_annee, name="rapport_annee"),
    path(
        "projets/<int:pk>/rapport/<int:annee>/exporter/",
        views.rapport_exporter,
        name="rapport_exporter",
    ),
    path("projets/<int:pk>/rapport/<int:annee>/etat/", views.rapport_etat, name="rapport_etat"),
    path(
        "projets/<int:pk>/rapport/<int:annee>/<int:export_pk>/telecharger/",
        views.rapport_telecharger,
        name="rapport_telecharger",
    ),
    path(
        "projets/<int:pk>/rapport/<int:annee>/apercu/", views.rapport_apercu, name="rapport_apercu"
    ),
    path("fiches/<int:pk>/pdf/", views.fiche_pdf, name="fiche"),
]
