"""« Contenu du projet »: the narrative sections, territoires, gouvernance, budget and sigles.

One page shows them all; every kind of row is added, edited, deleted (and some reordered) by the
same four generic views, told which kind by a `Genre`.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.generic import CreateView, DeleteView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin

from centresocial.lib.images import format_image
from projets.acces import projet_modifiable, projet_visible
from projets.budget import Budget
from projets.forms import contenu as formulaires
from projets.models import (
    ChiffreCle,
    ColonneChiffres,
    Constat,
    ImageSection,
    InstanceGouvernance,
    LigneBudget,
    ProjetSocial,
    SectionProjet,
    Sigle,
    Territoire,
)
from projets.ordre import BAS, HAUT, Ordonne


@dataclass(frozen=True)
class Genre:
    """A kind of content row: its model and form, and how a row reaches its projet."""

    nom: str  # prefix of the URL names (« section » → projets:section_modifier) and anchors
    model: type
    form_class: type
    vers_projet: str  # lookup from a row to its projet
    nouveau: str  # title of the creation page
    le: str  # « la section », for the edition and deletion pages
    partie: str  # anchor of the part of the contenu page showing these rows
    avertissement: str = ""  # said before deleting

    @property
    def ordonne(self):
        """Rows have an ordre the user changes (among those of their group: see the model)."""
        return issubclass(self.model, Ordonne)

    def du_projet(self, projet):
        return self.model.objects.filter(**{self.vers_projet: projet})


SECTION = Genre(
    "section",
    SectionProjet,
    formulaires.SectionForm,
    "projet",
    "Nouvelle section",
    "la section",
    "sections",
)
CONSTAT = Genre(
    "constat",
    Constat,
    formulaires.ConstatForm,
    "projet",
    "Nouveau constat du diagnostic",
    "le constat",
    "constats",
    avertissement="Les enjeux qui y renvoient ne le citeront plus.",
)
TERRITOIRE = Genre(
    "territoire",
    Territoire,
    formulaires.TerritoireForm,
    "structure__projets",
    "Nouveau territoire",
    "le territoire",
    "territoires",
    avertissement="Ses chiffres clés seront supprimés avec lui.",
)
CHIFFRE = Genre(
    "chiffre",
    ChiffreCle,
    formulaires.ChiffreCleForm,
    "territoire__structure__projets",
    "Nouveau chiffre clé",
    "le chiffre clé",
    "territoires",
)
COLONNE = Genre(
    "colonne",
    ColonneChiffres,
    formulaires.ColonneForm,
    "territoire__structure__projets",
    "Nouvelle colonne de comparaison",
    "la colonne de comparaison",
    "territoires",
    avertissement="Les valeurs des chiffres clés dans cette colonne seront supprimées avec elle.",
)
IMAGE = Genre(
    "image",
    ImageSection,
    formulaires.ImageSectionForm,
    "section__projet",
    "Nouvelle image",
    "l'image",
    "sections",
)
INSTANCE = Genre(
    "instance",
    InstanceGouvernance,
    formulaires.InstanceForm,
    "projet",
    "Nouvelle instance de gouvernance",
    "l'instance de gouvernance",
    "gouvernance",
)
LIGNE_BUDGET = Genre(
    "ligne_budget",
    LigneBudget,
    formulaires.LigneBudgetForm,
    "projet",
    "Nouvelle ligne de budget",
    "la ligne de budget",
    "budget",
)
SIGLE = Genre(
    "sigle", Sigle, formulaires.SigleForm, "projet", "Nouveau sigle", "le sigle", "sigles"
)


def index(request, pk):
    projet = projet_visible(request.user, pk)
    lignes = list(projet.lignes_budget.all())
    context = {
        "projet": projet,
        "onglet": "contenu",
        "sections": projet.sections.prefetch_related("images"),
        "constats": projet.constats.prefetch_related("enjeux"),
        "territoires": projet.structure.territoires.avec_chiffres(),
        "instances": projet.instances.all(),
        "budget": Budget.du_projet(projet, lignes).par_annee,
        "sigles": projet.sigles.all(),
        "peut_piloter": ProjetSocial.objects.pilotable_by(request.user).filter(pk=pk).exists(),
    }
    return render(request, "projets/contenu/index.html", context)


def image(request, projet_pk, pk):
    """An image of a section, for the pages of the projet's staff; typed by its content."""
    projet = projet_visible(request.user, projet_pk)
    image = get_object_or_404(ImageSection, section__projet=projet, pk=pk)
    try:
        fichier = image.image.open("rb")
    except FileNotFoundError as erreur:
        raise Http404("Image introuvable.") from erreur
    trouve = format_image(fichier)
    if trouve is None:  # not what was checked at upload: never served as something else
        fichier.close()
        return HttpResponseBadRequest("Image illisible.")
    reponse = FileResponse(fichier, content_type=f"image/{trouve[0].lower()}")
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Cache-Control"] = "private, max-age=3600"
    return reponse


class ContenuMixin:
    """Resolves the projet the user may edit, and finds rows only among that projet's."""

    genre = None  # given to as_view()
    template_name = "projets/contenu/formulaire.html"

    def dispatch(self, request, *args, **kwargs):
        self.projet = projet_modifiable(request.user, kwargs["projet_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.genre.du_projet(self.projet)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            projet=self.projet, onglet="contenu", genre=self.genre, **kwargs
        )

    def retour(self, objet=None):
        ancre = f"{self.genre.nom}-{objet.pk}" if objet else self.genre.partie
        return reverse("projets:contenu", args=[self.projet.pk]) + f"#{ancre}"

    def get_success_url(self):
        return self.retour(self.object)


class FormulaireMixin(ContenuMixin):
    def get_form_class(self):
        return self.genre.form_class

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "projet": self.projet}


class Creer(FormulaireMixin, CreateView):
    def get_initial(self):
        # « Ajouter un chiffre » from a territoire's card comes with ?territoire=<pk>.
        return {**super().get_initial(), **self.request.GET.dict()}

    @transaction.atomic
    def form_valid(self, form):
        if self.genre.ordonne:
            form.instance.placer_a_la_fin()
        messages.success(self.request, f"Ajout enregistré : « {form.instance} ».")
        return super().form_valid(form)


class Modifier(FormulaireMixin, UpdateView):
    def form_valid(self, form):
        messages.success(self.request, f"Modification enregistrée : « {form.instance} ».")
        return super().form_valid(form)


class Supprimer(ContenuMixin, DeleteView):
    template_name = "projets/contenu/supprimer.html"

    def get_success_url(self):
        return self.retour()

    def form_valid(self, form):
        messages.success(self.request, f"Suppression effectuée : « {self.object} ».")
        return super().form_valid(form)


class Deplacer(ContenuMixin, SingleObjectMixin, View):
    """Moves a row up or down among its siblings (POST « sens » = monter | descendre)."""

    http_method_names = ["post"]
    SENS = {"monter": HAUT, "descendre": BAS}

    def post(self, request, *args, **kwargs):
        objet = self.get_object()
        sens = request.POST.get("sens")
        if sens not in self.SENS:
            return HttpResponseBadRequest("Sens de déplacement inconnu.")
        objet.deplacer(self.SENS[sens])
        return HttpResponseRedirect(self.retour(objet))


def chemins(genre, segment):
    """URL patterns `<nom>_creer`, `_modifier`, `_supprimer`, and `_deplacer` for ordered rows."""
    debut = f"projets/<int:projet_pk>/{segment}/"
    vues = {"creer": Creer, "modifier": Modifier, "supprimer": Supprimer}
    if genre.ordonne:
        vues["deplacer"] = Deplacer
    return [
        path(
            f"{debut}nouveau/" if action == "creer" else f"{debut}<int:pk>/{action}/",
            vue.as_view(genre=genre),
            name=f"{genre.nom}_{action}",
        )
        for action, vue in vues.items()
    ]
