"""The directory of partners, for the staff of the structure: list, page, create, edit,
contacts, and merging two duplicates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render

from projets.journal import noter_consultation
from projets.models import Structure

from ..acces import exiger_annuaire, partenaire_de_l_annuaire
from ..filters import PartenaireFilter
from ..forms import ContactFormSet, FusionForm, PartenaireForm
from ..models import Partenaire

PARTENAIRES_PAR_PAGE = 50


def liste(request):
    exiger_annuaire(request.user)
    structures = list(Structure.objects.visible_to(request.user))
    filtre = PartenaireFilter(
        request.GET,
        queryset=Partenaire.objects.de_l_annuaire(request.user)
        .select_related("structure")
        .annotate(nb_fiches=Count("partenariats", distinct=True))
        .order_by("nom"),
    )
    page = Paginator(filtre.qs, PARTENAIRES_PAR_PAGE).get_page(request.GET.get("page"))
    context = {
        "filtre": filtre,
        "page": page,
        "plusieurs_structures": len(structures) > 1,
    }
    return render(request, "partenaires/liste.html", context)


def detail(request, pk):
    partenaire = partenaire_de_l_annuaire(request.user, pk)
    noter_consultation(request, partenaire)
    gere = Partenaire.objects.geres_par(request.user).filter(pk=partenaire.pk).exists()
    context = {
        "partenaire": partenaire,
        "contacts": partenaire.contacts.all(),
        # The fiches where it figures, through the reverse relation of their partnerships (the
        # fiches are one layer up: partenaires does not import actions).
        "liens": partenaire.partenariats.select_related("fiche__axe", "fiche__projet").order_by(
            "fiche__projet__annee_debut",
            "fiche__axe__transversal",
            "fiche__axe__ordre",
            "fiche__numero",
        ),
        "peut_gerer": gere,
        "comptes": partenaire.comptes.select_related("user") if gere else [],
        "invitations": partenaire.invitations.en_attente() if gere else [],
    }
    return render(request, "partenaires/detail.html", context)


def creer(request):
    exiger_annuaire(request.user)
    structures = Structure.objects.visible_to(request.user)
    form = PartenaireForm(request.POST or None, structures=structures)
    if request.method == "POST" and form.is_valid():
        partenaire = form.save()
        messages.success(request, f"« {partenaire} » a été ajouté à l'annuaire.")
        return redirect("partenaires:detail", partenaire.pk)
    return render(
        request, "partenaires/formulaire.html", {"form": form, "titre": "Nouveau partenaire"}
    )


def modifier(request, pk):
    partenaire = partenaire_de_l_annuaire(request.user, pk)
    form = PartenaireForm(request.POST or None, instance=partenaire)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le partenaire a été enregistré.")
        return redirect("partenaires:detail", partenaire.pk)
    context = {"form": form, "partenaire": partenaire, "titre": f"Modifier « {partenaire} »"}
    return render(request, "partenaires/formulaire.html", context)


def contacts(request, pk):
    partenaire = partenaire_de_l_annuaire(request.user, pk)
    formset = ContactFormSet(request.POST or None, instance=partenaire, prefix="contacts")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
        messages.success(request, "Les contacts ont été enregistrés.")
        return redirect("partenaires:detail", partenaire.pk)
    return render(
        request, "partenaires/contacts.html", {"partenaire": partenaire, "formset": formset}
    )


def fusionner(request, pk):
    doublon = partenaire_de_l_annuaire(request.user, pk)
    form = FusionForm(request.POST or None, doublon=doublon)
    if request.method == "POST" and form.is_valid():
        garde = form.cleaned_data["garde"]
        try:
            doublon.fusionner_dans(garde)
        except ValidationError as erreur:
            form.add_error("garde", erreur)
        else:
            messages.success(
                request,
                f"« {doublon} » a été fusionné dans « {garde} » : ses fiches, contacts et comptes y sont rattachés.",
            )
            return redirect("partenaires:detail", garde.pk)
    context = {
        "partenaire": doublon,
        "form": form,
        "nb_fiches": doublon.partenariats.count(),
        "nb_contacts": doublon.contacts.count(),
        "nb_comptes": doublon.comptes.count(),
    }
    return render(request, "partenaires/fusionner.html", context)
