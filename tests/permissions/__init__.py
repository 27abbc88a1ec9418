"""The permission matrix (test_matrice.py): shared rows of expected statuses and the walk over
every URL pattern of the project."""

from django.urls import URLResolver, get_resolver

ROLES = ["anonyme", "partenaire_a", "partenaire_b", "equipe_1", "equipe_2", "direction_1", "admin"]


def statuts(defaut=None, **par_role):
    """A full row of expected statuses: `defaut` for every role not named."""
    ligne = dict.fromkeys(ROLES, defaut)
    ligne.update(par_role)
    return ligne


# A page of structure 1's projet, for its direction and équipe (and admins).
EQUIPE_1 = statuts(404, anonyme=302, equipe_1=200, direction_1=200, admin=200)
# The same, after a successful POST (redirect).
EQUIPE_1_POST = statuts(404, anonyme=302, equipe_1=302, direction_1=302, admin=302)
# What only the direction of structure 1 (and admins) may do: its équipe knows the projet, and
# gets a 403; anyone else a 404.
DIRECTION_1 = statuts(404, anonyme=302, equipe_1=403, direction_1=200, admin=200)
DIRECTION_1_POST = statuts(404, anonyme=302, equipe_1=403, direction_1=302, admin=302)
# Every logged-in person.
CONNECTES = statuts(200, anonyme=302)


def motifs(resolver=None, namespace="", route=""):
    """(key, route, pattern) of every URL pattern, nested resolvers included. The key is
    « namespace:name », or « namespace:<route> » for a pattern without a name (the route is
    counted from the namespace's root)."""
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        chemin = route + str(motif.pattern)
        if isinstance(motif, URLResolver):
            if motif.namespace:
                yield from motifs(motif, f"{namespace}{motif.namespace}:", "")
            else:
                yield from motifs(motif, namespace, chemin)
        else:
            yield f"{namespace}{motif.name or f'<{chemin}>'}", chemin, motif


def connue_du_partenaire_a(entrees, *cles):
    """Pages of the staff on fiche 1a, which partner A's organisation takes part in: known to
    its account, not for it (it has the portal), so a 403 rather than a 404."""
    for cle in cles:
        url, attendus = entrees[cle]
        entrees[cle] = (url, {**attendus, "partenaire_a": 403})
