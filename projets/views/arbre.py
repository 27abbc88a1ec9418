"""Editing the arbre d'objectifs: axes, enjeux and objectifs généraux (direction and équipe)."""

import copy

from django.contrib import messages
from django.contrib.messages.views import SuccessMessageMixin
from django.db import transaction
from django.db.models import Count, RestrictedError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, UpdateView

from projets.acces import (
    axes_modifiables,
    enjeux_modifiables,
    objectifs_modifiables,
    projet_modifiable,
)
from projets.forms.arbre import AxeForm, EnjeuForm, ObjectifForm
from projets.models import Enjeu, ObjectifGeneral
from projets.ordre import BAS, HAUT


def liens_perdus(objectifs):
    """The fiche ↔ objectif links deleting these objectifs removes, with the fiches to show.

    Read through the objectifs' `liens_fiches` (the links are rows of the fiches, one layer up:
    projets does not import actions)."""
    liens = [
        lien
        for objectif in objectifs.prefetch_related("liens_fiches__fiche__axe")
        for lien in objectif.liens_fiches.all()
    ]
    return sorted(
        liens,
        key=lambda lien: (
            lien.fiche.axe.transversal,
            lien.fiche.axe.ordre,
            lien.fiche.numero,
            lien.objectif.ordre,
        ),
    )


def objet_projet(objet):
    return objet.axe.projet if isinstance(objet, ObjectifGeneral) else objet.projet


class ArbreMixin:
    """Every page of the arbre: a projet the user may edit, and back to the projet page."""

    template_name = "projets/arbre/formulaire.html"
    titre = ""

    def get_projet(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.projet = self.get_projet()
        return super().dispatch(request, *args, **kwargs)

    def get_titre(self):
        return self.titre

    def get_context_data(self, **kwargs):
        contexte = super().get_context_data(**kwargs)
        contexte.update(projet=self.projet, onglet="arbre", titre=self.get_titre())
        return contexte

    def get_success_url(self):
        return reverse("actions:projet", args=[self.projet.pk])


class ElementMixin(ArbreMixin):
    """Edit or delete one element, looked up in the user's editable projets only."""

    def get_object(self, queryset=None):
        if not hasattr(self, "_objet"):
            self._objet = super().get_object(queryset)
            # The form writes into the object: titles keep what was saved (« enjeu n° 3 »).
            self.avant = copy.copy(self._objet)
        return self._objet

    def get_projet(self):
        return objet_projet(self.get_object())

    def get_context_data(self, **kwargs):
        # Enjeux and objectifs are shown with their axe.
        return super().get_context_data(parent=getattr(self.object, "axe", None), **kwargs)


class SousAxeMixin(ArbreMixin):
    """Create an enjeu or an objectif under an axe of the URL."""

    def get_projet(self):
        self.axe = get_object_or_404(axes_modifiables(self.request.user), pk=self.kwargs["pk"])
        return self.axe.projet

    def get_context_data(self, **kwargs):
        return super().get_context_data(parent=self.axe, **kwargs)


class SuppressionMixin(SuccessMessageMixin, ElementMixin):
    success_message = "« %(element)s » a été supprimé."

    def get_success_message(self, cleaned_data):
        return self.success_message % {"element": self.object}


# --- Axes ---


class AxeCreer(SuccessMessageMixin, ArbreMixin, CreateView):
    form_class = AxeForm
    titre = "Nouvel axe"
    success_message = "L'axe « %(titre)s » a été ajouté."

    def get_projet(self):
        return projet_modifiable(self.request.user, self.kwargs["pk"])

    @transaction.atomic
    def form_valid(self, form):
        form.instance.projet = self.projet
        form.instance.placer_a_la_fin()
        return super().form_valid(form)


class AxeModifier(SuccessMessageMixin, ElementMixin, UpdateView):
    form_class = AxeForm
    success_message = "L'axe « %(titre)s » a été enregistré."

    def get_queryset(self):
        return axes_modifiables(self.request.user)

    def get_titre(self):
        return f"Modifier l'{self.avant.libelle.lower()}"

    @transaction.atomic
    def form_valid(self, form):
        if "transversal" in form.changed_data:
            # Numbered and transversal axes are two lists: the axe goes to the end of the other.
            form.instance.placer_a_la_fin()
        return super().form_valid(form)


class AxeSupprimer(SuppressionMixin, DeleteView):
    template_name = "projets/arbre/supprimer_axe.html"

    def get_queryset(self):
        return axes_modifiables(self.request.user)

    def get_titre(self):
        return f"Supprimer l'{self.object.libelle.lower()}"

    def get_context_data(self, **kwargs):
        axe = self.object
        return super().get_context_data(
            fiches=list(axe.fiches.order_by("numero")),
            enjeux=list(axe.enjeux.all()),
            objectifs=list(axe.objectifs.select_related("enjeu")),
            nombre_liens=axe.objectifs.aggregate(n=Count("liens_fiches"))["n"],
            **kwargs,
        )

    def form_valid(self, form):
        # FicheAction.axe is RESTRICT: the fiches must move to another axe first.
        if self.object.fiches.exists():
            return self.refuser()
        try:
            return super().form_valid(form)
        except RestrictedError:
            return self.refuser()

    def refuser(self):
        messages.error(
            self.request,
            "Cet axe contient encore des fiches actions : déplacez-les vers un autre axe "
            "avant de le supprimer. Rien n'a été supprimé.",
        )
        return self.render_to_response(self.get_context_data())


# --- Enjeux ---


class EnjeuCreer(SuccessMessageMixin, SousAxeMixin, CreateView):
    form_class = EnjeuForm
    titre = "Nouvel enjeu"
    success_message = "L'enjeu n° %(numero)s a été ajouté."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = Enjeu(axe=self.axe, projet=self.projet)
        # The number is proposed, and the user may type another.
        kwargs["initial"] = {"numero": kwargs["instance"].rang_suivant()}
        return kwargs

    def post(self, request, *args, **kwargs):
        # The typed number is checked against the others with the projet's enjeux locked: of two
        # people adding « n° 3 » at once, the second is told it is taken.
        with transaction.atomic():
            Enjeu(projet=self.projet).verrouiller_groupe()
            return super().post(request, *args, **kwargs)


class EnjeuModifier(SuccessMessageMixin, ElementMixin, UpdateView):
    form_class = EnjeuForm
    success_message = "L'enjeu n° %(numero)s a été enregistré."

    def get_queryset(self):
        return enjeux_modifiables(self.request.user)

    def get_titre(self):
        return f"Modifier l'enjeu n° {self.avant.numero}"


class EnjeuSupprimer(SuppressionMixin, DeleteView):
    template_name = "projets/arbre/supprimer_enjeu.html"

    def get_queryset(self):
        return enjeux_modifiables(self.request.user)

    def get_titre(self):
        return f"Supprimer l'enjeu n° {self.object.numero}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            objectifs=list(self.object.objectifs.all()),
            liens=liens_perdus(self.object.objectifs.all()),
            **kwargs,
        )


# --- Objectifs généraux ---


class ObjectifCreer(SuccessMessageMixin, SousAxeMixin, CreateView):
    form_class = ObjectifForm
    titre = "Nouvel objectif général"
    success_message = "L'objectif général « %(titre)s » a été ajouté."

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = ObjectifGeneral(axe=self.axe)
        # « Ajouter un objectif » from an enjeu preselects it (?enjeu=<pk>, among the axe's).
        enjeu = self.request.GET.get("enjeu", "")
        if enjeu.isdigit():
            kwargs["initial"] = {"enjeu": self.axe.enjeux.filter(pk=enjeu).first()}
        return kwargs

    @transaction.atomic
    def form_valid(self, form):
        form.instance.placer_a_la_fin()  # last of its enjeu, once the form has set it
        return super().form_valid(form)


class ObjectifModifier(SuccessMessageMixin, ElementMixin, UpdateView):
    form_class = ObjectifForm
    titre = "Modifier l'objectif général"
    success_message = "L'objectif général « %(titre)s » a été enregistré."

    def get_queryset(self):
        return objectifs_modifiables(self.request.user)


class ObjectifSupprimer(SuppressionMixin, DeleteView):
    template_name = "projets/arbre/supprimer_objectif.html"
    titre = "Supprimer l'objectif général"

    def get_queryset(self):
        return objectifs_modifiables(self.request.user)

    def get_context_data(self, **kwargs):
        liens = liens_perdus(ObjectifGeneral.objects.filter(pk=self.object.pk))
        return super().get_context_data(
            liens=liens, principaux=[lien for lien in liens if lien.principal], **kwargs
        )


# --- Moving up and down (POST « sens » = haut | bas) ---


def deplacer(request, objet):
    sens = request.POST.get("sens")
    if sens not in (HAUT, BAS):
        messages.error(request, "Indiquez s'il faut monter ou descendre l'élément.")
    elif objet.deplacer(sens) is None:
        place = "premier" if sens == HAUT else "dernier"
        messages.info(request, f"« {objet} » est déjà en {place}.")
    else:
        direction = "monté" if sens == HAUT else "descendu"
        messages.success(request, f"« {objet} » est {direction} d'un cran.")
    return redirect("actions:projet", objet_projet(objet).pk)


@require_POST
def axe_deplacer(request, pk):
    # Among the numbered axes, or among the transversal ones.
    return deplacer(request, get_object_or_404(axes_modifiables(request.user), pk=pk))


@require_POST
def enjeu_deplacer(request, pk):
    # Enjeux are numbered across the projet: moving one swaps its number with its neighbour's.
    return deplacer(request, get_object_or_404(enjeux_modifiables(request.user), pk=pk))


@require_POST
def objectif_deplacer(request, pk):
    # Among the objectifs of its enjeu (or those straight under its axe).
    return deplacer(request, get_object_or_404(objectifs_modifiables(request.user), pk=pk))


axe_creer = AxeCreer.as_view()
axe_modifier = AxeModifier.as_view()
axe_supprimer = AxeSupprimer.as_view()
enjeu_creer = EnjeuCreer.as_view()
enjeu_modifier = EnjeuModifier.as_view()
enjeu_supprimer = EnjeuSupprimer.as_view()
objectif_creer = ObjectifCreer.as_view()
objectif_modifier = ObjectifModifier.as_view()
objectif_supprimer = ObjectifSupprimer.as_view()
