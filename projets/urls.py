from django.urls import path

from .views import arbre, calendrier, contenu, cycle, equipe, projet

app_name = "projets"

urlpatterns = [
    # --- setting up: structures, their team, a new projet (views/equipe.py) ---
    path("structures/", equipe.structures, name="structures"),
    path("structures/nouvelle/", equipe.structure_creer, name="structure_creer"),
    path("structures/<int:pk>/equipe/", equipe.equipe, name="equipe"),
    path("structures/<int:pk>/equipe/inviter/", equipe.membre_inviter, name="membre_inviter"),
    path("membres/<int:pk>/role/", equipe.membre_role, name="membre_role"),
    path("membres/<int:pk>/retirer/", equipe.membre_retirer, name="membre_retirer"),
    path(
        "invitations-equipe/<int:pk>/annuler/",
        equipe.invitation_annuler,
        name="invitation_annuler",
    ),
    path("equipe/invitation/<str:jeton>/", equipe.membre_activer, name="membre_activer"),
    path("projets/nouveau/", equipe.projet_creer, name="creer"),
    # --- projet page and its content (views/projet.py, views/contenu.py) ---
    path("projets/<int:pk>/modifier/", projet.modifier, name="modifier"),
    path("projets/<int:pk>/structure/", projet.structure_modifier, name="structure_modifier"),
    path("projets/<int:pk>/contenu/", contenu.index, name="contenu"),
    # <genre>_creer, _modifier, _supprimer (and _deplacer for sections, chiffres, instances)
    *contenu.chemins(contenu.SECTION, "sections"),
    *contenu.chemins(contenu.CONSTAT, "constats"),
    *contenu.chemins(contenu.TERRITOIRE, "territoires"),
    *contenu.chemins(contenu.CHIFFRE, "chiffres"),
    *contenu.chemins(contenu.COLONNE, "colonnes"),
    *contenu.chemins(contenu.IMAGE, "images"),
    path("projets/<int:projet_pk>/images/<int:pk>/", contenu.image, name="image"),
    *contenu.chemins(contenu.INSTANCE, "gouvernance"),
    *contenu.chemins(contenu.LIGNE_BUDGET, "budget"),
    *contenu.chemins(contenu.SIGLE, "sigles"),
    # --- arbre d'objectifs: axes, enjeux, objectifs (views/arbre.py) ---
    path("projets/<int:pk>/axes/nouveau/", arbre.axe_creer, name="axe_creer"),
    path("axes/<int:pk>/modifier/", arbre.axe_modifier, name="axe_modifier"),
    path("axes/<int:pk>/deplacer/", arbre.axe_deplacer, name="axe_deplacer"),
    path("axes/<int:pk>/supprimer/", arbre.axe_supprimer, name="axe_supprimer"),
    path("axes/<int:pk>/enjeux/nouveau/", arbre.enjeu_creer, name="enjeu_creer"),
    path("enjeux/<int:pk>/modifier/", arbre.enjeu_modifier, name="enjeu_modifier"),
    path("enjeux/<int:pk>/deplacer/", arbre.enjeu_deplacer, name="enjeu_deplacer"),
    path("enjeux/<int:pk>/supprimer/", arbre.enjeu_supprimer, name="enjeu_supprimer"),
    path("axes/<int:pk>/objectifs/nouveau/", arbre.objectif_creer, name="objectif_creer"),
    path("objectifs/<int:pk>/modifier/", arbre.objectif_modifier, name="objectif_modifier"),
    path("objectifs/<int:pk>/deplacer/", arbre.objectif_deplacer, name="objectif_deplacer"),
    path("objectifs/<int:pk>/supprimer/", arbre.objectif_supprimer, name="objectif_supprimer"),
    # --- statut, renewal, history (views/cycle.py) ---
    path("projets/<int:pk>/statut/", cycle.changer_statut, name="statut"),
    path("projets/<int:pk>/historique/", cycle.historique, name="historique"),
    # --- timeline of the renewal of the agrément (views/calendrier.py) ---
    path("projets/<int:pk>/calendrier/", calendrier.calendrier, name="calendrier"),
]
