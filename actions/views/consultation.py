"""Reading fiches: the filtered list of a projet's fiches, and the fiche page."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from centresocial.lib.formulaires import rendu_rapide
from centresocial.lib.historique import entrees_fiche
from projets.acces import projet_modifiable
from projets.journal import noter_consultation

from ..acces import fiche_modifiable
from ..filters import FicheActionFilter
from ..models import FicheAction, LectureFiche

FICHES_PAR_PAGE = 25
# In the session: the fiche just saved by the editor. Its page then tells the browser to drop
# the draft it kept of the editor's input (static/js/brouillon.js).
FICHE_ENREGISTREE = "actions.fiche_enregistree"
COLONNES_TRIABLES = ["reference", "titre", "statut", "referent"]


def liste(request, projet_pk):
    projet = projet_modifiable(request.user, projet_pk)
    filtre = FicheActionFilter(
        request.GET,
        queryset=FicheAction.objects.du_projet(projet)
        .select_related("axe", "referent")
        .prefetch_related("annees"),
        projet=projet,
    )
    rendu_rapide(filtre.form)
    page = Paginator(filtre.qs, FICHES_PAR_PAGE).get_page(request.GET.get("page"))
    context = {
        "projet": projet,
        "onglet": "fiches",
        "filtre": filtre,
        "page": page,
        "tris": liens_de_tri(request, filtre),
    }
    return render(request, "actions/liste.html", context)


def liens_de_tri(request, filtre):
    """For each sortable column header: the link that sorts by it (a second click reverses it)
    and its aria-sort state. Other filters are kept; the page goes back to the first one."""
    filtre.form.is_valid()  # validated once; cleaned_data holds the valid fields only
    tri = filtre.form.cleaned_data.get("tri")
    courant = tri[0] if tri else "reference"
    liens = {}
    for colonne in COLONNES_TRIABLES:
        parametres = request.GET.copy()
        parametres.pop("page", None)
        parametres["tri"] = f"-{colonne}" if courant == colonne else colonne
        etat = {colonne: "ascending", f"-{colonne}": "descending"}.get(courant, "none")
        liens[colonne] = {"url": f"?{parametres.urlencode()}", "aria_sort": etat}
    return liens


def detail(request, pk):
    fiche = fiche_modifiable(request.user, pk, FicheAction.objects.avec_details())
    noter_consultation(request, fiche)
    # The partners' comments shown here are read now (the home page counts those written since).
    # One upsert (update_or_create would lock, read, then write).
    LectureFiche.objects.bulk_create(
        [LectureFiche(user=request.user, fiche=fiche, lue_le=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "fiche"],
        update_fields=["lue_le"],
    )
    context = {
        "fiche": fiche,
        "projet": fiche.projet,
        "onglet": "fiches",
        "entrees": entrees_fiche(fiche),
        "commentaires": fiche.commentaires_partenaires.select_related("partenaire", "auteur"),
        "brouillon_enregistre": request.session.pop(FICHE_ENREGISTREE, None) == fiche.pk,
    }
    return render(request, "actions/detail.html", context)
