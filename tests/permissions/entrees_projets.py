"""The projet pages: arbre, content, statut, renewal, history, dossier export."""

from django.urls import reverse

from tests.factories import ConstatFactory

from . import DIRECTION_1, DIRECTION_1_POST, EQUIPE_1, EQUIPE_1_POST, connue_du_partenaire_a


def projet(nom):
    return lambda o: reverse(nom, args=[o.projet_1.pk])


def objet(nom, attribut, *, post=None):
    def construire(o):
        url = reverse(nom, args=[getattr(o, attribut).pk])
        return (url, "post", post) if post is not None else url

    return construire


def contenu(genre, attribut, action, *, post=None):
    def construire(o):
        rangee = attribut(o) if callable(attribut) else getattr(o, attribut)
        url = reverse(f"projets:{genre}_{action}", args=[o.projet_1.pk, rangee.pk])
        return (url, "post", post) if post is not None else url

    return construire


def constat_1(o):
    """A constat of projet_1, made for the cell: the world `o` holds none (tests/monde.py is
    also the world the migrations keep, older than constats)."""
    constat = ConstatFactory(projet=o.projet_1, enonce="Peu de lieux pour se retrouver")
    o.enjeu_1.constats.add(constat)
    return constat


ENTREES = {
    "actions:projet": (projet("actions:projet"), EQUIPE_1),
    "projets:modifier": (projet("projets:modifier"), EQUIPE_1),
    "projets:structure_modifier": (projet("projets:structure_modifier"), DIRECTION_1),
    "projets:image": (
        lambda o: reverse("projets:image", args=[o.projet_1.pk, o.image_1.pk]),
        EQUIPE_1,
    ),
    "projets:contenu": (projet("projets:contenu"), EQUIPE_1),
    "projets:axe_creer": (projet("projets:axe_creer"), EQUIPE_1),
    "projets:axe_modifier": (objet("projets:axe_modifier", "axe_1"), EQUIPE_1),
    "projets:axe_supprimer": (objet("projets:axe_supprimer", "axe_1"), EQUIPE_1),
    "projets:axe_deplacer": (
        objet("projets:axe_deplacer", "axe_1", post={"sens": "bas"}),
        EQUIPE_1_POST,
    ),
    "projets:enjeu_creer": (objet("projets:enjeu_creer", "axe_1"), EQUIPE_1),
    "projets:enjeu_modifier": (objet("projets:enjeu_modifier", "enjeu_1"), EQUIPE_1),
    "projets:enjeu_supprimer": (objet("projets:enjeu_supprimer", "enjeu_1"), EQUIPE_1),
    "projets:enjeu_deplacer": (
        objet("projets:enjeu_deplacer", "enjeu_1", post={"sens": "bas"}),
        EQUIPE_1_POST,
    ),
    "projets:objectif_creer": (objet("projets:objectif_creer", "axe_1"), EQUIPE_1),
    "projets:objectif_modifier": (objet("projets:objectif_modifier", "objectif_1"), EQUIPE_1),
    "projets:objectif_supprimer": (objet("projets:objectif_supprimer", "objectif_1"), EQUIPE_1),
    "projets:objectif_deplacer": (
        objet("projets:objectif_deplacer", "objectif_1", post={"sens": "bas"}),
        EQUIPE_1_POST,
    ),
    "projets:statut": (
        objet("projets:statut", "projet_1", post={"statut": "en_validation"}),
        DIRECTION_1_POST,
    ),
    "evaluation:renouveler": (projet("evaluation:renouveler"), DIRECTION_1),
    "projets:historique": (projet("projets:historique"), EQUIPE_1),
    "projets:calendrier": (projet("projets:calendrier"), EQUIPE_1),
    "dossier:index": (projet("dossier:index"), EQUIPE_1),
    "dossier:exporter": (
        objet("dossier:exporter", "projet_1", post={}),
        EQUIPE_1_POST,
    ),
    "dossier:etat": (projet("dossier:etat"), EQUIPE_1),
    "dossier:telecharger": (
        lambda o: reverse("dossier:telecharger", args=[o.projet_1.pk, o.export_1.pk]),
        EQUIPE_1,
    ),
    "dossier:apercu": (projet("dossier:apercu"), EQUIPE_1),
    "dossier:verifications": (projet("dossier:verifications"), EQUIPE_1),
    "dossier:fiche": (objet("dossier:fiche", "fiche_1a"), EQUIPE_1),
}

# The rows of the projet's content: create, edit, delete (and move, for ordered rows).
for genre, attribut, ordonne in [
    ("section", "section_1", True),
    ("constat", constat_1, True),
    ("territoire", "territoire_1", False),
    ("chiffre", "chiffre_1", True),
    ("colonne", "colonne_1", True),
    ("image", "image_1", True),
    ("instance", "instance_1", True),
    ("ligne_budget", "ligne_budget_1", False),
    ("sigle", "sigle_1", False),
]:
    ENTREES[f"projets:{genre}_creer"] = (projet(f"projets:{genre}_creer"), EQUIPE_1)
    ENTREES[f"projets:{genre}_modifier"] = (contenu(genre, attribut, "modifier"), EQUIPE_1)
    ENTREES[f"projets:{genre}_supprimer"] = (contenu(genre, attribut, "supprimer"), EQUIPE_1)
    if ordonne:
        ENTREES[f"projets:{genre}_deplacer"] = (
            contenu(genre, attribut, "deplacer", post={"sens": "descendre"}),
            EQUIPE_1_POST,
        )

connue_du_partenaire_a(
    ENTREES,
    "dossier:fiche",
)
