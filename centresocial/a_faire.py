"""What to do next, for each person: the facts the home page shows and the weekly digest
e-mails (centresocial/resumes.py).

- the direction of a structure: is its projet ready for the CAF, the next steps of its renewal,
  the fiches to complete (indicator, référent, last year's results and bilan), the partners'
  comments not read yet, the last changes;
- the équipe: the fiches one is référent of, and what each one lacks;
- a partner account: its actions, and what changed in them since a date (its last visit).

Each fact is a `Ligne`: a French sentence and the page where one acts on it. The fiches are read
once, annotated with what they lack (subqueries, not one query per fiche), so the home page does
not slow down as the projet grows.
"""

from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    AnneeAction,
    CommentairePartenaire,
    FicheAction,
    Indicateur,
    LectureFiche,
    PartenariatAction,
)
from centresocial.lib.historique import presenter
from dossier.verifications import verifier
from evaluation.models import BilanAction
from partenaires.models import Partenaire
from portail.acces import fiches_du_portail
from projets.calendrier import en_clair, prochaines_etapes
from projets.models import Membre, ProjetSocial, Structure

LIGNES_PAR_RUBRIQUE = 5  # then « et 12 autres », with a link to the whole list
CHANGEMENTS_RECENTS = 8
CHANGEMENTS_PAR_FICHE = 5
# At most this many log entries are read for a partner's fiches: the page shows a few per fiche.
CHANGEMENTS_LUS = 300
# The log's actions a person reads as a change (not a consultation).
ACTIONS_CHANGEMENT = (LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE)


@dataclass
class Ligne:
    """One fact: what to read, and where to act on it."""

    texte: str
    lien: str = ""
    detail: str = ""  # a second, quieter line: a date, who, the projet


@dataclass
class Rubrique:
    """A list of facts under a heading; `vide` says that nothing is to be done."""

    titre: str
    lignes: list
    vide: str
    plus: int = 0  # lines not shown
    lien_plus: str = ""
    compter: bool = False  # the heading shows how many (fiches), where the number says something

    @property
    def nombre(self):
        return len(self.lignes) + self.plus

    @classmethod
    def de(cls, titre, lignes, vide, lien_plus="", compter=False):
        return cls(
            titre,
            lignes[:LIGNES_PAR_RUBRIQUE],
            vide,
            max(0, len(lignes) - LIGNES_PAR_RUBRIQUE),
            lien_plus,
            compter,
        )


@dataclass
class Direction:
    """What the direction of a structure has to do, projet by projet."""

    structure: Structure
    projets: list
    a_faire: list = field(default_factory=list)  # of Rubrique
    nouveautes: list = field(default_factory=list)  # of Rubrique

    @property
    def rubriques(self):
        return self.a_faire + self.nouveautes

    @property
    def rien_a_signaler(self):
        return not any(r.lignes for r in self.rubriques)


@dataclass
class FicheAFaire:
    """A fiche one is référent of, and what it lacks."""

    fiche: FicheAction
    manques: list  # of Ligne


@dataclass
class ActionPartenaire:
    """A partner's fiche, and what changed in it since a date."""

    fiche: FicheAction
    changements: list  # of Ligne
    plus: int = 0

    @property
    def nombre(self):
        return len(self.changements) + self.plus


def annee_passee(aujourdhui=None):
    return (aujourdhui or timezone.localdate()).year - 1


def projets_suivis():
    """The projets the home page follows: every one not archived."""
    return ProjetSocial.objects.exclude(statut=ProjetSocial.Statut.ARCHIVE)


def compter(queryset):
    """The number of rows of `queryset` (filtered on OuterRef("pk")), as a subquery."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("fiche").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def commentaires_non_lus(user):
    """The partners' comments on the fiche OuterRef("pk") written since `user` last opened it
    (all of them when never), except their own."""
    lu_depuis = LectureFiche.objects.filter(
        user=user, fiche=OuterRef("fiche"), lue_le__gte=OuterRef("cree_le")
    )
    return (
        CommentairePartenaire.objects.filter(fiche=OuterRef("pk"))
        .exclude(auteur=user)
        .filter(~Exists(lu_depuis))
    )


def avec_manques(fiches, user, annee):
    """`fiches` with what the home page counts, each an annotation: `nb_indicateurs`,
    `prevue` (the fiche runs in `annee`), `sans_resultat` (its indicators without a result in
    `annee`), `avec_bilan` (a bilan of `annee`), `non_lus` (comments unread by `user`)."""
    indicateurs = Indicateur.objects.filter(fiche=OuterRef("pk"))
    return fiches.select_related("axe", "projet__structure", "referent").annotate(
        nb_indicateurs=compter(indicateurs),
        sans_resultat=compter(indicateurs.exclude(resultats__annee=annee)),
        prevue=Exists(AnneeAction.objects.filter(fiche=OuterRef("pk"), annee=annee)),
        avec_bilan=Exists(BilanAction.objects.filter(fiche=OuterRef("pk"), annee=annee)),
        non_lus=compter(commentaires_non_lus(user)),
    )


def nom_fiche(fiche):
    return f"{fiche.reference} · {fiche.titre}"


def pluriel(nombre, singulier, pluriel_=None):
    return f"{nombre} {singulier if nombre == 1 else pluriel_ or singulier + 's'}"


# --- Direction ------------------------------------------------------------------------------


def structures_dirigees(user):
    """The structures the user is a member of as direction (not every structure of an admin:
    the home page of an instance's admin would compute the facts of all of them)."""
    return Structure.objects.filter(
        membres__user=user, membres__role=Membre.Role.DIRECTION
    ).distinct()


def pour_la_direction(user, structures=None, aujourdhui=None, depuis=None):
    """A `Direction` for each structure the user directs (or of `structures`); its last changes
    are those since `depuis` when given (the weekly digest's)."""
    structures = list(structures if structures is not None else structures_dirigees(user))
    if not structures:
        return []
    annee = annee_passee(aujourdhui)
    projets = list(
        projets_suivis()
        .filter(structure__in=structures)
        .select_related("structure")
        .prefetch_related("etapes_renouvellement")
    )
    fiches = list(
        avec_manques(FicheAction.objects.filter(projet__in=projets), user, annee).order_by(
            "projet__annee_debut", "axe__transversal", "axe__ordre", "numero"
        )
    )
    tableaux = []
    for structure in structures:
        ses_projets = [p for p in projets if p.structure_id == structure.pk]
        ses_fiches = [f for f in fiches if f.projet.structure_id == structure.pk]
        tableau = Direction(structure, ses_projets)
        tableau.a_faire = [
            rubrique_preparation(ses_projets),
            rubrique_echeances(ses_projets, aujourdhui),
            *rubriques_fiches(ses_fiches, ses_projets, annee),
        ]
        tableau.nouveautes = [
            rubrique_non_lus(ses_fiches),
            rubrique_changements(structure, ses_fiches, depuis),
        ]
        tableaux.append(tableau)
    return tableaux


def rubrique_preparation(projets):
    lignes = []
    for projet in projets:
        nombre = len(verifier(projet).a_revoir)
        if nombre:
            lignes.append(
                Ligne(
                    f"{pluriel(nombre, 'point')} à revoir dans le dossier",
                    reverse("dossier:verifications", args=[projet.pk]),
                    f"{projet.titre} ({projet.periode})",
                )
            )
    return Rubrique.de(
        "Prêt pour la CAF ?", lignes, "Toutes les vérifications du dossier sont satisfaites."
    )


def rubrique_echeances(projets, aujourdhui=None):
    lignes = []
    for etape in prochaines_etapes(projets, aujourdhui):
        quand = en_clair(etape.jours_restants(aujourdhui))
        lignes.append(
            Ligne(
                f"{etape.libelle} : le {etape.date:%d/%m/%Y} ({quand})",
                reverse("projets:calendrier", args=[etape.projet.pk]),
                "" if etape.enregistree else "Date proposée à partir de la fin de l'agrément",
            )
        )
    return Rubrique.de(
        "Prochaines échéances du renouvellement",
        lignes,
        "Aucune échéance : le calendrier part d'un projet soumis ou agréé.",
    )


def rubriques_fiches(fiches, projets, annee):
    liste = reverse("actions:liste", args=[projets[0].pk]) if len(projets) == 1 else ""
    sans_indicateur = [
        Ligne(nom_fiche(f), reverse("actions:modifier", args=[f.pk]))
        for f in fiches
        if not f.nb_indicateurs
    ]
    sans_referent = [
        Ligne(nom_fiche(f), reverse("actions:modifier", args=[f.pk]))
        for f in fiches
        if not f.nom_referent
    ]
    sans_resultat = [
        Ligne(
            nom_fiche(f),
            reverse("evaluation:fiche", args=[f.pk]),
            f"{pluriel(f.sans_resultat, 'indicateur')} sans résultat",
        )
        for f in fiches
        if f.prevue and f.sans_resultat
    ]
    sans_bilan = [
        Ligne(nom_fiche(f), reverse("evaluation:bilan", args=[f.pk, annee]))
        for f in fiches
        if f.prevue and not f.avec_bilan
    ]
    return [
        Rubrique.de(
            "Fiches sans indicateur",
            sans_indicateur,
            "Chaque fiche a un indicateur.",
            liste,
            compter=True,
        ),
        Rubrique.de(
            "Fiches sans référent",
            sans_referent,
            "Chaque fiche a un référent.",
            liste,
            compter=True,
        ),
        Rubrique.de(
            f"Résultats {annee} à saisir",
            sans_resultat,
            f"Les indicateurs des fiches prévues en {annee} ont leurs résultats.",
            liste,
            compter=True,
        ),
        Rubrique.de(
            f"Bilans {annee} à écrire",
            sans_bilan,
            f"Les fiches prévues en {annee} ont leur bilan.",
            liste,
            compter=True,
        ),
    ]


def rubrique_non_lus(fiches):
    lignes = [
        Ligne(
            nom_fiche(f),
            reverse("actions:detail", args=[f.pk]) + "#commentaires-partenaires-titre",
            f"{pluriel(f.non_lus, 'commentaire non lu', 'commentaires non lus')}",
        )
        for f in fiches
        if f.non_lus
    ]
    return Rubrique.de(
        "Commentaires des partenaires non lus",
        lignes,
        "Vous avez lu tous les commentaires.",
        compter=True,
    )


def journal_structure(structure):
    """The log entries of the structure and of all its projets, newest first."""
    projets = ProjetSocial.objects.filter(structure=structure).values_list("pk", flat=True)
    return (
        LogEntry.objects.filter(
            Q(additional_data__projet__in=list(projets))
            | Q(additional_data__structure=structure.pk),
            action__in=ACTIONS_CHANGEMENT,
        )
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


def rubrique_changements(structure, fiches, depuis=None):
    """The last changes in the structure (since `depuis`), each leading to the fiche's page, or
    to the projet's history."""
    journal = journal_structure(structure)
    if depuis is not None:
        journal = journal.filter(timestamp__gt=depuis)
    entrees = list(journal[:CHANGEMENTS_RECENTS])
    existantes = {f.pk for f in fiches}
    lignes = []
    for entree, vue in zip(entrees, presenter(entrees), strict=True):
        donnees = entree.additional_data or {}
        lien = ""
        if donnees.get("fiche") in existantes:
            lien = reverse("actions:detail", args=[donnees["fiche"]])
        elif donnees.get("projet"):
            lien = reverse("projets:historique", args=[donnees["projet"]])
        lignes.append(Ligne(decrire(vue), lien, par_qui(vue)))
    return Rubrique("Derniers changements", lignes, "Aucun changement enregistré.")


def par_qui(vue):
    """« Claire Morel, le 01/12/2026 à 09:30 » (only the date for a change made by no one: an
    import, a command)."""
    moment = f"le {timezone.localtime(vue.quand):%d/%m/%Y à %H:%M}"
    return moment[0].upper() + moment[1:] if vue.qui == "—" else f"{vue.qui}, {moment}"


def decrire(vue):
    """« Modification de fiche action « 01. Accueil » : titre, public visé »."""
    texte = f"{vue.action} · {vue.type_objet} « {vue.objet} »"
    champs = [c.champ for c in vue.changements]
    if champs:
        texte += " : " + ", ".join(champs)
    return texte


# --- Équipe ---------------------------------------------------------------------------------


def pour_l_equipe(user, structures=None, aujourdhui=None):
    """The fiches the user is référent of (in `structures`, default: theirs), each with what it
    lacks."""
    annee = annee_passee(aujourdhui)
    fiches = FicheAction.objects.filter(
        referent=user,
        projet__in=projets_suivis(),
        projet__structure__in=(
            structures if structures is not None else Structure.objects.visible_to(user)
        ),
    )
    fiches = avec_manques(fiches, user, annee).order_by(
        "projet__structure__nom", "projet__annee_debut", "axe__transversal", "axe__ordre", "numero"
    )
    a_completer = [FicheAFaire(fiche, manques(fiche, annee)) for fiche in fiches]
    return sorted(a_completer, key=lambda item: not item.manques)  # those to complete first


def manques(fiche, annee):
    """What the fiche (annotated by `avec_manques`) lacks, each with where to fix it."""
    lignes = []
    if not fiche.nb_indicateurs:
        lignes.append(
            Ligne("Aucun indicateur : ajoutez-en un", reverse("actions:modifier", args=[fiche.pk]))
        )
    if fiche.prevue and fiche.sans_resultat:
        lignes.append(
            Ligne(
                f"{pluriel(fiche.sans_resultat, 'indicateur')} sans résultat pour {annee}",
                reverse("evaluation:fiche", args=[fiche.pk]),
            )
        )
    if fiche.prevue and not fiche.avec_bilan:
        lignes.append(
            Ligne(
                f"Pas encore de bilan {annee}",
                reverse("evaluation:bilan", args=[fiche.pk, annee]),
            )
        )
    if fiche.non_lus:
        lignes.append(
            Ligne(
                pluriel(
                    fiche.non_lus,
                    "commentaire de partenaire non lu",
                    "commentaires de partenaires non lus",
                ),
                reverse("actions:detail", args=[fiche.pk]) + "#commentaires-partenaires-titre",
            )
        )
    return lignes


# --- Partenaire -----------------------------------------------------------------------------


def pour_le_partenaire(user, depuis, partenaires=None):
    """The partner account's fiches (those of `partenaires` among them, default: all), each with
    the changes since `depuis` (none read when None: a first visit). A partner's words are not
    for another one: the comments are left out, and the account's own changes too."""
    fiches = fiches_du_portail(user)
    if partenaires is not None:
        les_siens = Partenaire.objects.du_user(user).filter(pk__in=[p.pk for p in partenaires])
        liens = PartenariatAction.objects.filter(partenaire__in=les_siens)
        fiches = fiches.filter(pk__in=liens.values("fiche"))
    fiches = list(
        fiches.select_related("axe", "projet__structure").order_by(
            "projet__structure__nom",
            "projet__annee_debut",
            "axe__transversal",
            "axe__ordre",
            "numero",
        )
    )
    par_fiche = {fiche.pk: [] for fiche in fiches}
    if depuis is not None and fiches:
        entrees = list(
            LogEntry.objects.filter(
                additional_data__fiche__in=list(par_fiche),
                timestamp__gt=depuis,
                action__in=ACTIONS_CHANGEMENT,
            )
            .exclude(content_type=ContentType.objects.get_for_model(CommentairePartenaire))
            .exclude(actor=user)
            .select_related("actor", "content_type")
            .order_by("-timestamp", "-pk")[:CHANGEMENTS_LUS]
        )
        for entree, vue in zip(entrees, presenter(entrees), strict=True):
            par_fiche[entree.additional_data["fiche"]].append(
                Ligne(decrire(vue), detail=par_qui(vue))
            )
    return [
        ActionPartenaire(
            fiche,
            par_fiche[fiche.pk][:CHANGEMENTS_PAR_FICHE],
            max(0, len(par_fiche[fiche.pk]) - CHANGEMENTS_PAR_FICHE),
        )
        for fiche in fiches
    ]
