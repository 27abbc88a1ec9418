"""The fédération's pages. Each cell makes a fédération that follows structure 1, which shares
its fiches, with the équipe of structure 2 as its member: it reads them, read-only, while
structure 1's own pages keep answering it 404 (entrees_projets.py, entrees_actions.py)."""

from django.urls import reverse

from projets.models import Federation

from . import statuts

MEMBRE = statuts(404, anonyme=302, equipe_2=200, admin=200)


def federation(o):
    o.structure_1.partage_federation = True
    o.structure_1.save(update_fields=["partage_federation"])
    federation = Federation.objects.create(nom="Fédération du Cher")
    federation.structures.add(o.structure_1)
    federation.membres.add(o.utilisateurs["equipe_2"])
    return federation


ENTREES = {
    # The only fédération: straight to its figures.
    "federation:accueil": (
        lambda o: federation(o) and reverse("federation:accueil"),
        statuts(404, anonyme=302, equipe_2=302, admin=302),
    ),
    "federation:tableau": (
        lambda o: reverse("federation:tableau", args=[federation(o).pk]),
        MEMBRE,
    ),
    "federation:fiches_structure": (
        lambda o: reverse("federation:fiches_structure", args=[federation(o).pk, o.structure_1.pk]),
        MEMBRE,
    ),
    "federation:fiche": (
        lambda o: reverse("federation:fiche", args=[federation(o).pk, o.fiche_1a.pk]),
        MEMBRE,
    ),
}
